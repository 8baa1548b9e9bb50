import { describe, expect, it } from 'vitest';
import { cleanTag } from '../../src/archive/tagtext.js';
import { foldTag, hashedSlug, indexTags, newConversions, plainSlug, retally, seedConversions } from '../../src/articles/tags.js';
import type { RawArticle } from '../../src/core/types.js';

const raw = (file: string, tags: string[]): RawArticle => ({ file, title: file, authors: [], tags, draft: false, body: '' });

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('tag merging', () => {
  it('counts again only the articles that changed, to the very index that counting them all gives', () => {
    // Spellings that fold together (script, width, case), that collide as slugs, and plain ones.
    const pool = ['中国', '中國', '美国', '美國', 'AI', 'ai', 'ＡＩ', 'Elon Musk', 'elon-musk', '芯片', '晶片', 'x', 'y', 'z z', 'Z-Z'];
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const tags = () => Array.from({ length: Math.floor(next() * 5) }, () => pool[Math.floor(next() * pool.length)]!);
      const before = Array.from({ length: 2 + Math.floor(next() * 12) }, () => tags());
      const after: string[][] = [];
      const gone: string[][] = [];
      const came: string[][] = [];
      for (const list of before) {
        const roll = next();
        if (roll < 0.2) gone.push(list);
        else if (roll < 0.45) {
          const changed = tags();
          gone.push(list);
          came.push(changed);
          after.push(changed);
        } else after.push(list);
      }
      for (let k = Math.floor(next() * 4); k > 0; k--) {
        const added = tags();
        came.push(added);
        after.push(added);
      }
      const counted = indexTags(after.map((t) => ({ tags: t })));
      const again = retally(indexTags(before.map((t) => ({ tags: t }))).tally(), gone, came);
      expect(again.groups, `seed ${seed}`).toEqual(counted.groups);
      expect(again.lookup(), `seed ${seed}`).toEqual(counted.lookup());
      expect([again.lookupDigest, again.lookupBound], `seed ${seed}`).toEqual([counted.lookupDigest, counted.lookupBound]);
      expect(counted.lookup().size, `seed ${seed}`).toBeLessThanOrEqual(counted.lookupBound);
      // Every spelling's uses and every slug before collisions, as the next build takes them back.
      expect(again.tally(), `seed ${seed}`).toEqual(counted.tally());
      // And a tally made by retally() serves the next one as well as one counted whole.
      const twice = retally(again.tally(), [after[0] ?? []], [after[0] ?? []]);
      expect(twice.groups, `seed ${seed}`).toEqual(counted.groups);
      expect(twice.tally(), `seed ${seed}`).toEqual(counted.tally());
      expect([...again.byKey.keys()].sort(), `seed ${seed}`).toEqual([...counted.byKey.keys()].sort());
    }
  });

  it('gives the cache only the conversions it lacks, and uses those it seeds', () => {
    newConversions();
    // Seeded (as from an earlier build's cache): used as they are, not made again nor handed
    // back; looked up when first needed, once.
    const asked: string[] = [];
    const seeds = new Map([['f:種子標籤', 'seeded']]);
    seedConversions((key) => {
      asked.push(key);
      return seeds.get(key);
    });
    expect([foldTag('種子標籤'), foldTag('種子標籤')]).toEqual(['seeded', 'seeded']);
    expect(asked).toEqual(['f:種子標籤']);
    expect(newConversions()).toEqual(new Map());
    expect(foldTag('臺灣ＡＩ')).toBe('台湾ai');
    expect(newConversions()).toEqual(new Map([['f:臺灣ＡＩ', '台湾ai']]));
    // Remembered, so not made (nor handed back) again.
    expect(foldTag('臺灣ＡＩ')).toBe('台湾ai');
    expect(newConversions()).toEqual(new Map());
    expect(asked).toEqual(['f:種子標籤', 'f:臺灣ＡＩ']);
    seedConversions(undefined);
  });

  it('folds script, width and case', () => {
    expect(foldTag('中國')).toBe(foldTag('中国'));
    expect(foldTag('ＡＩ')).toBe('ai');
    expect(foldTag('Ai')).toBe('ai');
    expect(foldTag('晶片')).not.toBe(foldTag('芯片'));
  });

  it('makes one tag of the variants, named by the most frequent spelling', () => {
    const index = indexTags([
      raw('a.md', ['中国', 'AI']),
      raw('b.md', ['中國', 'ＡＩ']),
      raw('c.md', ['中国', 'Ai']),
      raw('d.md', ['AI']),
    ]);
    expect(index.groups.map(({ name, slug, aliases, count }) => ({ name, slug, aliases, count }))).toEqual([
      { name: 'AI', slug: 'ai', aliases: ['Ai', 'ＡＩ'], count: 4 },
      { name: '中国', slug: '中国', aliases: ['中國'], count: 3 },
    ]);
    expect(index.lookup().get('中國'.toLowerCase())).toBe('中国');
    expect(index.lookup().get('ai')).toBe('ai');
    expect(index.lookup().get('ａｉ'.normalize('NFKC'))).toBe('ai');
    // Bounded without being made: name, aliases, slug and two conversions of each spelling.
    expect(index.lookupBound).toBe(4 + 3 * 2 + 4 + 3 * 1);
    expect(index.lookup().size).toBeLessThanOrEqual(index.lookupBound);
    // Its digest follows what it is made from (spellings, slugs), not the counts.
    const counted = (tags: string[][]) => indexTags(tags.map((t, n) => raw(`${n}.md`, t))).lookupDigest;
    const base = [['中国', 'AI'], ['中國', 'ＡＩ'], ['中国', 'Ai'], ['AI']];
    expect(counted([...base, ['AI']])).toBe(index.lookupDigest);
    expect(counted([...base, ['ai']])).not.toBe(index.lookupDigest);
    expect(counted([...base, ['x']])).not.toBe(index.lookupDigest);
  });

  it('counts an article once per tag, whatever spellings it uses', () => {
    const index = indexTags([raw('a.md', ['美国', '美國'])]);
    expect(index.groups).toHaveLength(1);
    expect(index.groups[0]!.count).toBe(1);
    // Each spelling still counts its own uses: the name is the most used one.
    const named = indexTags([raw('a.md', ['美國', '美国']), raw('b.md', ['美国']), raw('c.md', ['美國', 'x']), raw('d.md', ['美國'])]);
    expect(named.groups.map(({ name, aliases, count }) => ({ name, aliases, count }))).toEqual([
      { name: '美國', aliases: ['美国'], count: 4 },
      { name: 'x', aliases: [], count: 1 },
    ]);
  });

  it("gives each article its groups, once each, in the order of its tags", () => {
    const index = indexTags([raw('a.md', ['中国', 'AI']), raw('b.md', ['x', '中國', 'ＡＩ', 'AI', '中国']), raw('c.md', [])]);
    expect([0, 1, 2].map((a) => index.ofArticle.of(a).map((g) => g.name))).toEqual([['中国', 'AI'], ['x', '中国', 'AI'], []]);
    for (const [a, tags] of [['中国', 'AI'], ['x', '中國', 'ＡＩ']].entries()) {
      tags.forEach((spelling, k) => expect(index.ofArticle.of(a)[k]).toBe(index.byKey.get(foldTag(spelling))));
    }
    // By rank, article after article: 'AI' and '中国' are carried twice, 'x' once.
    const rank = (tag: string) => index.byKey.get(foldTag(tag))!.rank;
    expect([...index.ofArticle.ranks]).toEqual([rank('中国'), rank('AI'), rank('x'), rank('中国'), rank('AI')]);
    expect([...index.ofArticle.ends]).toEqual([2, 5, 5]);
    expect([index.ofArticle.count(1), index.ofArticle.count(2), index.ofArticle.total]).toEqual([3, 0, 5]);
    expect([index.ofArticle.has(1, index.byKey.get(foldTag('x'))!), index.ofArticle.has(0, index.byKey.get(foldTag('x'))!)]).toEqual([true, false]);
    // Counted once per article, however many of its spellings it carries.
    expect(index.byKey.get(foldTag('AI'))!.count).toBe(2);
  });
});

