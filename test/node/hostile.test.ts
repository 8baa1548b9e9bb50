import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/build.js';
import { buildInto, FIXTURES, listFiles, read, testConfig, xmlError } from './helpers.js';

// test/fixtures/hostile holds one hand-written bad file per case.
describe('a hostile archive', () => {
  let out: string;
  let result: BuildResult;
  beforeAll(async () => {
    ({ out, result } = await buildInto(path.join(FIXTURES, 'hostile'), testConfig({ maxFileBytes: 1500 }), Date.now()));
    // ("now" is the clock: four of these files have no date and fall back to their file time.)
  });

  it('skips what cannot be published, each with its file and reason', () => {
    expect(result.problems.filter((p) => p.level === 'skipped')).toEqual([
      { file: 'bad-yaml.md', level: 'skipped', reason: 'malformed front matter at line 4: missed comma between flow collection entries' },
      { file: 'binary.md', level: 'skipped', reason: 'binary file (contains a NUL byte)' },
      { file: 'empty.md', level: 'skipped', reason: 'empty file' },
      { file: 'nothing.md', level: 'skipped', reason: 'no title and no body' },
      { file: 'oversized.md', level: 'skipped', reason: 'larger than maxFileBytes (2152 > 1500 bytes)' },
    ]);
  });

  it('repairs and reports the rest', () => {
    const warnings = result.problems.filter((p) => p.level === 'warning').map((p) => `${p.file}: ${p.reason}`);
    expect(warnings).toEqual([
      'bad-stamp-date.md: unparseable stamp date "13/45/2024 25:99 PM UTC"; using the fallback date',
      'bad-yaml-header.md: malformed front matter at line 4: unexpected end of the stream within a double quoted scalar; read as the archive format without it',
      'control-chars.md: removed characters that XML 1.0 forbids or discourages (control characters, U+FFFE/U+FFFF, lone surrogates)',
      'dup-b.md: id "same-id" is already used by dup-a.md; published as "same-id-cca3c288"',
      'dup-b.md: same source URL as dup-a.md; both published',
      'future.md: dated 2030-01-01T00:00:00.000Z, in the future: kept out of feeds and pages until then',
      'hostile-tags.md: dropped tag "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…": it is longer than 100 characters',
      'hostile-tags.md: dropped tag "!!!": it has no letter or digit',
      'hostile-tags.md: dropped tag "": it is empty or only white space',
      'hostile-tags.md: dropped tag "..": it has no letter or digit',
      'hostile-tags.md: dropped tag "/": it has no letter or digit',
      'invalid-utf8.md: invalid UTF-8: 3 byte sequences replaced with U+FFFD',
      'no-title.md: no title; used the first line of the body',
      'title-only.md: no body; published with its title, date and source link',
      'year-9999.md: front matter date "9999-01-01T00:00:00Z" is not a usable date',
      'year-zero.md: front matter date "0000-01-01" is not a usable date',
    ]);
  });

  it('publishes every good article', () => {
    expect(result.found).toBe(20);
    expect(result.published).toBe(14);
    expect(result.future).toBe(1);
    const ids = result.manifest.feeds.find((f) => f.path === 'feed.json')!.items;
    expect(ids).toBe(14);
  });

  it('gives duplicate ids distinct permalinks', async () => {
    const feed = JSON.parse(await read(out, 'feed.json'));
    const ids = feed.items.map((i: { id: string }) => i.id).filter((id: string) => id.includes('same-id'));
    expect(ids.sort()).toEqual(['https://feeds.example.org/articles/same-id-cca3c288/', 'https://feeds.example.org/articles/same-id/']);
  });

  it('writes hostile tags only under safe slugs inside the output', async () => {
    expect((await readdir(path.join(out, 'tags'))).sort()).toEqual(['a-b-c14cddc0', 'con', 'etc-74ccf3c5', 'hidden-16924190', 'index.html', 'script-5b63e5b2']);
    // The output folder and its two generations, nothing else beside them.
    expect((await readdir(path.dirname(out))).sort()).toEqual(['.dist.gen', 'dist']);
  });

  it('shows HTML in titles as text and strips executable markup everywhere', async () => {
    const rss = await read(out, 'rss.xml');
    expect(rss).toContain('<title>‹b›Bold‹/b› &amp; ‹script›alert(1)‹/script›</title>');
    const page = await read(out, 'articles/html-title.html');
    expect(page).toContain('<h1>&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    const json = JSON.parse(await read(out, 'feed.json'));
    const item = json.items.find((i: { title: string }) => i.title === 'Script content');
    expect(item.content_html).toBe(
      '<p>Paragraph with handlers</p>\n<p>[js](javascript:alert(1)) [vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD4=)</p>\n<p><img src="https://feeds.example.org/x.png" alt="kept alt" /> <img src="data:image/png;base64,iVBORw0KGgo=" alt="inline image" /> </p>\n<p>Text with ]]&gt; and &lt;![CDATA[ inside.</p>',
    );
    for (const rel of await listFiles(out)) {
      if (!/\.(xml|json|html)$/.test(rel) || rel.startsWith('_meta/')) continue;
      const text = await read(out, rel);
      if (rel.endsWith('.json')) {
        // JSON strings are data: only content_html is ever rendered as markup.
        const items = (JSON.parse(text).items ?? []) as { content_html?: string }[];
        for (const item of items) expect(item.content_html ?? '', rel).not.toMatch(/<(script|iframe|object|embed|form|style)\b|\son\w+=|href="(javascript|vbscript|data):/i);
        continue;
      }
      // Pages may load our own copy.js and nothing else.
      const markup = rel.endsWith('.html') ? text.replace(/<script src="(\.\.\/)*copy\.js"[^>]*><\/script>/g, '') : text;
      expect(markup, rel).not.toMatch(/<(script|iframe|object|embed|form|style)\b|\son\w+=|<a [^>]*href="(javascript|vbscript|data):/i);
      if (rel.endsWith('.xml')) expect(xmlError(text), rel).toBeUndefined();
    }
  });

  it('drops control characters and U+FFFD from feeds', async () => {
    const rss = await read(out, 'rss.xml');
    expect(rss).toContain('<title>Control chars here</title>');
    expect(rss).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/);
  });
});
