import { describe, expect, it } from 'vitest';
import type { Article, FeedSpec } from '../../src/core/types.js';
import { renderAtom } from '../../src/feeds/atom.js';
import { renderJson } from '../../src/feeds/jsonfeed.js';
import { renderOpml } from '../../src/feeds/opml.js';
import { renderRss } from '../../src/feeds/rss.js';
import { xmlError } from './helpers.js';

const site = { title: 'Site <&>', siteUrl: 'https://feeds.example.org', language: 'zh-CN' };
const article = (over: Partial<Article> = {}): Article => ({
  id: 'a1',
  file: 'a1.md',
  title: 'Title with <b> & "quotes"',
  date: Date.UTC(2024, 2, 3, 18, 29),
  dateSource: 'stamp',
  updated: Date.UTC(2024, 2, 3, 18, 29),
  authors: ['作者'],
  tags: ['芯片', 'AI'],
  source: 'https://gnews.org/articles/2361431',
  url: 'https://feeds.example.org/articles/a1/',
  guid: 'https://feeds.example.org/articles/a1/',
  html: '<p>Body ]]> <![CDATA[ x</p>',
  summary: 'Body ]]> x',
  lang: 'zh-CN',
  ...over,
});
const spec = (articles: Article[], over: Partial<FeedSpec> = {}): FeedSpec => ({
  kind: 'tag',
  slug: '芯片',
  title: 'Site · 芯片',
  description: 'Chips',
  dir: 'tags/芯片',
  pageUrl: 'https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/',
  content: 'full',
  articles,
  updated: articles[0]?.date ?? 0,
  ...over,
});

describe('RSS 2.0', () => {
  const xml = renderRss(spec([article()]), site);
  it('is well-formed and carries every element readers need, in order', () => {
    expect(xmlError(xml)).toBeUndefined();
    expect(xml).toBe(`<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Site · 芯片</title>
<link>https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/</link>
<description>Chips</description>
<language>zh-CN</language>
<lastBuildDate>Sun, 03 Mar 2024 18:29:00 GMT</lastBuildDate>
<generator>feedwright</generator>
<atom:link href="https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/rss.xml" rel="self" type="application/rss+xml"/>
<item>
<title>Title with ‹b› &amp; "quotes"</title>
<link>https://feeds.example.org/articles/a1/</link>
<guid isPermaLink="true">https://feeds.example.org/articles/a1/</guid>
<pubDate>Sun, 03 Mar 2024 18:29:00 GMT</pubDate>
<dc:creator>作者</dc:creator>
<category>芯片</category>
<category>AI</category>
<description>Body ]]&amp;gt; x</description>
<content:encoded>&lt;p&gt;Body ]]&gt; &lt;![CDATA[ x&lt;/p&gt;</content:encoded>
</item>
</channel>
</rss>
`);
  });

  it('marks a guid that is not the link as not a permalink', () => {
    const out = renderRss(spec([article({ url: 'https://gnews.org/articles/2361431' })]), site);
    expect(out).toContain('<guid isPermaLink="false">https://feeds.example.org/articles/a1/</guid>');
  });

  it('drops characters XML 1.0 forbids or discourages, and U+FFFD', () => {
    const out = renderRss(spec([article({ title: 'a\u0001b\uFFFEc\uD800d\u0085e\uFFFDf' })]), site);
    expect(out).toContain('<title>abcdef</title>');
    expect(xmlError(out)).toBeUndefined();
  });

  it('keeps emoji, drops lone surrogates, in long HTML too, one article after another', () => {
    const pad = '<p>芯片</p>'.repeat(100);
    const first = `${pad}<p>😀 a\uDC00b\uD83Dc &amp; \u0001d</p>`;
    // Same length, different text: the second answer must not be the first one's.
    const second = `${pad}<p>😀 x\uDC00y\uD83Dz &amp; \u0001w</p>`;
    const body = (html: string) => renderAtom(spec([article({ html })]), site).match(/<content type="html">([^<]*)<\/content>/)![1];
    expect(body(first)).toBe(`${'&lt;p&gt;芯片&lt;/p&gt;'.repeat(100)}&lt;p&gt;😀 abc &amp;amp; d&lt;/p&gt;`);
    expect(body(second)).toBe(`${'&lt;p&gt;芯片&lt;/p&gt;'.repeat(100)}&lt;p&gt;😀 xyz &amp;amp; w&lt;/p&gt;`);
    expect(body(first)).toBe(`${'&lt;p&gt;芯片&lt;/p&gt;'.repeat(100)}&lt;p&gt;😀 abc &amp;amp; d&lt;/p&gt;`);
    expect(renderRss(spec([article({ html: second })]), site)).toContain('&lt;p&gt;😀 xyz &amp;amp; w&lt;/p&gt;</content:encoded>');
    expect(JSON.parse(renderJson(spec([article({ html: first })]), site)).items[0].content_html).toBe(`${pad}<p>😀 abc &amp; d</p>`);
  });

  it('shows a plain-text summary as text even though description is HTML', () => {
    const out = renderRss(spec([article({ summary: '<script>alert(1)</script> & more' })]), site);
    expect(out).toContain('<description>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; more</description>');
  });

  it('puts only the summary in tag feeds set to summaries', () => {
    const out = renderRss(spec([article()], { content: 'summary' }), site);
    expect(out).not.toContain('content:encoded>');
  });
});

