import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { assignFields, bundleCli, withoutEsprima } from '../../bin/bundle.mjs';
import { FIXTURES, makeArchive, SHARED, tempDir } from './helpers.js';

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
    // The js-yaml installed is the one withoutEsprima() knows.
    expect(withoutEsprima(readFileSync(path.join(ROOT, 'node_modules', 'js-yaml', 'lib', 'js-yaml', 'type', 'js', 'function.js'), 'utf8'))).toContain("throw new Error('esprima is not bundled');");
    expect(withoutEsprima('export const x = 1;')).toBeUndefined();
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
  it('leaves OpenCC in node_modules, and loads it only when a spelling it has not converted before needs it', async () => {
    // Under node_modules, as the launcher's bundle is: `require('opencc-js')` resolves from there.
    const dir = path.join(ROOT, 'node_modules', '.cache', `feedwright-bundle-test-${process.pid}`);
    try {
      await bundleCli(path.join(ROOT, 'src', 'cli.ts'), path.join(dir, 'cli.mjs'));
      // The bundles' source maps list every file bundled: feedwright's and its other dependencies', not OpenCC's.
      for (const name of ['cli.mjs', 'worker.mjs']) {
        const sources = (JSON.parse(readFileSync(path.join(dir, `${name}.map`), 'utf8')) as { sources: string[] }).sources;
        expect(sources.some((f) => f.includes('src/articles/tags.ts')), name).toBe(true);
        expect(sources.some((f) => f.includes('markdown-it')), name).toBe(true);
        expect(sources.filter((f) => f.includes('opencc')), name).toEqual([]);
      }
      const archive = await makeArchive({
        'a.md': '---\ntitle: A\ndate: 2024-01-01T00:00:00Z\ntags: [中國]\n---\nOne.\n',
        'b.md': '---\ntitle: B\ndate: 2024-01-02T00:00:00Z\ntags: [中国]\n---\nTwo.\n',
      });
      const work = await tempDir();
      const run = () => {
        const r = spawnSync(process.execPath, [path.join(dir, 'cli.mjs'), '--archive', archive, '--out', path.join(work, 'out'), '--cache', path.join(work, 'cache'), '--config', path.join(FIXTURES, 'feedwright.config.json'), '--quiet'], {
          encoding: 'utf8',
          // No threads (a small archive starts none; FEEDWRIGHT_THREADS would): they load OpenCC for themselves.
          env: { ...process.env, NODE_DEBUG: 'module', FEEDWRIGHT_THREADS: '0' },
        });
        expect(r.status, r.stderr).toBe(0);
        const manifest = JSON.parse(readFileSync(path.join(work, 'out', 'manifest.json'), 'utf8')) as { tags: { name: string; aliases: string[]; count: number }[] };
        // esprima never: js-yaml's require of it fails at once in the bundle (see bin/bundle.mjs), front matter parses all the same.
        expect(r.stderr).not.toContain('Module._load REQUEST esprima');
        return { loaded: r.stderr.includes('Module._load REQUEST opencc-js'), tags: manifest.tags.map((t) => [t.name, t.aliases, t.count]) };
      };
      // New spellings: OpenCC folds 中國 into 中国, one tag of two articles (ties: the first in code-point order).
      expect(run()).toEqual({ loaded: true, tags: [['中国', ['中國'], 2]] });
      // Its file is in the code key with the bundles: an upgrade of OpenCC renders everything anew.
      const seen = (JSON.parse(readFileSync(path.join(dir, 'code-key.json'), 'utf8')) as { seen: string }).seen;
      expect((JSON.parse(seen) as string[][]).map((f) => path.relative(ROOT, f[0]!))).toEqual([
        path.join('node_modules', '.cache', `feedwright-bundle-test-${process.pid}`, 'cli.mjs'),
        path.join('node_modules', '.cache', `feedwright-bundle-test-${process.pid}`, 'worker.mjs'),
        path.join('node_modules', 'opencc-js', 'dist', 'umd', 'full.js'),
      ]);
      // An edit with no new spelling: the cache's conversions do, and OpenCC is not loaded.
      appendFileSync(path.join(archive, 'a.md'), 'More.\n');
      expect(run()).toEqual({ loaded: false, tags: [['中国', ['中國'], 2]] });
      // A new spelling: loaded again.
      writeFileSync(path.join(archive, 'c.md'), '---\ntitle: C\ndate: 2024-01-03T00:00:00Z\ntags: [臺灣]\n---\nThree.\n');
      expect(run()).toEqual({ loaded: true, tags: [['中国', ['中國'], 2], ['臺灣', [], 1]] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
