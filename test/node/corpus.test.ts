import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directHtml } from '../../src/articles/direct-html.js';
import { parseMarkdown, renderMarkdown } from '../../src/articles/markdown.js';
import { sanitize } from '../../src/articles/sanitize.js';
import type { BuildResult } from '../../src/build.js';
import { buildInto, read, SHARED, testConfig, xmlError } from './helpers.js';

const CORPUS = path.join(SHARED, 'corpus/articles');
const present = existsSync(CORPUS);

describe.skipIf(!present)('the real corpus (../shared/corpus/articles)', () => {
  let out: string;
  let result: BuildResult;
  beforeAll(async () => {
    // The undated half falls back to file times, so "now" must be the real one here.
    ({ out, result } = await buildInto(CORPUS, testConfig({ topics: [{ slug: 'ai', title: 'AI', tags: ['人工智能'], keywords: ['AI', '人工智能'] }] }), Date.now()));
  }, 120_000);

  it('accounts for every one of the 2,074 articles', () => {
    const skipped = result.problems.filter((p) => p.level === 'skipped').length;
    expect(result.found).toBe(2074);
    expect(result.published + skipped + result.drafts + result.future).toBe(2074);
    expect(result.published).toBe(2074);
  });

  it('dates the 1,130 stamped articles from their stamps', () => {
    expect(result.dateSources.stamp).toBe(1130);
    expect(result.dateSources['front-matter']).toBe(0);
    expect(result.dateSources.git + result.dateSources.mtime).toBe(944);
  });

  it('reports only the articles that have no body', () => {
    expect(new Set(result.problems.map((p) => p.reason))).toEqual(new Set(['no body; published with its title, date and source link']));
  });

  it('writes a feed for 芯片 and 人工智能, and well-formed XML', async () => {
    const tags = new Map(result.manifest.tags.map((t) => [t.name, t]));
    expect(tags.get('芯片')!.slug).toBe('芯片');
    expect(tags.get('人工智能')!.count).toBeGreaterThanOrEqual(39);
    expect(tags.get('美国')!.aliases).toEqual(['美國']);
    for (const rel of ['rss.xml', 'atom.xml', 'tags/芯片/rss.xml', 'tags/人工智能/atom.xml', 'topics/ai/rss.xml']) {
      expect(xmlError(await read(out, rel)), rel).toBeUndefined();
    }
  });

  it('renders 2,026 of the 2,074 articles straight from the Markdown, byte for byte as sanitize() would, and leaves it the other 48', () => {
    const urls = { base: 'https://feeds.example.org/', page: 'https://feeds.example.org/articles/x/' };
    const tagUrl = (tag: string) => `https://feeds.example.org/tags/${encodeURIComponent(tag)}/`;
    let direct = 0;
    let left = 0;
    const differing: string[] = [];
    for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const html = directHtml(parseMarkdown(text, { tagUrl }), urls);
      if (html === undefined) left++;
      else if (html === sanitize(renderMarkdown(text, { tagUrl }), urls)) direct++;
      else differing.push(file);
    }
    expect(differing).toEqual([]);
    expect([direct, left]).toEqual([2026, 48]);
  }, 120_000);
});
