import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { directHtml } from '../../src/articles/direct-html.js';
import { parseMarkdown, renderMarkdown, renderTokens } from '../../src/articles/markdown.js';
import { sanitize } from '../../src/articles/sanitize.js';
import { cut, summarize } from '../../src/articles/summary.js';
import { buildInto, makeArchive, read, testConfig } from './helpers.js';

const render = (md: string) =>
  sanitize(renderMarkdown(md), { base: 'https://feeds.example.org/', page: 'https://feeds.example.org/articles/x/' }).trim();

describe('article content', () => {
  it('turns wiki links into the plain word, or a link when asked', () => {
    expect(render('[[zh:中国]]和[[zh:美国]]')).toBe('<p>中国和美国</p>');
    const linked = sanitize(renderMarkdown('[[zh:芯片]]', { tagUrl: () => 'https://feeds.example.org/tags/芯片/' }), {
      base: 'https://feeds.example.org/',
      page: 'https://feeds.example.org/',
    });
    expect(linked.trim()).toBe('<p><a href="https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/" rel="noopener noreferrer">芯片</a></p>');
  });

  it('drops empty images and keeps one of two identical images in a row', () => {
    expect(render('a ![]() b')).toBe('<p>a  b</p>');
    expect(render('![x](https://e.org/i.jpg "t") ![x](https://e.org/i.jpg "t")')).toBe('<p><img src="https://e.org/i.jpg" alt="x" title="t" /></p>');
    expect(render('![x](https://e.org/i.jpg) ![y](https://e.org/j.jpg)')).toBe('<p><img src="https://e.org/i.jpg" alt="x" /> <img src="https://e.org/j.jpg" alt="y" /></p>');
  });

  it('renders a "see also" pointer as a paragraph, not a heading', () => {
    expect(render('请同时参阅：####[[zh:习近平]]大谈')).toBe('<p>请同时参阅：习近平大谈</p>');
  });

  it('makes relative links and images absolute', () => {
    expect(render('[a](/articles/868827) [b](README.md) [c](//gnews.org/x) [d](#n) ![e](img/p.png)')).toBe(
      '<p><a href="https://feeds.example.org/articles/868827" rel="noopener noreferrer">a</a> <a href="https://feeds.example.org/README.md" rel="noopener noreferrer">b</a> <a href="https://gnews.org/x" rel="noopener noreferrer">c</a> <a href="https://feeds.example.org/articles/x/#n" rel="noopener noreferrer">d</a> <img src="https://feeds.example.org/img/p.png" alt="e" /></p>',
    );
  });

  it('removes scripts, event handlers and javascript: URLs', () => {
    const html = render(
      '<script>alert(1)</script>\n\n<p onclick="x()">hi</p>\n\n[x](javascript:alert(1)) <a href="vbscript:x">v</a> <iframe src="https://e.org"></iframe><img src="data:text/html,x"><img src="data:image/png;base64,AA" alt="ok"><style>p{}</style><form><input></form>',
    );
    expect(html).toBe('<p>hi</p>\n<p>[x](javascript:alert(1)) <a rel="noopener noreferrer">v</a> <img src="data:image/png;base64,AA" alt="ok" /></p>');
  });
});

