import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { readlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileHash, Output, readState, stateFile } from '../../src/site/output.js';
import { listFiles, tempDir } from './helpers.js';

// A generation's state file lists every file once (`F`), then, while a build changes
// few of them, only the changes since that list, which becomes its base (`C`, see
// site/output.ts stateFile). Read back, it is the same list either way.

const hashOf = (text: string) => fileHash(new TextEncoder().encode(text));

/** One build making `files` (rel → content), then what the generation it wrote holds by its state file, and that file's kind. */
async function build(dir: string, files: Record<string, string>) {
  const output = await Output.open(dir);
  // As a build does: a file the generation holds (or the live one, linked) is kept, any other written.
  for (const [rel, text] of Object.entries(files)) if (!output.keep(rel, { hash: hashOf(text), bytes: text.length })) output.write(rel, text);
  await output.commit();
  const root = path.join(path.dirname(dir), '.dist.gen');
  const slot = path.basename(await readlink(dir));
  const state = await readState(root, slot);
  return { root, slot, kind: String.fromCharCode(readFileSync(stateFile(root, slot))[0]!), files: Object.fromEntries([...state!.files.keys()].sort().map((rel) => [rel, state!.files.get(rel)])) };
}

describe('a generation’s state file', () => {
  it('is every file at first, then the changes since that list, read back as every file', async () => {
    const dir = path.join(await tempDir(), 'dist');
    const first = await build(dir, { 'a.txt': 'a1', 'b.txt': 'b1' });
    expect([first.slot, first.kind]).toEqual(['0', 'F']);
    expect(first.files).toEqual({ 'a.txt': hashOf('a1'), 'b.txt': hashOf('b1') });
    // The other generation had no state: every file.
    expect((await build(dir, { 'a.txt': 'a1', 'b.txt': 'b1' })).kind).toBe('F');
    // Generation 0 again: its list becomes its base; c.txt added, b.txt pruned, a.txt rewritten.
    const third = await build(dir, { 'a.txt': 'a2', 'c.txt': 'c1' });
    expect([third.slot, third.kind]).toEqual(['0', 'C']);
    expect(third.files).toEqual({ 'a.txt': hashOf('a2'), 'c.txt': hashOf('c1') });
    expect(String.fromCharCode(readFileSync(path.join(third.root, 'state-0.base.v8'))[0]!)).toBe('F');
    await build(dir, { 'a.txt': 'a2', 'c.txt': 'c1' });
    // Changes carried over: b.txt still gone, c.txt still there, d.txt new.
    const fifth = await build(dir, { 'a.txt': 'a2', 'c.txt': 'c1', 'd.txt': 'd1' });
    expect([fifth.slot, fifth.kind]).toEqual(['0', 'C']);
    expect(fifth.files).toEqual({ 'a.txt': hashOf('a2'), 'c.txt': hashOf('c1'), 'd.txt': hashOf('d1') });
    // b.txt comes back: no longer among the removed.
    await build(dir, { 'a.txt': 'a2', 'c.txt': 'c1', 'd.txt': 'd1' });
    const seventh = await build(dir, { 'a.txt': 'a2', 'b.txt': 'b2', 'c.txt': 'c1', 'd.txt': 'd1' });
    expect(seventh.kind).toBe('C');
    expect(seventh.files).toEqual({ 'a.txt': hashOf('a2'), 'b.txt': hashOf('b2'), 'c.txt': hashOf('c1'), 'd.txt': hashOf('d1') });
  });

  it('is not trusted when its base is not the list it was written against', async () => {
    const dir = path.join(await tempDir(), 'dist');
    for (let i = 0; i < 3; i++) await build(dir, { 'a.txt': `a${i}` });
    const root = path.join(path.dirname(dir), '.dist.gen');
    expect(String.fromCharCode(readFileSync(stateFile(root, '0'))[0]!)).toBe('C');
    const base = readFileSync(path.join(root, 'state-0.base.v8'));
    base.write('0'.repeat(32), 1, 'latin1');
    writeFileSync(path.join(root, 'state-0.base.v8'), base);
    expect(await readState(root, '0')).toBeUndefined();
    // Nor carried into the next build of it, which writes every file again.
    await build(dir, { 'a.txt': 'a3' });
    const again = await build(dir, { 'a.txt': 'a4' });
    expect([again.slot, again.kind]).toEqual(['0', 'F']);
    expect(again.files).toEqual({ 'a.txt': hashOf('a4') });
  });

  it('is read as versions before its kinds wrote it (columns only), and then written anew', async () => {
    const dir = path.join(await tempDir(), 'dist');
    await build(dir, { 'a.txt': 'a1' });
    await build(dir, { 'a.txt': 'a1' });
    const root = path.join(path.dirname(dir), '.dist.gen');
    writeFileSync(stateFile(root, '0'), v8.serialize({ complete: true, names: ['a.txt', 'gone.txt'], hashes: [hashOf('a1'), hashOf('x')] }));
    expect((await readState(root, '0'))!.files).toEqual(new Map([['a.txt', hashOf('a1')], ['gone.txt', hashOf('x')]]));
    const third = await build(dir, { 'a.txt': 'a1', 'b.txt': 'b1' });
    expect([third.slot, third.kind]).toEqual(['0', 'F']);
    expect(third.files).toEqual({ 'a.txt': hashOf('a1'), 'b.txt': hashOf('b1') });
  });

  it('lists what the generation holds when a folder was replaced by a file linked from the live one', async () => {
    const dir = path.join(await tempDir(), 'dist');
    await build(dir, { 'x/y.txt': '1', 'a.txt': 'a' });
    await build(dir, { 'x/y.txt': '1', 'a.txt': 'a' });
    await build(dir, { x: 'file', 'a.txt': 'a' });
    // Generation 1 holds the folder x/; the live one the file x, linked from there.
    const fourth = await build(dir, { x: 'file', 'a.txt': 'a' });
    expect(fourth.files).toEqual({ 'a.txt': hashOf('a'), x: hashOf('file') });
    expect(await listFiles(path.join(fourth.root, fourth.slot))).toEqual(['a.txt', 'x']);
    expect(readFileSync(path.join(dir, 'x'), 'utf8')).toBe('file');
  });

  it('lists every file again once a build changed more than a sixteenth of them (and over 1,024)', async () => {
    const dir = path.join(await tempDir(), 'dist');
    const many = (n: number, v: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f/${i}.txt`, `${v}${i}`]));
    await build(dir, many(1100, 'x'));
    await build(dir, many(1100, 'x'));
    expect((await build(dir, { ...many(1100, 'x'), 'f/0.txt': 'changed' })).kind).toBe('C');
    await build(dir, many(1100, 'x'));
    const rewritten = await build(dir, many(1100, 'y'));
    expect(rewritten.kind).toBe('F');
    expect(Object.keys(rewritten.files).length).toBe(1100);
    expect(rewritten.files['f/7.txt']).toBe(hashOf('y7'));
  });
});
