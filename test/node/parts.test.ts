import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assembleFeed, type FeedFrame } from '../../src/feeds/frame.js';
import { piece } from '../../src/feeds/items.js';
import { checkSkeleton, feedParts, itemOffsets } from '../../src/feeds/parts.js';
import { SelfCheckError } from '../../src/feeds/selfcheck.js';

// A feed as parts (feeds/parts.ts): what the main thread and the worker threads both
// write, so each must be the bytes assembleFeed() joins, with a hash of them.

const frame: FeedFrame = { head: '<feed><title>芯片 · 标签</title>\n', first: '\n', between: ',\n', last: '\n;', tail: '</feed>\n' };
const items = ['<entry>一</entry>', '<entry>two</entry>', '<entry>三三</entry>'];

describe('a feed as parts', () => {
  it('is the bytes assembleFeed() joins, hashed from its parts’ sha256s', () => {
    const separators: string[] = [];
    const { parts, hash } = feedParts(frame, items.map(piece), (text) => (separators.push(text), piece(text)));
    expect(Buffer.concat(parts).toString('utf8')).toBe(assembleFeed(frame, items));
    expect(parts).toHaveLength(1 + 2 * items.length + 1 + 1);
    expect(separators).toEqual(['\n', ',\n', ',\n', '\n;']);
    const digests = Buffer.concat(parts.map((p) => createHash('sha256').update(p).digest()));
    expect(hash).toBe(createHash('sha256').update(digests).digest('hex').slice(0, 32));
    // No items: head and tail only, no separator.
    const empty = feedParts(frame, [], () => {
      throw new Error('no separator without items');
    });
    expect(Buffer.concat(empty.parts).toString('utf8')).toBe('<feed><title>芯片 · 标签</title>\n</feed>\n');
  });

  it('tells where each item starts, in bytes', () => {
    const whole = Buffer.from(assembleFeed(frame, items), 'utf8');
    const offsets = itemOffsets(frame, items.map((i) => Buffer.byteLength(i)));
    // The head: 24 ASCII bytes, four three-byte characters and a two-byte one (38 bytes), then the
    // first separator; each item 18 bytes, then two of separator.
    expect(offsets).toEqual([39, 39 + 18 + 2, 39 + 18 + 2 + 18 + 2]);
    offsets.forEach((at, k) => expect(whole.subarray(at, at + Buffer.byteLength(items[k]!)).toString('utf8')).toBe(items[k]));
  });

  it('checks the skeleton as the format’s parser would, naming the feed', () => {
    expect(() => checkSkeleton('atom', frame, 'tags/x/atom.xml')).not.toThrow();
    expect(() => checkSkeleton('rss', { ...frame, tail: '</rss>\n' }, 'tags/x/rss.xml')).toThrow(SelfCheckError);
    expect(() => checkSkeleton('rss', { ...frame, tail: '</rss>\n' }, 'tags/x/rss.xml')).toThrow(/^Self-check failed: the RSS skeleton of tags\/x\/rss\.xml is not well-formed XML/);
    expect(() => checkSkeleton('json', { head: '{"items":[', first: '', between: ',', last: '', tail: ']' }, 'feed.json')).toThrow(/^Self-check failed: the JSON skeleton of feed\.json is not valid JSON/);
    expect(() => checkSkeleton('json', { head: '{"items":[', first: '', between: ',', last: '', tail: ']}' }, 'feed.json')).not.toThrow();
  });
});
