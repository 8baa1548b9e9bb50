import type { FeedFormat, FeedSpec } from '../../core/types.js';
import { encodePath, FEED_FILES, FEED_TYPES, feedUrl } from '../../feeds/urls.js';
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
  /** The page's description, for <meta name="description">; the site's when absent. */
  description?: string;
}

export const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
export const FORMAT_LABELS: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/**
 * A link inside the site, relative to the page (`root` leads back to the site
 * root), so a local preview (`npm start`) stays on the local server. Every
 * segment percent-encoded, as in the feeds.
 */
export function siteHref(root: string, dir: string, file = ''): string {
  const path = encodePath(dir);
  return `${root}${path ? `${path}/` : ''}${file}` || './';
}

/** A link to an article's page (or its source): relative when it is inside the site. */
export function articleHref(siteUrl: string, root: string, url: string): string {
  return url.startsWith(`${siteUrl}/`) ? `${root}${url.slice(siteUrl.length + 1)}` || './' : url;
}

/**
 * Every page: lang, viewport, one shared stylesheet, autodiscovery links
 * (RSS Autodiscovery / Atom §: rel="alternate" with the feed's media type, and
 * absolute, percent-encoded URLs), and no JavaScript needed: the one script,
 * from 'self' as the worker's CSP demands, only adds copy buttons.
 */
export function layout(input: PageInput): string {
  const alternates = input.feeds.flatMap((spec) =>
    FORMATS.map(
      (f) => `<link rel="alternate" type="${FEED_TYPES[f]}" title="${esc(`${spec.title} (${FORMAT_LABELS[f]})`)}" href="${esc(feedUrl(input.site.siteUrl, spec, f))}">`,
    ),
  );
  const root = input.root;
  const description = input.description ?? input.site.description;
  return `<!doctype html>
<html lang="${esc(input.site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(input.title)}</title>
${description ? `<meta name="description" content="${esc(description)}">\n` : ''}<link rel="canonical" href="${esc(input.canonical)}">
${alternates.join('\n')}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${root}style.css">
<script src="${root}copy.js" defer></script>
</head>
<body>
<header class="site"><div class="bar"><a href="${root || './'}" class="home">${esc(input.site.title)}</a><nav><a href="${root}tags/">标签 Tags</a><a href="${root}opml.xml" type="text/x-opml">OPML</a></nav></div></header>
<main>
${input.body}
</main>
<footer class="site"><div class="bar"><span>订阅 Feeds: ${FORMATS.map((f) => `<a href="${siteHref(root, '', FEED_FILES[f])}" type="${FEED_TYPES[f]}">${FORMAT_LABELS[f]}</a>`).join(' · ')} · <a href="${root}opml.xml" type="text/x-opml">OPML</a></span></div></footer>
</body>
</html>
`;
}

/**
 * The three feeds of one feed spec, for subscribing: each a link, its absolute
 * URL in a read-only field (selectable and copyable without JavaScript), and a
 * copy button that copy.js reveals.
 */
export function feedLinks(site: SiteInfo, spec: FeedSpec, root: string): string {
  const items = FORMATS.map((f) => {
    const url = feedUrl(site.siteUrl, spec, f);
    const label = FORMAT_LABELS[f];
    return `<li><a href="${esc(siteHref(root, spec.dir, FEED_FILES[f]))}" type="${FEED_TYPES[f]}">${label}</a><input class="copy" readonly value="${esc(url)}" aria-label="${label} URL"><button type="button" class="copy-button" data-copy="${esc(url)}" hidden>复制 Copy</button></li>`;
  });
  return `<ul class="feeds">${items.join('')}</ul>`;
}

/** `RSS Atom JSON` links of one feed, compact (tags/index.html lists thousands): `href` is the feed's folder, relative, escaped. */
export function formatLinks(href: string): string {
  // Joined around the one href: the tag index writes 10,000 of these, once per build
  // that adds or deletes an article, with code that has not run before in that process.
  return FORMAT_LINKS.join(href);
}

/** What stands between the hrefs of formatLinks(): `<span…><a href="`, `rss.xml">RSS</a><a href="`, …, `</span>`. */
const FORMAT_LINKS = ['<span class="formats"><a href="', ...FORMATS.map((f, i) => `${FEED_FILES[f]}">${f === 'json' ? 'JSON' : FORMAT_LABELS[f]}</a>${i < FORMATS.length - 1 ? '<a href="' : '</span>'}`)];