describe('Atom 1.0', () => {
  it('has an author, both dates, the permalink and the source as via', () => {
    const xml = renderAtom(spec([article()]), site);
    expect(xmlError(xml)).toBeUndefined();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">');
    expect(xml).toContain('<author><name>Site &lt;&amp;&gt;</name></author>');
    expect(xml).toContain(`<entry>
<title type="html">Title with &amp;lt;b&amp;gt; &amp;amp; &amp;quot;quotes&amp;quot;</title>
<id>https://feeds.example.org/articles/a1/</id>
<link rel="alternate" type="text/html" href="https://feeds.example.org/articles/a1/"/>
<link rel="via" href="https://gnews.org/articles/2361431"/>
<published>2024-03-03T18:29:00Z</published>
<updated>2024-03-03T18:29:00Z</updated>
<author><name>作者</name></author>
<category term="芯片"/>
<category term="AI"/>
<summary type="text">Body ]]&gt; x</summary>
<content type="html">&lt;p&gt;Body ]]&gt; &lt;![CDATA[ x&lt;/p&gt;</content>
</entry>`);
  });

  it('never repeats an updated instant within a feed', () => {
    const same = Date.UTC(2024, 0, 1);
    const xml = renderAtom(spec([article({ id: 'a', guid: 'https://e.org/a', updated: same, date: same }), article({ id: 'b', guid: 'https://e.org/b', updated: same, date: same })]), site);
    expect(xml.match(/<updated>[^<]+<\/updated>/g)).toEqual([
      '<updated>2024-01-01T00:00:00Z</updated>',
      '<updated>2024-01-01T00:00:00Z</updated>',
      '<updated>2023-12-31T23:59:59Z</updated>',
    ]);
  });
});

describe('JSON Feed 1.1', () => {
  it('uses the 1.1 version, authors, language, string ids and external_url', () => {
    const feed = JSON.parse(renderJson(spec([article()]), site));
    expect(feed).toEqual({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Site · 芯片',
      home_page_url: 'https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/',
      feed_url: 'https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/feed.json',
      description: 'Chips',
      language: 'zh-CN',
      authors: [{ name: 'Site <&>' }],
      items: [
        {
          id: 'https://feeds.example.org/articles/a1/',
          url: 'https://feeds.example.org/articles/a1/',
          external_url: 'https://gnews.org/articles/2361431',
          title: 'Title with <b> & "quotes"',
          content_html: '<p>Body ]]> <![CDATA[ x</p>',
          summary: 'Body ]]> x',
          date_published: '2024-03-03T18:29:00Z',
          authors: [{ name: '作者' }],
          tags: ['芯片', 'AI'],
          language: 'zh-CN',
        },
      ],
    });
  });

  it('is valid with no items', () => {
    const feed = JSON.parse(renderJson(spec([], { updated: Date.UTC(2024, 0, 1) }), site));
    expect(feed.items).toEqual([]);
  });
});

describe('OPML', () => {
  it('lists every feed once, grouped', () => {
    const main = spec([article()], { kind: 'main', slug: '', dir: '', title: 'Main', pageUrl: 'https://feeds.example.org/' });
    const opml = renderOpml([main, spec([article()])], site);
    expect(xmlError(opml)).toBeUndefined();
    expect(opml).toContain('<outline text="Main" title="Main">\n<outline type="rss" version="RSS2" text="Main" title="Main" xmlUrl="https://feeds.example.org/rss.xml" htmlUrl="https://feeds.example.org/"/>\n</outline>');
    expect(opml).toContain('<outline text="Tags" title="Tags">\n<outline type="rss" version="RSS2" text="Site · 芯片" title="Site · 芯片" xmlUrl="https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/rss.xml"');
    // Tags by name, whatever their order in the build's list (by use).
    const [b, a] = [spec([article()], { slug: 'b', title: 'Site · b' }), spec([article()], { slug: 'a', title: 'Site · a' })];
    const sorted = renderOpml([main, b, a], site);
    expect(sorted.indexOf('title="Site · a"')).toBeLessThan(sorted.indexOf('title="Site · b"'));
    // No date in the head: the file changes only with the list.
    expect(opml.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n<head>\n<title>Site &lt;&amp;&gt;</title>\n</head>\n<body>\n`)).toBe(true);
  });
});
