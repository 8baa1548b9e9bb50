import { describe, expect, it } from 'vitest';
import { bucketName, bucketOf, fnv1a } from '../../src/core/bucket.js';

describe('the lookup buckets', () => {
  it('hash with 32-bit FNV-1a, and continue a prefix\'s hash', () => {
    // The published FNV-1a test vectors: offset basis for "", 0xe40c292c for "a".
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    // The generator buckets `/` + a file's path without building the string.
    expect(fnv1a('tags/芯片/rss.xml', fnv1a('/'))).toBe(fnv1a('/tags/芯片/rss.xml'));
    expect(fnv1a('tags/芯片/rss.xml', fnv1a('/')) % 313).toBe(bucketOf('/tags/芯片/rss.xml', 313));
    expect(bucketName(10)).toBe('00a');
  });
});
