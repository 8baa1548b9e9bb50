import { describe, expect, it } from 'vitest';
import { packWrites, unpackWrites } from '../../src/threads/messages.js';
import type { ItemRef } from '../../src/threads/arena.js';

const text = (parts: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));

describe('write batches for the build threads', () => {
  it('carry plain parts and items in shared memory, each file its own, byte for byte', () => {
    const shared = new SharedArrayBuffer(64);
    new Uint8Array(shared).set(new TextEncoder().encode('<item>一</item><item>two</item>'));
    const item = ([chunk, offset, length]: ItemRef) => {
      expect(chunk).toBe(65536);
      return new Uint8Array(shared, offset, length);
    };
    const enc = (s: string) => new TextEncoder().encode(s);
    const sep = enc('\n');
    const batch = packWrites([
      { target: '/out/a.xml', clear: true, parts: [enc('<rss>'), [65536, 0, 16], sep, [65536, 16, 16], enc('</rss>')] },
      { target: '/out/empty', clear: false, parts: [] },
      { target: '/out/b.json', clear: false, parts: [sep, [65536, 16, 16]] },
    ]);
    // A handful of objects, whatever the number of parts.
    expect(batch.parts).toBeInstanceOf(Int32Array);
    expect([...batch.ends]).toEqual([5, 5, 7]);
    expect(batch.plain.length).toBe(5 + 1 + 6 + 1);
    const files = unpackWrites(structuredClone(batch), item);
    expect(files.map((f) => [f.target, f.clear, text(f.parts)])).toEqual([
      ['/out/a.xml', true, '<rss><item>一</item>\n<item>two</item></rss>'],
      ['/out/empty', false, ''],
      ['/out/b.json', false, '\n<item>two</item>'],
    ]);
  });
});
