import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/build.js';
import { buildInto, FIXTURES, makeArchive, read, testConfig } from './helpers.js';

const seed = readFileSync(path.join(FIXTURES, 'archive/seed.md'));
const IMAGE = 'https://gdb.voanews.com/01000000-c0a8-0242-d7b8-08dbe6ae6aba_w100_r1.jpg';

describe('the seed article, built', () => {
  let out: string;
  let result: BuildResult;
  let json: { items: Record<string, unknown>[] } & Record<string, unknown>;
  beforeAll(async () => {
    ({ out, result } = await buildInto(await makeArchive({ '000_9a1c199ce0a7f35e.md': seed, 'README.md': '# index\n' })));
    json = JSON.parse(await read(out, 'feed.json'));
  });

  it('is the one article (README.md is not one)', () => {
    expect(result.found).toBe(1);
    expect(result.published).toBe(1);
    expect(result.problems).toEqual([]);
    expect(result.dateSources).toEqual({ 'front-matter': 0, stamp: 1, git: 0, mtime: 0 });
  });

  it('has its title, UTC date, no author, its source and a stable id', () => {
    const item = json.items[0]!;
    expect(item.title).toBe('Sora掀起中国“AI焦虑” 分析:专制之下生成式AI难发展');
    expect(item.date_published).toBe('2024-03-03T18:29:00Z');
    expect(item.authors).toBeUndefined();
    expect(item.external_url).toBe('https://gnews.org/articles/2361431');
    expect(item.id).toBe('https://feeds.example.org/articles/000_9a1c199ce0a7f35e/');
    expect(item.url).toBe('https://feeds.example.org/articles/000_9a1c199ce0a7f35e/');
  });

  it('has its tags, 芯片, 美国 and 人工智能 among them', () => {
    const tags = json.items[0]!.tags as string[];
    expect(tags.slice(0, 6)).toEqual(['美国', '公司', '2月', '人工智能', '中国', '中国国务院']);
    expect(tags).toContain('芯片');
    expect(tags.length).toBe(57);
  });

  it('renders content without wiki links, navigation, stamp or repeated images', () => {
    const html = json.items[0]!.content_html as string;
    expect(html).not.toContain('[[zh:');
    expect(html).not.toContain(':house:');
    expect(html).not.toContain('轉載自GNews');
    expect(html.split(IMAGE).length - 1).toBe(1);
    expect(html.startsWith('<p>美国新创公司Open AI2月中旬发布人工智能 (AI)模型Sora，')).toBe(true);
    expect(html).toContain('<p>请同时参阅：习近平大谈“新质生产力”分析: 反映科技落后焦虑感</p>');
    expect(html).toContain(`<img src="${IMAGE}" alt="资料照：中国国家主席习近平2023年11月15日在旧金山出席美国商界主办的晚宴并发表讲话。" title="资料照：中国国家主席习近平2023年11月15日在旧金山出席美国商界主办的晚宴并发表讲话。" />`);
  });

  it('has the opening paragraph (171 characters, under the cut) as its summary', () => {
    const summary = json.items[0]!.summary as string;
    expect([...summary].length).toBe(171);
    expect(summary.startsWith('美国新创公司Open AI2月中旬发布人工智能 (AI)模型Sora，')).toBe(true);
    expect(summary.endsWith('限缩研发人员的创意想像空间。')).toBe(true);
  });

  it('writes the feeds, pages and lookup files', async () => {
    const rss = await read(out, 'rss.xml');
    expect(rss).toContain('<pubDate>Sun, 03 Mar 2024 18:29:00 GMT</pubDate>');
    expect(rss).toContain('<lastBuildDate>Sun, 03 Mar 2024 18:29:00 GMT</lastBuildDate>');
    expect(rss).not.toContain('<dc:creator>');
    const atom = await read(out, 'tags/芯片/atom.xml');
    expect(atom).toContain('<link rel="self" type="application/atom+xml" href="https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/atom.xml"/>');
    expect(atom).toContain('<published>2024-03-03T18:29:00Z</published>');
    expect(atom).toContain('<link rel="via" href="https://gnews.org/articles/2361431"/>');
    const page = await read(out, 'articles/000_9a1c199ce0a7f35e.html');
    expect(page).toContain('<time datetime="2024-03-03T18:29:00.000Z">2024-03-03 18:29 UTC</time>');
  });
});

describe('dates under three time zones', () => {
  it('are the same instant', async () => {
    const archive = await makeArchive({ 'seed.md': seed });
    const dates: string[] = [];
    for (const tz of ['Asia/Shanghai', 'America/Los_Angeles', 'UTC']) {
      const before = process.env.TZ;
      process.env.TZ = tz;
      try {
        const { out } = await buildInto(archive, testConfig());
        dates.push(JSON.parse(await read(out, 'feed.json')).items[0].date_published);
      } finally {
        process.env.TZ = before;
      }
    }
    expect(dates).toEqual(['2024-03-03T18:29:00Z', '2024-03-03T18:29:00Z', '2024-03-03T18:29:00Z']);
  });
});
