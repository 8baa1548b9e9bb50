import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeHTML } from 'entities';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.js';
import { parseConfig } from '../../src/config/schema.js';
import type { Config, FeedSpec } from '../../src/core/types.js';
import { feedPage } from '../../src/site/pages/render.js';
import { buildInto, FIXTURES, listFiles, read, tempDir, testConfig } from './helpers.js';

// The generated HTML of the fixture archive, read as a crawler or a feed reader
// would: autodiscovery, lang and viewport on every page, every tag reachable,
// every internal link landing on a file, tag lists newest first, article pages
// complete, and nothing executable that the site did not put there itself.

const SITE = 'https://feeds.example.org';
const CONFIG: Config = parseConfig(JSON.parse(readFileSync(path.join(FIXTURES, 'feedwright.config.json'), 'utf8')), 'feedwright.config.json');

interface Tag {
  name: string;
  attrs: Map<string, string>;
  /** Offset of the `<` in the page. */
  at: number;
}

// A start-tag tokenizer: enough for our own output (templates plus sanitize-html),
// and strict about attributes, which is where handlers and URLs hide.
const START_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function tags(html: string, name?: string): Tag[] {
  const out: Tag[] = [];
  for (const m of html.matchAll(START_TAG)) {
    const tag = m[1]!.toLowerCase();
    if (name && tag !== name) continue;
    const attrs = new Map<string, string>();
    for (const a of m[2]!.matchAll(ATTRIBUTE)) attrs.set(a[1]!.toLowerCase(), decodeHTML(a[2] ?? a[3] ?? a[4] ?? ''));
    out.push({ name: tag, attrs, at: m.index });
  }
  return out;
}

/** Text of the first `<name …>…</name>` in `html`, tags removed, entities decoded. */
function textOf(html: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(html);
  return m ? decodeHTML(m[1]!.replace(/<[^>]+>/g, '')) : undefined;
}

/** The part of `html` inside the first element with this class. */
function section(html: string, open: string): string {
  const start = html.indexOf(open);
  expect(start, open).toBeGreaterThanOrEqual(0);
  const name = /^<([a-z0-9]+)/.exec(open)![1]!;
  return html.slice(start, html.indexOf(`</${name}>`, start));
}

/** The site path a page file is served at: an article's page, stored as `articles/<id>.html`, at `articles/<id>/` (src/core/article-page.ts). */
const servedAt = (file: string) => file.replace(/^articles\/([^/]+)\.html$/, 'articles/$1/index.html');
/** The file a site path is stored in. */
const storedAt = (rel: string) => rel.replace(/^articles\/([^/]+)\/index\.html$/, 'articles/$1.html');
/** The absolute URL of a page's file, as the site serves it. */
const pageUrl = (file: string) => `${SITE}/${servedAt(file).replace(/index\.html$/, '').split('/').map(encodeURIComponent).join('/')}`;

/** The output file an absolute site URL leads to, or undefined for another site. */
function fileOfUrl(out: string, url: URL): string | undefined {
  if (url.origin !== SITE) return undefined;
  let rel = decodeURIComponent(url.pathname).slice(1);
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  return path.join(out, storedAt(rel));
}

const alternates = (html: string) =>
  tags(html, 'link')
    .filter((l) => l.attrs.get('rel') === 'alternate')
    .map((l) => ({ type: l.attrs.get('type'), title: l.attrs.get('title'), href: l.attrs.get('href') }));

function feedAlternates(title: string, dir: string) {
  const base = `${SITE}/${dir ? `${dir.split('/').map(encodeURIComponent).join('/')}/` : ''}`;
  return [
    { type: 'application/rss+xml', title: `${title} (RSS)`, href: `${base}rss.xml` },
    { type: 'application/atom+xml', title: `${title} (Atom)`, href: `${base}atom.xml` },
    { type: 'application/feed+json', title: `${title} (JSON Feed)`, href: `${base}feed.json` },
  ];
}
const MAIN = feedAlternates('Fixture Feeds', '');

/** Links (href) of the article list of a page, as absolute URLs. */
function listedArticles(html: string, rel: string): string[] {
  const list = section(html, '<ul class="articles">');
  return tags(list, 'a').map((a) => new URL(a.attrs.get('href')!, pageUrl(rel)).href);
}

interface JsonFeed {
  items: { id: string; url: string; title: string; content_html: string; date_published: string; external_url?: string; authors?: { name: string }[]; tags?: string[] }[];
}

