import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, bucketOf } from '../../src/core/bucket.js';
import type { Manifest, PathBucket, WorkerSite } from '../../src/core/types.js';
import { DIST, READY_TIMEOUT_MS, ROOT, startServer, type LocalServer } from './server.js';

// The real local server: `npm run serve` (wrangler dev on workerd, no build step)
// over the fixture build in test/.dist, reached over HTTP like a feed reader or
// a browser would. Expected values come from that build's manifest and _meta.

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const CSP = "default-src 'none'; style-src 'self'; img-src https: data:; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const ZHONGGUO = '/tags/%E4%B8%AD%E5%9B%BD';

let server: LocalServer | undefined;
let base = '';

beforeAll(async () => {
  server = await startServer();
  base = server.base;
}, READY_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await server?.stop();
}, 10_000);

const manifest = (): Manifest => JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8'));
const site = (): WorkerSite => JSON.parse(readFileSync(path.join(DIST, '_meta/site.json'), 'utf8'));
const hashOf = (feedPath: string) => manifest().feeds.find((f) => f.path === feedPath)!.hash;
function listed(p: string): [string, number] {
  const bucket: PathBucket = JSON.parse(readFileSync(path.join(DIST, `_meta/paths/${bucketName(bucketOf(p, site().buckets))}.json`), 'utf8'));
  return bucket[p]!;
}
const fileOf = (rel: string) => readFileSync(path.join(DIST, rel), 'utf8');

const get = (p: string, init: RequestInit = {}) => fetch(base + p, { redirect: 'manual', ...init });

