import { describe, expect, it } from 'vitest';
import { feed, get, listed } from './helpers';

// Tag and topic folders of the fixture build: 中国 (alias 中國), ai (named AI,
// aliases Ai, ai, ＡＩ), 美国 (alias 美國); topics ai and 芯片. Pages exist.

const ZHONGGUO = '/tags/%E4%B8%AD%E5%9B%BD';

describe('tag URLs', () => {
  it('the percent-encoded and the raw UTF-8 spelling are the same feed, no redirect', async () => {
    const f = await feed('tags/中国/rss.xml');
    for (const url of [`${ZHONGGUO}/rss.xml`, '/tags/中国/rss.xml', '/tags/%e4%b8%ad%e5%9b%bd/rss.xml']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('ETag')).toBe(`"${f.hash}"`);
      expect(res.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8');
    }
  });

  const aliases: [string, string][] = [
    ['/tags/%E4%B8%AD%E5%9C%8B/rss.xml', `${ZHONGGUO}/rss.xml`], // 中國 → 中国
    ['/tags/中國/atom.xml', `${ZHONGGUO}/atom.xml`],
    ['/tags/%E7%BE%8E%E5%9C%8B/feed.json', '/tags/%E7%BE%8E%E5%9B%BD/feed.json'], // 美國 → 美国
    ['/tags/%EF%BC%A1%EF%BC%A9/rss.xml', '/tags/ai/rss.xml'], // ＡＩ → ai
    ['/tags/Ai/atom.xml', '/tags/ai/atom.xml'],
    ['/tags/AI/feed.json', '/tags/ai/feed.json'],
    ['/tags/AI/rss.xml?utm_source=reader&x=1', '/tags/ai/rss.xml?utm_source=reader&x=1'],
    ['/tags/%E4%B8%AD%E5%9C%8B%E6%94%BF%E5%BA%9C/rss.xml', '/tags/%E4%B8%AD%E5%9B%BD%E6%94%BF%E5%BA%9C/rss.xml'], // 中國政府 → 中国政府
  ];
  for (const [from, to] of aliases) {
    it(`alias ${decodeURI(from)} → 301 ${to}`, async () => {
      const res = await get(from);
      expect(res.status).toBe(301);
      expect(res.headers.get('Location')).toBe(to);
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(await res.text()).toBe('');
    });
  }

  it('the redirect target is the feed itself', async () => {
    const first = await get('/tags/%E4%B8%AD%E5%9C%8B/rss.xml');
    const res = await get(first.headers.get('Location')!);
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe(`"${(await feed('tags/中国/rss.xml')).hash}"`);
  });

  it('/tags/<tag>/ is the tag page when one exists', async () => {
    const res = await get(`${ZHONGGUO}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('ETag')).toBe(`"${(await listed('/tags/中国/index.html'))[0]}"`);
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(res.headers.get('Vary')).toBeNull();
    expect(await res.text()).toContain('中国');
  });

  it('/tags/<tag>/index.html is the same page', async () => {
    const res = await get(`${ZHONGGUO}/index.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe(`"${(await listed('/tags/中国/index.html'))[0]}"`);
  });

  const slashes: [string, string][] = [
    [ZHONGGUO, `${ZHONGGUO}/`],
    ['/tags/中国', `${ZHONGGUO}/`],
    ['/tags/%E4%B8%AD%E5%9C%8B', `${ZHONGGUO}/`],
    ['/tags/%E4%B8%AD%E5%9C%8B/', `${ZHONGGUO}/`],
    ['/tags/AI', '/tags/ai/'],
    ['/tags/ai', '/tags/ai/'],
    ['/tags/%EF%BC%A1%EF%BC%A9/', '/tags/ai/'],
    ['/topics/ai', '/topics/ai/'],
    ['/topics/AI/', '/topics/ai/'],
    ['/topics/%E8%8A%AF%E7%89%87', '/topics/%E8%8A%AF%E7%89%87/'],
  ];
  for (const [from, to] of slashes) {
    it(`${decodeURI(from)} → 301 ${to} (one hop, to the page's folder)`, async () => {
      const res = await get(from);
      expect(res.status).toBe(301);
      expect(res.headers.get('Location')).toBe(to);
    });
  }

  it('topic feeds resolve and redirect like tags', async () => {
    const res = await get('/topics/%E8%8A%AF%E7%89%87/atom.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe(`"${(await feed('topics/芯片/atom.xml')).hash}"`);
    const upper = await get('/topics/AI/feed.json');
    expect(upper.status).toBe(301);
    expect(upper.headers.get('Location')).toBe('/topics/ai/feed.json');
  });

  it('an unknown file in a tag folder is a plain 404', async () => {
    for (const url of [`${ZHONGGUO}/index.xml`, `${ZHONGGUO}/rss.xml/x`, `${ZHONGGUO}/RSS.XML`]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).toBe('Not found.\n');
    }
  });
});

describe('unknown tags and topics: 404 naming similarly spelt ones', () => {
  it('names up to five similar tags, with their feed URL in the format asked for', async () => {
    const res = await get(`/tags/${encodeURIComponent('中国人')}/rss.xml`);
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await res.text()).toBe(
      [
        'Not found: there is no tag "中国人".',
        'Similarly spelt tags:',
        '  中国  /tags/%E4%B8%AD%E5%9B%BD/rss.xml',
        '  中国政府  /tags/%E4%B8%AD%E5%9B%BD%E6%94%BF%E5%BA%9C/rss.xml',
        '  中国经济  /tags/%E4%B8%AD%E5%9B%BD%E7%BB%8F%E6%B5%8E/rss.xml',
        '  中国国务院  /tags/%E4%B8%AD%E5%9B%BD%E5%9B%BD%E5%8A%A1%E9%99%A2/rss.xml',
        '',
      ].join('\n'),
    );
  });

  it('never more than five', async () => {
    const body = await (await get(`/tags/${encodeURIComponent('2月2')}/atom.xml`)).text();
    const lines = body.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['Not found: there is no tag "2月2".', 'Similarly spelt tags:']);
    expect(lines.length).toBe(7);
    for (const line of lines.slice(2)) expect(line).toMatch(/^ {2}2月\S*  \/tags\/2%E6%9C%88\S*\/atom\.xml$/);
  });

  it('a folder URL gets folder links; a single character still finds its tag', async () => {
    const res = await get(`/tags/${encodeURIComponent('芯')}/`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found: there is no tag "芯".\nSimilarly spelt tags:\n  芯片  /tags/%E8%8A%AF%E7%89%87/\n');
  });

  it('nothing similar: just says so', async () => {
    const res = await get('/tags/zzzz-nothing/rss.xml');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found: there is no tag "zzzz-nothing".\n');
  });

  it('unknown topics suggest topics', async () => {
    const res = await get('/topics/ai-chips/rss.xml');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found: there is no topic "ai-chips".\nSimilarly spelt topics:\n  AI  /topics/ai/rss.xml\n');
  });

  it('a tag is not a topic: /topics/中国/ is unknown', async () => {
    const res = await get(`/topics/${encodeURIComponent('中国')}/`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found: there is no topic "中国".\n');
  });
});