describe('tag slugs', () => {
  it('keeps safe names, lower-cased, spaces as dashes', () => {
    expect(plainSlug('芯片')).toBe('芯片');
    expect(plainSlug('AI')).toBe('ai');
    expect(plainSlug('Elon Musk')).toBe('elon-musk');
  });

  it.each(['../../etc', 'a/b', 'a\\b', '.hidden', '<script>', 'x'.repeat(101), '3.15'])('hashes the unsafe name %s', (name) => {
    expect(plainSlug(name)).toBeUndefined();
    const slug = hashedSlug(name);
    expect(slug).toMatch(/^[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*-[0-9a-f]{8}$|^tag-[0-9a-f]{8}$/u);
    expect(slug).not.toContain('/');
    expect(slug).not.toContain('.');
  });

  it('gives exact readable slugs with a hash', () => {
    expect(hashedSlug('../../etc')).toBe('etc-74ccf3c5');
    expect(hashedSlug('<script>')).toBe('script-5b63e5b2');
  });

  it('gives both tags a hash when their slugs would collide', () => {
    const index = indexTags([raw('a.md', ['Elon Musk', 'elon-musk'])]);
    const slugs = index.groups.map((g) => g.slug).sort();
    expect(slugs).toHaveLength(2);
    expect(slugs.every((s) => /^elon-musk-[0-9a-f]{8}$/.test(s))).toBe(true);
    expect(slugs[0]).not.toBe(slugs[1]);
  });
});

describe('tag text', () => {
  it('normalizes NFD to NFC and trims', () => {
    expect(cleanTag('  Cafe\u0301  ')).toEqual({ tag: 'Café' });
  });
  it.each([
    ['   ', 'is empty or only white space'],
    ['!!!', 'has no letter or digit'],
    ['x'.repeat(101), 'is longer than 100 characters'],
  ])('drops %j because it %s', (tag, reason) => {
    expect(cleanTag(tag)).toEqual({ dropped: reason });
  });
});
