import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Arena, Chunks, type ItemRef } from '../../src/threads/arena.js';
import { storeNow } from '../../src/site/store.js';
import { tempDir } from './helpers.js';

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('the item arena', () => {
  it('keeps each item as UTF-8 with its sha256, readable through another side\'s chunks', () => {
    const arena = new Arena(65_536);
    const texts = ['<item><title>芯片</title></item>', '', 'plain ASCII', '😀 surrogate pairs 𠀀'];
    const refs = texts.map((t) => arena.put(t));
    expect(refs.map((r) => r[0])).toEqual([65_536, 65_536, 65_536, 65_536]);
    expect(refs[0]).toEqual([65_536, 0, Buffer.byteLength(texts[0]!)]);
    // Each item starts after the previous one's 32-byte digest.
    expect(refs[1]![1]).toBe(Buffer.byteLength(texts[0]!) + 32);
    const fresh = arena.takeNew();
    expect(fresh.map(([id]) => id)).toEqual([65_536]);
    expect(arena.takeNew()).toEqual([]);

    // The other side gets the chunk by message: shared memory, not a copy.
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(fresh);
    const received = receiveMessageOnPort(port2)!.message as [number, SharedArrayBuffer][];
    port1.close();
    const chunks = new Chunks();
    chunks.add(received);
    texts.forEach((text, k) => {
      const bytes = chunks.bytes(refs[k]!);
      expect(Buffer.from(bytes).toString('utf8')).toBe(text);
      expect(hex(chunks.digest(refs[k]!))).toBe(sha(text));
      expect(chunks.refOf(bytes)).toEqual(refs[k]);
    });
    expect(chunks.refOf(new TextEncoder().encode('x'))).toBeUndefined();
    expect(() => chunks.bytes([7, 0, 1])).toThrow('unknown item chunk 7');
  });

  it('starts a new chunk when an item may not fit, as large as the item needs', () => {
    const arena = new Arena(0);
    const big = 'x'.repeat(12 * 1024 * 1024); // room for 36 MB: more than a 32 MB chunk
    const refs: ItemRef[] = [arena.put('first'), arena.put(big), arena.put('after')];
    // The big one's chunk has room left for the next item.
    expect(refs.map((r) => r[0])).toEqual([0, 1, 1]);
    const chunks = new Chunks();
    const fresh = arena.takeNew();
    expect(fresh.map(([id, sab]) => [id, sab.byteLength])).toEqual([
      [0, 32 * 1024 * 1024],
      [1, big.length * 3 + 32],
    ]);
    chunks.add(fresh);
    expect(chunks.bytes(refs[1]!).length).toBe(big.length);
    expect(hex(chunks.digest(refs[1]!))).toBe(sha(big));
    expect(Buffer.from(chunks.bytes(refs[2]!)).toString()).toBe('after');
  });

  it('lets go of its chunks when released, and never reuses their ids', () => {
    const arena = new Arena(65_536);
    arena.put('before');
    const chunks = new Chunks();
    chunks.add(arena.takeNew());
    arena.release();
    chunks.clear();
    expect(() => chunks.bytes([65_536, 0, 6])).toThrow('unknown item chunk 65536');
    const after = arena.put('after');
    expect(after).toEqual([65_537, 0, 5]);
    chunks.add(arena.takeNew());
    expect(Buffer.from(chunks.bytes(after)).toString()).toBe('after');
  });
});

describe('a thread writing a file (storeNow)', () => {
  it('writes more parts than one writev(2) takes, making the folders', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'tags', '芯片', 'rss.xml');
    const parts = Array.from({ length: 2500 }, (_, i) => new TextEncoder().encode(`<i>${i}</i>`));
    storeNow({ target, clear: false, parts });
    expect(readFileSync(target, 'utf8')).toBe(parts.map((p) => Buffer.from(p).toString()).join(''));
  });

  it('replaces a hard link instead of writing through it, and a folder where the file goes', async () => {
    const dir = await tempDir();
    const served = path.join(dir, 'served.xml');
    writeFileSync(served, 'served bytes');
    const target = path.join(dir, 'idle', 'feed.xml');
    mkdirSync(path.dirname(target));
    linkSync(served, target);
    storeNow({ target, clear: true, parts: [new TextEncoder().encode('new bytes')] });
    expect(readFileSync(target, 'utf8')).toBe('new bytes');
    expect(readFileSync(served, 'utf8')).toBe('served bytes');

    const folder = path.join(dir, 'idle', 'index.html');
    mkdirSync(path.join(folder, 'old'), { recursive: true });
    storeNow({ target: folder, clear: true, parts: [new TextEncoder().encode('<p>page</p>')] });
    expect(readFileSync(folder, 'utf8')).toBe('<p>page</p>');
    // Without `clear`, a folder there is replaced all the same.
    mkdirSync(path.join(dir, 'idle', 'other.html'));
    storeNow({ target: path.join(dir, 'idle', 'other.html'), clear: false, parts: [new TextEncoder().encode('ok')] });
    expect(readFileSync(path.join(dir, 'idle', 'other.html'), 'utf8')).toBe('ok');
  });
});
