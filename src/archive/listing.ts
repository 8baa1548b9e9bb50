import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import { replaceFile } from './cache.js';

// Which article files the archive holds, without walking it when its folders have
// not changed. Creating, deleting or renaming an entry changes its folder's
// modification and change times (POSIX), so while every folder of the archive
// has the times it had when the last build listed it, the same pattern matches
// the same files. fast-glob took ~0.15 s of every build at 40,000 articles, a
// quarter of a build with nothing to do; stat(2) on the folders takes microseconds.
// Each file is still stat-ed (its size and time tell an edit), by statArticles() (discover.ts).
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
 * `known` when none of its folders changed since (`remembered`), else by walking the
 * archive. `record` is the listing to keep for next time, when a walk made one that
 * can be trusted.
 */
export async function listFiles(archiveDir: string, pattern: string, { known, remember, now = Date.now }: ListingMemory = {}): Promise<{ files: string[]; record?: ListingRecord; remembered?: true; previous?: readonly string[] }> {
  const comparable = known && remember && known.code === remember.code && known.archiveDir === archiveDir && known.pattern === pattern ? known : undefined;
  if (comparable && unchanged(archiveDir, comparable)) return { files: comparable.files, remembered: true };
  // `previous`: what the remembered listing held, when a folder changed since (the caller compares).
  const previous = comparable && { previous: comparable.files };
  if (!remember) return { files: await walk(archiveDir, pattern) };
  const began = now();
  const walked = plainPattern(pattern) ? folders(archiveDir, pattern, began) : undefined;
  // A symbolic link (fast-glob decides where it leads), a base folder there only in another case
  // (see folders()) or a failure: fast-glob walks, and nothing is recorded.
  if (!walked || walked.links || walked.cased) return { files: await walk(archiveDir, pattern), ...previous };
  const { files, dirs, times, settled } = walked;
  return { files, ...previous, record: settled ? { format: FORMAT, code: remember.code, archiveDir, pattern, dirs, times, files } : undefined };
}

/**
 * A pattern whose matches folders() surely covers: only names, `/`, `*`, `**` and
 * braces, no segment or alternative starting with a dot, not absolute. With dot
 * false these never enter a dot folder; a character class, an extglob (`!(drafts)`
 * does) or an escape might, and a parent or an absolute path leaves the archive. An
 * empty segment (`posts//*.md`) fast-glob matches and picomatch, on the paths a walk
 * gives, does not.
 */
export function plainPattern(pattern: string): boolean {
  return !/[[\]()!@+?\\]/.test(pattern) && !/(^|[/{,])\./.test(pattern) && !/^(\/|[A-Za-z]:)/.test(pattern) && !pattern.includes('//');
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
 * One walk of the archive for a plain pattern (see plainPattern): every folder
 * fast-glob would walk into (none under a dot folder or node_modules, which it skips
 * or ignores) with its times, and the files the pattern matches, as fast-glob would
 * list them: its own matcher, picomatch, on each file's relative path. Each folder is
 * stat-ed before it is read, so that an entry made after the read moves its time past
 * what is recorded and the next build walks again. `settled`: no folder changed
 * within SETTLE ms before `began` (a listing is recorded only then); `links`: a
 * symbolic link was seen (the caller then lets fast-glob walk). `cased`: a folder of
 * the pattern's base (`articles` in `articles/**`) is there only in another case
 * (`Articles`) or Unicode normal form: fast-glob opens the base as the pattern spells
 * it, which a file system that ignores them (macOS, Windows) allows, and lists its
 * files under that spelling; this walk would not match them, so fast-glob walks
 * then (and this walk stops there). Undefined on any failure. One pass over 40,000
 * entries, where reading the folders for their times and letting fast-glob read them
 * again made two.
 */
function folders(root: string, pattern: string, began: number): { dirs: string[]; times: Float64Array; files: string[]; settled: boolean; links: boolean; cased: boolean } | undefined {
  const match = picomatch(pattern, { dot: false });
  const dirs = [''];
  const times: number[] = [];
  const files: string[] = [];
  let settled = true;
  let links = false;
  try {
    let parent = '';
    for (const segment of picomatch.scan(pattern).base.split('/').filter(Boolean)) {
      const names = readdirSync(path.join(root, parent));
      if (!names.includes(segment)) {
        // There only in another case or Unicode normal form (macOS keeps a name as it was made, and finds it by either).
        const folded = (name: string) => name.normalize('NFC').toLowerCase();
        if (names.some((n) => folded(n) === folded(segment))) return { dirs, times: new Float64Array(0), files, settled: false, links, cased: true };
        break;
      }
      parent = parent ? `${parent}/${segment}` : segment;
    }
    for (let at = 0; at < dirs.length; at++) {
      const rel = dirs[at]!;
      const absolute = path.join(root, rel);
      const info = statSync(absolute);
      if (Math.max(info.mtimeMs, info.ctimeMs) > began - SETTLE) settled = false;
      times.push(info.mtimeMs, info.ctimeMs);
      for (const entry of readdirSync(absolute, { withFileTypes: true })) {
        const name = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isSymbolicLink()) links = true;
        else if (entry.isDirectory()) {
          if (!entry.name.startsWith('.') && entry.name !== 'node_modules') dirs.push(name);
        } else if (entry.isFile() && match(name)) files.push(name);
      }
    }
  } catch {
    return undefined;
  }
  // Sorted as walk() sorts fast-glob's answer.
  return { dirs, times: Float64Array.from(times), files: files.sort(), settled, links, cased: false };
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
