import type { Article, Config, FeedSpec, ManifestTag } from '../../core/types.js';
import { encodePath, feedUrl } from '../../feeds/urls.js';
import { esc, readableDate } from './html.js';
import { feedLinks, layout } from './layout.js';
import { articleList } from './lists.js';

// The HTML side of the site: a home page, a page per tag and topic (which is also
// the readable view the worker shows a browser that opens a feed URL), the full tag
// list, and a permalink page per article. Plain template strings: every value is
// escaped with esc() or is HTML that already went through the sanitizer.

type Site = { title: string; siteUrl: string; language: string; description: string };

export function siteOf(config: Config): Site {
  return { title: config.title, siteUrl: config.siteUrl, language: config.language, description: config.description };
}

const HOME_TAGS = 100;

export function homePage(config: Config, main: FeedSpec, topics: readonly FeedSpec[], tags: readonly ManifestTag[]): string {
  const site = siteOf(config);
  const topicList = topics.length
    ? `<h2>专题 Topics</h2>\n<ul class="tags">${topics.map((t) => `<li><a href="topics/${encodePath(t.slug)}/">${esc(t.title.replace(`${config.title} · `, ''))}</a><span class="count">${t.articles.length}</span></li>`).join('')}</ul>`
    : '';
  const body = `<h1>${esc(config.title)}</h1>
${config.description ? `<p>${esc(config.description)}</p>` : ''}
<h2>订阅 Subscribe</h2>
${feedLinks(site, main)}
<p class="meta">All feeds: <a href="opml.xml">OPML</a> (import into a feed reader).</p>
${topicList}
<h2>标签 Tags</h2>
${tagList(site, tags.slice(0, HOME_TAGS), '')}
<p><a href="tags/">全部 ${tags.length} 个标签 · All ${tags.length} tags</a></p>
<h2>最新 Latest</h2>
${articleList(main.articles)}`;
  return layout({ site, title: config.title, root: '', feeds: [main], body, canonical: `${config.siteUrl}/` });
}

export function tagIndexPage(config: Config, main: FeedSpec, tags: readonly ManifestTag[]): string {
  const site = siteOf(config);
  const body = `<h1>全部标签 All tags (${tags.length})</h1>\n${tagList(site, tags, '../')}`;
  return layout({ site, title: `${config.title} · Tags`, root: '../', feeds: [main], body, canonical: `${config.siteUrl}/tags/` });
}

/** The page of one tag or topic: its articles and its three feeds. */
export function feedPage(config: Config, main: FeedSpec, spec: FeedSpec, extra = ''): string {
  const site = siteOf(config);
  const body = `<h1>${esc(spec.title)}</h1>
${spec.description ? `<p>${esc(spec.description)}</p>` : ''}
${extra}<h2>订阅 Subscribe</h2>
${feedLinks(site, spec)}
<h2>文章 Articles</h2>
${articleList(spec.articles)}`;
  return layout({ site, title: spec.title, root: '../../', feeds: [main, spec], body, canonical: spec.pageUrl });
}

export function articlePage(config: Config, main: FeedSpec, article: Article, tagSlugs: ReadonlyMap<string, string>): string {
  const site = siteOf(config);
  const tags = article.tags.map((t) => {
    const slug = tagSlugs.get(t);
    return slug ? `<li><a href="../../tags/${encodePath(slug)}/">${esc(t)}</a></li>` : `<li>${esc(t)}</li>`;
  });
  const body = `<article lang="${esc(article.lang)}">
<h1>${esc(article.title)}</h1>
<p class="meta"><time datetime="${new Date(article.date).toISOString()}">${readableDate(article.date)}</time>${article.authors.length ? ` · ${esc(article.authors.join(', '))}` : ''}</p>
${article.source ? `<p class="meta">原文 Source: <a href="${esc(article.source)}" rel="noopener noreferrer">${esc(article.source)}</a></p>` : ''}
${tags.length ? `<ul class="tags">${tags.join('')}</ul>` : ''}
<div class="content">
${article.html || `<p class="notice">${article.source ? 'Only the title was archived; read the original at the source link above.' : 'Only the title was archived.'}</p>`}
</div>
</article>`;
  return layout({ site, title: `${article.title} · ${config.title}`, root: '../../', feeds: [main], body, canonical: article.guid });
}

function tagList(site: Site, tags: readonly ManifestTag[], root: string): string {
  const items = tags.map((t) => {
    const dir = `tags/${t.slug}`;
    const rss = feedUrl(site.siteUrl, { dir }, 'rss');
    return `<li><a href="${root}${encodePath(dir)}/">${esc(t.name)}</a><span class="count">${t.count}</span><span class="formats"><a href="${esc(rss)}" title="RSS">rss</a></span></li>`;
  });
  return `<ul class="tags">${items.join('')}</ul>`;
}
