// npm run bench -- [--articles N] [--seed S] [--runs R] [--out FILE] [--profile]
//                   [--skip full,incremental,worker,corpus,scaled,hugo] [--launcher auto|tsx|bundle]
//                   [--keep] [--work DIR] [--timeout SECONDS] [--worker-requests N] [--worker-seconds S]
//                   [--git COMMITS] [--corpus DIR]
//
// A benchmark harness, not a timed test. It freezes a copy of src/ (others may edit it
// during a run), writes a seeded synthetic archive (bench/synth.ts), builds it with the
// real CLI in a child process (wall time, peak RSS, files and bytes by kind), rebuilds
// it incrementally with the cache and checks the result against a full build file by
// file, drives the worker app in process against an in-memory assets binding, builds
// ../shared/corpus/articles when present (or the archive --corpus names), and copies of
// it at the real archive's size when it is smaller (bench/scaled-corpus.ts), and when
// Hugo is installed runs it on the
// same archives, each of its runs alternating with one of ours, both from an empty
// output folder; then prints a Markdown table and writes it with every number as
// JSON (bench-results/latest.json).
// Sizes are in MiB, printed "MB" as the CLI's own summary does.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, realpath, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { SourceMap, type SourceMapPayload } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleCli } from '../bin/bundle.mjs';
import { commitChange, commitHistory } from './git-history.js';
import { copiesFor, scaleCorpus } from './scaled-corpus.js';
import { extraArticle, extraUndatedArticle, synthesize, type SynthResult } from './synth.js';
import { workerdLoops, type BatchStats, type WorkerdResult } from './workerd.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The real articles built beside the synthetic ones, unless --corpus names others. */
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus', 'articles');
const TO_HUGO = path.resolve(ROOT, '..', 'shared', 'tools', 'to-hugo');
const MB = 1048576;

// ---------------------------------------------------------------- arguments

interface Args {
  articles: number;
  seed: number;
  runs: number;
  out: string;
  profile: boolean;
  skip: Set<string>;
  keep: boolean;
  work?: string;
  timeoutMs: number;
  workerRequests: number;
  workerMs: number;
  launcher: 'auto' | 'tsx' | 'bundle';
  /** Commits of the synthetic archive's git history (0: a plain folder). */
  git: number;
  /** The real archive to build side by side with Hugo (CORPUS unless --corpus). */
  corpus: string;
}

const USAGE =
  'usage: npm run bench -- [--articles N] [--seed S] [--runs R] [--out FILE] [--profile] [--skip full,incremental,worker,corpus,scaled,hugo] ' +
  '[--launcher auto|tsx|bundle] [--keep] [--work DIR] [--timeout SECONDS] [--worker-requests N] [--worker-seconds S] [--git COMMITS] [--corpus DIR]';

