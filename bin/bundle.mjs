// esbuild options for the CLI bundle, shared by bin/feedwright.mjs and the benchmark.
import path from 'node:path';
import { build } from 'esbuild';

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
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
