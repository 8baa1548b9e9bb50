import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetMetaCache } from '../../src/worker/meta';
import { similar, similarInJson, tagList } from '../../src/worker/suggest';
import { BROWSER_ACCEPT } from './helpers';
import { MemoryDist } from './memory-dist';

// Each test is a fresh isolate as far as the worker's caches go.
beforeEach(() => resetMetaCache());
afterEach(() => resetMetaCache());

describe('aliases the fixture cannot show', () => {
  const dist = () => new MemoryDist({ tags: [{ name: 'café', slug: 'café', aliases: ['Café', 'CAFÉ'] }] });

  it('an NFD spelling is an alias of its NFC slug: 301', async () => {
    const res = await dist().fetch('/tags/cafe%CC%81/atom.xml');
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe('/tags/caf%C3%A9/atom.xml');
  });

  it('the NFC spelling is served, raw or encoded', async () => {
    const d = dist();
    expect((await d.fetch('/tags/caf%C3%A9/atom.xml')).status).toBe(200);
    expect((await d.fetch('/tags/café/atom.xml')).status).toBe(200);
  });

  it('case folds beyond ASCII', async () => {
    const res = await dist().fetch('/tags/CAF%C3%89/rss.xml');
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe('/tags/caf%C3%A9/rss.xml');
  });

  it('two tags that fold alike each keep their own folder, whichever the lookup names', async () => {
    // `AI chips` (slug ai-chips) and `ＡＩ-chips` (slug ａｉ-chips) both fold to ai-chips: the lookup
    // names one of them (here the later in the list), and the other's feeds are still its own.
    const a = { name: 'AI chips', slug: 'ai-chips' };
    const b = { name: 'ＡＩ-chips', slug: 'ａｉ-chips' };
    for (const tags of [[a, b], [b, a]]) {
      resetMetaCache();
      const d = new MemoryDist({ tags });
      const own: [string, string][] = [
        ['/tags/ai-chips/rss.xml', 'AI chips'],
        ['/tags/%EF%BD%81%EF%BD%89-chips/rss.xml', 'ＡＩ-chips'],
      ];
      for (const [path, title] of own) {
        const res = await d.fetch(path);
        expect(res.status, `${tags[1]!.slug}: ${path}`).toBe(200);
        expect(await res.text()).toBe(`<rss><channel><title>${title}</title></channel></rss>`);
      }
      // A spelling that is no folder goes where the lookup says.
      const alias = await d.fetch('/tags/AI-CHIPS/atom.xml');
      expect(alias.status).toBe(301);
      expect(alias.headers.get('Location')).toBe(`/tags/${encodeURIComponent(tags[1]!.slug)}/atom.xml`);
    }
  });

  it('a tag known by spelling but without feeds (below minTagArticles) is unknown', async () => {
    const d = new MemoryDist({ tags: [{ name: 'rare', slug: 'rare', feeds: false }, { name: 'rarely', slug: 'rarely' }] });
    const res = await d.fetch('/tags/rare/rss.xml');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found: there is no tag "rare".\nSimilarly spelt tags:\n  rarely  /tags/rarely/rss.xml\n');
  });
});

