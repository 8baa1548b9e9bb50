import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import type { Article, FeedFormat, FeedSpec } from '../../src/core/types.js';
import { atomEntry, atomFrame } from '../../src/feeds/atom.js';
import { assembleFeed, type FeedFrame } from '../../src/feeds/frame.js';
import { piece } from '../../src/feeds/items.js';
import { jsonFrame, jsonItem } from '../../src/feeds/jsonfeed.js';
import { rssFrame, rssItem } from '../../src/feeds/rss.js';
import { ItemReuse, itemStarts, type ArticleMade } from '../../src/site/item-reuse.js';
import { listFiles, makeArchive, tempDir, testConfig } from './helpers.js';

const NOW = Date.UTC(2026, 0, 1);

describe('feed items read back from the last build', () => {
  const feed = new TextEncoder().encode('<rss><item>one</item><item>two</item></rss>');
  const item = piece('<item>two</item>');
  const digest = createHash('sha256').update(item.buf).digest('hex').slice(0, 16);
  const previous = new Map<string, ArticleMade>([
    ['a.md', { fingerprint: 'fa', summary: 'Two.', items: [{ key: 'rss:full', rel: 'rss.xml', offset: 21, length: 16, digest }] }],
  ]);
  const reader = (rel: string, offset: number, length: number) => (rel === 'rss.xml' ? feed.slice(offset, offset + length) : undefined);

  it('gives the bytes back, with their sha256, when the article and the bytes are unchanged', () => {
    const reuse = new ItemReuse(previous, reader);
    const got = reuse.item('a.md', 'fa', 'rss:full')!;
    expect(new TextDecoder().decode(got.buf)).toBe('<item>two</item>');
    expect(Buffer.from(got.digest).toString('hex')).toBe(Buffer.from(item.digest).toString('hex'));
    expect(reuse.summary('a.md', 'fa')).toBe('Two.');
    expect(reuse.reused).toBe(1);
  });

  it('gives nothing for a changed article, another item, or bytes that are not what was recorded', () => {
    const reuse = new ItemReuse(previous, reader);
    expect(reuse.item('a.md', 'changed', 'rss:full')).toBeUndefined();
    expect(reuse.summary('a.md', 'changed')).toBeUndefined();
    expect(reuse.item('a.md', 'fa', 'atom:full')).toBeUndefined();
    const edited = new TextEncoder().encode('<rss><item>one</item><item>TWO</item></rss>');
    expect(new ItemReuse(previous, (_r, o, l) => edited.slice(o, o + l)).item('a.md', 'fa', 'rss:full')).toBeUndefined();
    expect(new ItemReuse(previous, () => undefined).item('a.md', 'fa', 'rss:full')).toBeUndefined();
    expect(reuse.reused).toBe(0);
  });

  it('hands on what this build recorded, and what it kept of the last build', () => {
    const reuse = new ItemReuse(previous, reader);
    reuse.record('b.md', 'fb', () => 'B.', 'rss:full', 'tags/x/rss.xml', 100, item);
    reuse.record('b.md', 'fb', () => 'B.', 'rss:full', 'rss.xml', 5, item);
    const kept = reuse.finish(
      new Map([
        ['a.md', 'fa'],
        ['b.md', 'fb'],
      ]),
      (rel) => rel === 'rss.xml',
    );
    expect([...kept.keys()]).toEqual(['b.md', 'a.md']);
    // The first place an item was written is the one remembered.
    expect(kept.get('b.md')!.items).toEqual([{ key: 'rss:full', rel: 'tags/x/rss.xml', offset: 100, length: 16, digest }]);
    expect(kept.get('a.md')!.summary).toBe('Two.');
    // Not when the feed was written again, nor when the article changed.
    expect(new ItemReuse(previous, reader).finish(new Map([['a.md', 'fa']]), () => false).size).toBe(0);
    expect(new ItemReuse(previous, reader).finish(new Map([['a.md', 'other']]), () => true).size).toBe(0);
  });
});

