import { Hono } from 'hono';
import { articlePageFile } from '../core/article-page.js';
import type { WorkerSite } from '../core/types.js';
import { conditional } from './conditional.js';
import { isFeedFile } from './media.js';
import { getSite, lookupPath, MetaUnavailable, type Env } from './meta.js';
import { isPathError, parsePath, queryOf, rawPathOf, type ParsedPath } from './paths.js';
import { notFound, redirect, serveListed, textResponse } from './respond.js';
import { serveFeedDir } from './tags.js';

export type { Env } from './meta.js';

type AppEnv = { Bindings: Env; Variables: { path: ParsedPath } };

const ALLOW = 'GET, HEAD';

const app = new Hono<AppEnv>();

// Every response, errors and 304s included: a feed or a 404 body is never to be
// sniffed into something executable.
app.use('*', async (c, next) => {
  await next();
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
});

// The feeds are read-only: RFC 9110 §15.5.6 wants `Allow` on a 405.
app.use('*', async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    return textResponse(405, 'Method not allowed: use GET or HEAD.\n', { Allow: ALLOW });
  }
  await next();
});

// Parse the path as sent, before anything decodes it: hostile paths stop here.
app.use('*', async (c, next) => {
  const parsed = parsePath(rawPathOf(c.req.url));
  if (isPathError(parsed)) return textResponse(parsed.status, `Bad request: ${parsed.reason}\n`);
  c.set('path', parsed);
  await next();
});

app.use('*', conditional());

app.get('*', async (c) => {
  const { segments, overlong } = c.get('path');
  const site = await getSite(c.env);
  const query = queryOf(c.req.url);
  const [first, second, ...rest] = segments;
  // `_meta/` is the worker's private lookup, not part of the site.
  if (first?.name === '_meta') return notFound();
  if ((first?.name === 'tags' || first?.name === 'topics') && second && second.name !== '') {
    return serveFeedDir(c.env, site, c.req.raw, query, first.name, second, rest, overlong);
  }
  if (overlong) return notFound();
  return serveStatic(c.env, site, c.req.raw, segments.map((s) => s.name), query);
});

/** Home, the tag index, article pages, style sheet, main feeds, OPML, manifest. */
async function serveStatic(env: Env, site: WorkerSite, request: Request, names: string[], query: string): Promise<Response> {
  if (names[0] === 'articles' && names.length <= 3) return serveArticlePage(env, site, request, names, query);
  const last = names[names.length - 1] ?? '';
  const path = `/${names.join('/')}${last === '' ? 'index.html' : ''}`;
  const info = await lookupPath(env, path);
  if (info) {
    const page = names.length === 1 && isFeedFile(last) ? { page: '/index.html' } : {};
    return serveListed(env, site, request, path, info, page);
  }
  // `/tags` (or `/topics`) without the slash: its folder's page, if there is one.
  if (last !== '' && (await lookupPath(env, `${path}/index.html`))) {
    return redirect(site, `/${names.map(encodeURIComponent).join('/')}/`, query);
  }
  return notFound();
}

/**
 * `/articles/<id>/` (and `/articles/<id>/index.html`, as every folder's page),
 * stored as `articles/<id>.html` (see core/article-page.ts); `/articles/<id>`
 * redirects there. The file's own name is not a URL: an id has no dot, so
 * `/articles/<id>.html` (anything with a dot) is not found.
 */
async function serveArticlePage(env: Env, site: WorkerSite, request: Request, names: string[], query: string): Promise<Response> {
  const [, id = '', file] = names;
  if (id === '' || id.includes('.') || (file !== undefined && file !== '' && file !== 'index.html')) return notFound();
  const path = `/${articlePageFile(id)}`;
  const info = await lookupPath(env, path);
  if (!info) return notFound();
  if (file === undefined) return redirect(site, `/articles/${encodeURIComponent(id)}/`, query);
  return serveListed(env, site, request, path, info);
}

app.notFound(() => notFound());

app.onError((error) => {
  if (error instanceof MetaUnavailable) {
    return textResponse(503, 'Service unavailable: the feeds have not been built yet.\n', { 'Cache-Control': 'no-store', 'Retry-After': '60' });
  }
  console.error(error);
  return textResponse(500, 'Internal server error.\n', { 'Cache-Control': 'no-store' });
});

export default app;
