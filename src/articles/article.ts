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
 * article per build; every feed and page reuses it.
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

/** An article's sanitized HTML and its plain-text summary. */
export interface RenderedContent {
  html: string;
  summary: string;
}

/**
 * The Article every feed and page uses. Its HTML and summary are made on first use
 * only: an incremental build renders just the feeds and pages that changed, so most
 * articles' HTML is never made at all.
 */
/** `knownSummary`: the summary when something else (a worker thread) already made it. */
export function toArticle(raw: Omit<RawArticle, 'body'>, ctx: ArticleContext, content: () => RenderedContent, knownSummary?: () => string | undefined): Article {
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
  Object.defineProperty(article, 'summary', { get: () => knownSummary?.() ?? get().summary, enumerable: true });
  return article;
}
