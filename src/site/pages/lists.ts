import type { Article } from '../../core/types.js';
import { esc, readableDate } from './html.js';
import { articleHref } from './layout.js';

export interface ListContext {
  siteUrl: string;
  /** Path from the page to the site root. */
  root: string;
  /** Whether article pages are written (`articlePages`); articles with no source get one either way. */
  articlePages: boolean;
}

/** A list of articles, newest first, each linking to its page (or to its source when pages are off). */
export function articleList(articles: readonly Article[], context: ListContext): string {
  if (!articles.length) return '<p class="notice">暂无文章。 No articles yet.</p>';
  const key = `${context.root}\n${context.siteUrl}\n${context.articlePages}`;
  return `<ul class="articles">\n${articles.map((a) => listEntry(a, context, key)).join('\n')}\n</ul>`;
}

/**
 * Each article's entry, made once for the last context it was listed in: every
 * tag page lists its articles the same way, and a tagged article is on ~20 of them
 * (200,000 entries for 10,000 tag pages at 40,000 articles, of ~40,000 distinct).
 */
const entries = new WeakMap<Article, { key: string; html: string }>();

function listEntry(a: Article, context: ListContext, key: string): string {
  const made = entries.get(a);
  if (made?.key === key) return made.html;
  // With pages off, an article without a source still has its permalink as `url`: no page is there.
  const title = `<a href="${esc(articleHref(context.siteUrl, context.root, a.url))}">${esc(a.title)}</a>`;
  const summary = a.summary && a.summary !== a.title ? `<p class="summary">${esc(a.summary)}</p>` : '';
  const html = `<li><h3>${title}</h3><p class="meta">${dateline(a)}</p>${summary}</li>`;
  entries.set(a, { key, html });
  return html;
}

/** `<time>` in UTC, readable, then the authors. */
export function dateline(a: Article): string {
  return `<time datetime="${new Date(a.date).toISOString()}">${readableDate(a.date)}</time>${a.authors.length ? ` · <span class="author">${esc(a.authors.join(', '))}</span>` : ''}`;
}
