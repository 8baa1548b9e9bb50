import type { Article, Config, FeedSpec, ManifestTag } from '../../core/types.js';
import { feedUrl } from '../../feeds/urls.js';
import { esc } from './html.js';
import { feedLinks, formatLinks, layout, siteHref } from './layout.js';
import { articleList, dateline, type ListContext } from './lists.js';

// The HTML side of the site: a home page, a page per tag and topic (which is also
// the readable view the worker shows a browser that opens a feed URL), the full tag
// list, and a permalink page per article. Plain template strings: every value is
// escaped with esc() or is HTML that already went through the sanitizer. Nothing
// depends on the build's clock: the same archive gives the same bytes.

type Site = { title: string; siteUrl: string; language: string; description: string };

export function siteOf(config: Config): Site {
  return { title: config.title, siteUrl: config.siteUrl, language: config.language, description: config.description };
}

/** Tags shown on the home page (most used first); all of them are on tags/index.html. */
const HOME_TAGS = 60;

function listContext(config: Config, root: string): ListContext {
  return { siteUrl: config.siteUrl, root, articlePages: config.articlePages };
}

/** A tag's or topic's own name: its feed title without the site's title in front. */
function shortTitle(config: Config, spec: FeedSpec): string {
  const prefix = `${config.title} · `;
  return spec.title.startsWith(prefix) ? spec.title.slice(prefix.length) : spec.title;
}

export function homePage(config: Config, main: FeedSpec, topics: readonly FeedSpec[], tags: readonly ManifestTag[]): string {
  const site = siteOf(config);
  const root = '';
  const topicList = topics.length
    ? `<section aria-labelledby="topics">
<h2 id="topics">专题 Topics</h2>
<ul class="feedlist">${topics
        .map((t) => {
          const name = shortTitle(config, t);
          const href = esc(siteHref(root, t.dir));
          return `<li><a class="name" href="${href}">${esc(name)}</a><span class="count">${count(t.articles.length, config.topicItems)}</span>${formatLinks(href)}<button type="button" class="copy-button" data-copy="${esc(feedUrl(site.siteUrl, t, 'rss'))}" aria-label="${esc(`复制 Copy ${name} RSS URL`)}" hidden>复制 Copy</button></li>`;
        })
        .join('')}</ul>
</section>
`
    : '';
  const shown = tags.slice(0, HOME_TAGS);
  const tagSection = tags.length
    ? `<section aria-labelledby="tags">
<h2 id="tags">标签 Tags</h2>
${tagCloud(shown, root)}
<p class="more"><a href="tags/">全部 ${tags.length} 个标签及其订阅 · All ${tags.length} tags and their feeds →</a></p>
</section>
`
    : '';
  const body = `<div class="intro">
<h1>${esc(config.title)}</h1>
${config.description ? `<p class="lede">${esc(config.description)}</p>\n` : ''}</div>
<section aria-labelledby="subscribe" class="subscribe">
<h2 id="subscribe">订阅 Subscribe</h2>
${feedLinks(site, main, root)}
<p class="meta">把网址复制到阅读器即可订阅；所有订阅见 <a href="opml.xml" type="text/x-opml">OPML</a>。 Copy a URL into your feed reader to subscribe, or import every feed at once with the <a href="opml.xml" type="text/x-opml">OPML</a> file.</p>
</section>
${topicList}<section aria-labelledby="latest">
<h2 id="latest">最新 Latest</h2>
${articleList(main.articles, listContext(config, root))}
</section>
${tagSection}`;
  return layout({ site, title: config.title, root, feeds: [main], body, canonical: `${config.siteUrl}/` });
}

export function tagIndexPage(config: Config, main: FeedSpec, tags: readonly ManifestTag[]): string {
  const site = siteOf(config);
  const root = '../';
  // Links relative to tags/ itself: this page lists every tag, so every byte counts.
  const items = tags.map((t) => {
    const href = esc(siteHref('', t.slug));
    return `<li><a class="name" href="${href}">${esc(t.name)}</a><span class="count">${t.count}</span>${formatLinks(href)}</li>`;
  });
  const body = `<h1>全部标签 All tags <span class="count">${tags.length}</span></h1>
<p class="meta">按文章数排序；每个标签都有 RSS、Atom 和 JSON 订阅。 Most used first; every tag has its own RSS, Atom and JSON feeds.</p>
${items.length ? `<ul class="feedlist columns">${items.join('')}</ul>` : '<p class="notice">暂无标签。 No tags yet.</p>'}`;
  return layout({ site, title: `标签 Tags · ${config.title}`, root, feeds: [main], body, canonical: `${config.siteUrl}/tags/` });
}