function parse(): Args {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '40000' },
      seed: { type: 'string', default: '1' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: 'bench-results/latest.json' },
      profile: { type: 'boolean', default: false },
      skip: { type: 'string', default: '' },
      keep: { type: 'boolean', default: false },
      work: { type: 'string' },
      timeout: { type: 'string', default: '900' },
      'worker-requests': { type: 'string', default: '2000' },
      'worker-seconds': { type: 'string', default: '5' },
      launcher: { type: 'string', default: 'auto' },
      git: { type: 'string', default: '0' },
      corpus: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, not "${text}"`);
    return n;
  };
  const skip = new Set(values.skip.split(',').map((s) => s.trim()).filter(Boolean));
  for (const s of skip) {
    if (!['incremental', 'worker', 'corpus', 'scaled', 'hugo', 'full'].includes(s)) throw new UsageError(`--skip: unknown part "${s}"`);
  }
  return {
    articles: int('articles', values.articles, 1),
    seed: int('seed', values.seed, 0),
    runs: int('runs', values.runs, 1),
    out: path.resolve(values.out),
    profile: values.profile,
    skip,
    keep: values.keep,
    work: values.work ? path.resolve(values.work) : undefined,
    timeoutMs: int('timeout', values.timeout, 1) * 1000,
    workerRequests: int('worker-requests', values['worker-requests'], 10),
    workerMs: Number(values['worker-seconds']) * 1000 || 5000,
    launcher: launcherOf(values.launcher),
    git: int('git', values.git, 0),
    corpus: values.corpus ? path.resolve(values.corpus) : CORPUS,
  };
}

class UsageError extends Error {}

function launcherOf(text: string): Args['launcher'] {
  if (text === 'auto' || text === 'tsx' || text === 'bundle') return text;
  throw new UsageError(`--launcher must be auto, tsx or bundle, not "${text}"`);
}

// ---------------------------------------------------------------- small helpers

const log = (text: string) => process.stderr.write(`${text}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMb = (bytes: number) => (bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`);
const fmtS = (ms: number) => (Number.isNaN(ms) ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtUs = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

function which(cmd: string): string | undefined {
  const r = spawnSync('which', [cmd], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

// ---------------------------------------------------------------- the machine

interface Machine {
  nproc: number;
  cpu: string;
  memoryBytes: number;
  node: string;
  os: string;
  loadAverage: number[];
  commit?: string;
  dirty?: boolean;
}

async function machine(): Promise<Machine> {
  const nproc = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || os.availableParallelism();
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  let memoryBytes = os.totalmem();
  try {
    const info = await readFile('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.*)$/m.exec(info)?.[1]?.trim() ?? cpu;
  } catch {}
  try {
    const mem = await readFile('/proc/meminfo', 'utf8');
    const kb = /^MemTotal:\s*(\d+) kB/m.exec(mem)?.[1];
    if (kb) memoryBytes = Number(kb) * 1024;
  } catch {}
  const head = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const status = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' });
  return {
    nproc,
    cpu,
    memoryBytes,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    commit: head.status === 0 ? head.stdout.trim() : undefined,
    dirty: status.status === 0 ? status.stdout.trim() !== '' : undefined,
  };
}

// ---------------------------------------------------------------- timing a child process

interface Timed {
  wallMs: number;
  /** Peak resident set size of the child, bytes (undefined when it could not be measured). */
  peakRss?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = existsSync('/usr/bin/time') && which('time') !== undefined ? '/usr/bin/time' : undefined;
const hasGnuTime = GNU_TIME ? spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8' }).stderr.includes('Maximum resident set size') : false;

/** Process groups of the children running now: ended with the bench on Ctrl-C. */
const running = new Set<number>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }
    process.exit(130);
  });
}

const SYNC = which('sync');

/**
 * Run `cmd args`, timing its wall clock and its peak memory (GNU time, else polling
 * /proc VmHWM). Each starts once the file system has written what the one before
 * left dirty (sync(1), untimed): a full build leaves ~2.8 GB to write back, which
 * would otherwise slow whichever build comes next, Hugo's or ours, full or incremental.
 */
function timed(cmd: string, args: string[], options: { cwd: string; timeoutMs: number }): Promise<Timed> {
  if (SYNC) spawnSync(SYNC, [], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const argv = hasGnuTime ? [GNU_TIME!, '-v', cmd, ...args] : [cmd, ...args];
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) running.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let hwm: number | undefined;
    const poll = hasGnuTime
      ? undefined
      : setInterval(() => {
          readFile(`/proc/${child.pid}/status`, 'utf8').then(
            (s) => {
              const kb = /^VmHWM:\s*(\d+) kB/m.exec(s)?.[1];
              if (kb) hwm = Math.max(hwm ?? 0, Number(kb) * 1024);
            },
            () => {},
          );
        }, 20);
    const timer = setTimeout(() => {
      try {
        // Our own child's process group (spawned detached): the node under `time` goes too.
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      if (child.pid !== undefined) running.delete(child.pid);
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let peakRss = hwm;
      if (hasGnuTime) {
        const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
        if (kb) peakRss = Number(kb) * 1024;
        // Keep only the child's own messages.
        const cut = stderr.search(/\n?\s*(Command (exited|terminated)|Command being timed)/);
        if (cut >= 0) stderr = stderr.slice(0, cut);
      }
      if (signal === 'SIGKILL' && wallMs >= options.timeoutMs) stderr += `\n[bench] killed after ${options.timeoutMs / 1000} s`;
      resolve({ wallMs, peakRss, code: code ?? (signal ? 128 : null), stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------- a snapshot of the code

/**
 * The code under test, frozen when the bench starts: src/ is copied (others may be
 * editing it during a run of many minutes) next to a link to the repo's
 * node_modules, and bundled once with esbuild as bin/feedwright.mjs does, so every
 * build of one bench run, and the worker, run the same code.
 */
interface Snapshot {
  root: string;
  cli: string;
  app: string;
  /** sha256 over src/'s paths and bytes, first 16 hex digits. */
  hash: string;
  /** Plain-Node bundle of the CLI, when esbuild is available. */
  bundle?: string;
}

async function snapshot(work: string, bundle: boolean): Promise<Snapshot> {
  const root = path.join(work, 'snapshot');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await cp(path.join(ROOT, 'src'), path.join(root, 'src'), { recursive: true });
  await cp(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  // The worker module the workerd loop runs: it imports the snapshot's app.
  await mkdir(path.join(root, 'bench'));
  await cp(path.join(ROOT, 'bench', 'workerd-entry.ts'), path.join(root, 'bench', 'workerd-entry.ts'));
  await symlink(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const hash = createHash('sha256');
  for (const f of await listFiles(path.join(root, 'src'))) hash.update(`${f.rel}\0`).update(await readFile(f.abs));
  const snap: Snapshot = {
    root,
    cli: path.join(root, 'src', 'cli.ts'),
    app: path.join(root, 'src', 'worker', 'app.ts'),
    hash: hash.digest('hex').slice(0, 16),
  };
  if (bundle) {
    // The same bundle bin/feedwright.mjs makes for `npm run build`.
    snap.bundle = path.join(root, 'cli.mjs');
    await bundleCli(snap.cli, snap.bundle);
  }
  return snap;
}

// ---------------------------------------------------------------- the feedwright CLI

interface CliSupport {
  noCache: boolean;
  cacheDir: boolean;
}

async function cliSupport(cli: string): Promise<CliSupport> {
  const text = await readFile(cli, 'utf8');
  return {
    noCache: text.includes('no-cache'),
    cacheDir: /['"]?cache['"]?\s*:\s*\{\s*type:\s*['"]string['"]/.test(text),
  };
}

/** How node runs the TypeScript CLI from any folder: tsx's loader, resolved from the repo. */
function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  }
}

interface BuildCtx {
  /** `bundle`: node <esbuild bundle of src/> (as `npm run build` runs it); `tsx`: node --import tsx src/cli.ts. */
  launcher: 'tsx' | 'bundle';
  snap: Snapshot;
  work: string;
  config: string;
  support: CliSupport;
  timeoutMs: number;
  tsx: string;
}

interface BuildRun extends Timed {
  args: string[];
}

async function runBuild(
  ctx: BuildCtx,
  o: { archive: string; out: string; cache?: string; cpuProfDir?: string; label: string; summary?: boolean },
): Promise<BuildRun> {
  const node: string[] = [];
  if (o.cpuProfDir) node.push('--cpu-prof', '--cpu-prof-dir', o.cpuProfDir);
  const entry = ctx.launcher === 'bundle' && ctx.snap.bundle ? [ctx.snap.bundle] : ['--import', ctx.tsx, ctx.snap.cli];
  const args = [...node, ...entry, '--archive', o.archive, '--out', o.out, '--config', ctx.config];
  // The CLI's summary says what the cache saved; the full builds run --quiet as specified.
  if (!o.summary) args.push('--quiet');
  if (o.cache === undefined) {
    if (ctx.support.noCache) args.push('--no-cache');
  } else if (ctx.support.cacheDir) {
    args.push('--cache', o.cache);
  }
  log(`  ${o.label}…`);
  const r = await timed(process.execPath, args, { cwd: ctx.work, timeoutMs: ctx.timeoutMs });
  if (r.code !== 0) {
    throw new Error(`build "${o.label}" failed (exit ${r.code}):\n${(r.stderr || r.stdout).trim().slice(-3000)}`);
  }
  log(`    ${fmtS(r.wallMs)}${r.peakRss ? `, peak ${fmtMb(r.peakRss)}` : ''}`);
  return { ...r, args };
}

// ---------------------------------------------------------------- output folders

interface Walked {
  files: number;
  bytes: number;
  byKind: Record<Kind, { files: number; bytes: number }>;
  largestFeed?: { rel: string; bytes: number };
}

type Kind = 'rss' | 'atom' | 'json' | 'html' | 'meta' | 'other';

function kindOf(rel: string): Kind {
  if (rel.startsWith('_meta/')) return 'meta';
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (base === 'rss.xml') return 'rss';
  if (base === 'atom.xml') return 'atom';
  if (base === 'feed.json') return 'json';
  if (base.endsWith('.html')) return 'html';
  return 'other';
}

/** Every file under `dir` (the output is a symbolic link to a generation: follow it once). */
async function listFiles(dir: string): Promise<{ rel: string; abs: string; bytes: number }[]> {
  const root = await realpath(dir);
  const out: { rel: string; abs: string; bytes: number }[] = [];
  const visit = async (abs: string, rel: string) => {
    const entries = await readdir(abs, { withFileTypes: true });
    await Promise.all(
      entries.map(async (e) => {
        const a = path.join(abs, e.name);
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await visit(a, r);
        else if (e.isFile()) out.push({ rel: r, abs: a, bytes: (await stat(a)).size });
      }),
    );
  };
  await visit(root, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

async function walk(dir: string): Promise<Walked> {
  const files = await listFiles(dir);
  const byKind = Object.fromEntries(
    (['rss', 'atom', 'json', 'html', 'meta', 'other'] as Kind[]).map((k) => [k, { files: 0, bytes: 0 }]),
  ) as Walked['byKind'];
  let bytes = 0;
  let largestFeed: Walked['largestFeed'];
  for (const f of files) {
    const k = kindOf(f.rel);
    byKind[k].files++;
    byKind[k].bytes += f.bytes;
    bytes += f.bytes;
    if ((k === 'rss' || k === 'atom' || k === 'json') && (!largestFeed || f.bytes > largestFeed.bytes)) largestFeed = { rel: f.rel, bytes: f.bytes };
  }
  return { files: files.length, bytes, byKind, largestFeed };
}

async function hashAll(dir: string): Promise<Map<string, string>> {
  const files = await listFiles(dir);
  const hashes = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      hashes.set(f.rel, createHash('sha256').update(await readFile(f.abs)).digest('hex'));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return hashes;
}

interface Comparison {
  identical: boolean;
  files: number;
  differing: number;
  firstDifference?: string;
}

async function compareTrees(a: string, b: string): Promise<Comparison> {
  const [ha, hb] = await Promise.all([hashAll(a), hashAll(b)]);
  const paths = [...new Set([...ha.keys(), ...hb.keys()])].sort();
  let differing = 0;
  let firstDifference: string | undefined;
  for (const p of paths) {
    const x = ha.get(p);
    const y = hb.get(p);
    if (x === y) continue;
    differing++;
    firstDifference ??= x === undefined ? `${p} (only in the full build)` : y === undefined ? `${p} (only in the incremental build)` : `${p} (content differs)`;
  }
  return { identical: differing === 0, files: paths.length, differing, firstDifference };
}

async function inputOf(archive: string): Promise<{ articles: number; bytes: number }> {
  let articles = 0;
  let bytes = 0;
  const visit = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const a = path.join(dir, e.name);
      if (e.isDirectory()) await visit(a);
      else if (e.isFile() && e.name.endsWith('.md') && e.name.toLowerCase() !== 'readme.md') {
        articles++;
        bytes += (await stat(a)).size;
      }
    }
  };
  await visit(archive);
  return { articles, bytes };
}

// ---------------------------------------------------------------- full builds

interface FullResult {
  label: string;
  archive: string;
  /** The output folder of the last run (the others are removed). */
  out: string;
  articles: number;
  inputBytes: number;
  runs: { wallMs: number; peakRss?: number }[];
  wallMs: number;
  articlesPerSecond: number;
  mbPerSecond: number;
  peakRss?: number;
  output: Walked;
}

/**
 * `runs` full builds of `archive`, each into a new output folder (`<out>-1`, `<out>-2`,
 * …), as Hugo's are (`public-1`, …). With a Hugo site of the same archive, its runs
 * alternate with ours (ours first, then Hugo first, …): on a shared machine whose
 * speed drifts over minutes, two series run one after the other compare the
 * machine's moods as much as the generators. Nothing is deleted while anything is
 * measured: this machine's ext4 (no journal) skips every inode freed in the last
 * minute or more when it allocates one, so files created right after a large tree
 * was deleted cost several times more, in proportion to how many a build creates.
 * The last run's folder is the result's `out`; the others go to `discard`, for the
 * end of the bench.
 */
async function fullBuild(ctx: BuildCtx, label: string, archive: string, out: string, runs: number, discard: (dir: string) => void, hugo?: HugoSite): Promise<FullResult> {
  const input = await inputOf(archive);
  const results: BuildRun[] = [];
  const outOf = (i: number) => `${out}-${i + 1}`;
  // Left by an earlier bench in the same --work folder.
  for (let i = 0; i < runs; i++) await removeOutput(outOf(i));
  for (let i = 0; i < runs; i++) {
    const ours = async () => {
      results.push(await runBuild(ctx, { archive, out: outOf(i), label: `${label}, run ${i + 1}/${runs}` }));
    };
    if (!hugo) await ours();
    else if (i % 2 === 0) {
      await ours();
      await hugo.run(i, runs);
    } else {
      await hugo.run(i, runs);
      await ours();
    }
  }
  for (let i = 0; i < runs - 1; i++) discard(outOf(i));
  const last = outOf(runs - 1);
  const wallMs = median(results.map((r) => r.wallMs));
  const rss = results.map((r) => r.peakRss).filter((x): x is number => x !== undefined);
  return {
    label,
    archive,
    out: last,
    articles: input.articles,
    inputBytes: input.bytes,
    runs: results.map((r) => ({ wallMs: Math.round(r.wallMs), peakRss: r.peakRss })),
    wallMs,
    articlesPerSecond: input.articles / (wallMs / 1000),
    mbPerSecond: input.bytes / MB / (wallMs / 1000),
    peakRss: rss.length ? median(rss) : undefined,
    output: await walk(last),
  };
}

/** An output folder (a link) and its generations. */
async function removeOutput(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await rm(path.join(path.dirname(dir), `.${path.basename(dir)}.gen`), { recursive: true, force: true });
}

// ---------------------------------------------------------------- incremental builds

interface IncrementalResult {
  cacheSupported: boolean;
  /** Each kind of change: the median of its runs (`runs`, when there are several), and the files it changed. */
  steps: { step: string; file?: string; wallMs: number; peakRss?: number; summary?: string; runs?: number[] }[];
  comparison?: Comparison;
  /** The step that failed and why: the steps before it are kept. */
  failed?: { step: string; error: string };
  note?: string;
}

async function copyTree(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  const r = which('cp') ? spawnSync('cp', ['-a', from, to]) : undefined;
  if (!r || r.status !== 0) await cp(from, to, { recursive: true, preserveTimestamps: true });
}

async function incremental(ctx: BuildCtx, synth: SynthResult, archive: string, runs: number, lastCommit?: number): Promise<IncrementalResult> {
  const dir = path.join(ctx.work, 'inc-archive');
  const out = path.join(ctx.work, 'inc-out');
  const cache = path.join(ctx.work, 'inc-cache');
  await copyTree(archive, dir);
  await rm(cache, { recursive: true, force: true });
  // The output too, generations and all: left from an earlier run, it would let the
  // first cached build skip its writes and the first change skip its links.
  await rm(out, { recursive: true, force: true });
  await rm(path.join(ctx.work, '.inc-out.gen'), { recursive: true, force: true });
  const cacheSupported = ctx.support.noCache && ctx.support.cacheDir;
  const steps: IncrementalResult['steps'] = [];
  const note = cacheSupported ? undefined : 'the CLI has no --cache/--no-cache yet: every rebuild is a full build';
  try {
    await incrementalSteps(ctx, synth, dir, out, cache, steps, runs, lastCommit);
  } catch (error) {
    const message = (error as Error).message;
    const failed = { step: /build "incremental: ([^"]*)"/.exec(message)?.[1] ?? 'incremental', error: message };
    return { cacheSupported, steps, failed, note };
  }
  const full = path.join(ctx.work, 'inc-full');
  try {
    await runBuild(ctx, { archive: dir, out: full, label: 'incremental: full --no-cache build of the changed archive, for comparison' });
  } catch (error) {
    // The rebuilds' times stand; only the proof is missing.
    return { cacheSupported, steps, failed: { step: 'full --no-cache build of the changed archive', error: (error as Error).message }, note };
  }
  log('  comparing every file (sha256)…');
  const comparison = await compareTrees(out, full);
  log(`    ${comparison.identical ? 'identical' : `${comparison.differing} differ, first: ${comparison.firstDifference}`}`);
  return { cacheSupported, steps, comparison, note };
}

async function incrementalSteps(ctx: BuildCtx, synth: SynthResult, dir: string, out: string, cache: string, steps: IncrementalResult['steps'], runs: number, lastCommit?: number): Promise<void> {
  const newest = Math.max(...synth.list.map((a) => a.date ?? 0));
  // Each change comes an hour after the one before (`when`, in seconds), starting after
  // the newest article and the history's last commit; in a git archive it is committed
  // then, before the build. So the undated articles added last are dated alike, by their
  // commit or by their file time, with or without --git.
  let when = Math.max(lastCommit ?? 0, Math.floor(newest / 1000));
  const build = async (name: string, file?: string) => {
    if (file) {
      when += 3600;
      if (lastCommit !== undefined) commitChange(dir, file, name, when);
    }
    const r = await runBuild(ctx, { archive: dir, out, cache, label: `incremental: ${name}`, summary: true });
    // The CLI's lines about the cache and what it wrote, if it prints them.
    const summary = r.stdout
      .split('\n')
      .filter((l) => /^(Parsed|Read) |\/ holds /.test(l))
      .join(' ')
      .trim();
    if (summary) log(`    ${summary}`);
    return { wallMs: Math.round(r.wallMs), peakRss: r.peakRss, summary: summary || undefined };
  };
  /** One kind of change made `times` times, each built: the median, and every run. */
  const step = async (name: string, times: number, change: (k: number) => Promise<string | undefined>) => {
    const made: Awaited<ReturnType<typeof build>>[] = [];
    const files = new Set<string>();
    try {
      for (let k = 0; k < times; k++) {
        const file = await change(k);
        if (file) files.add(file);
        made.push(await build(times > 1 ? `${name} (${k + 1}/${times})` : name, file));
      }
    } finally {
      // The runs made before one failed are kept.
      if (made.length) {
        const rss = made.map((m) => m.peakRss).filter((x): x is number => x !== undefined);
        steps.push({
          step: name,
          file: files.size ? [...files].join(', ') : undefined,
          wallMs: median(made.map((m) => m.wallMs)),
          peakRss: rss.length ? median(rss) : undefined,
          summary: made[made.length - 1]!.summary,
          runs: made.length > 1 ? made.map((m) => m.wallMs) : undefined,
        });
      }
    }
  };
  await step('cached build, empty cache', 1, async () => undefined);
  // Nothing changed: the build stops after stat-ing the archive.
  await step('rebuild, nothing changed', runs, async () => undefined);

  // Edit the newest tagged article, `runs` times: it is in the main feed, a topic or two and its tag feeds.
  const tagged = synth.list.filter((a) => a.tags > 0 && a.date !== undefined).sort((a, b) => b.date! - a.date! || b.id - a.id);
  const edited = tagged[0];
  if (edited) {
    const file = path.join(dir, edited.file);
    await step('one article edited', runs, async (k) => {
      const text = await readFile(file, 'utf8');
      // The first edit changes the title too; each adds a line with a wiki link (a tag).
      const retitled = k === 0 ? text.replace(/\r\n## (.*)\r\n/, (_m, title: string) => `\r\n## ${title}（更新）\r\n`) : text;
      await writeFile(file, retitled.replace(/\r\n$/, `\r\n更新 ${k + 1}：本文已补充[[zh:${['美国', '中国', '台湾'][k % 3]}]]方面的最新回应。\r\n\r\n`));
      return edited.file;
    });
  }

  // Add `runs` articles, each newer than everything: each goes to the top of the main feed and of ~20 tag feeds.
  const maxId = Math.max(...synth.list.map((a) => a.id));
  await step('one article added', runs, async (k) => {
    const added = extraArticle(synth.seed, maxId + 1 + k, newest + (k + 1) * 3_600_000);
    await writeFile(path.join(dir, added.file), added.text);
    return added.file;
  });

  // Delete tagged articles from the middle of the main feed, one at a time (the oldest
  // ones, not the edited one, in an archive with fewer than 25 + runs of them).
  const first = Math.max(1, Math.min(25, tagged.length - runs));
  const deletable = tagged.slice(first, first + runs);
  if (deletable.length) {
    await step('one article deleted', deletable.length, async (k) => {
      await unlink(path.join(dir, deletable[k]!.file));
      return deletable[k]!.file;
    });
  }

  // Add articles with no date in the file: their first commit dates them in a git archive, their file time otherwise.
  await step('one undated article added', runs, async (k) => {
    const undated = extraUndatedArticle(synth.seed, maxId + runs + 1 + k);
    await writeFile(path.join(dir, undated.file), undated.text);
    const at = new Date((when + 3600) * 1000);
    await utimes(path.join(dir, undated.file), at, at);
    return undated.file;
  });
}