/** A request with the path sent byte for byte (fetch would normalize `..`). */
function raw(p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { path: p, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm run serve, end to end', () => {
  it('serves every feed kind with its media type, ETag, Last-Modified, cache and CORS headers', async () => {
    const cases: [string, string, string][] = [
      ['/rss.xml', 'rss.xml', 'application/rss+xml; charset=utf-8'],
      ['/atom.xml', 'atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/feed.json', 'feed.json', 'application/feed+json; charset=utf-8'],
      [`${ZHONGGUO}/rss.xml`, 'tags/中国/rss.xml', 'application/rss+xml; charset=utf-8'],
      ['/tags/中国/atom.xml', 'tags/中国/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/tags/ai/feed.json', 'tags/ai/feed.json', 'application/feed+json; charset=utf-8'],
      ['/topics/ai/rss.xml', 'topics/ai/rss.xml', 'application/rss+xml; charset=utf-8'],
      ['/topics/%E8%8A%AF%E7%89%87/atom.xml', 'topics/芯片/atom.xml', 'application/atom+xml; charset=utf-8'],
    ];
    const { maxAge, staleWhileRevalidate } = site();
    for (const [url, file, type] of cases) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(type);
      expect(res.headers.get('etag'), url).toBe(`"${hashOf(file)}"`);
      const lastModified = listed(`/${file}`)[1];
      expect(res.headers.get('last-modified'), url).toBe(new Date(Math.min(lastModified * 1000, Date.now())).toUTCString());
      expect(res.headers.get('cache-control'), url).toBe(`public, max-age=${maxAge}, stale-while-revalidate=${staleWhileRevalidate}`);
      expect(res.headers.get('access-control-allow-origin'), url).toBe('*');
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('vary'), url).toBe('Accept');
      expect(await res.text(), url).toBe(fileOf(file));
    }
  });

  it('serves OPML and the manifest', async () => {
    const opml = await get('/opml.xml');
    expect(opml.status).toBe(200);
    expect(opml.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    expect(await opml.text()).toBe(fileOf('opml.xml'));
    const m = await get('/manifest.json');
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await m.json()).toEqual(manifest());
  });

  it('HEAD: headers and Content-Length, no body', async () => {
    const f = manifest().feeds.find((x) => x.path === 'tags/中国/rss.xml')!;
    const res = await get(`${ZHONGGUO}/rss.xml`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(f.bytes));
    expect(res.headers.get('etag')).toBe(`"${f.hash}"`);
    expect(await res.text()).toBe('');
  });

  it('conditional GETs: 304 with no body for If-None-Match and If-Modified-Since', async () => {
    const etag = `"${hashOf('tags/中国/rss.xml')}"`;
    const inm = await get(`${ZHONGGUO}/rss.xml`, { headers: { 'If-None-Match': etag } });
    expect(inm.status).toBe(304);
    expect(inm.headers.get('etag')).toBe(etag);
    expect(inm.headers.get('vary')).toBe('Accept');
    expect(inm.headers.get('cache-control')).toBe(`public, max-age=${site().maxAge}, stale-while-revalidate=${site().staleWhileRevalidate}`);
    expect(await inm.text()).toBe('');
    const first = await get(`${ZHONGGUO}/atom.xml`);
    await first.body?.cancel();
    const ims = await get(`${ZHONGGUO}/atom.xml`, { headers: { 'If-Modified-Since': first.headers.get('last-modified')! } });
    expect(ims.status).toBe(304);
    expect(await ims.text()).toBe('');
    const changed = await get(`${ZHONGGUO}/rss.xml`, { headers: { 'If-None-Match': '"stale"' } });
    expect(changed.status).toBe(200);
    await changed.body?.cancel();
  });

  it('aliases and folder URLs redirect to the canonical, percent-encoded URL', async () => {
    for (const [from, to] of [
      ['/tags/%E4%B8%AD%E5%9C%8B/rss.xml', `${ZHONGGUO}/rss.xml`],
      ['/tags/%EF%BC%A1%EF%BC%A9/atom.xml', '/tags/ai/atom.xml'],
      ['/tags/Ai/feed.json', '/tags/ai/feed.json'],
      ['/tags/中国', `${ZHONGGUO}/`],
      ['/topics/AI', '/topics/ai/'],
      ['/tags', '/tags/'],
    ]) {
      const res = await get(from!);
      expect(res.status, from).toBe(301);
      expect(res.headers.get('location'), from).toBe(to);
    }
  });

  it('pages: home, tag index, tag page, article page, style sheet; CSP on HTML', async () => {
    for (const [url, file, type] of [
      ['/', 'index.html', 'text/html; charset=utf-8'],
      ['/tags/', 'tags/index.html', 'text/html; charset=utf-8'],
      [`${ZHONGGUO}/`, 'tags/中国/index.html', 'text/html; charset=utf-8'],
      ['/articles/seed/', 'articles/seed.html', 'text/html; charset=utf-8'],
      ['/articles/seed/index.html', 'articles/seed.html', 'text/html; charset=utf-8'],
      ['/style.css', 'style.css', 'text/css; charset=utf-8'],
    ]) {
      const res = await get(url!);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(type);
      expect(res.headers.get('etag'), url).toBe(`"${listed(`/${file}`)[0]}"`);
      if (type!.startsWith('text/html')) expect(res.headers.get('content-security-policy'), url).toBe(CSP);
      expect(await res.text(), url).toBe(fileOf(file!));
    }
  });

  it('a browser opening a feed URL gets its readable page', async () => {
    const res = await get(`${ZHONGGUO}/rss.xml`, { headers: { Accept: BROWSER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(await res.text()).toBe(fileOf('tags/中国/index.html'));
  });

  it('unknown tags: 404 naming similar ones; other methods: 405', async () => {
    const res = await get(`/tags/${encodeURIComponent('中国人')}/rss.xml`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const body = await res.text();
    expect(body.split('\n').slice(0, 3)).toEqual(['Not found: there is no tag "中国人".', 'Similarly spelt tags:', `  中国  ${ZHONGGUO}/rss.xml`]);
    const post = await get('/rss.xml', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.body?.cancel();
  });

  it('hostile paths: 400 or 404, never 5xx, never a file outside the build', async () => {
    const wranglerToml = readFileSync(path.join(ROOT, 'test/worker/wrangler.toml'), 'utf8');
    for (const p of [
      '/tags/..%2F..%2Fwrangler.toml',
      '/tags/../../wrangler.toml',
      '/../wrangler.toml',
      '/tags/%2e%2e/%2e%2e/package.json',
      '//',
      '/tags/%00/rss.xml',
      '/tags/%zz/rss.xml',
      `/tags/${'a'.repeat(1000)}/rss.xml`,
      '/_meta/site.json',
      '/package.json',
    ]) {
      const res = await raw(p);
      // Raw `..` segments are resolved by the runtime before the worker runs
      // (`/tags/../../wrangler.toml` arrives as `/wrangler.toml`): still a 404.
      expect([400, 404], `${p}: ${res.status}`).toContain(res.status);
      expect(res.body, p).not.toContain(wranglerToml.slice(0, 40));
      expect(res.body, p).not.toContain('"devDependencies"');
    }
  });

  // 20 s: on a busy 2-CPU machine (the browser test runs beside this one) the burst can take longer than 5 s.
  it('answers a burst of 300 concurrent requests without an error', async () => {
    const urls = ['/rss.xml', `${ZHONGGUO}/atom.xml`, '/tags/%E4%B8%AD%E5%9C%8B/rss.xml', '/topics/ai/feed.json', '/', '/nope'];
    const statuses = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const res = await get(urls[i % urls.length]!);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const expected = [200, 200, 301, 200, 200, 404];
    statuses.forEach((status, i) => expect(status).toBe(expected[i % urls.length]));
  }, 20_000);
});
