import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COPIES, copiesFor, LONG_COPIES, scaleCorpus } from '../../bench/scaled-corpus.js';
import { makeArchive, tempDir } from './helpers.js';

describe("the bench's real corpus at the real archive's size", () => {
  const article = (n: number, tags: string[], pad = 0, link = `articles/${n}`) =>
    `## Title ${n}\n\`3/11/2023 9:03 PM UTC Skagen\` [轉載自GNews](https://gnews.org/${link})\n\nBody ${'x'.repeat(pad)} ${tags.map((t) => `[[zh:${t}]]`).join(' ')}\n`;
  const tags = ['芯片', '美国', '中国', 'AI', '台湾', '日本', '香港', '经济'];

  it('copies each article 19 times, a long one 5, each copy with its own name, source link and time, some tags renamed per copy', async () => {
    const corpus = await makeArchive({ '1.md': article(1, tags), '2.md': article(2, ['芯片'], 70_000, 'zh-hans/2/'), '01.md': article(3, []), 'README.md': '# index\n' });
    const dir = path.join(await tempDir(), 'scaled');
    const made = await scaleCorpus(corpus, dir);
    expect([COPIES, LONG_COPIES]).toEqual([19, 5]);
    expect(made.articles).toBe(43);
    const files = (await readdir(dir)).sort();
    expect(files.length).toBe(43);
    expect(files.filter((f) => f.endsWith('-1.md'))).toHaveLength(19);
    expect(files.filter((f) => f.endsWith('-01.md'))).toHaveLength(19);
    expect(files.filter((f) => f.endsWith('-2.md'))).toHaveLength(5);
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    expect(made.bytes).toBe(texts.reduce((n, t) => n + Buffer.byteLength(t), 0));
    const links = texts.map((t) => /\(https:\/\/gnews\.org\/([^)]+)\)/.exec(t)![1]);
    expect(new Set(links).size).toBe(43);
    // The first copy is the article itself; the others' links and some tags say which copy they are.
    expect(await readFile(path.join(dir, 'c0-1.md'), 'utf8')).toBe(article(1, tags));
    expect(await readFile(path.join(dir, 'c3-2.md'), 'utf8')).toContain('(https://gnews.org/zh-hans/2-copy3/)');
    const tagsOf = (t: string) => [...t.matchAll(/\[\[zh:([^\]]+)\]\]/g)].map((m) => m[1]);
    const copy7 = await readFile(path.join(dir, 'c7-1.md'), 'utf8');
    expect(copy7).toContain('(https://gnews.org/articles/1-copy7)');
    // 芯片, 美国 and 中国 are the three of these whose sha256 starts with a multiple of 8.
    expect(tagsOf(copy7)).toEqual(['芯片7', '美国7', '中国7', 'AI', '台湾', '日本', '香港', '经济']);
    // Times by name (01.md, 1.md, 2.md: an hour apart) and copy (a second apart), from 2023-01-01.
    const mtime = async (f: string) => (await stat(path.join(dir, f))).mtimeMs;
    expect(await mtime('c0-01.md')).toBe(Date.UTC(2023, 0, 1));
    expect(await mtime('c7-1.md')).toBe(Date.UTC(2023, 0, 1, 1, 0, 7));
    expect(await mtime('c4-2.md')).toBe(Date.UTC(2023, 0, 1, 2, 0, 4));
    const again = path.join(await tempDir(), 'scaled');
    await scaleCorpus(corpus, again);
    expect(await readFile(path.join(again, 'c7-1.md'), 'utf8')).toBe(copy7);
    expect((await stat(path.join(again, 'c7-1.md'))).mtimeMs).toBe(await mtime('c7-1.md'));
  });

  it("copies a corpus as many times as the real archive's size asks: 19 and 5 for the shared one, none for an archive that size or larger", async () => {
    expect(copiesFor(2074)).toEqual({ copies: 19, long: 5 });
    expect(copiesFor(1)).toEqual({ copies: 19, long: 5 });
    expect(copiesFor(10_000)).toEqual({ copies: 4, long: 1 });
    expect(copiesFor(5_000)).toEqual({ copies: 8, long: 2 });
    expect(copiesFor(26_000)).toEqual({ copies: 2, long: 1 });
    expect(copiesFor(26_001)).toEqual({ copies: 1, long: 1 });
    expect(copiesFor(39_000)).toEqual({ copies: 1, long: 1 });
    expect(copiesFor(120_000)).toEqual({ copies: 1, long: 1 });
    const corpus = await makeArchive({ '1.md': article(1, ['芯片']), '2.md': article(2, ['芯片'], 70_000), '3.md': article(3, []) });
    const dir = path.join(await tempDir(), 'scaled');
    const made = await scaleCorpus(corpus, dir, { copies: 8, long: 2 });
    expect(made.articles).toBe(18);
    expect((await readdir(dir)).filter((f) => f.endsWith('-2.md')).sort()).toEqual(['c0-2.md', 'c1-2.md']);
  });
});
