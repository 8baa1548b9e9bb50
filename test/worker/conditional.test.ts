import { describe, expect, it } from 'vitest';
import { entityTags, httpDate, notModified, parseHttpDate } from '../../src/worker/conditional';
import { BROWSER_ACCEPT, feed, get, httpDateOf, listed } from './helpers';

describe('HTTP-dates (RFC 9110 §5.6.7)', () => {
  const t = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000;
  it('parses the three forms a recipient must accept', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(t);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(t);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(t);
  });
  it('ignores anything else', () => {
    for (const bogus of ['', 'yesterday', '2024-01-01', '1994-11-06T08:49:37Z', 'Sun, 06 Nov 1994 08:49:37 PST', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', '0', 'Sun, 06 Foo 1994 08:49:37 GMT']) {
      expect(parseHttpDate(bogus), bogus).toBeUndefined();
    }
  });
  it('generates IMF-fixdate', () => {
    expect(httpDate(t)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });
});

describe('notModified (RFC 9110 §13.2.2)', () => {
  const etag = '"abc"';
  const lm = 'Sun, 06 Nov 1994 08:49:37 GMT';
  it('If-None-Match: lists, *, weak comparison', () => {
    expect(notModified('"abc"', null, etag, lm)).toBe(true);
    expect(notModified('W/"abc"', null, etag, lm)).toBe(true);
    expect(notModified('"x", W/"y" ,"abc"', null, etag, lm)).toBe(true);
    expect(notModified('*', null, etag, lm)).toBe(true);
    expect(notModified('"abcd"', null, etag, lm)).toBe(false);
    expect(notModified('abc', null, etag, lm)).toBe(false);
    expect(entityTags('"a", W/"b",c')).toEqual(['"a"', '"b"']);
  });
  it('If-None-Match wins over If-Modified-Since', () => {
    expect(notModified('"other"', lm, etag, lm)).toBe(false);
  });
  it('If-Modified-Since: not modified at or after Last-Modified, bogus dates ignored', () => {
    expect(notModified(null, lm, etag, lm)).toBe(true);
    expect(notModified(null, 'Mon, 07 Nov 1994 00:00:00 GMT', etag, lm)).toBe(true);
    expect(notModified(null, 'Sat, 05 Nov 1994 00:00:00 GMT', etag, lm)).toBe(false);
    expect(notModified(null, 'not a date', etag, lm)).toBe(false);
    expect(notModified(null, null, etag, lm)).toBe(false);
  });
});

describe('conditional requests against the worker', () => {
  const url = '/tags/%E4%B8%AD%E5%9B%BD/rss.xml';

  async function expect304(res: Response, etag: string) {
    expect(res.status).toBe(304);
    expect(res.headers.get('ETag')).toBe(etag);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=3600');
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Type')).toBeNull();
    expect(res.headers.get('Content-Length')).toBeNull();
    expect(res.body).toBeNull();
  }

  it('If-None-Match with the ETag → 304, no body, same cache headers', async () => {
    const etag = `"${(await feed('tags/中国/rss.xml')).hash}"`;
    await expect304(await get(url, { headers: { 'If-None-Match': etag } }), etag);
    await expect304(await get(url, { headers: { 'If-None-Match': `"nope", W/${etag}` } }), etag);
    await expect304(await get(url, { headers: { 'If-None-Match': '*' } }), etag);
    await expect304(await get(url, { method: 'HEAD', headers: { 'If-None-Match': etag } }), etag);
  });

  it('If-None-Match with another ETag → 200 with the body', async () => {
    const res = await get(url, { headers: { 'If-None-Match': '"0000"' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<rss');
  });

  it('If-Modified-Since at or after Last-Modified → 304; before → 200; bogus → 200', async () => {
    const etag = `"${(await feed('tags/中国/rss.xml')).hash}"`;
    const [, lastModified] = await listed('/tags/中国/rss.xml');
    await expect304(await get(url, { headers: { 'If-Modified-Since': httpDateOf(lastModified) } }), etag);
    await expect304(await get(url, { headers: { 'If-Modified-Since': httpDateOf(lastModified + 86400) } }), etag);
    expect((await get(url, { headers: { 'If-Modified-Since': httpDateOf(lastModified - 1) } })).status).toBe(200);
    expect((await get(url, { headers: { 'If-Modified-Since': 'garbage' } })).status).toBe(200);
    expect((await get(url, { headers: { 'If-Modified-Since': '2099-01-01' } })).status).toBe(200);
  });

  it('If-Modified-Since is ignored when If-None-Match is present (RFC 9110 §13.1.3)', async () => {
    const [, lastModified] = await listed('/tags/中国/rss.xml');
    const res = await get(url, { headers: { 'If-None-Match': '"0000"', 'If-Modified-Since': httpDateOf(lastModified + 86400) } });
    expect(res.status).toBe(200);
  });

  it('pages revalidate too, and the negotiated page has its own validator', async () => {
    const [hash] = await listed('/index.html');
    const res = await get('/', { headers: { 'If-None-Match': `"${hash}"` } });
    expect(res.status).toBe(304);
    expect(res.headers.get('ETag')).toBe(`"${hash}"`);
    const browser = await get('/rss.xml', { headers: { Accept: BROWSER_ACCEPT, 'If-None-Match': `"${hash}"` } });
    expect(browser.status).toBe(304);
    expect(browser.headers.get('Vary')).toBe('Accept');
    const reader = await get('/rss.xml', { headers: { 'If-None-Match': `"${hash}"` } });
    expect(reader.status).toBe(200);
    await reader.body?.cancel();
  });

  it('errors and redirects are never 304', async () => {
    expect((await get('/tags/%E4%B8%AD%E5%9C%8B/rss.xml', { headers: { 'If-None-Match': '*' } })).status).toBe(301);
    expect((await get('/nope', { headers: { 'If-None-Match': '*' } })).status).toBe(404);
  });
});
