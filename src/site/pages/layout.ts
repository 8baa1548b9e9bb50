import type { FeedSpec } from '../../core/types.js';
import { FEED_TYPES, feedUrl } from '../../feeds/urls.js';
import type { SiteInfo } from '../../feeds/site.js';
import { esc } from './html.js';

export interface PageInput {
  site: SiteInfo & { description: string };
  title: string;
  /** Path from this page to the site root, e.g. `../../` for tags/x/index.html. */
  root: string;
  /** Feeds to announce with <link rel="alternate">: the main feed always, plus this page's own. */
  feeds: FeedSpec[];
  body: string;
  canonical: string;
}

/**
 * Every page: lang, viewport, one shared stylesheet, autodiscovery links
 * (RSS Autodiscovery / Atom §: rel="alternate" with the feed's media type), and
 * no JavaScript needed (the copy buttons are plain links that work without it).
 */
export function layout(input: PageInput): string {
  const alternates = input.feeds.flatMap((spec) =>
    (['rss', 'atom', 'json'] as const).map(
      (f) => `<link rel="alternate" type="${FEED_TYPES[f]}" title="${esc(`${spec.title} (${f === 'json' ? 'JSON Feed' : f.toUpperCase()})`)}" href="${esc(feedUrl(input.site.siteUrl, spec, f))}">`,
    ),
  );
  return `<!doctype html>
<html lang="${esc(input.site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(input.title)}</title>
${input.site.description ? `<meta name="description" content="${esc(input.site.description)}">\n` : ''}<link rel="canonical" href="${esc(input.canonical)}">
${alternates.join('\n')}
<link rel="stylesheet" href="${input.root}style.css">
<script src="${input.root}copy.js" defer></script>
</head>
<body>
<header class="site"><a href="${input.root}" class="home">${esc(input.site.title)}</a> <nav><a href="${input.root}tags/">标签 Tags</a> <a href="${input.root}opml.xml">OPML</a></nav></header>
<main>
${input.body}
</main>
<footer class="site"><a href="${input.root}rss.xml">RSS</a> · <a href="${input.root}atom.xml">Atom</a> · <a href="${input.root}feed.json">JSON Feed</a> · <a href="${input.root}opml.xml">OPML</a></footer>
</body>
</html>
`;
}

/** The three feed links of one feed, each with its URL shown so it can be copied without JavaScript. */
export function feedLinks(site: SiteInfo, spec: FeedSpec): string {
  const items = (['rss', 'atom', 'json'] as const).map((f) => {
    const url = feedUrl(site.siteUrl, spec, f);
    const label = f === 'json' ? 'JSON Feed' : f === 'rss' ? 'RSS' : 'Atom';
    return `<li><a href="${esc(url)}" type="${FEED_TYPES[f]}">${label}</a> <input class="copy" readonly value="${esc(url)}" aria-label="${label} URL"><button type="button" class="copy-button" data-copy="${esc(url)}" hidden>复制 Copy</button></li>`;
  });
  return `<ul class="feeds">${items.join('')}</ul>`;
}
