import type { Article, FeedSpec } from '../core/types.js';
import { rfc822 } from './dates.js';
import { assembleFeed, type FeedFrame } from './frame.js';
import type { SiteInfo } from './site.js';
import { htmlTextAsXml, rssText, xmlText } from './text.js';
import { feedUrl } from './urls.js';

// RSS 2.0 (https://www.rssboard.org/rss-specification), as the W3C Feed
// Validation Service checks it. Pure: the CLI and the worker can both call it.

/** One `<item>`. Depends only on the article and the content mode, so it is cached per article. */
export function rssItem(article: Article, content: FeedSpec['content']): string {
  const parts = [`<item>`, `<title>${rssText(article.title)}</title>`, `<link>${xmlText(article.url)}</link>`];
  // A guid that is the item's own URL is a permalink; otherwise say so, or the
  // spec (and the validator's InvalidHttpGUID) reads it as one.
  parts.push(`<guid isPermaLink="${article.guid === article.url}">${xmlText(article.guid)}</guid>`);
  parts.push(`<pubDate>${rfc822(article.date)}</pubDate>`);
  // <author> must be an e-mail address; names go in Dublin Core's dc:creator.
  for (const author of article.authors) parts.push(`<dc:creator>${rssText(author)}</dc:creator>`);
  for (const tag of article.tags) parts.push(`<category>${rssText(tag)}</category>`);
  // description (the summary) comes before content:encoded (the full HTML),
  // as the content module and the validator's NeedDescriptionBeforeContent ask.
  // description is HTML to every reader; the summary is plain text.
  parts.push(`<description>${htmlTextAsXml(article.summary)}</description>`);
  if (content === 'full' && article.html) parts.push(`<content:encoded>${xmlText(article.html)}</content:encoded>`);
  parts.push(`</item>`);
  return parts.join('\n');
}

/** The prefixes an RSS feed binds (its items are checked inside the same, see selfcheck.ts). */
export const RSS_NAMESPACES = 'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"';

export function rssFrame(spec: FeedSpec, site: SiteInfo): FeedFrame {
  const head = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<rss version="2.0" ${RSS_NAMESPACES}>`,
    `<channel>`,
    `<title>${rssText(spec.title)}</title>`,
    `<link>${xmlText(spec.pageUrl)}</link>`,
    `<description>${rssText(spec.description || spec.title)}</description>`,
    `<language>${xmlText(site.language)}</language>`,
    // The newest item's date, never the build time: same input, same bytes.
    `<lastBuildDate>${rfc822(spec.updated)}</lastBuildDate>`,
    `<generator>feedwright</generator>`,
    // RSS Advisory Board best practice: identify the feed's own URL.
    `<atom:link href="${xmlText(feedUrl(site.siteUrl, spec, 'rss'))}" rel="self" type="application/rss+xml"/>`,
  ];
  return { head: `${head.join('\n')}\n`, first: '', between: '\n', last: '\n', tail: '</channel>\n</rss>\n' };
}

export function rssFeed(spec: FeedSpec, site: SiteInfo, items: readonly string[]): string {
  return assembleFeed(rssFrame(spec, site), items);
}

export function renderRss(spec: FeedSpec, site: SiteInfo): string {
  return rssFeed(spec, site, spec.articles.map((a) => rssItem(a, spec.content)));
}
