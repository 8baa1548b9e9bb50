import type { FeedSpec } from '../core/types.js';
import { byCodePoint } from '../core/order.js';
import { escapeXml } from '../core/xmlchars.js';
import type { SiteInfo } from './site.js';
import { feedUrl } from './urls.js';

// OPML 2.0 (http://opml.org/spec2.opml): a subscription list, grouped main /
// topics / tags, that NetNewsWire, Feedly, Inoreader, Miniflux, FreshRSS and
// Thunderbird import. One RSS outline per feed: importing all three formats of
// every feed would subscribe a reader three times to the same articles. Tags by
// name (code point order, as the feeds' titles sort), not by use: a count that
// changes would reorder the list. No `dateModified` (every element of the head is
// optional): the newest article's date would change the file with every article
// added. So the file and its ETag change only when a feed comes, goes or is
// renamed, and a build keeps it otherwise.

const GROUP_TITLES: Record<FeedSpec['kind'], string> = { main: 'Main', topic: 'Topics', tag: 'Tags' };

export function renderOpml(specs: readonly FeedSpec[], site: SiteInfo): string {
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<opml version="2.0">`,
    `<head>`,
    `<title>${escapeXml(site.title)}</title>`,
    `</head>`,
    `<body>`,
  ];
  for (const kind of ['main', 'topic', 'tag'] as const) {
    const group = specs.filter((s) => s.kind === kind);
    if (kind === 'tag') group.sort((a, b) => byCodePoint(a.title, b.title));
    if (!group.length) continue;
    lines.push(`<outline text="${GROUP_TITLES[kind]}" title="${GROUP_TITLES[kind]}">`);
    for (const spec of group) {
      const title = escapeXml(spec.title);
      lines.push(
        `<outline type="rss" version="RSS2" text="${title}" title="${title}" xmlUrl="${escapeXml(feedUrl(site.siteUrl, spec, 'rss'))}" htmlUrl="${escapeXml(spec.pageUrl)}"/>`,
      );
    }
    lines.push(`</outline>`);
  }
  lines.push(`</body>`, `</opml>`, ``);
  return lines.join('\n');
}
