import type { Article, FeedSpec } from '../core/types.js';
import { feedSafe } from '../core/xmlchars.js';
import { rfc3339 } from './dates.js';
import { assembleFeed, type FeedFrame } from './frame.js';
import type { SiteInfo } from './site.js';
import { feedUrl } from './urls.js';

// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). The `feed` package writes
// 1.0 (`author`, no `language`), so this one is ours.

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

interface JsonItem {
  id: string;
  url: string;
  external_url?: string;
  title: string;
  content_html?: string;
  content_text?: string;
  summary?: string;
  date_published: string;
  date_modified?: string;
  authors?: { name: string }[];
  tags?: string[];
  language: string;
}

/** One item, serialized. 1.1: `id` is a string, `authors` an array, `language` per item. */
export function jsonItem(article: Article, content: FeedSpec['content'], site: SiteInfo): string {
  const item: JsonItem = { id: article.guid, url: article.url, title: clean(article.title) } as JsonItem;
  if (article.source && article.source !== article.url) item.external_url = article.source;
  // An item needs content_html or content_text.
  if (content === 'full' && article.html) item.content_html = clean(article.html);
  else item.content_text = clean(article.summary || article.title);
  if (article.summary) item.summary = clean(article.summary);
  item.date_published = rfc3339(article.date);
  if (article.updated !== article.date) item.date_modified = rfc3339(article.updated);
  if (article.authors.length) item.authors = article.authors.map((name) => ({ name: clean(name) }));
  if (article.tags.length) item.tags = article.tags.map(clean);
  item.language = article.lang || site.language;
  return JSON.stringify(item);
}

export function jsonFrame(spec: FeedSpec, site: SiteInfo): FeedFrame {
  const head = {
    version: JSON_FEED_VERSION,
    title: clean(spec.title),
    home_page_url: spec.pageUrl,
    feed_url: feedUrl(site.siteUrl, spec, 'json'),
    ...(spec.description ? { description: clean(spec.description) } : {}),
    language: site.language,
    authors: [{ name: clean(site.title) }],
  };
  const open = JSON.stringify(head).slice(0, -1);
  return { head: `${open},"items":[`, first: '\n', between: ',\n', last: '\n', tail: ']}\n' };
}

export function jsonFeed(spec: FeedSpec, site: SiteInfo, items: readonly string[]): string {
  return assembleFeed(jsonFrame(spec, site), items);
}

export function renderJson(spec: FeedSpec, site: SiteInfo): string {
  return jsonFeed(spec, site, spec.articles.map((a) => jsonItem(a, spec.content, site)));
}

/** The same characters are dropped from JSON as from XML, so all three formats agree. */
function clean(text: string): string {
  return feedSafe(text);
}
