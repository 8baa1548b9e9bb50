import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAhead } from '../../src/archive/read-ahead.js';
import { tempDir } from './helpers.js';

// The cache's files are read in one request to the thread pool (archive/read-ahead.ts),
// not in readFile's 512 KB chunks: the bytes must come back exactly as on disk.

describe('readAhead', () => {
  it('gives back a file larger than one of readFile’s chunks byte for byte', async () => {
    const dir = await tempDir();
    const bytes = Buffer.alloc(3 * 512 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff;
    writeFileSync(path.join(dir, 'index.v8'), bytes);
    const read = await readAhead(path.join(dir, 'index.v8'));
    expect(read!.length).toBe(1_572_881);
    expect(read!.equals(bytes)).toBe(true);
  });

  it('gives back an empty file as no bytes, and undefined for one it cannot read', async () => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'empty.v8'), '');
    mkdirSync(path.join(dir, 'folder.v8'));
    expect((await readAhead(path.join(dir, 'empty.v8')))!.length).toBe(0);
    expect(await readAhead(path.join(dir, 'missing.v8'))).toBeUndefined();
    expect(await readAhead(path.join(dir, 'folder.v8'))).toBeUndefined();
  });
});
