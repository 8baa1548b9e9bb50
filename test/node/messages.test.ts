import { describe, expect, it } from 'vitest';
import { piece } from '../../src/feeds/items.js';
import { packFeeds, packWrites, unpackFeeds, unpackWrites } from '../../src/threads/messages.js';
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

  it('carry feeds: where each goes, its frame, and its items in shared memory or as bytes with their digest', () => {
    const shared = new SharedArrayBuffer(96);
    const view = new Uint8Array(shared);
    const made = piece('<item>一</item>');
    view.set(made.buf, 0);
    view.set(made.digest, made.buf.length);
    const plain = piece('<item>two</item>');
    const frame = { head: '<rss>', first: '', between: '\n', last: '', tail: '</rss>' };
    const batch = packFeeds([
      { rel: 'rss.xml', target: '/out/rss.xml', previous: 'abc', clear: true, format: 'rss', frame, items: [[65536, 0, made.buf.length], plain] },
      { rel: 'feed.json', target: '/out/feed.json', clear: false, format: 'json', frame: { ...frame, head: '{' }, items: [] },
      { rel: 'atom.xml', target: '/out/atom.xml', clear: false, format: 'atom', frame, items: [plain] },
    ]);
    expect(batch.items).toBeInstanceOf(Int32Array);
    expect([...batch.ends]).toEqual([2, 2, 3]);
    expect([batch.plain.length, batch.digests.length]).toEqual([2 * plain.buf.length, 64]);
    const feeds = unpackFeeds(structuredClone(batch), ([chunk, offset, length]) => {
      expect(chunk).toBe(65536);
      return { buf: new Uint8Array(shared, offset, length), digest: new Uint8Array(shared, offset + length, 32) };
    });
    expect(feeds.map((f) => [f.rel, f.target, f.previous, f.clear, f.format, f.frame.head, f.items.map((i) => new TextDecoder().decode(i.buf))])).toEqual([
      ['rss.xml', '/out/rss.xml', 'abc', true, 'rss', '<rss>', ['<item>一</item>', '<item>two</item>']],
      ['feed.json', '/out/feed.json', undefined, false, 'json', '{', []],
      ['atom.xml', '/out/atom.xml', undefined, false, 'atom', '<rss>', ['<item>two</item>']],
    ]);
    expect(feeds[0]!.frame).toEqual(frame);
    expect([...feeds[0]!.items[0]!.digest]).toEqual([...made.digest]);
    expect([...feeds[0]!.items[1]!.digest]).toEqual([...plain.digest]);
    expect([...feeds[2]!.items[0]!.digest]).toEqual([...plain.digest]);
  });
});