describe('HTML straight from the Markdown (direct-html.ts)', () => {
  const urls = { base: 'https://feeds.example.org/', page: 'https://feeds.example.org/articles/x/' };
  const both = (md: string, tagUrl?: (tag: string) => string) => ({
    direct: directHtml(parseMarkdown(md, { tagUrl }), urls),
    sanitized: sanitize(renderMarkdown(md, { tagUrl }), urls),
  });

  it('is what sanitize() makes of markdown-it\'s HTML, byte for byte, for everything markdown-it writes', () => {
    const md = [
      '# T "q" & 1<2 \'s\'',
      '> quote',
      '1. a\n2. b',
      '3) c',
      '- [x] y',
      '```js\nlet a = "<b>" && 1;\n```',
      '    code "x"',
      '| a | b |\n|:--|--:|\n| `c` | **d** ~~e~~ |',
      '***',
      'line  \nbreak\n*em* [t](https://e.org/ "ti\\"tle") ![i](img/a.png "t&t") &copy;&nbsp;&#x1F600; [n](#n) [m](mailto:a@b.org) [[zh:芯片]]',
      '[![linked](https://e.org/i.png)](https://e.org/)',
      '[c](data:text/plain,x) [j](javascript:alert(1)) ![d](data:image/png;base64,AA)',
    ].join('\n\n');
    const { direct, sanitized } = both(md, (tag) => `https://feeds.example.org/tags/${encodeURIComponent(tag)}/`);
    expect(direct).toBe(sanitized);
    expect(direct).toBe(
      [
        '<h1>T "q" &amp; 1&lt;2 \'s\'</h1>',
        '<blockquote>\n<p>quote</p>\n</blockquote>',
        '<ol>\n<li>a</li>\n<li>b</li>\n</ol>',
        '<ol start="3">\n<li>c</li>\n</ol>',
        '<ul>\n<li>[x] y</li>\n</ul>',
        '<pre><code>let a = "&lt;b&gt;" &amp;&amp; 1;\n</code></pre>',
        '<pre><code>code "x"\n</code></pre>',
        '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><code>c</code></td>\n<td><strong>d</strong> <s>e</s></td>\n</tr>\n</tbody>\n</table>',
        '<hr />',
        '<p>line<br />\nbreak\n<em>em</em> <a href="https://e.org/" title="ti&quot;tle" rel="noopener noreferrer">t</a> <img src="https://feeds.example.org/img/a.png" alt="i" title="t&amp;t" /> ©\u00a0😀 <a href="https://feeds.example.org/articles/x/#n" rel="noopener noreferrer">n</a> <a href="mailto:a@b.org" rel="noopener noreferrer">m</a> <a href="https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/" rel="noopener noreferrer">芯片</a></p>',
        '<p><a href="https://e.org/" rel="noopener noreferrer"><img src="https://e.org/i.png" alt="linked" /></a></p>',
        '<p>[c](data:text/plain,x) [j](javascript:alert(1)) <img src="data:image/png;base64,AA" alt="d" /></p>',
        '',
      ].join('\n'),
    );
  });

  it('leaves to sanitize() raw HTML, a URL it drops, a paragraph it drops, and writes them as it does', () => {
    const cases: [string, string][] = [
      ['a <b>b</b> <script>x</script>', '<p>a <b>b</b> </p>\n'],
      ['<div onclick="x()">x</div>', '<div>x</div>'],
      ['[x](ftp://e.org/) [y](data:image/png;base64,AA)', '<p><a rel="noopener noreferrer">x</a> <a rel="noopener noreferrer">y</a></p>\n'],
      ['a\n\n![m](mailto:x@y.org)', '<p>a</p>\n\n'],
      ['[](https://e.org/)\n\nb', '\n<p>b</p>\n'],
    ];
    for (const [md, html] of cases) expect(both(md)).toEqual({ direct: undefined, sanitized: html });
  });

  it('leaves the tokens as parsed when it declines, so that they are parsed once', () => {
    // A link and a table cell it would rewrite come before what it cannot vouch for.
    for (const md of ['[ok](/a) then <b>raw</b>', '| a |\n|:--|\n| b |\n\n<div>x</div>', '![i](img/a.png) [x](ftp://e.org/)']) {
      const tokens = parseMarkdown(md);
      expect(directHtml(tokens, urls)).toBeUndefined();
      expect(renderTokens(tokens)).toBe(renderMarkdown(md));
    }
  });
});

describe('summaries', () => {
  it('use the first paragraph that has text', () => {
    expect(summarize('<p><img src="x" alt=""></p><p>First &amp; <b>real</b> text.</p><p>Second.</p>')).toBe('First & real text.');
  });

  it('cut CJK text at 200 characters without splitting a character', () => {
    const text = '中'.repeat(150) + '😀'.repeat(100);
    const out = cut(text);
    expect([...out].length).toBe(201);
    expect(out.endsWith('😀…')).toBe(true);
  });

  it('cut Latin text at a space', () => {
    const out = cut(`${'word '.repeat(50)}end`);
    expect(out).toBe(`${'word '.repeat(39)}word…`);
  });
});

describe('wiki links in a build', () => {
  it('link a tag that has a page, and leave as a word one with fewer than minTagArticles articles', async () => {
    const archive = await makeArchive({
      'a1.md': '---\ntitle: One\ndate: 2024-01-01T00:00:00Z\n---\n\n关于[[zh:芯片]]和[[zh:稀有]]。\n',
      'a2.md': '---\ntitle: Two\ndate: 2024-01-02T00:00:00Z\n---\n\n又是[[zh:芯片]]。\n',
    });
    const { out } = await buildInto(archive, testConfig({ wikiLinks: 'link', minTagArticles: 2 }));
    const page = await read(out, 'articles/a1.html');
    expect(page).toContain('<p>关于<a href="https://feeds.example.org/tags/%E8%8A%AF%E7%89%87/" rel="noopener noreferrer">芯片</a>和稀有。</p>');
    expect(existsSync(path.join(out, 'tags', '稀有'))).toBe(false);
    expect(existsSync(path.join(out, 'tags', '芯片', 'index.html'))).toBe(true);
  });
});