describe('a build without pages', () => {
  const dist = () => new MemoryDist({ tags: [{ name: 'AI', slug: 'ai', aliases: ['ＡＩ'] }], topics: [['chips', 'Chips']] });

  for (const [from, to] of [
    ['/tags/ai/', '/tags/ai/rss.xml'],
    ['/tags/ai', '/tags/ai/rss.xml'],
    ['/tags/%EF%BC%A1%EF%BC%A9', '/tags/ai/rss.xml'],
    ['/tags/AI/?x=1', '/tags/ai/rss.xml?x=1'],
    ['/topics/chips/', '/topics/chips/rss.xml'],
    ['/topics/Chips', '/topics/chips/rss.xml'],
  ]) {
    it(`${from} → 301 ${to}`, async () => {
      const res = await dist().fetch(from!);
      expect(res.status).toBe(301);
      expect(res.headers.get('Location')).toBe(to);
    });
  }

  it('browsers get the feed (no page to offer), without Vary', async () => {
    const res = await dist().fetch('/tags/ai/rss.xml', { headers: { Accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers.get('Vary')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=120');
  });

  it('/ without a home page is 404', async () => {
    expect((await dist().fetch('/')).status).toBe(404);
  });
});

describe('what the worker reads', () => {
  it('site.json once per isolate, each bucket once, never manifest.json', async () => {
    const d = new MemoryDist({ tags: [{ name: 'AI', slug: 'ai', aliases: ['Ai'] }], pages: true });
    for (let i = 0; i < 5; i++) {
      for (const url of ['/rss.xml', '/tags/ai/rss.xml', '/tags/Ai/rss.xml', '/tags/ai/', '/']) {
        const res = await d.fetch(url);
        await res.body?.cancel();
      }
    }
    const meta = d.reads.filter((p) => p.startsWith('/_meta/'));
    expect(meta.filter((p) => p === '/_meta/site.json')).toHaveLength(1);
    expect(new Set(meta).size).toBe(meta.length);
    expect(d.reads).not.toContain('/manifest.json');
    expect(d.reads).not.toContain('/_meta/tagnames.json');
  });

  it('concurrent first requests share one read of site.json', async () => {
    const d = new MemoryDist({ tags: [{ name: 'AI', slug: 'ai' }] });
    const responses = await Promise.all(Array.from({ length: 20 }, () => d.fetch('/tags/ai/feed.json')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(d.reads.filter((p) => p === '/_meta/site.json')).toHaveLength(1);
  });

  it('before the first build: 503, not cached, and served once the build appears', async () => {
    const unbuilt = new MemoryDist({ unbuilt: true });
    const res = await unbuilt.fetch('/rss.xml');
    expect(res.status).toBe(503);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.text()).toBe('Service unavailable: the feeds have not been built yet.\n');
    const built = new MemoryDist();
    for (const [path, body] of built.files) unbuilt.files.set(path, body);
    expect((await unbuilt.fetch('/rss.xml')).status).toBe(200);
  });

  it('a file listed in _meta but missing from the build is 404, not 500', async () => {
    const d = new MemoryDist();
    d.files.delete('/atom.xml');
    const res = await d.fetch('/atom.xml');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found.\n');
  });
});

describe('suggestions stay cheap on a large archive', () => {
  // A third of the names share a prefix with the queries: many bigram hits.
  const tags = Array.from({ length: 10_000 }, (_, i) => {
    const name = i % 3 === 0 ? `标签${i}号` : i % 3 === 1 ? `topic-${i}-news` : `Tag ${i} Ｘ`;
    return { name, slug: i % 3 === 2 ? `tag-${i}-x` : name };
  });
  const json = JSON.stringify(tags.map((t) => [t.name, t.slug, 1]));

  it('ranks by shared bigrams, containment first, more used first among equals', () => {
    const list = tagList(json);
    expect(similarInJson('标签99', list).map((t) => t.name)).toEqual(['标签99号', '标签990号', '标签993号', '标签996号', '标签999号']);
    expect(similarInJson('TAG-77', list).map((t) => t.slug)).toEqual(['tag-77-x', 'tag-770-x', 'tag-773-x', 'tag-776-x', 'tag-779-x']);
    expect(similarInJson('nothing like it', list)).toEqual([]);
    // The raw-text search agrees with scoring every tag.
    for (const q of ['标签99', 'topic-123-new', 'tag 5']) {
      expect(similarInJson(q, list)).toEqual(similar(q, tags).map(({ name, slug }) => ({ name, slug })));
    }
  });

  it('names with quotes, brackets and commas survive the raw-text search', () => {
    const odd = [
      ['C++ [draft]', 'c++-draft-1a2b3c4d', 3],
      ['say "hi", all', 'say-hi-all-5e6f7a8b', 2],
    ];
    const list = tagList(JSON.stringify(odd));
    expect(similarInJson('c++ [draf', list)).toEqual([{ name: 'C++ [draft]', slug: 'c++-draft-1a2b3c4d' }]);
    expect(similarInJson('say "hi"', list)).toEqual([{ name: 'say "hi", all', slug: 'say-hi-all-5e6f7a8b' }]);
  });

  // What these cost in time is the benchmark's business (a timed test flakes on a
  // shared machine); what is asserted here is the work: the whole list is prepared
  // once, and a 404 reads tagnames.json once and nothing else it would not read anyway.
  it('10,000 tags: one prepared list answers every lookup', () => {
    const list = tagList(json);
    expect(similarInJson('标签99', list).map((t) => t.name)).toEqual(['标签99号', '标签990号', '标签993号', '标签996号', '标签999号']);
    expect(similarInJson('zzzzzz', list)).toEqual([]);
    expect(similarInJson('x'.repeat(64), list)).toEqual([]);
  });

  it('a 404 on a 10,000-tag build reads tagnames.json once, and a second 404 reads nothing more', async () => {
    const d = new MemoryDist({ tags: tags.map((t) => ({ ...t })), buckets: 40 });
    // A served feed first: site.json and buckets, as any request reads; no tag list.
    const warm = await d.fetch(`/tags/${encodeURIComponent('标签9号')}/rss.xml`);
    expect(warm.status).toBe(200);
    await warm.body?.cancel();
    expect(d.reads).not.toContain('/_meta/tagnames.json');
    const before = d.reads.length;
    const res = await d.fetch(`/tags/${encodeURIComponent('标签99')}/rss.xml`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe(
      [
        'Not found: there is no tag "标签99".',
        'Similarly spelt tags:',
        ...['标签99号', '标签990号', '标签993号', '标签996号', '标签999号'].map((n) => `  ${n}  /tags/${encodeURIComponent(n)}/rss.xml`),
        '',
      ].join('\n'),
    );
    const first = d.reads.slice(before);
    expect(first.filter((p) => p === '/_meta/tagnames.json')).toHaveLength(1);
    const again = await d.fetch(`/tags/${encodeURIComponent('标签98')}/rss.xml`);
    expect(again.status).toBe(404);
    await again.text();
    expect(d.reads.slice(before + first.length).filter((p) => p === '/_meta/tagnames.json')).toEqual([]);
  });
});
