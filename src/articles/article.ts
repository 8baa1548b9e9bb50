import type { Article, Config, DateSource, RawArticle } from '../core/types.js';
import { directHtml } from './direct-html.js';
import { parseMarkdown, renderTokens } from './markdown.js';
import { sanitize } from './sanitize.js';
import { cut, summarize } from './summary.js';

export interface ArticleContext {
  config: Config;
  /** Canonical tag names of this article. */
  tags: readonly string[];
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
  const urls = { base: `${config.siteUrl}/`, page: articleUrl(config.siteUrl, id) };
  let html = '';
  if (raw.body.trim()) {
    // Parsed once; written straight from the tokens when that is provably what sanitize() would give (most articles: see direct-html.ts).
    const tokens = parseMarkdown(raw.body, { tagUrl });
    html = (directHtml(tokens, urls) ?? sanitize(renderTokens(tokens), urls)).trim();
  }
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
 * articles' HTML is never made at all. A class, so that 40,000 of them share one
 * shape and the getters live on the prototype (getters defined on each object made
 * every property read of every article slow).
 */
class LazyArticle implements Article {
  private rendered: RenderedContent | undefined;
  /** Plain text of title and body, for topic matching. */
  text?: string;

  constructor(
    readonly id: string,
    readonly file: string,
    readonly title: string,
    readonly date: number,
    readonly dateSource: Article['dateSource'],
    readonly updated: number,
    readonly authors: readonly string[],
    readonly tags: readonly string[],
    readonly source: string | undefined,
    readonly url: string,
    readonly guid: string,
    readonly lang: string,
    private readonly content: () => RenderedContent,
    private readonly knownSummary: (() => string | undefined) | undefined,
  ) {}

  get html(): string {
    return (this.rendered ??= this.content()).html;
  }

  get summary(): string {
    return this.knownSummary?.() ?? (this.rendered ??= this.content()).summary;
  }
}

/** `knownSummary`: the summary when something else (a worker thread) already made it. */
export function toArticle(raw: Omit<RawArticle, 'body'>, ctx: ArticleContext, content: () => RenderedContent, knownSummary?: () => string | undefined): Article {
  const { config } = ctx;
  const guid = articleUrl(config.siteUrl, ctx.id);
  return new LazyArticle(
    ctx.id,
    raw.file,
    raw.title,
    ctx.date,
    ctx.dateSource,
    raw.updated !== undefined && raw.updated > ctx.date ? raw.updated : ctx.date,
    raw.authors,
    ctx.tags,
    raw.source,
    config.articlePages ? guid : (raw.source ?? guid),
    guid,
    raw.lang ?? config.language,
    content,
    knownSummary,
  );
}