// ---------------------------------------------------------------- the worker

interface LoopStats {
  requests: number;
  requestsPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

interface WorkerResult {
  skipped?: string;
  feed?: string;
  feedBytes?: number;
  get?: LoopStats;
  notModified?: LoopStats;
  direct?: LoopStats;
  /** Mean time per request, app ÷ binding. */
  ratioGet?: number;
  ratioNotModified?: number;
  /** The same three, in workerd against its real assets binding (see workerd.ts). */
  workerd?: WorkerdResult | { skipped: string };
}

interface AssetsBinding {
  fetch(input: Request | string): Promise<Response>;
}

interface WorkerApp {
  fetch(request: Request, env: { ASSETS: AssetsBinding }): Response | Promise<Response>;
}

const CONTENT_TYPES: Record<string, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
};

/**
 * Time several request loops interleaved in rounds, so a busy machine slows each
 * of them alike: at most `maxRequests` each, about `maxMs` each in all.
 */
async function loops(fns: (() => Promise<void>)[], maxRequests: number, maxMs: number, rounds = 10): Promise<LoopStats[]> {
  for (const fn of fns) for (let i = 0; i < Math.min(100, maxRequests); i++) await fn(); // warm-up: JIT, caches
  const times: number[][] = fns.map(() => []);
  const spent = fns.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (const [k, fn] of fns.entries()) {
      const quota = Math.ceil((maxRequests * (round + 1)) / rounds);
      const until = (maxMs * (round + 1)) / rounds;
      const t0 = performance.now();
      while (times[k]!.length < quota && spent[k]! + (performance.now() - t0) < until) {
        const t = performance.now();
        await fn();
        times[k]!.push(performance.now() - t);
      }
      spent[k] = spent[k]! + (performance.now() - t0);
    }
  }
  return times.map((list, k) => {
    const sorted = list.sort((a, b) => a - b);
    const sum = sorted.reduce((s, x) => s + x, 0);
    return {
      requests: sorted.length,
      requestsPerSecond: sorted.length / (spent[k]! / 1000),
      meanMs: sum / sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    };
  });
}

