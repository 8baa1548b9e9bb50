import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import fg from 'fast-glob';
import { replaceFile } from './cache.js';

// Which article files the archive holds, without walking it when its folders have
// not changed. Creating, deleting or renaming an entry changes its folder's
// modification and change times (POSIX), so while every folder of the archive
// has the times it had when the last build listed it, the same pattern matches
// the same files. fast-glob took ~0.15 s of every build at 40,000 articles, a
// quarter of a build with nothing to do; stat(2) on the folders takes microseconds.
// Each file is still stat-ed (its size and time tell an edit), by discover().
//
// A folder changed within SETTLE ms before a listing began may change again
// within the same tick of a coarse file system clock (FAT keeps 2 s) without its
// time moving: such a listing is not remembered, and the next build walks again.
// A network or FUSE file system may answer stat(2) from a cache that lags, or
// stamp times by another machine's clock: `trustFolderTimes: false` in the config
// makes every build walk there.

const FORMAT = 'feedwright-listing/2';
const SETTLE = 3_000;

/** The last listing, kept in the cache folder (listing.v8). */
export interface ListingRecord {
  format: typeof FORMAT;
  /** The code that listed (a new version may walk differently). */
  code: string;
  archiveDir: string;
  pattern: string;
  /** Every folder of the archive (relative, `/`-separated; '' is the archive itself) … */
  dirs: string[];
  /** … and its modification and change times (ms), two per folder. */
  times: Float64Array;
  /** What the pattern matched then, sorted. */
  files: string[];
}

/**
 * The files `pattern` matches under `archiveDir` (relative, `/`-separated): from
 * `known` when none of its folders changed since, else by walking the archive.
 * `record` is the listing to keep for next time, when a walk made one that can be
 * trusted.
 */
export async function listFiles(archiveDir: string, pattern: string, { known, remember, now = Date.now }: ListingMemory = {}): Promise<{ files: string[]; record?: ListingRecord }> {
  if (known && remember && known.code === remember.code && known.archiveDir === archiveDir && known.pattern === pattern && unchanged(archiveDir, known)) return { files: known.files };
  if (!remember) return { files: await walk(archiveDir, pattern) };
  // Folders first, then the walk: an entry made in between moves its folder's time
  // past what is recorded, and the next build walks again.
  const began = now();
  const folded = folderTimes(archiveDir, pattern, began);
  const files = await walk(archiveDir, pattern);
  return { files, record: folded && { format: FORMAT, code: remember.code, archiveDir, pattern, ...folded, files } };
}

/**
 * A pattern whose matches folders() surely covers: only names, `/`, `*`, `**` and
 * braces, no segment or alternative starting with a dot, not absolute. With dot
 * false these never enter a dot folder; a character class, an extglob (`!(drafts)`
 * does) or an escape might, and a parent or an absolute path leaves the archive.
 */
export function plainPattern(pattern: string): boolean {
  return !/[[\]()!@+?\\]/.test(pattern) && !/(^|[/{,])\./.test(pattern) && !/^(\/|[A-Za-z]:)/.test(pattern);
}

/**
 * The archive's folders and their times, when a listing made now can be trusted
 * later: not for a pattern that is not plain (see plainPattern), when a symbolic link
 * is in the archive (it can lead anywhere), a folder changed within SETTLE ms, or
 * anything fails (the walk then behaves as it would have, and reports what it reports).
 */
function folderTimes(archiveDir: string, pattern: string, began: number): Pick<ListingRecord, 'dirs' | 'times'> | undefined {
  if (!plainPattern(pattern)) return undefined;
  try {
    const { dirs, links } = folders(archiveDir);
    if (links) return undefined;
    const times = new Float64Array(dirs.length * 2);
    for (const [i, dir] of dirs.entries()) {
      const info = statSync(path.join(archiveDir, dir));
      if (Math.max(info.mtimeMs, info.ctimeMs) > began - SETTLE) return undefined;
      times[2 * i] = info.mtimeMs;
      times[2 * i + 1] = info.ctimeMs;
    }
    return { dirs, times };
  } catch {
    return undefined;
  }
}

/** What a build remembers of the last listing (`known`), and whether to make a record of this one, for which code. */
export interface ListingMemory {
  known?: ListingRecord;
  remember?: { code: string };
  /** The clock the folders' times are compared with (tests move it). */
  now?: () => number;
}

/** fast-glob's answer, sorted (by UTF-16 code units, as discover() sorts): the next sort of it is one linear pass. */
async function walk(archiveDir: string, pattern: string): Promise<string[]> {
  const files = await fg(pattern, {
    cwd: archiveDir,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
    ignore: ['**/node_modules/**'],
  });
  return files.sort();
}

function unchanged(archiveDir: string, known: ListingRecord): boolean {
  try {
    for (let i = 0; i < known.dirs.length; i++) {
      const info = statSync(path.join(archiveDir, known.dirs[i]!), { throwIfNoEntry: false });
      if (!info || info.mtimeMs !== known.times[2 * i] || info.ctimeMs !== known.times[2 * i + 1]) return false;
    }
  } catch {
    return false;
  }
  return known.dirs.length > 0;
}

/**
 * Every folder under `root` that fast-glob can walk into with a pattern that names
 * no dot folder, and `root` itself: none under a dot folder or node_modules (which
 * the walk skips or ignores); `links` when a symbolic link was seen.
 */
function folders(root: string): { dirs: string[]; links: boolean } {
  const dirs = [''];
  let links = false;
  for (let at = 0; at < dirs.length; at++) {
    const rel = dirs[at]!;
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (entry.isSymbolicLink()) links = true;
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      dirs.push(rel ? `${rel}/${entry.name}` : entry.name);
    }
  }
  return { dirs, links };
}

const FILE = 'listing.v8';

export async function readListing(cacheDir: string): Promise<ListingRecord | undefined> {
  try {
    const record = v8.deserialize(await readFile(path.join(cacheDir, FILE))) as ListingRecord;
    return record?.format === FORMAT ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Kept for the next build; a cache folder that cannot be written only means the next build walks again. */
export async function writeListing(cacheDir: string, record: ListingRecord): Promise<void> {
  try {
    await mkdir(cacheDir, { recursive: true });
    await replaceFile(path.join(cacheDir, FILE), v8.serialize(record));
  } catch {}
}
