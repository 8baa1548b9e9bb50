import { linkSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/site/output.js';
import { storeNow } from '../../src/site/store.js';
import { tempDir } from './helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('writing an output file again', () => {
  it('rewrites a file with one link where it is, and never writes through a hard or symbolic link (a thread)', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'gen', 'tags', 'x', 'rss.xml');
    storeNow({ target, clear: false, parts: [bytes('a'.repeat(100))] });
    const first = statSync(target).ino;
    // Shorter: the same inode, cut to the new length.
    storeNow({ target, clear: true, parts: [bytes('xy'), bytes('z')] });
    expect(readFileSync(target, 'utf8')).toBe('xyz');
    expect(statSync(target).ino).toBe(first);
    // Longer, in more buffers than writev(2) takes at once.
    storeNow({ target, clear: true, parts: Array.from({ length: 1500 }, (_, i) => bytes(String(i % 10))) });
    expect(statSync(target).size).toBe(1500);
    expect(readFileSync(target, 'utf8').slice(0, 12)).toBe('012345678901');
    expect(statSync(target).ino).toBe(first);
    // A hard link elsewhere (the live generation's copy) keeps its bytes: the file is replaced, not rewritten.
    const live = path.join(dir, 'live.xml');
    linkSync(target, live);
    storeNow({ target, clear: true, parts: [bytes('new')] });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readFileSync(live, 'utf8')).toHaveLength(1500);
    expect(statSync(target).ino).not.toBe(statSync(live).ino);
    // A FIFO left there is replaced without waiting for a reader.
    const fifo = path.join(dir, 'gen', 'tags', 'x', 'feed.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    storeNow({ target: fifo, clear: true, parts: [bytes('{}')] });
    expect(readFileSync(fifo, 'utf8')).toBe('{}');
    // A symbolic link is replaced by a file, never followed.
    const outside = path.join(dir, 'outside.txt');
    writeFileSync(outside, 'keep');
    const linked = path.join(dir, 'gen', 'tags', 'x', 'atom.xml');
    symlinkSync(outside, linked);
    storeNow({ target: linked, clear: true, parts: [bytes('atom')] });
    expect(readFileSync(outside, 'utf8')).toBe('keep');
    expect(readFileSync(linked, 'utf8')).toBe('atom');
    expect(() => readlinkSync(linked)).toThrow();
  });

  it('rewrites the idle generation in place on the main thread too, except a file linked into the live one', async () => {
    const dir = path.join(await tempDir(), 'dist');
    const build = async (n: number) => {
      const output = await Output.open(dir, { trustState: false });
      output.write('feed.xml', `<feed n="${n}">${'x'.repeat(n * 10)}</feed>`);
      output.write('tags/a/index.html', `page ${n}`);
      await output.commit();
    };
    await build(3);
    const gen = path.join(path.dirname(dir), '.dist.gen');
    const slot = path.basename(readlinkSync(dir));
    const first = statSync(path.join(gen, slot, 'feed.xml')).ino;
    await build(2);
    // The third build writes the first one's generation again: the same files, shorter.
    await build(1);
    expect(path.basename(readlinkSync(dir))).toBe(slot);
    expect(readFileSync(path.join(dir, 'feed.xml'), 'utf8')).toBe(`<feed n="1">${'x'.repeat(10)}</feed>`);
    expect(readFileSync(path.join(dir, 'tags/a/index.html'), 'utf8')).toBe('page 1');
    expect(statSync(path.join(dir, 'feed.xml')).ino).toBe(first);

    // A file of the idle generation hard-linked from the live one (as a cached build leaves them) is replaced instead.
    const served = path.join(gen, slot, 'tags/a/index.html');
    const idle = path.join(gen, slot === '0' ? '1' : '0', 'tags/a/index.html');
    rmSync(idle);
    linkSync(served, idle);
    await build(4);
    expect(readFileSync(path.join(dir, 'tags/a/index.html'), 'utf8')).toBe('page 4');
    expect(readFileSync(served, 'utf8')).toBe('page 1');
    // Given as parts, empty ones among them (more than writev(2) takes in one call): all of it, in place.
    const before = statSync(path.join(gen, slot, 'feed.xml')).ino;
    const last = await Output.open(dir, { trustState: false });
    last.writeParts('feed.xml', [...Array.from({ length: 1100 }, () => new Uint8Array(0)), bytes('abc')], 'h');
    last.write('tags/a/index.html', 'page 5');
    await last.commit();
    expect(path.basename(readlinkSync(dir))).toBe(slot);
    expect(readFileSync(path.join(dir, 'feed.xml'), 'utf8')).toBe('abc');
    expect(statSync(path.join(dir, 'feed.xml')).ino).toBe(before);
  });

  it('waits, once 8 writes are in flight, for the 4 oldest only, so the writers never run dry', async () => {
    const dir = await tempDir();
    const output = await Output.open(path.join(dir, 'dist'));
    const settle: (() => void)[] = [];
    output.writeWith(() => new Promise<void>((resolve) => settle.push(resolve)));
    for (let i = 0; i < 7; i++) output.write(`f${i}.txt`, `file ${i}`);
    let drained = false;
    const below = output.drain(8).then(() => (drained = true));
    await below;
    // Seven in flight, under the limit: nothing to wait for.
    expect([drained, settle.length]).toEqual([true, 7]);
    output.write('f7.txt', 'file 7');
    drained = false;
    const waiting = output.drain(8).then(() => (drained = true));
    for (let i = 0; i < 3; i++) settle[i]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    // The fourth oldest settles: four are still in flight, and the build goes on.
    settle[3]!();
    await waiting;
    expect(drained).toBe(true);
    // 0 waits for every one.
    drained = false;
    const all = output.drain(0).then(() => (drained = true));
    for (let i = 4; i < 7; i++) settle[i]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    settle[7]!();
    await all;
    expect(drained).toBe(true);
  });
});