async function worker(snap: Snapshot, dist: string, siteUrl: string, maxRequests: number, maxMs: number): Promise<WorkerResult> {
  const APP = snap.app;
  if (!existsSync(APP)) return { skipped: 'src/worker/app.ts does not exist' };
  const output = await walk(dist);
  const feed = output.largestFeed;
  if (!feed) return { skipped: 'the build wrote no feed' };
  const root = await realpath(dist);

  // The assets binding, in memory: `_meta/` and the feed, keyed by decoded path.
  const files = new Map<string, Uint8Array>();
  for (const f of await listFiles(path.join(root, '_meta'))) files.set(`/_meta/${f.rel}`, await readFile(f.abs));
  files.set(`/${feed.rel}`, await readFile(path.join(root, feed.rel)));
  const ASSETS: AssetsBinding = {
    async fetch(input) {
      const url = new URL(typeof input === 'string' ? input : input.url);
      const key = url.pathname.split('/').map(decodeURIComponent).join('/');
      const body = files.get(key);
      if (!body) return new Response('Not found', { status: 404 });
      const type = CONTENT_TYPES[key.slice(key.lastIndexOf('/') + 1)] ?? 'application/octet-stream';
      return new Response(body, { status: 200, headers: { 'Content-Type': type } });
    },
  };
  const env = { ASSETS };

  let app: WorkerApp;
  try {
    // A computed specifier: the worker is type-checked by its own tsconfig, not this one.
    const mod = (await import(pathToFileURL(APP).href)) as { default: WorkerApp };
    app = mod.default;
  } catch (error) {
    return { skipped: `cannot import src/worker/app.ts: ${(error as Error).message}` };
  }

  const url = `${siteUrl}/${feed.rel.split('/').map(encodeURIComponent).join('/')}`;
  const base = feed.rel.slice(feed.rel.lastIndexOf('/') + 1);
  const accept = { Accept: `${(CONTENT_TYPES[base] ?? '*/*').split(';')[0]}, */*;q=0.8` };
  const expected = files.get(`/${feed.rel}`)!.byteLength;

  const first = await app.fetch(new Request(url, { headers: accept }), env);
  const firstBody = await first.arrayBuffer();
  if (first.status !== 200 || firstBody.byteLength !== expected) {
    return { skipped: `the app answered ${first.status} with ${firstBody.byteLength} bytes for ${feed.rel} (expected 200 and ${expected})`, feed: feed.rel };
  }
  const etag = first.headers.get('ETag');
  const notModifiedHeaders = { ...accept, ...(etag ? { 'If-None-Match': etag } : {}) };
  const check = await app.fetch(new Request(url, { headers: notModifiedHeaders }), env);
  await check.arrayBuffer();

  log(`  worker: ${feed.rel} (${fmtMb(feed.bytes)})`);
  const appGet = async () => {
    const res = await app.fetch(new Request(url, { headers: accept }), env);
    await res.arrayBuffer();
  };
  const appNotModified = async () => {
    const res = await app.fetch(new Request(url, { headers: notModifiedHeaders }), env);
    await res.arrayBuffer();
  };
  const directGet = async () => {
    const res = await ASSETS.fetch(new Request(url));
    await res.arrayBuffer();
  };
  const has304 = check.status === 304;
  const stats = await loops(has304 ? [appGet, appNotModified, directGet] : [appGet, directGet], maxRequests, maxMs);
  const get = stats[0]!;
  const notModified = has304 ? stats[1] : undefined;
  const direct = stats[stats.length - 1]!;
  let workerd: WorkerResult['workerd'];
  log('  worker in workerd…');
  try {
    const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8'))?.[1] ?? '2026-04-20';
    workerd = await workerdLoops({ entry: path.join(snap.root, 'bench', 'workerd-entry.ts'), dist: root, feed: feed.rel, work: path.dirname(snap.root), siteUrl, compatibilityDate });
  } catch (error) {
    workerd = { skipped: (error as Error).message };
    log(`  workerd: ${workerd.skipped}`);
  }
  return {
    workerd,
    feed: feed.rel,
    feedBytes: feed.bytes,
    get,
    notModified,
    direct,
    ratioGet: get.meanMs / direct.meanMs,
    ratioNotModified: notModified ? notModified.meanMs / direct.meanMs : undefined,
    skipped: check.status === 304 ? undefined : `no 304 for If-None-Match ${etag ?? '(no ETag)'}: got ${check.status}`,
  };
}

