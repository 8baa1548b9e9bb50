import type { FeedFormat, FeedSpec } from '../core/types.js';

export const FEED_FILES: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

/**
 * A folder path as it appears in a URL. Feeds reject raw non-ASCII in links
 * (RFC 3987 IRIs are not RFC 3986 URIs: the W3C validator's UriNotIri), so every
 * segment is percent-encoded: `tags/芯片` → `tags/%E8%8A%AF%E7%89%87`.
 */
export function encodePath(dir: string): string {
  // Every page links every feed of its own and the main feed: remember the answers.
  let encoded = encodedPaths.get(dir);
  if (encoded === undefined) {
    encoded = dir.split('/').filter(Boolean).map(encodeURIComponent).join('/');
    if (encodedPaths.size > 100_000) encodedPaths.clear();
    encodedPaths.set(dir, encoded);
  }
  return encoded;
}

const encodedPaths = new Map<string, string>();

export function urlOf(siteUrl: string, dir: string, file = ''): string {
  const path = encodePath(dir);
  return `${siteUrl}/${path ? `${path}/` : ''}${file}`;
}

export function feedUrl(siteUrl: string, spec: Pick<FeedSpec, 'dir'>, format: FeedFormat): string {
  return urlOf(siteUrl, spec.dir, FEED_FILES[format]);
}

export function feedPath(spec: Pick<FeedSpec, 'dir'>, format: FeedFormat): string {
  return spec.dir ? `${spec.dir}/${FEED_FILES[format]}` : FEED_FILES[format];
}