describe('the items of a feed found in its last version', () => {
  const site = { title: 'Site', siteUrl: 'https://feeds.example.org', language: 'zh-CN' };
  // Text that looks like the markers: escaped in XML, a string in JSON (with a line break).
  const article = (n: number, body: string): Article => ({
    id: `a${n}`,
    file: `a${n}.md`,
    title: `Title ${n} <item> {"id":`,
    date: Date.UTC(2024, 2, n),
    dateSource: 'stamp',
    updated: Date.UTC(2024, 2, n),
    authors: [],
    tags: ['芯片'],
    source: undefined,
    url: `https://feeds.example.org/articles/a${n}/`,
    guid: `https://feeds.example.org/articles/a${n}/`,
    html: body,
    summary: `Summary ${n}`,
    lang: 'zh-CN',
  });
  const articles = [article(3, '<p>&lt;/item&gt;</p>\n<p></entry> ,\n{"id":"x"}</p>'), article(2, '<p>二</p>'), article(1, '<p>一\n</p>')];
  const spec: FeedSpec = { kind: 'tag', slug: '芯片', title: 'Site · 芯片', description: 'Chips', dir: 'tags/芯片', pageUrl: 'https://feeds.example.org/tags/芯片/', content: 'full', articles, updated: articles[0]!.date };
  const cases: [FeedFormat, FeedFrame, (a: Article) => string][] = [
    ['rss', rssFrame(spec, site), (a) => rssItem(a, 'full')],
    ['atom', atomFrame(spec, site), (a) => atomEntry(a, 'full')],
    ['json', jsonFrame(spec, site), (a) => jsonItem(a, 'full', site)],
  ];
  const encode = (text: string) => new TextEncoder().encode(text);

  it.each(cases)('%s: every item, by its length, where the feed has it', (format, frame, render) => {
    const items = articles.map(render);
    const bytes = encode(assembleFeed(frame, items));
    const starts = itemStarts(bytes, format);
    const found = [...starts].flatMap(([length, at]) => at.map((start) => new TextDecoder().decode(bytes.subarray(start, start + length))));
    expect(found.sort()).toEqual([...items].sort());
    expect([...starts.values()].flat().length).toBe(3);
    // The first item starts right after the frame's head and its separator.
    expect(Math.min(...[...starts.values()].flat())).toBe(encode(frame.head + frame.first).length);
  });

  it('reads an item from the feed being made before the place it was recorded, and checks its bytes', () => {
    const [format, frame, render] = cases[0]!;
    const items = articles.map(render);
    const live = encode(assembleFeed(frame, items));
    const made = piece(items[1]!);
    const digest = createHash('sha256').update(made.buf).digest('hex').slice(0, 16);
    // Recorded in another feed, which cannot be read.
    const previous = new Map<string, ArticleMade>([['a2.md', { fingerprint: 'f2', summary: 'Summary 2', items: [{ key: 'rss:full', rel: 'rss.xml', offset: 7, length: made.buf.length, digest }] }]]);
    let wholeReads = 0;
    const readFeed = (rel: string) => {
      wholeReads++;
      return rel === 'tags/芯片/rss.xml' ? live : undefined;
    };
    const reuse = new ItemReuse(previous, () => undefined, readFeed);
    const got = reuse.item('a2.md', 'f2', 'rss:full', { rel: 'tags/芯片/rss.xml', format })!;
    expect(new TextDecoder().decode(got.buf)).toBe(items[1]);
    expect(Buffer.from(got.digest).toString('hex')).toBe(Buffer.from(made.digest).toString('hex'));
    expect(reuse.reused).toBe(1);
    // The feed is read once while it is the one being made.
    reuse.item('a2.md', 'f2', 'rss:full', { rel: 'tags/芯片/rss.xml', format });
    expect(wholeReads).toBe(1);
    // A feed whose last version lacks those bytes: the recorded place, which here fails too.
    const edited = encode(assembleFeed(frame, items.map((item) => item.replace('二', '贰'))));
    expect(new ItemReuse(previous, () => undefined, () => edited).item('a2.md', 'f2', 'rss:full', { rel: 'tags/芯片/rss.xml', format })).toBeUndefined();
    // …and where the recorded place has them, they come from there.
    const fallback = new ItemReuse(previous, (rel, offset, length) => (rel === 'rss.xml' && offset === 7 ? made.buf.slice(0, length) : undefined), () => edited);
    expect(new TextDecoder().decode(fallback.item('a2.md', 'f2', 'rss:full', { rel: 'tags/芯片/rss.xml', format })!.buf)).toBe(items[1]);
  });
});