/** The page of one tag or topic: its articles and its three feeds. */
export function feedPage(config: Config, main: FeedSpec, spec: FeedSpec, extra = ''): string {
  const site = siteOf(config);
  const root = '../../';
  const name = shortTitle(config, spec);
  // The generated description only repeats the title; a topic's own description is worth showing.
  const description = spec.description && spec.description !== `${config.title}: ${name}` ? spec.description : '';
  const kicker = spec.kind === 'topic' ? '专题 Topic' : `<a href="${root}tags/">标签 Tag</a>`;
  const body = `<div class="intro">
<p class="kicker">${kicker}</p>
<h1>${esc(name)}</h1>
${description ? `<p class="lede">${esc(description)}</p>\n` : ''}</div>
${extra}<section aria-labelledby="subscribe" class="subscribe">
<h2 id="subscribe">订阅 Subscribe</h2>
${feedLinks(site, spec, root)}
<p class="meta">把网址复制到阅读器即可订阅。 Copy a URL into your feed reader to subscribe.</p>
</section>
<section aria-labelledby="articles">
<h2 id="articles">文章 Articles</h2>
${articleList(spec.articles, listContext(config, root))}
</section>`;
  return layout({ site, title: `${name} · ${config.title}`, root, feeds: [main, spec], body, canonical: spec.pageUrl, description: spec.description });
}

/**
 * An article page's tag links, made once per tag for a build's tag → slug map:
 * 40,000 pages link ~340,000 tags, of 10,000 distinct (the page's root is fixed).
 */
const tagItems = new WeakMap<ReadonlyMap<string, string>, Map<string, string>>();

export function articlePage(config: Config, main: FeedSpec, article: Article, tagSlugs: ReadonlyMap<string, string>): string {
  const site = siteOf(config);
  const root = '../../';
  let made = tagItems.get(tagSlugs);
  if (!made) tagItems.set(tagSlugs, (made = new Map()));
  const tags = article.tags.map((t) => {
    let item = made.get(t);
    if (item === undefined) {
      const slug = tagSlugs.get(t);
      item = slug ? `<li><a href="${esc(siteHref(root, `tags/${slug}`))}">${esc(t)}</a></li>` : `<li><span>${esc(t)}</span></li>`;
      made.set(t, item);
    }
    return item;
  });
  const source = article.source
    ? `<p class="meta source">原文 Source: <a href="${esc(article.source)}" rel="noopener noreferrer">${esc(article.source)}</a></p>\n`
    : '';
  const body = `<article lang="${esc(article.lang)}">
<header>
<h1>${esc(article.title)}</h1>
<p class="meta">${dateline(article)}</p>
${source}</header>
<div class="content">
${article.html || `<p class="notice">${article.source ? '只存档了标题，请阅读原文。 Only the title was archived; read the original at the source link above.' : '只存档了标题。 Only the title was archived.'}</p>`}
</div>
${tags.length ? `<footer>\n<h2>标签 Tags</h2>\n<ul class="tags">${tags.join('')}</ul>\n</footer>\n` : ''}</article>`;
  return layout({
    site,
    title: `${article.title} · ${config.title}`,
    root,
    feeds: [main],
    body,
    canonical: article.guid,
    description: article.summary || undefined,
  });
}

/** A topic feed holds at most `limit` articles: at the limit there may be more. */
function count(n: number, limit: number): string {
  return n >= limit ? `${limit}+` : String(n);
}

/** Tags as chips with their counts, each linking to its page (and its feeds). */
function tagCloud(tags: readonly ManifestTag[], root: string): string {
  const items = tags.map((t) => `<li><a href="${esc(siteHref(root, `tags/${t.slug}`))}">${esc(t.name)}<span class="count">${t.count}</span></a></li>`);
  return `<ul class="tags">${items.join('')}</ul>`;
}
