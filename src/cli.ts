#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from './build.js';
import { summary } from './summary.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from './config/load.js';
import { ConfigError } from './config/schema.js';
import { OutputError } from './site/output.js';
import { SelfCheckError } from './feeds/selfcheck.js';

// `npm run build -- [--archive DIR] [--out DIR] [--site-url URL] [--config FILE]
//                    [--report FILE] [--strict] [--cache DIR | --no-cache] [--quiet]`

const USAGE =
  'usage: npm run build -- [--archive DIR] [--out DIR] [--site-url URL] [--config FILE] [--report FILE] [--strict] [--cache DIR | --no-cache] [--quiet]';


async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        archive: { type: 'string', default: 'articles' },
        out: { type: 'string', default: 'dist' },
        'site-url': { type: 'string' },
        config: { type: 'string', default: DEFAULT_CONFIG_FILE },
        report: { type: 'string' },
        cache: { type: 'string', default: '.feedwright-cache' },
        'no-cache': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        timings: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  try {
    const config = await loadConfig(args.config!, { siteUrl: args['site-url'] });
    const archiveDir = path.resolve(args.archive!);
    const outDir = path.resolve(args.out!);
    checkFolders(archiveDir, outDir);
    const tty = process.stderr.isTTY && !args.quiet;
    let last = 0;
    const result = await build({
      archiveDir,
      outDir,
      config,
      cacheDir: args['no-cache'] ? undefined : path.resolve(args.cache!),
      onProgress: tty
        ? (stage, done, total) => {
            const t = performance.now();
            if (t - last < 100 && done !== total) return;
            last = t;
            process.stderr.write(`\r\x1b[K${stage} ${done}/${total}`);
            if (done === total) process.stderr.write('\r\x1b[K');
          }
        : undefined,
    });
    const seconds = (performance.now() - started) / 1000;
    if (!args.quiet) console.log(summary(result, args.out!, seconds));
    if (args.timings) {
      const threads = result.threads ? `; ${result.threads} worker threads` : '';
      console.log(`Timings (ms): ${Object.entries(result.timings).map(([k, v]) => `${k} ${v}`).join(', ')}${threads}.`);
    }
    if (args.report) await writeFile(args.report, `${JSON.stringify({ problems: result.problems }, null, 2)}\n`);
    if (args.strict && result.problems.length) {
      console.error(`--strict: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} reported; failing the build.`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof OutputError || error instanceof FolderError || error instanceof SelfCheckError) {
      console.error(error.message);
      return error instanceof ConfigError ? 2 : 1;
    }
    throw error;
  }
}

class FolderError extends Error {}

/** The output folder is replaced wholesale: never let it be, or hold, the archive. */
function checkFolders(archiveDir: string, outDir: string): void {
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);
  if (inside(archiveDir, outDir)) throw new FolderError(`The output folder ${outDir} would contain the archive ${archiveDir}; choose another --out.`);
  if (outDir === path.parse(outDir).root || outDir === process.cwd()) throw new FolderError(`Refusing to use ${outDir} as the output folder; choose a folder of its own.`);
}

// Should the build ever stop without settling (nothing left to run while it still
// waits), Node would exit 0 with no output: make that a failure that says so.
process.exitCode = 1;
process.once('beforeExit', () => console.error('Build failed: it stopped without finishing. This is a feedwright bug.'));

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Build failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
