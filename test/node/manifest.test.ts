import { describe, expect, it } from 'vitest';
import type { FeedSpec, Manifest } from '../../src/core/types.js';
import { manifestJson } from '../../src/site/manifest.js';
import { testConfig } from './helpers.js';

// manifest.json is written as text, line by line (site/manifest.ts), not through
// JSON.stringify of a Manifest: the text must be exactly what that would give.

const spec = (kind: FeedSpec['kind'], slug: string, dir: string, title: string, updated: number): FeedSpec => ({
  kind,
  slug,
  title,
  description: '',
  dir,
  pageUrl: `https://example.org/${dir}`,
  content: 'full',
  articles: [],
  updated,
});

describe('the manifest', () => {
  it('is the text JSON.stringify gives of the Manifest (fields in the order of its type), strings escaped as it escapes them', () => {
    const config = testConfig({ title: 'Feeds "quoted" \\ 档案', description: 'A\nB' });
    const specs = [spec('main', '', '', 'Feeds', Date.UTC(2024, 2, 30, 18, 31)), spec('tag', '芯片 "x"', 'tags/芯片 "x"', 'Feeds · 芯片 "x"\u2028', Date.UTC(2021, 0, 2, 3, 4, 5))];
    const written = new Map<string, { hash: string; bytes: number }>();
    let n = 0;
    for (const s of specs) for (const file of ['rss.xml', 'atom.xml', 'feed.json']) written.set(s.dir ? `${s.dir}/${file}` : file, { hash: `h${++n}`, bytes: 1000 * n });
    const tags = [{ name: '芯片 "x"', slug: '芯片 "x"', aliases: ['晶片'], count: 3 }];
    const topics = [{ slug: 'ai', title: 'AI', count: 2 }];
    const text = manifestJson(config, 7, specs, written, tags, topics, (s) => (s.kind === 'main' ? 5 : 3));
    const expected: Manifest = {
      version: 1,
      site: { title: config.title, url: config.siteUrl, language: config.language, description: config.description },
      articles: 7,
      feeds: [
        { path: 'rss.xml', format: 'rss', kind: 'main', slug: '', title: 'Feeds', items: 5, updated: '2024-03-30T18:31:00Z', hash: 'h1', bytes: 1000 },
        { path: 'atom.xml', format: 'atom', kind: 'main', slug: '', title: 'Feeds', items: 5, updated: '2024-03-30T18:31:00Z', hash: 'h2', bytes: 2000 },
        { path: 'feed.json', format: 'json', kind: 'main', slug: '', title: 'Feeds', items: 5, updated: '2024-03-30T18:31:00Z', hash: 'h3', bytes: 3000 },
        { path: 'tags/芯片 "x"/rss.xml', format: 'rss', kind: 'tag', slug: '芯片 "x"', title: 'Feeds · 芯片 "x"\u2028', items: 3, updated: '2021-01-02T03:04:05Z', hash: 'h4', bytes: 4000 },
        { path: 'tags/芯片 "x"/atom.xml', format: 'atom', kind: 'tag', slug: '芯片 "x"', title: 'Feeds · 芯片 "x"\u2028', items: 3, updated: '2021-01-02T03:04:05Z', hash: 'h5', bytes: 5000 },
        { path: 'tags/芯片 "x"/feed.json', format: 'json', kind: 'tag', slug: '芯片 "x"', title: 'Feeds · 芯片 "x"\u2028', items: 3, updated: '2021-01-02T03:04:05Z', hash: 'h6', bytes: 6000 },
      ],
      tags,
      topics,
    };
    expect(text).toBe(JSON.stringify(expected));
  });
});
