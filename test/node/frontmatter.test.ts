import { afterEach, describe, expect, it } from 'vitest';
import { readFrontMatter, toInstant } from '../../src/archive/frontmatter.js';

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

describe('front matter', () => {
  it('reads every field, tags as a list or a comma string', () => {
    const result = readFrontMatter(
      '---\ntitle: T\ndate: 2024-03-03T18:29:00Z\nupdated: 2024-03-04\ntags: 芯片, 美国\nauthors: [A, B]\nsummary: S\nsource: https://e.org/x\nid: 42\ndraft: true\nlang: en\n---\nBody\n',
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.data).toEqual({
      title: 'T',
      date: Date.UTC(2024, 2, 3, 18, 29),
      updated: Date.UTC(2024, 2, 4),
      tags: ['芯片', '美国'],
      authors: ['A', 'B'],
      summary: 'S',
      source: 'https://e.org/x',
      id: '42',
      draft: true,
      lang: 'en',
    });
    expect(result.content).toBe('Body\n');
  });

  it.each(['Asia/Shanghai', 'America/Los_Angeles'])('reads a date without an offset as UTC under TZ=%s', (tz) => {
    process.env.TZ = tz;
    expect(toInstant('2024-03-09 08:00')).toBe(Date.UTC(2024, 2, 9, 8, 0));
    expect(toInstant('2024-03-09T08:00:00+08:00')).toBe(Date.UTC(2024, 2, 9, 0, 0));
  });

  it('reads the archive stamp form however it is spaced, as UTC', () => {
    for (const text of ['3/9/2024 8:05 PM', '3/9/2024 8:05PM', '3/9/2024  8:05 pm UTC', '3/9/2024\t8:05  PM\tutc']) {
      expect(toInstant(text), text).toBe(Date.UTC(2024, 2, 9, 20, 5));
    }
    expect(toInstant('2/30/2024 8:05 PM')).toBeUndefined();
  });

  it('refuses dates that do not exist or are out of range', () => {
    expect(toInstant('2024-02-31')).toBeUndefined();
    expect(toInstant('0000-01-01')).toBeUndefined();
    expect(toInstant('9999-01-01')).toBeUndefined();
    expect(toInstant('yesterday')).toBeUndefined();
  });

  it('reports malformed YAML with its line', () => {
    const result = readFrontMatter('---\ntitle: ok\ntags: [unclosed\n---\nBody\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^malformed front matter at line \d+: /);
    expect(result.content).toBe('Body\n');
  });
});
