import type { RenderedContent } from '../archive/cache.js';
import type { Article, Config, DateSource, RawArticle } from '../core/types.js';
import { renderMarkdown } from './markdown.js';
import { sanitize } from './sanitize.js';
import { cut, summarize } from './summary.js';

export interface ArticleContext {
  config: Config;
  /** Canonical tag names of this article. */
  tags: string[];
  id: string;
  date: number;
  dateSource: DateSource;
}

export function articleUrl(siteUrl: string, id: string): string {
  return `${siteUrl}/articles/${encodeURIComponent(id)}/`;
}

/**
 * The body → sanitized HTML with absolute URLs, and the summary. Done once per
 * article (and kept in the build cache by content hash); every feed and page reuses it.
 */
export function renderContent(
  raw: Pick<RawArticle, 'body' | 'summary' | 'title'>,
  config: Config,
  id: string,
  tagUrl?: (tag: string) => string | undefined,
): RenderedContent {
  const page = articleUrl(config.siteUrl, id);
  const html = raw.body.trim() ? sanitize(renderMarkdown(raw.body, { tagUrl }), { base: `${config.siteUrl}/`, page }).trim() : '';
  const summary = raw.summary ? cut(raw.summary.replace(/\s+/g, ' ').trim()) : summarize(html);
  return { html, summary: summary || raw.title };
}

/**
 * The Article every feed and page uses. Its HTML and summary are fetched on first
 * use only: an incremental build renders just the feeds and pages that changed, so
 * most articles' HTML is never loaded at all.
 */
export function toArticle(raw: Omit<RawArticle, 'body'>, ctx: ArticleContext, content: () => RenderedContent): Article {
  const { config } = ctx;
  const guid = articleUrl(config.siteUrl, ctx.id);
  const article = {
    id: ctx.id,
    file: raw.file,
    title: raw.title,
    date: ctx.date,
    dateSource: ctx.dateSource,
    updated: raw.updated !== undefined && raw.updated > ctx.date ? raw.updated : ctx.date,
    authors: raw.authors,
    tags: ctx.tags,
    source: raw.source,
    url: config.articlePages ? guid : (raw.source ?? guid),
    guid,
    lang: raw.lang ?? config.language,
  } as Article;
  let rendered: RenderedContent | undefined;
  const get = () => (rendered ??= content());
  Object.defineProperty(article, 'html', { get: () => get().html, enumerable: true });
  Object.defineProperty(article, 'summary', { get: () => get().summary, enumerable: true });
  return article;
}
