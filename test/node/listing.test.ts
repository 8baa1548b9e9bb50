import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/archive/discover.js';
import { listFiles, readListing, writeListing } from '../../src/archive/listing.js';
import { build } from '../../src/build.js';
import { listFiles as listTree, makeArchive, tempDir, testConfig } from './helpers.js';

// The archive's file list is taken from the last build's while none of its folders
// changed (archive/listing.ts): a file added, deleted or renamed anywhere is seen.

/** A clock 10 s ahead: the folders just made count as settled. */
const later = () => Date.now() + 10_000;
const PATTERN = '**/*.md';

async function archive(): Promise<string> {
  return makeArchive({ 'a.md': '# A\n', 'sub/b.md': '# B\n', 'sub/deeper/c.md': '# C\n', 'sub/notes.txt': 'x', '.drafts/d.md': '# D\n' });
}

describe('the archive listing', () => {
  it('is recorded with every folder but dot folders, and sorted', async () => {
    const dir = await archive();
    const { files, record } = await listFiles(dir, PATTERN, { remember: true, now: later });
    expect(files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
    expect(record!.dirs).toEqual(['', 'sub', 'sub/deeper']);
    expect(record!.files).toEqual(files);
    expect(record!.times.length).toBe(6);
  });

  it('is taken from the record while no folder changed, and walked again when one did', async () => {
    const dir = await archive();
    const { record } = await listFiles(dir, PATTERN, { remember: true, now: later });
    // A name planted in the record comes back: nothing was walked.
    const planted = { ...record!, files: [...record!.files, 'planted.md'] };
    expect((await listFiles(dir, PATTERN, { known: planted })).files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md', 'planted.md']);
    // Another pattern or archive folder: walked.
    expect((await listFiles(dir, 'sub/*.md', { known: planted })).files).toEqual(['sub/b.md']);

    const steps: [string, () => void, string[]][] = [
      ['a file added two folders down', () => writeFileSync(path.join(dir, 'sub/deeper/e.md'), '# E\n'), ['a.md', 'sub/b.md', 'sub/deeper/c.md', 'sub/deeper/e.md']],
      ['a file deleted', () => rmSync(path.join(dir, 'sub/b.md')), ['a.md', 'sub/deeper/c.md', 'sub/deeper/e.md']],
      ['a file renamed', () => renameSync(path.join(dir, 'a.md'), path.join(dir, 'z.md')), ['sub/deeper/c.md', 'sub/deeper/e.md', 'z.md']],
      ['a new folder with a file', () => (mkdirSync(path.join(dir, 'new')), writeFileSync(path.join(dir, 'new/f.md'), '# F\n')), ['new/f.md', 'sub/deeper/c.md', 'sub/deeper/e.md', 'z.md']],
      ['a file in a folder that had none', () => writeFileSync(path.join(dir, 'sub/deeper/../g.md'), '# G\n'), ['new/f.md', 'sub/deeper/c.md', 'sub/deeper/e.md', 'sub/g.md', 'z.md']],
    ];
    let known = record!;
    for (const [name, change, expected] of steps) {
      change();
      // The stale record with a planted name: had it been trusted, the name would show.
      const stale = { ...known, files: [...known.files, 'planted.md'] };
      const listed = await listFiles(dir, PATTERN, { known: stale, remember: true, now: later });
      expect(listed.files, name).toEqual(expected);
      known = listed.record!;
    }
  });

  it('is not recorded when a folder changed moments ago, a symbolic link is in the archive, or the pattern names a dot folder', async () => {
    const dir = await archive();
    expect((await listFiles(dir, PATTERN, { remember: true })).record).toBeUndefined();
    expect((await listFiles(dir, '.drafts/*.md', { remember: true, now: later })).record).toBeUndefined();
    expect((await listFiles(dir, '.drafts/*.md', { remember: true, now: later })).files).toEqual(['.drafts/d.md']);
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'link'));
    expect((await listFiles(dir, PATTERN, { remember: true, now: later })).record).toBeUndefined();
    // Without `remember`, nothing is recorded at all.
    rmSync(path.join(dir, 'link'));
    expect((await listFiles(dir, PATTERN, { now: later })).record).toBeUndefined();
  });

  it("gives each file's absolute path as path.join() would, however the folder is written", async () => {
    const dir = await archive();
    for (const form of [dir, `${dir}/`, `${dir}/sub/..`, path.relative(process.cwd(), dir)]) {
      const { sources } = await discover(form, PATTERN);
      expect(sources.map((s) => s.file)).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
      expect(sources.map((s) => s.absolute)).toEqual(sources.map((s) => path.join(form, s.file)));
      expect(sources[1]!.bytes).toBe(4);
    }
  });

  it('serves a cached build while the folders are as recorded, and a file added is seen', async () => {
    const dir = await archive();
    const base = await tempDir();
    const out = path.join(base, 'dist');
    const cacheDir = path.join(base, 'cache');
    const config = testConfig();
    const NOW = Date.UTC(2026, 0, 1);
    const run = () => build({ archiveDir: dir, outDir: out, config, cacheDir, now: NOW });
    const full = async () => {
      const fresh = path.join(await tempDir(), 'dist');
      await build({ archiveDir: dir, outDir: fresh, config, now: NOW });
      return digest(fresh);
    };
    expect((await run()).found).toBe(3);
    // The folders were made just now: nothing recorded yet.
    expect(await readListing(cacheDir)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    await run();
    const record = (await readListing(cacheDir))!;
    expect(record.files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);

    // An edit in place changes no folder: the record serves, and the file's time tells the edit.
    writeFileSync(path.join(dir, 'a.md'), '# A, edited\n');
    expect((await run()).parsed).toBe(1);
    expect(await digest(out)).toEqual(await full());
    // The record is trusted: one taken out of it is not listed (shown by doctoring it).
    await writeListing(cacheDir, { ...record, files: ['a.md', 'sub/deeper/c.md'] });
    expect((await run()).found).toBe(2);

    // A file added: its folder's times moved, and the archive is walked again.
    writeFileSync(path.join(dir, 'sub/deeper/e.md'), '# E\n\nNew.\n');
    expect((await run()).found).toBe(4);
    expect(await digest(out)).toEqual(await full());
  }, 30_000);
});

async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of await listTree(dir)) out[rel] = createHash('sha256').update(await readFile(path.join(dir, rel))).digest('hex');
  return out;
}