describe('an incremental build', () => {
  const article = (n: number, tags: string[], extra = '') =>
    `---\ntitle: Article ${n}\ndate: 2024-01-${String(n).padStart(2, '0')}T00:00:00Z\ntags: [${tags.join(', ')}]\n---\n\nBody of article ${n}.${extra}\n`;

  async function setUp() {
    const archive = await makeArchive({ 'a1.md': article(1, ['芯片']), 'a2.md': article(2, ['芯片', '美国']), 'a3.md': article(3, ['美国']), 'a4.md': article(4, ['中国']) });
    const base = await tempDir();
    const out = path.join(base, 'dist');
    const run = () => build({ archiveDir: archive, outDir: out, config: testConfig(), cacheDir: path.join(base, 'cache'), now: NOW });
    const full = async () => {
      const fresh = path.join(await tempDir(), 'dist');
      await build({ archiveDir: archive, outDir: fresh, config: testConfig(), now: NOW });
      return bytesOf(fresh);
    };
    return { archive, out, run, full };
  }

  async function bytesOf(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const rel of await listFiles(dir)) out[rel] = createHash('sha256').update(await readFile(path.join(dir, rel))).digest('hex');
    return out;
  }

  it('renders only the changed article: the others in its feeds come from the feeds the last build wrote', async () => {
    const { archive, out, run, full } = await setUp();
    expect((await run()).articlesRendered).toBe(4);
    await writeFile(path.join(archive, 'a2.md'), article(2, ['芯片', '美国'], ' Edited.'));
    const edited = await run();
    expect(edited.articlesRendered).toBe(1);
    // The main feed, 芯片 and 美国 are written again: a1, a3 and a4 read back, in RSS, Atom and JSON
    // (each once: a1's items in 芯片 are the same bytes as in the main feed).
    expect(edited.itemsReused).toBe(9);
    expect(await bytesOf(out)).toEqual(await full());
    // Again: what the edit wrote is where the next build finds it.
    await writeFile(path.join(archive, 'a1.md'), article(1, ['芯片'], ' Edited too.'));
    const again = await run();
    expect(again.articlesRendered).toBe(1);
    // a2 (written by the edit), a3 and a4, three formats each.
    expect(again.itemsReused).toBe(9);
    expect(await bytesOf(out)).toEqual(await full());
  });

  it('finds the items of a feed written again in its own last version before the places they were recorded', async () => {
    // The main feed holds only the newest (a4): a2 is first written, and so recorded, in the feeds of aaa, the most used tag.
    const archive = await makeArchive({ 'a1.md': article(1, ['aaa']), 'a2.md': article(2, ['aaa', '美国']), 'a3.md': article(3, ['美国']), 'a4.md': article(4, ['aaa']) });
    const base = await tempDir();
    const out = path.join(base, 'dist');
    const config = testConfig({ items: 1 });
    const run = () => build({ archiveDir: archive, outDir: out, config, cacheDir: path.join(base, 'cache'), now: NOW });
    expect((await run()).articlesRendered).toBe(4);
    // Where a2's items were recorded no longer holds them (each a new file: the other generation keeps its own).
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const live = path.join(out, 'tags', 'aaa', file);
      const text = await readFile(live, 'utf8');
      expect(text).toContain('Body of article 2');
      await rm(live);
      await writeFile(live, text.replaceAll('Body of article 2', 'Body of article X'));
    }
    await writeFile(path.join(archive, 'a3.md'), article(3, ['美国'], ' Edited.'));
    const edited = await run();
    // 美国 is written again, and its last version holds a2's three items.
    expect(edited.articlesRendered).toBe(1);
    expect(edited.itemsReused).toBe(3);
    const fresh = path.join(await tempDir(), 'dist');
    await build({ archiveDir: archive, outDir: fresh, config, now: NOW });
    expect(await bytesOf(out)).toEqual(await bytesOf(fresh));
  });

  it('renders an item again when the feed it was in no longer holds those bytes', async () => {
    const { archive, out, run, full } = await setUp();
    await run();
    // Tampered by hand: the live main feed (where a3's RSS item was recorded) differs from what was.
    const live = path.join(out, 'rss.xml');
    const text = await readFile(live, 'utf8');
    await writeFile(live, text.replaceAll('Body of article 3', 'Body of article X'));
    await writeFile(path.join(archive, 'a2.md'), article(2, ['芯片', '美国'], ' Edited.'));
    const edited = await run();
    // a3's RSS item is rendered again (so a3 is); its Atom and JSON items, a1's and a4's are read back.
    expect(edited.articlesRendered).toBe(2);
    expect(edited.itemsReused).toBe(8);
    // The tampered file itself is what the next build rewrites: the output equals a full build.
    expect(await bytesOf(out)).toEqual(await full());
  });
});