// ---------------------------------------------------------------- Hugo

interface HugoResult {
  skipped?: string;
  cases: { label: string; articles: number; wallMs: number; peakRss?: number; runs: number[] }[];
}

const HUGO_CONFIG = `baseURL = "https://bench.example.org/"
title = "Bench"
languageCode = "zh-CN"
# What the issue compares against: the summary RSS of the home page and of every tag, nothing else.
# (Disabling the "page" kind would drop the pages from the tag lists too: give pages no output instead.)
disableKinds = ["section", "sitemap", "robotsTXT", "404"]
[outputs]
  home = ["rss"]
  term = ["rss"]
  taxonomy = []
  page = []
[taxonomies]
  tag = "tags"
[services.rss]
  limit = 50
`;

/**
 * A Hugo site converted from an archive: `run` builds it once into a new folder
 * (`public-<i+1>`); after a failing run it does nothing and `failed` says why;
 * `result` sums up the runs so far.
 */
interface HugoSite {
  run: (i: number, runs: number) => Promise<void>;
  failed?: string;
  result: () => HugoResult['cases'][number];
  /** Remove what the runs wrote. */
  cleanup: () => Promise<void>;
}

/** The Hugo site of `archive` (see HUGO_CONFIG), or why there is none. */
async function hugoSite(work: string, label: string, archive: string, timeoutMs: number): Promise<HugoSite | { skipped: string }> {
  const bin = which('hugo');
  if (!bin) return { skipped: 'hugo is not on PATH' };
  if (!existsSync(TO_HUGO)) return { skipped: `${TO_HUGO} does not exist` };
  const python = which('python3');
  if (!python) return { skipped: 'python3 (needed by to-hugo) is not on PATH' };
  const site = path.join(work, `hugo-${label.replace(/\W+/g, '-')}`);
  await rm(site, { recursive: true, force: true });
  log(`  hugo: converting ${label}…`);
  const conv = spawnSync(python, [TO_HUGO, archive, site], { encoding: 'utf8' });
  if (conv.status !== 0) return { skipped: `to-hugo failed: ${conv.stderr.trim().slice(-500)}` };
  await writeFile(path.join(site, 'hugo.toml'), HUGO_CONFIG);
  const articles = (await inputOf(archive)).articles;
  const runs: Timed[] = [];
  const written: string[] = [];
  const hugo: HugoSite = {
    async run(i, total) {
      if (hugo.failed) return;
      // A new folder each run, as ours (see fullBuild).
      const destination = path.join(site, `public-${i + 1}`);
      written.push(destination);
      log(`  hugo: ${label}, run ${i + 1}/${total}…`);
      const r = await timed(bin, ['--quiet', '--source', site, '--destination', destination], { cwd: site, timeoutMs });
      if (r.code !== 0) {
        hugo.failed = `hugo failed: ${(r.stderr || r.stdout).trim().slice(-500)}`;
        log(`  ${hugo.failed}`);
        return;
      }
      log(`    ${fmtS(r.wallMs)}`);
      runs.push(r);
    },
    async cleanup() {
      for (const dir of written) await rm(dir, { recursive: true, force: true });
    },
    result() {
      const rss = runs.map((r) => r.peakRss).filter((x): x is number => x !== undefined);
      return {
        label,
        articles,
        wallMs: median(runs.map((r) => r.wallMs)),
        peakRss: rss.length ? median(rss) : undefined,
        runs: runs.map((r) => Math.round(r.wallMs)),
      };
    },
  };
  return hugo;
}

// ---------------------------------------------------------------- CPU profile

