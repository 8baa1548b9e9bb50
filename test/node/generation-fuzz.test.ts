import { existsSync } from 'node:fs';
import { readlink, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { build } from '../../src/build.js';
import { Output, readState, stateFile } from '../../src/site/output.js';
import { digest, listFiles, makeArchive, tempDir, testConfig } from './helpers.js';

// Random sequences of builds against the two generations' state files (site/output.ts):
// edits, additions and deletions, --no-cache builds, the cache folder deleted, the
// output link deleted (the first build's mirror again), a build failing before, in or
// after its commit, a crash between a state file's rename to its base and its `I`
// marker. After every step, a generation whose state is complete holds exactly the
// files its state lists, with the hashes and bytes the build that wrote it recorded,
// and a build that succeeded gives the bytes of a --no-cache build of the archive.

const NOW = Date.UTC(2026, 0, 1);
const SEEDS = (process.env.GENERATION_SEEDS ?? '1,2').split(',').map(Number);
const TAGS = ['a', 'b', 'c', 'd', 'e', 'f'];
const STEPS = ['edit', 'edit', 'add', 'delete', 'build', 'build', 'no-cache', 'cache deleted', 'fail in commit', 'fail after commit', 'fail in a write', 'crash after rename', 'link deleted'] as const;

/** A small linear congruential generator: the same sequence on every run and machine. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

describe('the generations’ state files, over random builds', () => {
  for (const seed of SEEDS) {
    it(`list what each generation holds (seed ${seed}, 60 steps)`, async () => {
      const next = random(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
      const article = (n: number, v: number) => `---\ntitle: A${n} v${v}\ndate: 2024-0${1 + (n % 9)}-1${n % 10}T00:00:00Z\ntags: [${pick(TAGS)}, ${pick(TAGS)}]\n---\n\nBody ${n} v${v}.\n`;
      const files = new Map<string, string>();
      for (let n = 1; n <= 8; n++) files.set(`p${n}.md`, article(n, 0));
      const archive = await makeArchive(Object.fromEntries(files));
      const base = await tempDir();
      const out = path.join(base, 'dist');
      const cacheDir = path.join(base, 'cache');
      const root = path.join(base, '.dist.gen');
      const config = testConfig({ topics: [{ slug: 'ta', title: 'TA', tags: ['a'], keywords: [] }] });
      /** What the last build to commit each generation recorded of it: hashes, and the bytes a full build gave then. */
      const recorded: Record<string, { hashes: Map<string, string>; digest: Record<string, string> } | undefined> = {};
      let committed: { slot: string; hashes: Map<string, string> } | undefined;
      let failIn: 'commit' | 'after commit' | undefined;
      let writesLeft = -1;
      const write = Output.prototype.write;
      const commit = Output.prototype.commit;
      const writeSpy = vi.spyOn(Output.prototype, 'write').mockImplementation(function (this: Output, rel, content) {
        if (writesLeft >= 0 && writesLeft-- === 0) throw new Error('a write failed (injected)');
        return write.call(this, rel, content);
      });
      const commitSpy = vi.spyOn(Output.prototype, 'commit').mockImplementation(async function (this: Output, among) {
        if (failIn === 'commit') throw new Error('the commit failed (injected)');
        await commit.call(this, among);
        committed = { slot: this.slot, hashes: new Map([...this.files].map(([rel, file]) => [rel, file.hash])) };
        if (failIn === 'after commit') throw new Error('the build failed after its commit (injected)');
      });
      const steps: string[] = [];
      let version = 1;
      try {
        for (let step = 0; step < 60; step++) {
          const op = pick(STEPS);
          steps.push(op);
          if (op === 'edit') {
            const file = pick([...files.keys()]);
            files.set(file, article(Number(file.slice(1, -3)), version++));
            await writeFile(path.join(archive, file), files.get(file)!);
          } else if (op === 'add') {
            const file = `p${10 + version}.md`;
            files.set(file, article(10 + version++, 0));
            await writeFile(path.join(archive, file), files.get(file)!);
          } else if (op === 'delete' && files.size > 2) {
            const file = pick([...files.keys()]);
            files.delete(file);
            await unlink(path.join(archive, file));
          } else if (op === 'cache deleted') {
            await rm(cacheDir, { recursive: true, force: true });
          } else if (op === 'crash after rename') {
            // Output.open renamed the idle generation's F state to its base and stopped before writing its I marker.
            const live = existsSync(out) ? path.basename(await readlink(out)) : undefined;
            for (const slot of ['0', '1']) if (slot !== live && existsSync(stateFile(root, slot))) await rename(stateFile(root, slot), path.join(root, `state-${slot}.base.v8`));
          } else if (op === 'link deleted') {
            await rm(out, { force: true });
          }
          const fresh = path.join(await tempDir(), 'dist');
          await build({ archiveDir: archive, outDir: fresh, config, now: NOW });
          const want = await digest(fresh);
          committed = undefined;
          failIn = op === 'fail in commit' ? 'commit' : op === 'fail after commit' ? 'after commit' : undefined;
          if (op === 'fail in a write') writesLeft = Math.floor(next() * 6);
          const mirrors = !existsSync(out) && op !== 'no-cache';
          let failed = false;
          await build({ archiveDir: archive, outDir: out, config, cacheDir: op === 'no-cache' ? undefined : cacheDir, now: NOW }).catch(() => (failed = true));
          failIn = undefined;
          writesLeft = -1;
          if (committed) {
            const { slot, hashes } = committed as { slot: string; hashes: Map<string, string> };
            recorded[slot] = { hashes, digest: want };
            // The first build into an output folder makes the other generation a linked copy of this one.
            const other = slot === '0' ? '1' : '0';
            if (mirrors && (await readState(root, other))?.complete) recorded[other] = { hashes, digest: want };
          }
          if (!failed) expect(await digest(out)).toEqual(want);
          for (const slot of ['0', '1']) {
            const state = await readState(root, slot);
            if (!state?.complete) {
              if (failed && !committed) recorded[slot] = undefined;
              continue;
            }
            const at = `generation ${slot} after ${steps.join(', ')}`;
            const dir = path.join(root, slot);
            expect(existsSync(dir) ? await listFiles(dir) : [], at).toEqual([...state.files.keys()].sort());
            expect(recorded[slot], at).toBeDefined();
            expect(new Map([...state.files.keys()].sort().map((rel) => [rel, state.files.get(rel)])), at).toEqual(new Map([...recorded[slot]!.hashes].sort()));
            expect(await digest(dir), at).toEqual(recorded[slot]!.digest);
          }
        }
      } finally {
        commitSpy.mockRestore();
        writeSpy.mockRestore();
      }
    }, 120_000);
  }
});
