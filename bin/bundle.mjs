// esbuild options for the CLI bundle, shared by bin/feedwright.mjs and the benchmark.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * markdown-it 15 is published transpiled: every field of every Token and parser
 * state is set through Babel's `_defineProperty(this, "name", value)` helper, which
 * converts the key and tests `name in this` before an assignment by computed key:
 * ~20× the cost of `this.name = value`, ~3 % of a build's thread time. On a fresh
 * instance whose prototypes define no accessor of that name (none in markdown-it),
 * the helper does exactly that assignment, so each such call becomes one. Returns
 * undefined when the source is not as expected (another version): it is then
 * bundled as published.
 */
export function assignFields(source) {
  let count = 0;
  // `_defineProperty(this, /** doc */ "name", value)` → `(this.name = value)`: the call's own parentheses close it.
  const out = source.replace(/_defineProperty\(\s*this,\s*(?:\/\*\*[\s\S]*?\*\/\s*)?"([A-Za-z_$][\w$]*)",/g, (_, name) => {
    count++;
    return `(this.${name} =`;
  });
  if (!count || /_defineProperty\(\s*this\b/.test(out)) return undefined;
  return out;
}

const markdownItFields = {
  name: 'markdown-it-fields',
  setup(b) {
    b.onLoad({ filter: /[\\/]markdown-it[\\/]dist[\\/]markdown-it\.mjs$/ }, async (args) => {
      const contents = assignFields(await readFile(args.path, 'utf8'));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

/**
 * js-yaml 3 (gray-matter's YAML) loads its `!!js/function` type at start-up, which
 * tries `require('esprima')` through an alias that bundlers cannot see: Node then
 * searches node_modules for it on every build (~15 ms, a sixth of a build with
 * nothing to do). gray-matter parses with safeLoad, whose schema has no such type:
 * the require is made to fail at once, as it does when esprima is not installed.
 * Undefined when the source is not as expected (another version): bundled as published.
 */
export function withoutEsprima(source) {
  const out = source.replace("esprima = _require('esprima');", "throw new Error('esprima is not bundled');");
  return out === source ? undefined : out;
}

const yamlWithoutEsprima = {
  name: 'yaml-without-esprima',
  setup(b) {
    b.onLoad({ filter: /[\\/]js-yaml[\\/]lib[\\/]js-yaml[\\/]type[\\/]js[\\/]function\.js$/ }, async (args) => {
      const contents = withoutEsprima(await readFile(args.path, 'utf8'));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

/**
 * Bundle `entry` (src/cli.ts) and its dependencies into one ESM file for plain Node,
 * and beside it `worker.mjs`, the build's worker threads (src/threads/worker.ts).
 */
export function bundleCli(entry, outfile) {
  return build({
    entryPoints: { [path.basename(outfile, '.mjs')]: entry, worker: path.join(path.dirname(entry), 'threads', 'worker.ts') },
    outdir: path.dirname(outfile),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies are bundled too: one file to load instead of hundreds of modules.
    // CommonJS dependencies still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    // But not opencc-js: its dictionaries were ~2.3 MB of each bundle, which most builds never
    // use (src/articles/tags.ts requires it on first use, from node_modules). Its file
    // enters the code key (src/archive/cache.ts codeKey) as the bundles do.
    external: ['opencc-js'],
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [markdownItFields, yamlWithoutEsprima],
  });
}
