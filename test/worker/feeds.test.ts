import { describe, expect, it } from 'vitest';
import { BROWSER_ACCEPT, bytesOf, feed, get, httpDateOf, listed, READER_ACCEPT, site } from './helpers';

// Every feed route kind: main, tag, topic, OPML and manifest, in every format,
// with the exact headers a feed reader relies on.

const TYPES = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
} as const;

const FEED_DIRS = ['', 'tags/中国/', 'tags/ai/', 'topics/ai/', 'topics/芯片/'];

describe('feeds', () => {
  it('uses the configured cache lifetimes (fixture: maxAge 300, stale-while-revalidate 3600)', async () => {
    const s = await site();
    expect([s.maxAge, s.staleWhileRevalidate]).toEqual([300, 3600]);
  });

  for (const dir of FEED_DIRS) {
    for (const [file, type] of Object.entries(TYPES)) {
      const path = `/${dir}${file}`;
      it(`GET ${path}: the file, its media type, ETag from the manifest, Last-Modified, cache, CORS`, async () => {
        const res = await get(encodeURI(path));
        const f = await feed(`${dir}${file}`);
        const [, lastModified] = await listed(path);
        expect(res.status).toBe(200);
        expect(res.headers.get('Content-Type')).toBe(type);
        expect(res.headers.get('ETag')).toBe(`"${f.hash}"`);
        expect(lastModified).toBe(Math.floor(Date.parse(f.updated) / 1000));
        expect(res.headers.get('Last-Modified')).toBe(httpDateOf(lastModified));
        expect(res.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=3600');
        expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
        expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
        expect(res.headers.get('Vary')).toBe('Accept');
        expect(res.headers.get('Content-Security-Policy')).toBeNull();
        const body = await res.text();
        expect(body).toBe(await bytesOf(path));
        expect(new TextEncoder().encode(body).length).toBe(f.bytes);
      });
    }
  }

  it('a feed reader Accept header still gets the feed', async () => {
    const res = await get('/tags/%E4%B8%AD%E5%9B%BD/atom.xml', { headers: { Accept: READER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    expect(await res.text()).toContain('<feed');
  });

  it('serves OPML and the manifest with their own media types', async () => {
    const opml = await get('/opml.xml');
    expect(opml.status).toBe(200);
    expect(opml.headers.get('Content-Type')).toBe('text/x-opml; charset=utf-8');
    expect(opml.headers.get('ETag')).toBe(`"${(await listed('/opml.xml'))[0]}"`);
    expect(opml.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(opml.headers.get('Vary')).toBeNull();
    expect(await opml.text()).toContain('<opml');

    const manifest = await get('/manifest.json');
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(manifest.headers.get('ETag')).toBe(`"${(await listed('/manifest.json'))[0]}"`);
    expect(((await manifest.json()) as { version: number }).version).toBe(1);
  });

  it('HEAD: the same headers and the Content-Length of the GET, no body', async () => {
    const f = await feed('tags/中国/rss.xml');
    const res = await get('/tags/%E4%B8%AD%E5%9B%BD/rss.xml', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers.get('ETag')).toBe(`"${f.hash}"`);
    expect(res.headers.get('Content-Length')).toBe(String(f.bytes));
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.body).toBeNull();
  });

  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    it(`${method} is 405 with Allow: GET, HEAD`, async () => {
      const res = await get('/rss.xml', { method, body: method === 'POST' || method === 'PUT' ? 'x' : undefined });
      expect(res.status).toBe(405);
      expect(res.headers.get('Allow')).toBe('GET, HEAD');
      expect(res.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(await res.text()).toBe('Method not allowed: use GET or HEAD.\n');
    });
  }
});

describe('browsers get the readable page of a feed', () => {
  const cases: [string, string][] = [
    ['/rss.xml', '/index.html'],
    ['/feed.json', '/index.html'],
    ['/tags/%E4%B8%AD%E5%9B%BD/atom.xml', '/tags/中国/index.html'],
    ['/topics/ai/rss.xml', '/topics/ai/index.html'],
  ];
  it('a bare "Accept: text/html" gets the page too (ranges that do not match count for nothing)', async () => {
    const res = await get('/atom.xml', { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('Vary')).toBe('Accept');
    const feed = await get('/atom.xml', { headers: { Accept: 'application/atom+xml, text/html;q=0.5' } });
    expect(feed.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
  });

  for (const [url, page] of cases) {
    it(`${url} with a browser's Accept is ${page}, text/html, CSP, Vary: Accept`, async () => {
      const res = await get(url, { headers: { Accept: BROWSER_ACCEPT } });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('Vary')).toBe('Accept');
      expect(res.headers.get('ETag')).toBe(`"${(await listed(page))[0]}"`);
      expect(res.headers.get('Content-Security-Policy')).toBe(
        "default-src 'none'; style-src 'self'; img-src https: data:; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
      const html = await res.text();
      expect(html).toBe(await bytesOf(page));
      expect(html).toMatch(/^<!doctype html>/i);
    });
  }

  it('the page and the feed have different ETags, so a cache cannot mix them up', async () => {
    const html = await get('/rss.xml', { headers: { Accept: BROWSER_ACCEPT } });
    const xml = await get('/rss.xml');
    expect(html.headers.get('ETag')).not.toBe(xml.headers.get('ETag'));
  });
});
