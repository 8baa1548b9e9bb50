import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../src/archive/decode.js';
import { parseHeader } from '../../src/archive/header.js';
import { readArticle } from '../../src/archive/read.js';
import { Report } from '../../src/archive/report.js';
import { FIXTURES } from './helpers.js';

const seedText = readFileSync(path.join(FIXTURES, 'archive/seed.md'), 'utf8');

describe('the archive header', () => {
  it('splits the seed into title, stamp, source and body', () => {
    const header = parseHeader(seedText);
    expect(header.recognised).toBe(true);
    expect(header.title).toBe('Sora掀起中国“AI焦虑” 分析:专制之下生成式AI难发展');
    expect(header.stamp).toBe('3/3/2024 6:29 PM UTC ');
    expect(header.source).toBe('https://gnews.org/articles/2361431');
    expect(header.body.startsWith('\n[[zh:美国]]新创[[zh:公司]]Open AI')).toBe(true);
    expect(header.body).not.toContain(':house:');
  });

  it('reads CRLF, a BOM and entities in the title', () => {
    const bytes = readFileSync(path.join(FIXTURES, 'archive/traditional.md'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const decoded = decodeFile(bytes);
    if (!('text' in decoded)) throw new Error('not decoded');
    const report = new Report();
    const raw = readArticle('traditional.md', decoded.text, report)!;
    expect(raw.title).toBe('中國晶片出口 & 管制 – 最新');
    expect(raw.date).toBe(Date.UTC(2024, 3, 2, 12, 25));
    expect(raw.dateSource).toBe('stamp');
    expect(raw.authors).toEqual(['喜马拉雅农场新西兰站']);
    expect(raw.tags).toEqual(['中國', '晶片', '美國']);
    expect(raw.body).toBe('\n[[zh:中國]]的[[zh:晶片]]出口受到[[zh:美國]]管制。\n\n第二段。\n');
    expect(report.problems).toEqual([]);
  });

  it('finds the header at the very end of a file, and leaves the body as it is, line for line', () => {
    const stamp = '`3/3/2024 6:29 PM UTC 作者` [轉載自GNews](https://gnews.org/articles/9)';
    // No newline after the stamp: no body at all.
    expect(parseHeader(`\n\n## 标题\n\n${stamp}`)).toEqual({ title: '标题', stamp: '3/3/2024 6:29 PM UTC 作者', source: 'https://gnews.org/articles/9', body: '', recognised: true });
    expect(parseHeader(`## 标题\n${stamp}\n`).body).toBe('');
    // The navigation line alone makes the format: the heading is the title, what follows is body.
    expect(parseHeader('###  [:house:返回](README.md)\n---\n\n## 标题\n\n第一行\n\n\n第二行  \n')).toEqual({ title: '标题', stamp: undefined, source: undefined, body: '\n第一行\n\n\n第二行  \n', recognised: true });
    expect(parseHeader('###  [:house:返回](README.md)\n---\n\n')).toEqual({ title: undefined, stamp: undefined, source: undefined, body: '', recognised: true });
  });

  it('leaves plain Markdown alone', () => {
    expect(parseHeader('# Hello\n\nText').recognised).toBe(false);
  });

  it('lets front matter win field by field over the header', () => {
    const text = '---\ntitle: From front matter\ntags: "经济, 美国"\n---\n###  [:house:返回](README.md)\n---\n\n## From header\n`3/7/2024 7:30 PM UTC 作者` [轉載自GNews](https://gnews.org/articles/1)\n\nBody [[zh:美联储]].\n';
    const raw = readArticle('mixed.md', text, new Report())!;
    expect(raw.title).toBe('From front matter');
    expect(raw.date).toBe(Date.UTC(2024, 2, 7, 19, 30));
    expect(raw.authors).toEqual(['作者']);
    expect(raw.source).toBe('https://gnews.org/articles/1');
    expect(raw.tags).toEqual(['经济', '美国', '美联储']);
  });

  it('reports an unparseable stamp and leaves the date to the fallback', () => {
    const report = new Report();
    const raw = readArticle('bad.md', readFileSync(path.join(FIXTURES, 'archive/bad-stamp.md'), 'utf8'), report)!;
    expect(raw.date).toBeUndefined();
    expect(raw.authors).toEqual(['某作者']);
    expect(report.problems).toEqual([
      { file: 'bad.md', level: 'warning', reason: 'unparseable stamp date "13/45/2024 25:99 PM UTC"; using the fallback date' },
    ]);
  });
});
