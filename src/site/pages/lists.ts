import type { Article } from '../../core/types.js';
import { esc, readableDate } from './html.js';

/** A list of articles, newest first, each linking to its permalink. */
export function articleList(articles: readonly Article[]): string {
  if (!articles.length) return '<p class="notice">No articles yet. 暂无文章。</p>';
  const items = articles.map(
    (a) =>
      `<li><a href="${esc(a.url)}">${esc(a.title)}</a><br><span class="meta"><time datetime="${new Date(a.date).toISOString()}">${readableDate(a.date)}</time>${a.authors.length ? ` · ${esc(a.authors.join(', '))}` : ''}</span><p class="summary">${esc(a.summary)}</p></li>`,
  );
  return `<ul class="articles">\n${items.join('\n')}\n</ul>`;
}
