import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { parseConfig } from '../../src/config/schema.js';
import { tempDir } from './helpers.js';

describe('config', () => {
  it('fills every default', () => {
    const config = parseConfig({ title: 'T', siteUrl: 'https://e.org/' }, 'c.json');
    expect(config).toEqual({
      title: 'T',
      description: '',
      siteUrl: 'https://e.org',
      language: 'zh-CN',
      pattern: '**/*.md',
      items: 50,
      tagItems: 20,
      topicItems: 50,
      minTagArticles: 1,
      tagFeedContent: 'full',
      wikiLinks: 'text',
      articlePages: true,
      maxFileBytes: 8388608,
      futureGraceHours: 24,
      trustFolderTimes: true,
      maxAge: 300,
      staleWhileRevalidate: 3600,
      topics: [],
    });
  });

  it('reports every problem in one sentence naming the file', () => {
    expect(() => parseConfig({ title: '', siteUrl: 'ftp://x', items: 0, topics: [{ slug: '../x', title: 'X' }], extra: 1 }, 'site.json')).toThrow(
      /^Config site\.json is invalid: title: .*; siteUrl: must be an absolute http\(s\) URL; items: .*; topics\.0\.slug: .*\.$/,
    );
  });

  it('says when the file is missing or not JSON', async () => {
    const dir = await tempDir();
    await expect(loadConfig(path.join(dir, 'none.json'))).rejects.toThrow(`Config ${path.join(dir, 'none.json')} cannot be read (no such file).`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'bad.json'), '{ nope');
    await expect(loadConfig(path.join(dir, 'bad.json'))).rejects.toThrow(/^Config .*bad\.json is not valid JSON: /);
  });

  it('takes --site-url over the file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'c.json'), JSON.stringify({ title: 'T', siteUrl: 'https://a.org' }));
    expect((await loadConfig(path.join(dir, 'c.json'), { siteUrl: 'https://b.org/feeds/' })).siteUrl).toBe('https://b.org/feeds');
  });
});
