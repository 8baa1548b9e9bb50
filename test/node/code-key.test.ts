import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleKey } from '../../src/archive/cache.js';
import { tempDir } from './helpers.js';

// The code key of a bundled build (every cache entry is made under it): the sha256
// of the bundles, remembered beside them while they do not change.

/** The code key by its definition: each file's name and length, then its bytes. */
function sha256Of(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = readFileSync(file);
    hash.update(`${path.basename(file)}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

describe('the code key of a bundle', () => {
  it('is the sha256 of the bundles, remembered beside them and made again when one changes', async () => {
    const dir = await tempDir();
    const files = ['cli.mjs', 'worker.mjs'].map((name) => path.join(dir, name));
    writeFileSync(files[0]!, 'export const a = 1;\n');
    // worker.mjs absent: the key is over the files that exist.
    const first = bundleKey(files);
    expect(first).toBe(sha256Of(files.slice(0, 1)));
    const memo = path.join(dir, 'code-key.json');
    expect(JSON.parse(readFileSync(memo, 'utf8')).key).toBe(first);

    // A thread bundle that appears changes the key.
    writeFileSync(files[1]!, 'export const b = 2;\n');
    const second = bundleKey(files);
    expect(second).toBe(sha256Of(files));

    // Remembered: a key planted in the memo is what comes back while no file changed.
    const planted = JSON.parse(readFileSync(memo, 'utf8'));
    writeFileSync(memo, JSON.stringify({ ...planted, key: 'planted' }));
    expect(bundleKey(files)).toBe('planted');

    // Same size, new bytes, and the old modification time put back (as cp -p or tar
    // would): the change time still tells, and it is hashed again. (Past the
    // kernel's timestamp granularity, a few ms on some.)
    const { atime, mtime } = statSync(files[1]!);
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(files[1]!, 'export const b = 3;\n');
    utimesSync(files[1]!, atime, mtime);
    expect(bundleKey(files)).toBe(sha256Of(files));
    expect(bundleKey(files)).not.toBe(second);

    // Bytes moved from one file to the other give another key: each file is hashed
    // with its name and length, so (X, Y) and (X + Y, '') differ.
    const split = bundleKey(files);
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(files[0]!, 'export const a = 1;\nexport const b = 3;\n');
    writeFileSync(files[1]!, '');
    expect(bundleKey(files)).toBe(sha256Of(files));
    expect(bundleKey(files)).not.toBe(split);

    // A torn memo is ignored, and no temporary file is left beside it.
    writeFileSync(memo, '{"seen":');
    expect(bundleKey(files)).toBe(sha256Of(files));
    expect(JSON.parse(readFileSync(memo, 'utf8')).key).toBe(sha256Of(files));
    expect(readdirSync(dir).sort()).toEqual(['cli.mjs', 'code-key.json', 'worker.mjs']);
  });
});
