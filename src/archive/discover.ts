import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { byCodePoint } from '../core/order.js';
import { listFiles, type ListingMemory, type ListingRecord } from './listing.js';

export interface SourceFile {
  /** Relative to the archive folder, `/`-separated. */
  file: string;
  absolute: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * Every article file under the archive, sorted by path so that everything that
 * follows sees the same order on every machine. The archive's `README.md` index
 * files are not articles. `memory`: the last listing, and whether to record this
 * one (see listing.ts); `record`: the one to keep, when this build walked the archive.
 */
export async function discover(archiveDir: string, pattern: string, memory?: ListingMemory): Promise<{ sources: SourceFile[]; record?: ListingRecord }> {
  const { articles, record } = await listArticles(archiveDir, pattern, memory);
  return { sources: await statArticles(archiveDir, articles), record };
}

/**
 * The article files (see discover), not yet stat-ed. `changed`: some file was added,
 * removed or renamed since the last listing remembered (false when none was, or the
 * folders did not change: then only the files' stats tell).
 */
export async function listArticles(archiveDir: string, pattern: string, memory?: ListingMemory): Promise<{ articles: string[]; record?: ListingRecord; changed: boolean }> {
  const { files, record, previous } = await listFiles(archiveDir, pattern, memory);
  const articles = articlesOf(files);
  // Compared as articles: a README.md or a file of another kind changes a folder, not them.
  return { articles, record, changed: previous !== undefined && !sameList(articles, articlesOf(previous)) };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The article files among those listed (no archive README.md), in code-point order. */
function articlesOf(files: readonly string[]): string[] {
  return files.filter((f) => !isReadme(f)).sort(byCodePoint);
}

/**
 * Whether the file is named README.md (any case), in any folder: what
 * `path.posix.basename(f).toLowerCase() === 'readme.md'` says, without walking every
 * path of 40,000 (~16 ms a build): only a name of that length is lower-cased.
 */
function isReadme(file: string): boolean {
  const n = file.length;
  if (n < 9 || (n > 9 && file.charCodeAt(n - 10) !== 0x2f)) return false;
  return file.slice(n - 9).toLowerCase() === 'readme.md';
}

/**
 * Each article's size and modification time. stat(2) in a plain loop: for 40,000
 * local files ~2× faster than through the thread pool. With `onThread`, the loop runs
 * on a thread of its own (~0.1 s at 40,000 files on a quiet machine, 0.25–0.35 s on
 * the slower ones of 2026-12-02, after 0.06–0.12 s for the thread to start), so that
 * this thread can do something else meanwhile: the build decodes its cache then.
 * Anything going wrong there, the loop runs here.
 */
export async function statArticles(archiveDir: string, articles: readonly string[], onThread = false): Promise<SourceFile[]> {
  // fast-glob's paths are normalized and `/`-separated: on POSIX the folder's own
  // prefix, normalized once (what path.join() puts before a plain name), makes what
  // path.join() would for each file, which cost ~30 ms a build at 40,000.
  const prefix = path.join(archiveDir, 'x').slice(0, -1);
  const join = path.sep === '/' ? (file: string) => prefix + file : (file: string) => path.join(archiveDir, file);
  const here = () => {
    const out: SourceFile[] = [];
    for (const file of articles) {
      const absolute = join(file);
      const info = statSync(absolute, { throwIfNoEntry: false });
      // Gone between listing and stat: it is not in the archive any more.
      if (info) out.push({ file, absolute, bytes: info.size, mtimeMs: Math.floor(info.mtimeMs) });
    }
    return out;
  };
  if (!onThread || path.sep !== '/') return here();
  let stats: Float64Array;
  try {
    stats = await statOnThread(prefix, articles);
  } catch {
    // A thread that could not start or failed (a file it may not stat, say): the loop
    // runs here, where a failure is the build's, as before.
    return here();
  }
  const out: SourceFile[] = [];
  articles.forEach((file, i) => {
    if (stats[2 * i]! >= 0) out.push({ file, absolute: prefix + file, bytes: stats[2 * i]!, mtimeMs: stats[2 * i + 1]! });
  });
  return out;
}

/**
 * Size and whole-millisecond modification time of `prefix + file` for each file, in
 * pairs, from a thread of its own; a size of -1 for a file that is not there.
 * Rejects when the thread fails or ends without answering.
 */
export function statOnThread(prefix: string, files: readonly string[]): Promise<Float64Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(STAT_LOOP, { eval: true, workerData: { prefix, files } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the stat thread ended (exit code ${code}) without answering`)));
  });
}

/** The stat loop on its own thread: a size of -1 for a file gone since the listing. */
const STAT_LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const { prefix, files } = workerData;
const stats = new Float64Array(files.length * 2);
for (let i = 0; i < files.length; i++) {
  const info = statSync(prefix + files[i], { throwIfNoEntry: false });
  stats[2 * i] = info ? info.size : -1;
  stats[2 * i + 1] = info ? Math.floor(info.mtimeMs) : 0;
}
parentPort.postMessage(stats, [stats.buffer]);
`;

export function readSource(source: SourceFile): Promise<Buffer> {
  return readFile(source.absolute);
}

/** Map with at most `limit` promises in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}