interface ProfileResult {
  wallMs: number;
  files: number;
  /** `caller`: the nearest frame outside Node's internals, for native and node: functions. */
  topFunctions: { name: string; where: string; caller?: string; selfMs: number; share: number }[];
  /** Self time by file, with native and node: internals charged to the file that called them. */
  topFiles: { file: string; selfMs: number; share: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

async function profile(ctx: BuildCtx, archive: string): Promise<ProfileResult> {
  const dir = path.join(ctx.work, 'cpu-prof');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const r = await runBuild(ctx, { archive, out: path.join(ctx.work, 'prof-out'), cpuProfDir: dir, label: 'CPU profile (one full --no-cache build)' });
  const byFunction = new Map<string, { name: string; where: string; caller?: string; us: number }>();
  const byFile = new Map<string, number>();
  let total = 0;
  const names = (await readdir(dir)).filter((n) => n.endsWith('.cpuprofile'));
  // Frames in the bundle are mapped back to src/ (and node_modules) through its source map.
  // The CLI bundle and, beside it, the worker threads' bundle.
  const maps = new Map<string, SourceMap>();
  if (ctx.launcher === 'bundle' && ctx.snap.bundle) {
    for (const file of [ctx.snap.bundle, path.join(path.dirname(ctx.snap.bundle), 'worker.mjs')]) {
      try {
        maps.set(pathToFileURL(file).href, new SourceMap(JSON.parse(await readFile(`${file}.map`, 'utf8')) as SourceMapPayload));
      } catch {}
    }
  }
  const located = new Map<string, { file: string; line: number }>();
  const locate = (url: string, line: number, column: number): { file: string; line: number } => {
    const key = `${url}:${line}:${column}`;
    let found = located.get(key);
    if (!found) {
      found = { file: shortUrl(url, ctx.snap.root), line: line + 1 };
      const map = maps.get(url);
      if (map) {
        const entry = map.findEntry(line, column);
        if ('originalSource' in entry) {
          const source = entry.originalSource.startsWith('file://') ? entry.originalSource : pathToFileURL(path.resolve(ctx.snap.root, entry.originalSource)).href;
          found = { file: shortUrl(source, ctx.snap.root), line: entry.originalLine + 1 };
        }
      }
      located.set(key, found);
    }
    return found;
  };
  for (const name of names) {
    const p = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parents = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
    const internal = (url: string) => !url || url.startsWith('node:');
    /** The nearest ancestor in our code or a dependency, not in Node's internals. */
    const callerOf = (id: number): string | undefined => {
      for (let at = parents.get(id); at !== undefined; at = parents.get(at)) {
        const f = nodes.get(at)!.callFrame;
        if (!internal(f.url)) {
          const l = locate(f.url, f.lineNumber, f.columnNumber);
          return `${l.file}:${l.line}`;
        }
      }
      return undefined;
    };
    p.samples.forEach((id, i) => {
      const us = p.timeDeltas[i] ?? 0;
      const n = nodes.get(id);
      if (!n) return;
      const { functionName, url, lineNumber, columnNumber } = n.callFrame;
      if (functionName === '(idle)') return;
      total += us;
      const at = url ? locate(url, lineNumber, columnNumber) : undefined;
      const file = at?.file || (functionName === '(garbage collector)' || functionName === '(program)' ? functionName : '(native)');
      const name = functionName || '(anonymous)';
      const where = at ? `${at.file}:${at.line}` : '';
      const special = functionName === '(garbage collector)' || functionName === '(program)';
      const caller = internal(url) && !special ? callerOf(id) : undefined;
      const key = `${name}\0${where}\0${caller ?? ''}`;
      const e = byFunction.get(key) ?? { name, where, caller, us: 0 };
      e.us += us;
      byFunction.set(key, e);
      const charged = caller ? caller.replace(/:\d+$/, '') : file;
      byFile.set(charged, (byFile.get(charged) ?? 0) + us);
    });
  }
  return {
    wallMs: Math.round(r.wallMs),
    files: names.length,
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 25)
      .map((e) => ({ name: e.name, where: e.where, caller: e.caller, selfMs: Math.round(e.us / 1000), share: e.us / total })),
    topFiles: [...byFile.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([file, us]) => ({ file, selfMs: Math.round(us / 1000), share: us / total })),
  };
}

function shortUrl(url: string, snapRoot?: string): string {
  if (!url) return '';
  let p = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (snapRoot && p.startsWith(snapRoot + path.sep)) p = path.relative(snapRoot, p);
  else if (p.startsWith(ROOT + path.sep)) p = path.relative(ROOT, p);
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) p = p.slice(nm);
  return p.replace(/\?.*$/, '');
}

// ---------------------------------------------------------------- the report

interface Results {
  date: string;
  machine: Machine;
  /** `corpus`: the folder --corpus named, if any. */
  params: { articles: number; seed: number; runs: number; git: number; corpus?: string };
  cli: CliSupport & { launcher: 'tsx' | 'bundle'; args: string; srcHash: string };
  config: unknown;
  synth: Omit<SynthResult, 'list' | 'dir'>;
  full?: FullResult;
  incremental?: IncrementalResult | { skipped: string };
  worker?: WorkerResult;
  corpus?: FullResult | { skipped: string };
  /** The real corpus copied to the real archive's size (see scaled-corpus.ts). */
  scaled?: FullResult | { skipped: string };
  hugo?: HugoResult;
  profile?: ProfileResult;
  totalMs: number;
  errors: string[];
}

