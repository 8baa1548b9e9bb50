// esbuild options for the CLI bundle, shared by bin/feedwright.mjs and the benchmark.
import { build } from 'esbuild';

/** Bundle `entry` (src/cli.ts) and its dependencies into one ESM file for plain Node. */
export function bundleCli(entry, outfile) {
  return build({
    entryPoints: [entry],
    outfile,
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
