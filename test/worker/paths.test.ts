import { describe, expect, it } from 'vitest';
import { isPathError, parsePath, queryOf, rawPathOf } from '../../src/worker/paths';
import { bytesOf, CSP, get, httpDateOf, listed } from './helpers';

describe('parsePath', () => {
  it('decodes and NFC-normalizes segments, keeping the spelling sent', () => {
    const parsed = parsePath('/tags/cafe%CC%81/rss.xml');
    expect(isPathError(parsed)).toBe(false);
    if (isPathError(parsed)) return;
    expect(parsed.segments.map((s) => [s.decoded, s.name])).toEqual([
      ['tags', 'tags'],
      ['cafe\u0301', 'café'],
      ['rss.xml', 'rss.xml'],
    ]);
  });
  it('a trailing slash is a last empty segment', () => {
    const parsed = parsePath('/tags/x/');
    expect(!isPathError(parsed) && parsed.segments.map((s) => s.name)).toEqual(['tags', 'x', '']);
  });
  it('refuses what could escape the folder or is not a name', () => {
    for (const raw of ['/tags/..%2F..%2Fwrangler.toml', '/tags/%2e%2e/rss.xml', '/tags/../rss.xml', '/tags/./rss.xml', '//', '/a//b', '/%00', '/tags/%zz/rss.xml', '/tags/%E8%8A/rss.xml', '/%C0%AF', '/%5c..%5c', '/a%0Ab', 'rss.xml']) {
      const parsed = parsePath(raw);
      expect(isPathError(parsed) && parsed.status, raw).toBe(400);
    }
    expect(isPathError(parsePath(`/${'a'.repeat(3000)}`))).toBe(true);
  });
  it('marks overlong segments', () => {
    const parsed = parsePath(`/tags/${'a'.repeat(300)}/rss.xml`);
    expect(!isPathError(parsed) && parsed.overlong).toBe(true);
  });
  it('reads the raw path and query from the URL string', () => {
    expect(rawPathOf('http://h:8787/tags/%E4%B8%AD/rss.xml?x=1#f')).toBe('/tags/%E4%B8%AD/rss.xml');
    expect(rawPathOf('http://h')).toBe('/');
    expect(queryOf('http://h/a?x=1&y=2#f')).toBe('?x=1&y=2');
    expect(queryOf('http://h/a?')).toBe('');
  });
});

describe('hostile paths: 400 or 404, never 5xx, never a file outside the build', () => {
  const hostile = [
    '/tags/..%2F..%2Fwrangler.toml',
    '/tags/..%2f..%2fpackage.json',
    '/tags/%2e%2e%2f%2e%2e%2fwrangler.toml',
    '/tags/..%5C..%5Cwrangler.toml',
    '//',
    '//etc/passwd',
    '/tags//rss.xml',
    '/tags/%00/rss.xml',
    '/rss.xml%00',
    '/tags/%zz/rss.xml',
    '/tags/%/rss.xml',
    '/tags/%E4%B8/rss.xml',
    '/tags/%C0%AE%C0%AE/rss.xml',
    '/tags/%ED%A0%80/rss.xml',
    `/tags/${'a'.repeat(300)}/rss.xml`,
    `/tags/${'%E4%B8%AD'.repeat(200)}/rss.xml`,
    `/${'a'.repeat(5000)}`,
    '/_meta/site.json',
    '/_meta/tagnames.json',
    '/_meta/paths/000.json',
    '/%5Fmeta/site.json',
    '/_meta',
    '/_meta/',
    '/wrangler.toml',
    '/package.json',
    '/tags/rss.xml',
    '/.git/config',
    '/index.html/',
    '/tags/%E4%B8%AD%E5%9B%BD/../../wrangler.toml',
    '/tags/%E4%B8%AD%E5%9B%BD/%2e%2e/%2e%2e/wrangler.toml',
  ];
  for (const path of hostile) {
    it(path.length > 60 ? `${path.slice(0, 60)}…` : path, async () => {
      const res = await get(path);
      expect([400, 404], `${res.status}`).toContain(res.status);
      expect(res.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      const body = await res.text();
      expect(body).toMatch(/^(Bad request|Not found)/);
      expect(body).not.toContain('compatibility_date');
      expect(body).not.toContain('"buckets"');
    });
  }

  it('/tags/%2e%2e/rss.xml: URL parsing resolves the dot segment before the worker runs, so it is /rss.xml', async () => {
    // Clients, the runtime and `new Request` all treat %2e%2e as `..` (WHATWG URL;
    // RFC 3986 §6.2.2.2 makes %2E equivalent to "."): the worker never sees it,
    // and what it serves is the main feed, inside the build.
    expect(new Request('http://feeds.test/tags/%2e%2e/rss.xml').url).toBe('http://feeds.test/rss.xml');
    const res = await get('/tags/%2e%2e/rss.xml');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(await bytesOf('/rss.xml'));
  });

  it('prototype names are not tags or files', async () => {
    for (const url of ['/tags/constructor/rss.xml', '/tags/__proto__/rss.xml', '/tags/toString/', '/constructor', '/__proto__', '/hasOwnProperty/']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      await res.body?.cancel();
    }
  });
});

describe('other paths', () => {
  it('/ is the home page; /tags/ the tag index; /style.css and /copy.js the page assets', async () => {
    const cases: [string, string][] = [
      ['/', 'text/html; charset=utf-8'],
      ['/index.html', 'text/html; charset=utf-8'],
      ['/tags/', 'text/html; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/copy.js', 'text/javascript; charset=utf-8'],
      ['/articles/seed/', 'text/html; charset=utf-8'],
    ];
    for (const [url, type] of cases) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('Content-Type'), url).toBe(type);
      expect(res.headers.get('ETag'), url).toMatch(/^"[0-9a-f]{32}"$/);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      await res.body?.cancel();
    }
  });
  it("an article's page is served at its folder's URL from the file it is stored in (articles/<id>.html)", async () => {
    const [hash, lastModified] = await listed('/articles/seed.html');
    for (const url of ['/articles/seed/', '/articles/seed/index.html']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('ETag'), url).toBe(`"${hash}"`);
      expect(res.headers.get('Last-Modified'), url).toBe(httpDateOf(lastModified));
      expect(res.headers.get('Content-Security-Policy'), url).toBe(CSP);
      expect(await res.text(), url).toContain('<link rel="stylesheet" href="../../style.css">');
    }
    const revalidated = await get('/articles/seed/', { headers: { 'If-None-Match': `"${hash}"` } });
    expect(revalidated.status).toBe(304);
    // The file's own name is not a URL (an id has no dot), nor is anything below the page.
    for (const url of ['/articles/seed.html', '/articles/seed.html/', '/articles/seed/x', '/articles/seed/index.htm', '/articles/seed/index.html/']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).toBe('Not found.\n');
    }
  });
  it('folders without their slash redirect to it', async () => {
    for (const [from, to] of [
      ['/tags', '/tags/'],
      ['/articles/seed', '/articles/seed/'],
      ['/articles/seed?x=1', '/articles/seed/?x=1'],
      ['/tags?x=1', '/tags/?x=1'],
    ]) {
      const res = await get(from!);
      expect(res.status, from).toBe(301);
      expect(res.headers.get('Location')).toBe(to);
    }
  });
  it('unknown paths: a clean 404', async () => {
    for (const url of ['/nope', '/articles/nope/', '/articles/', '/topics/', '/topics', '/favicon.ico', '/rss.xml/']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).toBe('Not found.\n');
    }
  });
});
