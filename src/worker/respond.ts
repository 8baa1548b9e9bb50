import type { WorkerSite } from '../core/types.js';
import { prefersHtml } from './browser.js';
import { httpDate, notModified } from './conditional.js';
import { contentTypeOf, HTML_CSP, isHtml, mediaTypeOf, TEXT_PLAIN } from './media.js';
import { fetchAsset, lookupPath, type Env, type PathInfo } from './meta.js';

// Every response the worker makes: a listed file from the build with its
// validators and cache headers, a redirect, or a short plain-text error.

export function cacheControl(site: WorkerSite): string {
  return `public, max-age=${site.maxAge}, stale-while-revalidate=${site.staleWhileRevalidate}`;
}

export function textResponse(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { 'Content-Type': TEXT_PLAIN, 'Access-Control-Allow-Origin': '*', ...headers },
  });
}

/** A missing file may appear on the next build: let caches keep the 404 only briefly. */
export function notFound(body = 'Not found.\n'): Response {
  return textResponse(404, body, { 'Cache-Control': 'public, max-age=60' });
}

/**
 * A permanent redirect to a path-absolute location (RFC 9110 §10.2.2 allows a
 * relative reference), so it is right on 127.0.0.1 and on the deployed host alike.
 */
export function redirect(site: WorkerSite, location: string, query: string): Response {
  return new Response(null, {
    status: 301,
    headers: {
      Location: location + query,
      'Cache-Control': `public, max-age=${site.maxAge}`,
      // A web reader fetching cross-origin must be allowed to follow the redirect too.
      'Access-Control-Allow-Origin': '*',
    },
  });
}

export interface ServeOptions {
  /** The readable page for this feed, offered to browsers (`Vary: Accept`). */
  page?: string;
}

/**
 * A listed file with its validators. The conditional middleware turns the 200 into a 304 when the validators match.
 */
export async function serveListed(
  env: Env,
  site: WorkerSite,
  request: Request,
  path: string,
  info: PathInfo,
  options: ServeOptions = {},
): Promise<Response> {
  const headers = new Headers({ 'Cache-Control': cacheControl(site) });
  let servedPath = path;
  let servedInfo = info;
  if (options.page) {
    const pageInfo = await lookupPath(env, options.page);
    if (pageInfo) {
      // Whichever is chosen, the choice depended on Accept (RFC 9110 §12.5.5).
      headers.set('Vary', 'Accept');
      if (prefersHtml(request.headers.get('Accept'), mediaTypeOf(contentTypeOf(path)))) {
        servedPath = options.page;
        servedInfo = pageInfo;
      }
    }
  }
  const contentType = contentTypeOf(servedPath);
  const etag = `"${servedInfo.hash}"`;
  const lastModified = servedInfo.lastModified > 0 ? httpDate(Math.min(servedInfo.lastModified, Math.floor(Date.now() / 1000))) : null;
  // The validators come from `_meta`, so a revalidation is answered before the
  // asset is read at all: a 304 costs one small lookup, not a 1 MB fetch.
  if (notModified(request.headers.get('If-None-Match'), request.headers.get('If-Modified-Since'), etag, lastModified)) {
    // The same headers the conditional() middleware keeps on a 304 (RETAINED_304_HEADERS).
    headers.set('ETag', etag);
    if (!isHtml(contentType)) headers.set('Access-Control-Allow-Origin', '*');
    return new Response(null, { status: 304, headers });
  }
  const asset = await fetchAsset(env, servedPath);
  if (asset.status !== 200) {
    // Listed but absent: `_meta/` and the files disagree (a half-deployed build).
    await asset.body?.cancel();
    return notFound();
  }
  headers.set('Content-Type', contentType);
  // The generator's content hash: a strong validator (RFC 9110 §8.8.1), the
  // same for every representation byte-for-byte equal, across deploys.
  headers.set('ETag', etag);
  // Never later than the response's own date (RFC 9110 §8.8.2.1).
  if (lastModified) headers.set('Last-Modified', lastModified);
  if (isHtml(contentType)) headers.set('Content-Security-Policy', HTML_CSP);
  // Feeds, OPML and the manifest are public data that web readers fetch cross-origin.
  else headers.set('Access-Control-Allow-Origin', '*');
  if (request.method === 'HEAD') {
    // The asset store sends no Content-Length header; a HEAD should carry the
    // length a GET would have (RFC 9110 §9.3.2), so measure the body once.
    headers.set('Content-Length', String((await asset.arrayBuffer()).byteLength));
    return new Response(null, { status: 200, headers });
  }
  return new Response(asset.body, { status: 200, headers });
}
