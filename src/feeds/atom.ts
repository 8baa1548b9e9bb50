import type { Article, FeedSpec } from '../core/types.js';
import { rfc3339 } from './dates.js';
import { assembleFeed, type FeedFrame } from './frame.js';
import type { SiteInfo } from './site.js';
import { htmlTextAsXml, looksLikeMarkup, xmlText } from './text.js';
import { feedUrl } from './urls.js';

// Atom 1.0 (RFC 4287). Pure, like every serializer.

/**
 * One `<entry>`. `updated` is the article's unless the feed had to move it: the
 * W3C validator warns (DuplicateUpdated) when two entries of one feed share an
 * `updated` instant, and archives often have several articles stamped in the same
 * minute, so `updatedEntries` steps a repeated instant back by whole seconds.
 */
export function atomEntry(article: Article, content: FeedSpec['content'], updated = article.updated): string {
  const parts = [
    `<entry>`,
    textConstruct('title', article.title),
    `<id>${xmlText(article.guid)}</id>`,
    `<link rel="alternate" type="text/html" href="${xmlText(article.url)}"/>`,
  ];
  // rel="via" (RFC 4287 §4.2.7.2): the original this article was reposted from.
  if (article.source && article.source !== article.url) parts.push(`<link rel="via" href="${xmlText(article.source)}"/>`);
  parts.push(`<published>${rfc3339(article.date)}</published>`, `<updated>${rfc3339(updated)}</updated>`);
  for (const author of article.authors) parts.push(`<author><name>${xmlText(author)}</name></author>`);
  for (const tag of article.tags) parts.push(`<category term="${xmlText(tag)}"/>`);
  if (article.summary) parts.push(textConstruct('summary', article.summary));
  // §4.1.3: type="html" says the content is escaped HTML, to be rendered.
  if (content === 'full' && article.html) parts.push(`<content type="html">${xmlText(article.html)}</content>`);
  else if (!article.summary) parts.push(`<content type="text">${xmlText(article.title)}</content>`);
  parts.push(`</entry>`);
  return parts.join('\n');
}

/** Each article's `updated` instant in this feed, unique within it (see atomEntry). */
export function updatedEntries(articles: readonly Article[]): number[] {
  const used = new Set<number>();
  return articles.map((a) => {
    let when = a.updated;
    while (used.has(when)) when -= 1000;
    used.add(when);
    return when;
  });
}

/** What an Atom feed binds: the Atom namespace as the default, no prefix (its entries are checked inside the same, see selfcheck.ts). */
export const ATOM_NAMESPACES = 'xmlns="http://www.w3.org/2005/Atom"';

export function atomFrame(spec: FeedSpec, site: SiteInfo): FeedFrame {
  const self = feedUrl(site.siteUrl, spec, 'atom');
  const head = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed ${ATOM_NAMESPACES} xml:lang="${xmlText(site.language)}">`,
    `<title type="text">${xmlText(spec.title)}</title>`,
  ];
  if (spec.description) head.push(`<subtitle type="text">${xmlText(spec.description)}</subtitle>`);
  head.push(
    `<id>${xmlText(self)}</id>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(spec.pageUrl)}"/>`,
    // §4.1.1: the newest item's instant, never the build time.
    `<updated>${rfc3339(spec.updated)}</updated>`,
    // §4.1.1: a feed must have an author unless every entry has one.
    `<author><name>${xmlText(site.title)}</name></author>`,
    `<generator>feedwright</generator>`,
  );
  return { head: `${head.join('\n')}\n`, first: '', between: '\n', last: '\n', tail: '</feed>\n' };
}

export function atomFeed(spec: FeedSpec, site: SiteInfo, entries: readonly string[]): string {
  return assembleFeed(atomFrame(spec, site), entries);
}

export function renderAtom(spec: FeedSpec, site: SiteInfo): string {
  const updated = updatedEntries(spec.articles);
  return atomFeed(spec, site, spec.articles.map((a, i) => atomEntry(a, spec.content, updated[i])));
}

/**
 * An Atom text construct (§3.1) holding plain text. Text shaped like markup goes in
 * as `type="html"`, escaped twice, so that readers show "<b>" rather than bold and
 * the validator does not take it for undeclared HTML (ContainsUndeclaredHTML).
 */
function textConstruct(name: string, text: string): string {
  return looksLikeMarkup(text) ? `<${name} type="html">${htmlTextAsXml(text)}</${name}>` : `<${name} type="text">${xmlText(text)}</${name}>`;
}
