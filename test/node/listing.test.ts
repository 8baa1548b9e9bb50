import { createHash } from 'node:crypto';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../bin/bundle.mjs';
import { bundleKey, codeFiles } from '../../src/archive/cache.js';
import { discover } from '../../src/archive/discover.js';
import { headCommit } from '../../src/archive/git-dates.js';
import { listAside, listsAside } from '../../src/threads/listing.js';
import { FIXTURES, tempDir } from './helpers.js';

// The archive listed on a thread of its own (threads/listing.ts) while the main
// thread reads the cache: the very listing the main thread would make, and the code
// key of the bundles, remembered beside them while they do not change.

const ROOT = path.resolve(import.meta.dirname, '../..');
const ARCHIVE = path.join(FIXTURES, 'archive');
let bundle: string;

beforeAll(async () => {
  bundle = path.join(await tempDir(), 'cli.mjs');
  await bundleCli(path.join(ROOT, 'src', 'cli.ts'), bundle);
}, 60_000);

function sha256Of(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex');
}

describe('listing the archive on a thread', () => {
  it('gives the files, sizes and times discover() gives, the HEAD commit and the code key', async () => {
    const files = codeFiles(bundle);
    const listing = await listAside({ archiveDir: ARCHIVE, pattern: '**/*.md', codeFiles: files }, pathToFileURL(path.join(path.dirname(bundle), 'lister.mjs')))!;
    const expected = await discover(ARCHIVE, '**/*.md');
    // README.md is the archive's index, not an article.
    expect(listing.sources.map((s) => s.file)).toEqual(['bad-stamp.md', 'frontmatter.md', 'fullwidth.md', 'said.md', 'seed.md', 'traditional.md']);
    expect(listing.sources[4]!.bytes).toBe(statSync(path.join(ARCHIVE, 'seed.md')).size);
    expect(listing.sources).toEqual(expected);
    expect(listing.head).toBe(headCommit(ARCHIVE));
    expect(listing.codeKey).toBe(sha256Of(files));
  }, 30_000);

  it('is not started without a thread script (running from sources)', () => {
    expect(listAside({ archiveDir: ARCHIVE, pattern: '**/*.md', codeFiles: [] }, pathToFileURL('/nowhere/lister.mjs'))).toBeUndefined();
  });

  it('rejects when the thread reports a failure or ends without an answer, so the build lists on its own', async () => {
    const dir = await tempDir();
    const failing = path.join(dir, 'failing.mjs');
    writeFileSync(failing, "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage({ ok: false, message: 'cannot list /x' });\n");
    const silent = path.join(dir, 'silent.mjs');
    writeFileSync(silent, 'process.exitCode = 0;\n');
    const setup = { archiveDir: ARCHIVE, pattern: '**/*.md', codeFiles: [] };
    await expect(listAside(setup, pathToFileURL(failing))!).rejects.toThrow('cannot list /x');
    await expect(listAside(setup, pathToFileURL(silent))!).rejects.toThrow('The listing thread stopped (exit code 0).');
  });

  describe('when to list aside', () => {
    const saved = process.env.FEEDWRIGHT_THREADS;
    afterEach(() => {
      if (saved === undefined) delete process.env.FEEDWRIGHT_THREADS;
      else process.env.FEEDWRIGHT_THREADS = saved;
    });

    it('from 5,000 files on a machine with two cores; whenever FEEDWRIGHT_THREADS asks; never when it is 0', () => {
      delete process.env.FEEDWRIGHT_THREADS;
      expect(listsAside(4999)).toBe(false);
      expect(listsAside(5000)).toBe(availableParallelism() >= 2);
      process.env.FEEDWRIGHT_THREADS = '2';
      expect(listsAside(12)).toBe(true);
      expect(listsAside(0)).toBe(false);
      process.env.FEEDWRIGHT_THREADS = '0';
      expect(listsAside(40_000)).toBe(false);
    });
  });
});

describe('the code key of a bundle', () => {
  it('is the sha256 of the bundles, remembered beside them and made again when one changes', async () => {
    const dir = await tempDir();
    const files = ['cli.mjs', 'worker.mjs', 'lister.mjs'].map((name) => path.join(dir, name));
    writeFileSync(files[0]!, 'export const a = 1;\n');
    writeFileSync(files[1]!, 'export const b = 2;\n');
    // lister.mjs absent: the key is over the files that exist.
    const first = bundleKey(files);
    expect(first).toBe(sha256Of(files.slice(0, 2)));
    const memo = path.join(dir, 'code-key.json');
    expect(JSON.parse(readFileSync(memo, 'utf8')).key).toBe(first);

    // Remembered: a key planted in the memo is what comes back while no file changed.
    const planted = JSON.parse(readFileSync(memo, 'utf8'));
    writeFileSync(memo, JSON.stringify({ ...planted, key: 'planted' }));
    expect(bundleKey(files)).toBe('planted');

    // Same size, new bytes and a new modification time: hashed again.
    writeFileSync(files[1]!, 'export const b = 3;\n');
    const { mtimeMs } = statSync(files[1]!);
    utimesSync(files[1]!, new Date(), new Date(mtimeMs + 5000));
    expect(bundleKey(files)).toBe(sha256Of(files.slice(0, 2)));
    expect(bundleKey(files)).not.toBe(first);

    // A thread bundle that appears changes the key too.
    writeFileSync(files[2]!, 'export const c = 4;\n');
    expect(bundleKey(files)).toBe(sha256Of(files));

    // A torn memo is ignored.
    writeFileSync(memo, '{"seen":');
    expect(bundleKey(files)).toBe(sha256Of(files));
  });
});
