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
  /** Where a wiki link points (config `wikiLinks: link`), or undefined for plain text. */
  tagUrl?: (tag: string) => string | undefined;
}

export function articleUrl(siteUrl: string, id: string): string {
  return `${siteUrl}/articles/${encodeURIComponent(id)}/`;
}

/** A RawArticle, its id, date and tags decided → the Article every feed and page uses. Rendered once. */
export function toArticle(raw: RawArticle, ctx: ArticleContext): Article {
  const { config } = ctx;
  const guid = articleUrl(config.siteUrl, ctx.id);
  const html = raw.body.trim()
    ? sanitize(renderMarkdown(raw.body, { tagUrl: ctx.tagUrl }), { base: `${config.siteUrl}/`, page: guid }).trim()
    : '';
  const summary = raw.summary ? cut(raw.summary.replace(/\s+/g, ' ').trim()) : summarize(html);
  return {
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
    html,
    summary: summary || raw.title,
    lang: raw.lang ?? config.language,
  };
}
