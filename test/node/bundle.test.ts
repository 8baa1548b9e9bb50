import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { assignFields } from '../../bin/bundle.mjs';
import { SHARED } from './helpers.js';

// The CLI's bundle turns markdown-it's transpiled field definitions into plain
// assignments (bin/bundle.mjs). The HTML must not change by a byte.

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'node_modules', 'markdown-it', 'dist');

const SAMPLE = `# 标题 Title

Some *emphasis*, **strong**, \`code\`, a [link](https://example.org/a?b=1&c=2 "t") and ![图 · alt](/x.png).

> quote with <span class="x">inline HTML</span>
> - list in quote

1. one
2. two
   - nested [ref][r]

| a | b |
|---|:-:|
| 1 | 2 |

\`\`\`js
const x = 1 < 2;
\`\`\`

<div>block html</div>

[r]: https://example.org/ref
***
hard  
break &amp; entity &copy; \\* escaped
`;

describe('the bundle', () => {
  it('assigns markdown-it\'s fields directly, and renders exactly as the published markdown-it', async () => {
    const published = readFileSync(path.join(DIST, 'markdown-it.mjs'), 'utf8');
    const patched = assignFields(published);
    expect(patched).toBeDefined();
    expect(published.match(/_defineProperty\(\s*this\b/g)).toHaveLength(53);
    expect(patched!.match(/_defineProperty\(\s*this\b/g)).toBeNull();
    expect(assignFields('export const x = 1;')).toBeUndefined();
    // Beside the original, so that its own imports resolve.
    const file = path.join(DIST, `.assign-fields-${process.pid}.mjs`);
    writeFileSync(file, patched!);
    try {
      const Patched = ((await import(file)) as { default: typeof MarkdownIt }).default;
      const options = { html: true, linkify: false, typographer: false };
      const [a, b] = [new MarkdownIt(options), new Patched(options)];
      expect(b.render(SAMPLE)).toBe(a.render(SAMPLE));
      expect(JSON.stringify(b.parse(SAMPLE, {}))).toBe(JSON.stringify(a.parse(SAMPLE, {})));
      expect(b.render(SAMPLE)).toContain('<img src="/x.png" alt="图 · alt">');
      // The real corpus, when it is beside the repo: every article the same.
      const corpus = path.join(SHARED, 'corpus', 'articles');
      let files: string[] = [];
      try {
        files = readdirSync(corpus).filter((f) => f.endsWith('.md'));
      } catch {}
      for (const f of files) {
        const text = readFileSync(path.join(corpus, f), 'utf8');
        expect(b.render(text), f).toBe(a.render(text));
      }
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);
});