describe('pages of the fixture archive', () => {
  let out: string;
  let result: BuildResult;
  let htmlFiles: string[];
  const page = (rel: string) => readFileSync(path.join(out, rel), 'utf8');
  beforeAll(async () => {
    // "now" is the clock: bad-stamp.md has no usable date and falls back to its file time.
    ({ out, result } = await buildInto(path.join(FIXTURES, 'archive'), CONFIG, Date.now()));
    htmlFiles = (await listFiles(out)).filter((f) => f.endsWith('.html'));
  });

  it('writes a home page, the tag index, a page per tag, topic and article', () => {
    const tagPages = result.manifest.tags.map((t) => `tags/${t.slug}/index.html`);
    const topicPages = CONFIG.topics.map((t) => `topics/${t.slug}/index.html`);
    const articlePages = ['bad-stamp', 'frontmatter', 'fullwidth', 'said', 'seed', 'traditional'].map((id) => `articles/${id}.html`);
    expect(htmlFiles.sort()).toEqual(['index.html', 'tags/index.html', ...tagPages, ...topicPages, ...articlePages].sort());
    expect(result.manifest.tags.length).toBe(59);
  });

  it('every page: doctype, lang, charset, viewport, title, one stylesheet, our script only', () => {
    for (const rel of htmlFiles) {
      const html = page(rel);
      expect(html.startsWith('<!doctype html>\n<html lang="zh-CN">\n'), rel).toBe(true);
      const metas = tags(html, 'meta');
      expect(metas.filter((m) => m.attrs.get('charset') === 'utf-8'), rel).toHaveLength(1);
      const viewport = metas.filter((m) => m.attrs.get('name') === 'viewport');
      expect(viewport.map((m) => m.attrs.get('content')), rel).toEqual(['width=device-width, initial-scale=1']);
      expect(textOf(html, 'title')?.trim(), rel).toBeTruthy();
      const root = '../'.repeat(servedAt(rel).split('/').length - 1);
      expect(tags(html, 'link').filter((l) => l.attrs.get('rel') === 'stylesheet').map((l) => l.attrs.get('href')), rel).toEqual([`${root}style.css`]);
      expect(tags(html, 'script').map((s) => [...s.attrs]), rel).toEqual([[['src', `${root}copy.js`], ['defer', '']]]);
      expect(tags(html, 'link').find((l) => l.attrs.get('rel') === 'canonical')?.attrs.get('href'), rel).toBe(pageUrl(rel));
    }
  });

  it("announces the main feed on every page, and a tag's or topic's own feeds on its page (absolute, percent-encoded)", () => {
    for (const rel of htmlFiles) {
      const found = alternates(page(rel));
      const [kind, slug] = rel.split('/');
      if ((kind === 'tags' || kind === 'topics') && slug !== 'index.html') {
        const spec = kind === 'tags' ? result.manifest.tags.find((t) => t.slug === slug)!.name : CONFIG.topics.find((t) => t.slug === slug)!.title;
        expect(found, rel).toEqual([...MAIN, ...feedAlternates(`Fixture Feeds · ${spec}`, `${kind}/${slug}`)]);
      } else {
        expect(found, rel).toEqual(MAIN);
      }
      for (const link of found) {
        // URIs, not IRIs: printable ASCII only, and each one a file of the build.
        expect(link.href, rel).toMatch(/^https:\/\/feeds\.example\.org\/[\x21-\x7e]*$/);
        expect(existsSync(fileOfUrl(out, new URL(link.href!))!), link.href).toBe(true);
      }
    }
    expect(alternates(page('tags/中国/index.html')).slice(3).map((l) => l.href)).toEqual([
      'https://feeds.example.org/tags/%E4%B8%AD%E5%9B%BD/rss.xml',
      'https://feeds.example.org/tags/%E4%B8%AD%E5%9B%BD/atom.xml',
      'https://feeds.example.org/tags/%E4%B8%AD%E5%9B%BD/feed.json',
    ]);
    expect(alternates(page('topics/芯片/index.html')).slice(3).map((l) => l.href)[0]).toBe('https://feeds.example.org/topics/%E8%8A%AF%E7%89%87/rss.xml');
  });

  it('every link inside the site lands on a file of the build', () => {
    let checked = 0;
    for (const rel of htmlFiles) {
      const html = page(rel);
      for (const tag of tags(html)) {
        const ref = tag.attrs.get(tag.name === 'script' || tag.name === 'img' ? 'src' : 'href');
        if (!ref || !['a', 'link', 'script'].includes(tag.name) || ref.startsWith('data:')) continue;
        const url = new URL(ref, pageUrl(rel));
        const file = fileOfUrl(out, url);
        if (!file) continue;
        expect(existsSync(file) && statSync(file).isFile(), `${rel}: ${ref}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('reaches every tag from tags/index.html, most used first, and the home page links to it', () => {
    const index = page('tags/index.html');
    const list = section(index, '<ul class="feedlist');
    const named = tags(list, 'a').filter((a) => a.attrs.get('class') === 'name');
    const linked = named.map((a) => decodeURIComponent(new URL(a.attrs.get('href')!, pageUrl('tags/index.html')).pathname));
    expect(linked).toEqual(result.manifest.tags.map((t) => `/tags/${t.slug}/`));
    const counts = [...list.matchAll(/<span class="count">(\d+)<\/span>/g)].map((m) => Number(m[1]));
    expect(counts).toEqual(result.manifest.tags.map((t) => t.count));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // Each tag also offers its three feeds right there.
    const hrefs = tags(list, 'a').map((a) => a.attrs.get('href')!);
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      expect(hrefs.filter((h) => h.endsWith(`/${file}`))).toEqual(result.manifest.tags.map((t) => `${encodeURIComponent(t.slug)}/${file}`));
    }

    const home = page('index.html');
    expect(tags(home, 'a').some((a) => a.attrs.get('href') === 'tags/')).toBe(true);
    expect(home).toContain('All 59 tags');
  });

  it('the home page: title, description, main feeds with copy, topics with feeds, newest articles', () => {
    const home = page('index.html');
    expect(textOf(home, 'h1')).toBe('Fixture Feeds');
    expect(home).toContain('<p class="lede">A small archive for tests.</p>');
    expect(home).toContain('<a href="opml.xml" type="text/x-opml">OPML</a>');
    const feeds = section(home, '<ul class="feeds">');
    expect(tags(feeds, 'a').map((a) => a.attrs.get('href'))).toEqual(['rss.xml', 'atom.xml', 'feed.json']);
    // The URL to copy is there without JavaScript (a read-only field); the button is revealed by copy.js.
    expect(tags(feeds, 'input').map((i) => [i.attrs.get('value'), i.attrs.has('readonly')])).toEqual(MAIN.map((m) => [m.href, true]));
    expect(tags(feeds, 'button').map((b) => [b.attrs.get('data-copy'), b.attrs.has('hidden')])).toEqual(MAIN.map((m) => [m.href, true]));
    const topics = section(home, '<section aria-labelledby="topics">');
    expect(tags(topics, 'a').map((a) => a.attrs.get('href'))).toEqual([
      'topics/ai/',
      'topics/ai/rss.xml',
      'topics/ai/atom.xml',
      'topics/ai/feed.json',
      'topics/%E8%8A%AF%E7%89%87/',
      'topics/%E8%8A%AF%E7%89%87/rss.xml',
      'topics/%E8%8A%AF%E7%89%87/atom.xml',
      'topics/%E8%8A%AF%E7%89%87/feed.json',
    ]);
    expect(tags(topics, 'button').map((b) => b.attrs.get('data-copy'))).toEqual(['https://feeds.example.org/topics/ai/rss.xml', 'https://feeds.example.org/topics/%E8%8A%AF%E7%89%87/rss.xml']);
    const main: JsonFeed = JSON.parse(page('feed.json'));
    expect(listedArticles(home, 'index.html')).toEqual(main.items.map((i) => i.url));
  });

  it('tag and topic pages list their articles newest first, as their feeds do', () => {
    const dirs = [...result.manifest.tags.map((t) => `tags/${t.slug}`), ...CONFIG.topics.map((t) => `topics/${t.slug}`)];
    for (const dir of dirs) {
      const rel = `${dir}/index.html`;
      const html = page(rel);
      const feed: JsonFeed = JSON.parse(page(`${dir}/feed.json`));
      expect(listedArticles(html, rel), rel).toEqual(feed.items.map((i) => i.url));
      const times = [...section(html, '<ul class="articles">').matchAll(/<time datetime="([^"]+)">/g)].map((m) => Date.parse(m[1]!));
      expect(times.length, rel).toBe(feed.items.length);
      expect(times, rel).toEqual([...times].sort((a, b) => b - a));
      expect(textOf(html, 'h1'), rel).toBe(dir.startsWith('tags/') ? result.manifest.tags.find((t) => `tags/${t.slug}` === dir)!.name : CONFIG.topics.find((t) => `topics/${t.slug}` === dir)!.title);
    }
    const zhongguo = page('tags/中国/index.html');
    expect(listedArticles(zhongguo, 'tags/中国/index.html')).toEqual([`${SITE}/articles/traditional/`, `${SITE}/articles/seed/`]);
    // Relative links: a local preview stays on the local server.
    expect(zhongguo).toContain('<h3><a href="../../articles/traditional/">中國晶片出口 &amp; 管制 – 最新</a></h3>');
    expect(zhongguo).toContain('<time datetime="2024-04-02T12:25:00.000Z">2024-04-02 12:25 UTC</time>');
    // Written as parts (the page's frame, each article's entry, the separators): joined, exactly these bytes.
    expect(zhongguo.slice(zhongguo.indexOf('<h2 id="articles">'), zhongguo.indexOf('<footer class="site">'))).toBe(
      '<h2 id="articles">文章 Articles</h2>\n<ul class="articles">\n' +
        '<li><h3><a href="../../articles/traditional/">中國晶片出口 &amp; 管制 – 最新</a></h3><p class="meta"><time datetime="2024-04-02T12:25:00.000Z">2024-04-02 12:25 UTC</time> · <span class="author">喜马拉雅农场新西兰站</span></p><p class="summary">中國的晶片出口受到美國管制。</p></li>\n' +
        '<li><h3><a href="../../articles/seed/">Sora掀起中国“AI焦虑” 分析:专制之下生成式AI难发展</a></h3><p class="meta"><time datetime="2024-03-03T18:29:00.000Z">2024-03-03 18:29 UTC</time></p><p class="summary">' +
        '美国新创公司Open AI2月中旬发布人工智能 (AI)模型Sora，这是一款输入文字就能自动生成视频的生成器，且因影像仿真度极高让全球惊艳，也在中国引发热议，连中国国务院国资委也大呼要立刻开展AI专项行动。对此，分析人士表示，中国生成式AI发展，除受限于美国芯片禁令的不利因素外，中共对境内言论自由的严格管控也会限缩研发人员的创意想像空间。' +
        '</p></li>\n</ul>\n</section>\n</main>\n',
    );
    expect(zhongguo.endsWith('</footer>\n</body>\n</html>\n')).toBe(true);
    expect(tags(section(zhongguo, '<ul class="feeds">'), 'input').map((i) => i.attrs.get('value'))).toEqual([
      'https://feeds.example.org/tags/%E4%B8%AD%E5%9B%BD/rss.xml',
      'https://feeds.example.org/tags/%E4%B8%AD%E5%9B%BD/atom.xml',
      'https://feeds.example.org/tags/%E4%B8%AD%E5%9B%BD/feed.json',
    ]);
  });

  it('a tag or topic page with no articles says so where the list would be', () => {
    const main: FeedSpec = { kind: 'main', slug: '', title: CONFIG.title, description: CONFIG.description, dir: '', pageUrl: `${SITE}/`, content: 'full', articles: [], updated: 0 };
    const empty: FeedSpec = { ...main, kind: 'topic', slug: 'empty', title: `${CONFIG.title} · Empty`, description: '', dir: 'topics/empty', pageUrl: `${SITE}/topics/empty/` };
    const html = feedPage(CONFIG, main, empty);
    expect(html.slice(html.indexOf('<h2 id="articles">'), html.indexOf('<footer class="site">'))).toBe(
      '<h2 id="articles">文章 Articles</h2>\n<p class="notice">暂无文章。 No articles yet.</p>\n</section>\n</main>\n',
    );
    expect(html.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
  });

  it('article pages: title, UTC <time>, author, tags linking to their pages, sanitized content, source link', () => {
    const main: JsonFeed = JSON.parse(page('feed.json'));
    const slugs = new Map(result.manifest.tags.map((t) => [t.name, t.slug]));
    for (const item of main.items) {
      const rel = storedAt(`${new URL(item.url).pathname.slice(1)}index.html`);
      const html = page(rel);
      const article = section(html, '<article');
      expect(textOf(article, 'h1'), rel).toBe(item.title);
      expect(textOf(html, 'title'), rel).toBe(`${item.title} · Fixture Feeds`);
      const iso = new Date(item.date_published).toISOString();
      expect(iso.endsWith('Z'), rel).toBe(true);
      expect(article, rel).toContain(`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC</time>`);
      for (const author of item.authors ?? []) expect(article, rel).toContain(`<span class="author">${author.name}</span>`);
      // The same sanitized HTML as the feeds carry.
      expect(article, rel).toContain(`<div class="content">\n${item.content_html}\n</div>`);
      if (item.external_url) {
        expect(tags(article, 'a').find((a) => a.attrs.get('href') === item.external_url)?.attrs.get('rel'), rel).toBe('noopener noreferrer');
      }
      const tagLinks = item.tags?.length ? tags(section(article, '<ul class="tags">'), 'a').map((a) => a.attrs.get('href')) : [];
      expect(tagLinks, rel).toEqual((item.tags ?? []).map((t) => `../../tags/${encodeURIComponent(slugs.get(t)!)}/`));
    }
    const front = page('articles/frontmatter.html');
    expect(front).toContain('<h1>Front matter article about AI</h1>');
    expect(front).toContain('<p class="meta"><time datetime="2024-05-01T08:00:00.000Z">2024-05-01 08:00 UTC</time> · <span class="author">Test Desk</span></p>');
    expect(front).toContain('<p class="meta source">原文 Source: <a href="https://example.com/story/1" rel="noopener noreferrer">https://example.com/story/1</a></p>');
    expect(front).toContain('<ul class="tags"><li><a href="../../tags/ai/">AI</a></li><li><a href="../../tags/%E8%8A%AF%E7%89%87/">芯片</a></li></ul>');
    expect(front).toContain('<p>Body of the <strong>front matter</strong> article.');
    const seed = page('articles/seed.html');
    expect(seed).toContain('<h1>Sora掀起中国“AI焦虑” 分析:专制之下生成式AI难发展</h1>');
    expect(seed).toContain('<time datetime="2024-03-03T18:29:00.000Z">2024-03-03 18:29 UTC</time>');
    expect(seed).toContain('<a href="https://gnews.org/articles/2361431" rel="noopener noreferrer">');
    expect(seed).not.toContain('[[zh:');
  });

  it('carries nothing executable but our own copy.js, and no inline style', () => {
    expectSafe(out, htmlFiles);
  });

  it('does not depend on the clock of the build', async () => {
    const again = await buildInto(path.join(FIXTURES, 'archive'), CONFIG, Date.now() + 86_400_000);
    for (const rel of htmlFiles) expect(await read(again.out, rel), rel).toBe(page(rel));
    expect(await read(again.out, 'style.css')).toBe(page('style.css'));
    expect(await read(again.out, 'copy.js')).toBe(page('copy.js'));
  });
});

describe('pages of the hostile archive', () => {
  it('carry nothing executable but our own copy.js', async () => {
    const { out } = await buildInto(path.join(FIXTURES, 'hostile'), testConfig({ maxFileBytes: 1500 }), Date.now());
    const htmlFiles = (await listFiles(out)).filter((f) => f.endsWith('.html'));
    expect(htmlFiles).toContain('articles/script-content.html');
    expectSafe(out, htmlFiles);
    const script = await read(out, 'articles/script-content.html');
    expect(script).toContain('<p>Paragraph with handlers</p>');
    expect(script).toContain('<img src="https://feeds.example.org/x.png" alt="kept alt" />');
    const title = await read(out, 'articles/html-title.html');
    expect(textOf(title, 'h1')).toBe('<b>Bold</b> & <script>alert(1)</script>');
    expect(textOf(title, 'title')).toBe('<b>Bold</b> & <script>alert(1)</script> · Test Feeds');
  });
});

describe('an output folder written with a folder per article page (before pages were files)', () => {
  it('ends with the pages as files in both generations, and no folder of an old page left', async () => {
    const out = path.join(await tempDir('feedwright-out-'), 'dist');
    await mkdir(path.join(out, 'articles', 'seed'), { recursive: true });
    await writeFile(path.join(out, 'articles', 'seed', 'index.html'), '<!doctype html>\n<title>old</title>\n');
    // The first build takes the old folder over as the other generation; the second writes into it.
    await build({ archiveDir: path.join(FIXTURES, 'archive'), outDir: out, config: CONFIG, now: Date.now() });
    await build({ archiveDir: path.join(FIXTURES, 'archive'), outDir: out, config: CONFIG, now: Date.now() });
    const pages = ['bad-stamp.html', 'frontmatter.html', 'fullwidth.html', 'said.html', 'seed.html', 'traditional.html'];
    for (const generation of ['0', '1']) {
      expect((await readdir(path.join(path.dirname(out), '.dist.gen', generation, 'articles'))).sort(), generation).toEqual(pages);
    }
  });
});

describe('articlePages: false', () => {
  let out: string;
  beforeAll(async () => {
    ({ out } = await buildInto(path.join(FIXTURES, 'archive'), { ...CONFIG, articlePages: false }, Date.now()));
  });

  it('writes article pages only for articles with no source, and links to no other', async () => {
    const files = await listFiles(out);
    expect(files.filter((f) => f.startsWith('articles/'))).toEqual(['articles/fullwidth.html', 'articles/said.html']);
    for (const rel of files.filter((f) => f.endsWith('.html'))) {
      const html = await read(out, rel);
      for (const a of tags(html, 'a')) {
        const href = new URL(a.attrs.get('href')!, pageUrl(rel)).href;
        if (href.startsWith(`${SITE}/articles/`)) expect(files, `${rel} → ${href}`).toContain(storedAt(`${href.slice(SITE.length + 1)}index.html`));
      }
    }
  });

  it('lists items with links to their source URLs (or, with no source, to their page)', async () => {
    const home = await read(out, 'index.html');
    const list = section(home, '<ul class="articles">');
    expect(list).toContain('<h3><a href="https://example.com/story/1">Front matter article about AI</a></h3>');
    expect(list).toContain('<h3><a href="https://gnews.org/articles/2361431">Sora掀起中国“AI焦虑” 分析:专制之下生成式AI难发展</a></h3>');
    expect(list).toContain('<h3><a href="articles/said/">The minister said yes</a></h3>');
    const feed: JsonFeed = JSON.parse(await read(out, 'feed.json'));
    expect(listedArticles(home, 'index.html')).toEqual(feed.items.map((i) => i.url));
    expect(feed.items.filter((i) => !i.url.startsWith(`${SITE}/articles/`)).map((i) => i.url)).toEqual([
      'https://gnews.org/articles/2400002',
      'https://example.com/story/1',
      'https://gnews.org/articles/2400001',
      'https://gnews.org/articles/2361431',
    ]);
    const tag = await read(out, 'tags/芯片/index.html');
    expect(listedArticles(tag, 'tags/芯片/index.html')).toEqual(['https://example.com/story/1', 'https://gnews.org/articles/2361431']);
  });
});

/** No element, attribute or URL that runs code, and no inline style (the CSP forbids it anyway). */
function expectSafe(out: string, htmlFiles: string[]): void {
  const FORBIDDEN = new Set(['script', 'iframe', 'object', 'embed', 'form', 'style', 'base', 'frame', 'frameset', 'applet', 'svg', 'math', 'template']);
  for (const rel of htmlFiles) {
    const html = readFileSync(path.join(out, rel), 'utf8');
    const root = '../'.repeat(servedAt(rel).split('/').length - 1);
    // The one script: ours, external, from 'self'.
    expect(html.match(/<script\b/gi), rel).toEqual(['<script']);
    expect(html, rel).toContain(`<script src="${root}copy.js" defer></script>`);
    expect(html, rel).not.toMatch(/<\/?(iframe|object|embed|form|style|base|svg)\b/i);
    // Also on the raw text, in case some tag escaped the tokenizer below.
    expect(html, rel).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html, rel).not.toMatch(/<[a-z][^>]*\sstyle\s*=/i);
    for (const tag of tags(html)) {
      if (tag.name === 'script') continue;
      expect(FORBIDDEN.has(tag.name), `${rel}: <${tag.name}>`).toBe(false);
      for (const [name, value] of tag.attrs) {
        expect(name, `${rel}: <${tag.name} ${name}>`).not.toMatch(/^on/);
        expect(name, `${rel}: <${tag.name} ${name}>`).not.toBe('style');
        if (['href', 'src', 'action', 'formaction', 'srcset', 'xlink:href'].includes(name)) {
          const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
          if (tag.name === 'img' && scheme === 'data') expect(value, rel).toMatch(/^data:image\//);
          else if (tag.name === 'link' && tag.attrs.get('rel') === 'icon') expect(value, rel).toBe('data:,');
          else if (scheme) expect(['http', 'https', 'mailto'], `${rel}: ${name}="${value}"`).toContain(scheme);
        }
      }
      if (tag.name === 'meta') expect(tag.attrs.has('http-equiv'), rel).toBe(false);
    }
  }
}
