// Content types by file name. Feed readers sniff less when told exactly, and the
// `charset` spares them guessing (the generator writes UTF-8 everywhere).

export const FEED_FILES = ['rss.xml', 'atom.xml', 'feed.json'] as const;
export type FeedFile = (typeof FEED_FILES)[number];

const BY_NAME: Record<string, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
  'opml.xml': 'text/x-opml; charset=utf-8',
  'manifest.json': 'application/json; charset=utf-8',
};

const BY_EXTENSION: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
};

export const TEXT_PLAIN = 'text/plain; charset=utf-8';

/**
 * Pages may load only the site's own stylesheet and script and https images
 * (article bodies embed them): nothing injected into an article can run or post.
 */
export const HTML_CSP =
  "default-src 'none'; style-src 'self'; img-src https: data:; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function isFeedFile(name: string): name is FeedFile {
  return (FEED_FILES as readonly string[]).includes(name);
}

export function contentTypeOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const known = BY_NAME[name];
  if (known) return known;
  const dot = name.lastIndexOf('.');
  return (dot > 0 && BY_EXTENSION[name.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

export function isHtml(contentType: string): boolean {
  return contentType.startsWith('text/html');
}

/** The bare media type, for matching against `Accept`. */
export function mediaTypeOf(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}