function table(header: string[], rows: (string | number)[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

function markdown(r: Results): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`### feedwright bench: ${fmtInt(r.params.articles)} synthetic articles (seed ${r.params.seed}${r.params.git ? `, a git repository of ${fmtInt(r.params.git)} commits` : ''}), ${r.params.runs} run${r.params.runs === 1 ? '' : 's'}`);
  out.push('');
  out.push(
    `Machine: ${m.nproc} × ${m.cpu}, ${(m.memoryBytes / 1024 / MB).toFixed(1)} GiB RAM, Node ${m.node}, ${m.os}; load average at start ${m.loadAverage.join(' ')}. ` +
      `Commit ${m.commit ?? '?'}${m.dirty ? ` (src/ modified; snapshot ${r.cli.srcHash})` : ''}, ${r.date}.`,
  );
  out.push(`Build command: \`${r.cli.args}\` (child process; wall time includes Node's start).`);
  const s = r.synth;
  out.push(
    `Synthetic archive: ${fmtMb(s.bytes)}, median ${fmtInt(s.medianBytes)} B, largest ${fmtInt(s.maxBytes)} B, ${fmtInt(s.dated)} dated, ${fmtInt(s.tagged)} tagged, ${fmtInt(s.distinctTags)} distinct tags; generated in ${fmtS(s.ms)}.`,
  );
  if (r.corpus && 'archive' in r.corpus) out.push(`Real corpus: ${r.corpus.archive}.`);
  out.push('');
  const fullRows: (string | number)[][] = [];
  const fullRow = (f: FullResult) => [
    f.label,
    fmtInt(f.articles),
    fmtMb(f.inputBytes),
    fmtS(f.wallMs),
    fmtInt(f.articlesPerSecond),
    f.mbPerSecond.toFixed(2),
    f.peakRss ? fmtMb(f.peakRss) : '–',
    fmtInt(f.output.files),
    fmtMb(f.output.bytes),
  ];
  // Our full builds that ran: the synthetic archive, the corpus, the corpus at scale.
  const builds = [r.full, r.corpus, r.scaled].filter((f): f is FullResult => f !== undefined && 'output' in f);
  for (const f of builds) fullRows.push(fullRow(f));
  for (const h of r.hugo?.cases ?? []) {
    fullRows.push([`Hugo, ${h.label}`, fmtInt(h.articles), '', fmtS(h.wallMs), fmtInt(h.articles / (h.wallMs / 1000)), '', h.peakRss ? fmtMb(h.peakRss) : '–', '', '']);
  }
  if (fullRows.length) {
    out.push(table(['full build', 'articles', 'input', 'wall (median)', 'articles/s', 'MB/s', 'peak RSS', 'files', 'output'], fullRows));
    out.push('');
    const runsOf = (label: string, ours: number[], theirs?: number[]) =>
      `${label}: ours ${ours.map((ms) => fmtS(ms)).join(', ')}${theirs?.length ? `; Hugo's ${theirs.map((ms) => fmtS(ms)).join(', ')}` : ''}`;
    const said = builds.map((f) => runsOf(f.label, f.runs.map((x) => x.wallMs), r.hugo?.cases.find((h) => h.label === f.label)?.runs));
    const alternated = r.hugo?.cases.length ? "; Hugo's runs alternate with ours" : '';
    out.push(`Every run starts from an empty output folder, after sync(1)${alternated} (${said.join('. ')}).`);
    // What the issue's check reads: our median over Hugo's, on the same articles in the same run.
    const ratios = builds.flatMap((f) => {
      const h = r.hugo?.cases.find((c) => c.label === f.label);
      return h ? [`${f.label} ${(f.wallMs / h.wallMs).toFixed(2)}×`] : [];
    });
    if (ratios.length) out.push(`Ours ÷ Hugo's (medians): ${ratios.join(', ')}.`);
    out.push('');
  }
  if (builds.length) {
    const kinds: Kind[] = ['rss', 'atom', 'json', 'html', 'meta', 'other'];
    out.push(
      table(
        ['output by kind', ...kinds.map((k) => (k === 'meta' ? '_meta' : k === 'json' ? 'JSON Feed' : k.toUpperCase()))],
        builds.map((f) => [f.label, ...kinds.map((k) => `${fmtMb(f.output.byKind[k].bytes)} (${fmtInt(f.output.byKind[k].files)})`)]),
      ),
    );
    out.push('');
  }
  if (r.incremental) {
    if ('skipped' in r.incremental) out.push(`Incremental: skipped (${r.incremental.skipped}).`);
    else {
      const inc = r.incremental;
      const rows = inc.steps.map((st) => [
        st.step + (st.runs ? ` (median of ${st.runs.length}: ${st.runs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)` : st.file ? ` (${st.file})` : ''),
        fmtS(st.wallMs),
        st.peakRss ? fmtMb(st.peakRss) : '–',
      ]);
      if (inc.failed) {
        const why = inc.failed.error.split('\n').find((l) => /Error|error:/.test(l)) ?? inc.failed.error.split('\n')[0];
        rows.push([inc.failed.step, `**failed**: ${why?.trim().replace(/\|/g, '\\|')}`, '']);
      }
      const c = inc.comparison;
      if (c) {
        rows.push([
          'output equals a full --no-cache build',
          c.identical ? `yes (${fmtInt(c.files)} files)` : `**no**: ${fmtInt(c.differing)} of ${fmtInt(c.files)} differ, first ${c.firstDifference}`,
          '',
        ]);
      }
      out.push(table(['incremental rebuild', 'wall', 'peak RSS'], rows));
      if (inc.note) out.push(`\nNote: ${inc.note}.`);
    }
    out.push('');
  }
  if (r.worker) {
    const w = r.worker;
    if (w.get && w.direct) {
      // Medians are the number to read on a noisy machine; means (what the goal
      // speaks of, "cost") are pulled up by the slowest requests of either loop.
      const row = (name: string, st: LoopStats, ratio?: number) => [
        name,
        fmtInt(st.requests),
        fmtInt(st.requestsPerSecond),
        fmtUs(st.p50Ms),
        fmtUs(st.p99Ms),
        ratio === undefined ? '1.00' : (st.p50Ms / w.direct!.p50Ms).toFixed(2),
        ratio === undefined ? '1.00' : ratio.toFixed(2),
      ];
      const rows = [row(`app: GET ${w.feed} (${fmtMb(w.feedBytes ?? 0)})`, w.get, w.ratioGet)];
      if (w.notModified) rows.push(row('app: GET with If-None-Match → 304', w.notModified, w.ratioNotModified));
      rows.push(row('binding directly: same file', w.direct));
      out.push(table(['worker, in process', 'requests', 'req/s', 'p50', 'p99', 'p50 ÷ binding', 'mean ÷ binding'], rows));
      if (w.skipped) out.push(`\nNote: ${w.skipped}.`);
      const d = w.workerd;
      if (d && 'get' in d) {
        // Per request, from batches of `batch` timed as one (workerd's clock moves in whole ms).
        const drow = (name: string, st: BatchStats) => [name, fmtInt(st.requests), fmtUs(st.p50Ms), fmtUs(st.meanMs), (st.p50Ms / d.direct.p50Ms).toFixed(2), (st.meanMs / d.direct.meanMs).toFixed(2)];
        out.push('');
        out.push(
          table(
            [`worker in workerd (batches of ${d.batch})`, 'requests', 'p50', 'mean', 'p50 ÷ binding', 'mean ÷ binding'],
            [drow(`app: GET ${d.feed}`, d.get), drow('app: GET with If-None-Match → 304', d.notModified), drow('binding directly: same file', d.direct)],
          ),
        );
      } else if (d) out.push(`\nWorker in workerd: skipped (${d.skipped}).`);
    } else out.push(`Worker: skipped (${w.skipped}).`);
    out.push('');
  }
  if (r.corpus && 'skipped' in r.corpus) out.push(`Real corpus: skipped (${r.corpus.skipped}).\n`);
  if (r.scaled && 'skipped' in r.scaled) out.push(`Real corpus at the real archive's size: skipped (${r.scaled.skipped}).\n`);
  if (r.hugo?.skipped) out.push(`Hugo: skipped (${r.hugo.skipped}).\n`);
  if (r.profile) {
    const p = r.profile;
    out.push(
      table(
        ['CPU profile: top self time', 'where', 'called from', 'self', 'share'],
        p.topFunctions.map((f) => [f.name, f.where, f.caller ?? '', `${fmtInt(f.selfMs)} ms`, `${(f.share * 100).toFixed(1)} %`]),
      ),
    );
    out.push('');
    out.push(table(['self time by file (native calls charged to their caller)', 'self', 'share'], p.topFiles.map((f) => [f.file, `${fmtInt(f.selfMs)} ms`, `${(f.share * 100).toFixed(1)} %`])));
    out.push('');
  }
  if (r.errors.length) out.push(`Errors:\n${r.errors.map((e) => `- ${e.split('\n')[0]}`).join('\n')}\n`);
  out.push(`Reproduce: \`npm run bench -- --articles ${r.params.articles} --seed ${r.params.seed} --runs ${r.params.runs}${r.params.git ? ` --git ${r.params.git}` : ''}${r.params.corpus ? ` --corpus ${r.params.corpus}` : ''}\` (bench total ${fmtS(r.totalMs)}).`);
  return out.join('\n');
}

// ---------------------------------------------------------------- main

async function benchConfig(file: string): Promise<unknown> {
  // The project's own config (what the site ships), on a bench host and title.
  let base: Record<string, unknown> = {};
  try {
    base = JSON.parse(await readFile(path.join(ROOT, 'feedwright.config.json'), 'utf8')) as Record<string, unknown>;
  } catch {}
  const config = {
    ...base,
    title: 'Bench',
    siteUrl: 'https://bench.example.org',
    topics: Array.isArray(base.topics) && base.topics.length ? base.topics : FALLBACK_TOPICS,
  };
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
  return config;
}

