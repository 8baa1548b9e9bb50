import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COPIES, LONG_COPIES, scaleCorpus } from '../../bench/scaled-corpus.js';
import { makeArchive, tempDir } from './helpers.js';

describe("the bench's real corpus at the real archive's size", () => {
  const article = (n: number, tags: string[], pad = 0) =>
    `## Title ${n}\n\`3/11/2023 9:03 PM UTC Skagen\` [轉載自GNews](https://gnews.org/articles/${n})\n\nBody ${'x'.repeat(pad)} ${tags.map((t) => `[[zh:${t}]]`).join(' ')}\n`;

  it('copies each article 19 times, a long one 5, each copy with its own source link, some tags renamed per copy', async () => {
    const corpus = await makeArchive({ '1.md': article(1, ['芯片', '美国', '中国', 'AI', '台湾', '日本', '香港', '经济']), '2.md': article(2, ['芯片'], 70_000), 'README.md': '# index\n' });
    const dir = path.join(await tempDir(), 'scaled');
    const made = await scaleCorpus(corpus, dir);
    expect([COPIES, LONG_COPIES]).toEqual([19, 5]);
    expect(made.articles).toBe(24);
    const files = (await readdir(dir)).sort();
    expect(files.length).toBe(24);
    expect(files.filter((f) => f.endsWith('01.md'))).toHaveLength(19);
    expect(files.filter((f) => f.endsWith('02.md'))).toHaveLength(5);
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    expect(made.bytes).toBe(texts.reduce((n, t) => n + Buffer.byteLength(t), 0));
    const links = texts.map((t) => /gnews\.org\/articles\/(\d+)/.exec(t)![1]);
    expect(new Set(links).size).toBe(24);
    expect(await readFile(path.join(dir, '001.md'), 'utf8')).toBe(article(1, ['芯片', '美国', '中国', 'AI', '台湾', '日本', '香港', '经济']).replace('articles/1)', 'articles/001)'));
    // The same tags renamed in every copy but the first, and the same ones on every run.
    const tagsOf = (t: string) => [...t.matchAll(/\[\[zh:([^\]]+)\]\]/g)].map((m) => m[1]);
    const copy7 = tagsOf(await readFile(path.join(dir, '701.md'), 'utf8'));
    // 芯片, 美国 and 中国 are the three of these whose sha256 starts with a multiple of 8.
    expect(copy7).toEqual(['芯片7', '美国7', '中国7', 'AI', '台湾', '日本', '香港', '经济']);
    const again = path.join(await tempDir(), 'scaled');
    await scaleCorpus(corpus, again);
    expect(tagsOf(await readFile(path.join(again, '701.md'), 'utf8'))).toEqual(copy7);
  });
});