const FALLBACK_TOPICS = [
  {
    slug: 'ai',
    title: 'AI 人工智能',
    tags: ['AI', '人工智能', '人工智慧', 'ChatGPT', 'OpenAI', '机器学习', '深度学习'],
    keywords: ['AI', 'artificial intelligence', 'ChatGPT', 'OpenAI', 'Sora', '人工智能', '人工智慧', '机器学习', '大模型'],
  },
  {
    slug: '芯片',
    title: '芯片 半导体',
    tags: ['芯片', '晶片', '半导体', '半導體', '集成电路'],
    keywords: ['芯片', '晶片', '半导体', '半導體', '集成电路', '光刻机', '台积电', 'TSMC', 'Nvidia', 'ASML'],
  },
];

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const work = args.work ?? path.join(os.tmpdir(), `feedwright-bench-${process.pid}`);
  await mkdir(work, { recursive: true });
  const errors: string[] = [];
  const record = (part: string, error: unknown) => {
    const message = `${part}: ${(error as Error).message ?? String(error)}`;
    errors.push(message);
    log(`  ${message}`);
  };
  /** Removals put off until nothing is measured any more (see fullBuild). */
  const later: (() => Promise<void>)[] = [];
  try {
    const info = await machine();
    log('snapshotting src/…');
    const snap = await snapshot(work, args.launcher !== 'tsx');
    if (args.launcher === 'bundle' && !snap.bundle) throw new Error('--launcher bundle: esbuild is not installed');
    const launcher = snap.bundle ? 'bundle' : 'tsx';
    const support = await cliSupport(snap.cli);
    const configFile = path.join(work, 'bench.config.json');
    const config = await benchConfig(configFile);
    const ctx: BuildCtx = { launcher, snap, work, config: configFile, support, timeoutMs: args.timeoutMs, tsx: tsxLoader() };
    log(`feedwright bench in ${work}: ${info.nproc} × ${info.cpu}, load ${info.loadAverage.join(' ')}`);
    if (info.loadAverage[0]! > info.nproc * 0.5) log(`  note: the machine is busy (load ${info.loadAverage[0]}): timings will be noisy`);

    log(`synthesizing ${args.articles} articles (seed ${args.seed})…`);
    const archive = path.join(work, 'archive');
    const synth = await synthesize({ articles: args.articles, seed: args.seed, dir: archive });
    log(`  ${fmtMb(synth.bytes)} in ${fmtS(synth.ms)}`);
    /** With --git: the time (s) of the history's last commit, after which the incremental steps commit. */
    let lastCommit: number | undefined;
    let commits = 0;
    if (args.git) {
      if (!which('git')) throw new Error('--git: git is not installed');
      const t = performance.now();
      const history = await commitHistory(archive, synth.list.map((a) => a.file), ['README.md'], args.git);
      ({ commits, last: lastCommit } = history);
      log(`  committed as ${commits} commits in ${fmtS(performance.now() - t)}`);
    }

    // Warm tsx's transform cache and the page cache on a tiny archive: not measured.
    log('warming up…');
    await synthesize({ articles: 50, seed: args.seed, dir: path.join(work, 'warm-archive') });
    await runBuild(ctx, { archive: path.join(work, 'warm-archive'), out: path.join(work, 'warm-out'), label: 'warm-up build' });

    const { list: _list, dir: _dir, ...synthSummary } = synth;
    const results: Results = {
      date: new Date().toISOString(),
      machine: info,
      params: { articles: args.articles, seed: args.seed, runs: args.runs, git: commits, corpus: args.corpus === CORPUS ? undefined : args.corpus },
      cli: {
        ...support,
        launcher,
        srcHash: snap.hash,
        args: `${launcher === 'bundle' ? 'node <esbuild bundle of src/cli.ts, as bin/feedwright.mjs makes it>' : 'node --import tsx src/cli.ts'} --archive <archive> --out <out> --config <bench config> --quiet${support.noCache ? ' --no-cache' : ''}`,
      },
      config,
      synth: synthSummary,
      totalMs: 0,
      errors,
    };

    // Hugo's runs alternate with our full builds of the same archive (see fullBuild).
    const hugoCases: HugoResult['cases'] = [];

    let hugoSkipped: string | undefined = args.skip.has('hugo') ? '--skip hugo' : undefined;
    const hugoFor = async (label: string, dir: string): Promise<HugoSite | undefined> => {
      if (hugoSkipped) return undefined;
      try {
        const site = await hugoSite(work, label, dir, args.timeoutMs);
        if ('skipped' in site) {
          log(`  hugo skipped: ${(hugoSkipped = site.skipped)}`);
          return undefined;
        }
        return site;
      } catch (error) {
        record('hugo', error);
        return undefined;
      }
    };
    const sideBySide = async (label: string, dir: string, out: string, runs: number): Promise<FullResult> => {
      const site = await hugoFor(label, dir);
      try {
        return await fullBuild(ctx, label, dir, out, runs, (d) => later.push(() => removeOutput(d)), site);
      } finally {
        // A failing Hugo is noted, as a missing one is; our builds went on without it.
        if (site?.failed) hugoSkipped ??= site.failed;
        if (site?.result().runs.length) hugoCases.push(site.result());
        if (site) later.push(site.cleanup);
      }
    };

    const fullOut = path.join(work, 'full-out');
    if (!args.skip.has('full')) {
      log('full builds, side by side with Hugo…');
      try {
        results.full = await sideBySide('synthetic', archive, fullOut, args.runs);
      } catch (error) {
        record('full build', error);
      }
    }

    if (args.skip.has('incremental')) results.incremental = { skipped: '--skip incremental' };
    else {
      log('incremental builds…');
      try {
        results.incremental = await incremental(ctx, synth, archive, args.runs, lastCommit);
        if (results.incremental.failed) errors.push(`incremental: ${results.incremental.failed.step} failed`);
      } catch (error) {
        record('incremental', error);
      }
    }

    if (args.skip.has('worker')) results.worker = { skipped: '--skip worker' };
    else if (!results.full) results.worker = { skipped: 'no full build to serve' };
    else {
      log('worker…');
      try {
        results.worker = await worker(snap, results.full.out, 'https://bench.example.org', args.workerRequests, args.workerMs);
        if (results.worker.skipped) log(`  ${results.worker.skipped}`);
      } catch (error) {
        record('worker', error);
        results.worker = { skipped: (error as Error).message };
      }
    }

    // The real articles, --runs times each side by side with Hugo's: the shared corpus,
    // or a whole real archive (--corpus), which is then the run to read.
    const corpus = args.corpus;
    const corpusSize = !(args.skip.has('corpus') && args.skip.has('scaled')) && existsSync(corpus) ? await inputOf(corpus) : undefined;
    if (args.skip.has('corpus')) results.corpus = { skipped: '--skip corpus' };
    else if (!corpusSize) results.corpus = { skipped: `${corpus} does not exist` };
    else {
      log(`real corpus (${corpus}: ${fmtInt(corpusSize.articles)} articles, ${fmtMb(corpusSize.bytes)})…`);
      try {
        results.corpus = await sideBySide('real corpus', corpus, path.join(work, 'corpus-out'), args.runs);
      } catch (error) {
        record('corpus', error);
      }
    }

    // Copied to the real archive's size when it is smaller (a real archive is built as it is, above).
    const copies = corpusSize ? copiesFor(corpusSize.articles) : undefined;
    if (args.skip.has('scaled')) results.scaled = { skipped: '--skip scaled' };
    else if (!corpusSize || !copies) results.scaled = { skipped: `${corpus} does not exist` };
    else if (copies.copies === 1) results.scaled = { skipped: `the real corpus has ${fmtInt(corpusSize.articles)} articles, the real archive's size or more: built as it is, above` };
    else {
      log("real corpus at the real archive's size…");
      try {
        const scaled = await scaleCorpus(corpus, path.join(work, 'scaled-archive'), copies);
        log(`  ${fmtInt(scaled.articles)} articles, ${fmtMb(scaled.bytes)}`);
        results.scaled = await sideBySide(`real corpus ×${copies.copies} (×${copies.long} over 64 KB)`, scaled.dir, path.join(work, 'scaled-out'), args.runs);
      } catch (error) {
        record('scaled corpus', error);
      }
    }

    results.hugo = hugoSkipped ? { skipped: hugoSkipped, cases: hugoCases } : { cases: hugoCases };

    if (args.profile) {
      log('profile…');
      try {
        results.profile = await profile(ctx, archive);
      } catch (error) {
        record('profile', error);
      }
    }

    for (const removal of later.splice(0)) await removal();
    results.totalMs = performance.now() - started;
    const md = markdown(results);
    console.log(md);
    await mkdir(path.dirname(args.out), { recursive: true });
    await writeFile(args.out, `${JSON.stringify({ ...results, markdown: md }, null, 2)}\n`);
    log(`\nwrote ${path.relative(process.cwd(), args.out) || args.out}`);
    return errors.length ? 1 : 0;
  } finally {
    for (const removal of later) await removal().catch(() => {});
    if (!args.keep && !args.work) await rm(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
