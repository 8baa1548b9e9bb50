import { createHash, hash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProblemLevel, RawArticle } from '../core/types.js';
import type { ArticleMade } from '../site/item-reuse.js';
import type { GitDates } from './git-dates.js';
import { Decoded, decodeDelta, encodeDelta, encodeIndex, fromColumns, readColumns, type IndexColumns, type IndexDelta, type IndexFile } from './index-file.js';
import { readAhead } from './read-ahead.js';

// The persistent build cache (`.feedwright-cache/`, git-ignored). A file whose size
// and modification time are unchanged, or whose bytes hash the same, is not read or
// parsed again; every output file is kept with the key of the inputs it was made
// from, so an unchanged feed or page is not rendered again (nor are the articles in
// it). Rendered HTML is not stored: re-rendering the few articles an edit touches is
// cheaper than writing 40,000 of them into the cache on a first build. `--no-cache` ignores all of it. Anything that changes how files are
// read or rendered (feedwright's own code, the config) changes `renderKey`, and then
// nothing cached is used.

/** The index's file name (see index-file.ts for its format), and its delta's. */
const INDEX = 'index.v8';
const DELTA = 'index-delta.v8';

export type RawMeta = Omit<RawArticle, 'body'>;

export interface FileEntry {
  size: number;
  mtimeMs: number;
  hash: string;
  /** Undefined when the file was skipped. */
  raw?: RawMeta;
  /** Indexes of the configured topics it matches. */
  topics: readonly number[];
  problems: readonly (readonly [ProblemLevel, string])[];
}

export interface OutputEntry {
  /** What it was made from ('' for a file made every build). */
  key: string;
  hash: string;
  bytes: number;
  /** Its Last-Modified (epoch ms) in the worker's lookup. */
  modified: number;
}


/**
 * What the last build saw and said, in a small file of its own: when nothing it
 * depends on has changed, the next build stops after stat(2)-ing the archive,
 * without loading the index. `T` is the build's result, kept to be told again.
 */
export interface BuildStamp<T> {
  renderKey: string;
  archiveDir: string;
  outDir: string;
  /** sha256 over every article file's path, size and modification time. */
  inputs: string;
  /** The generation the output link pointed at, and its state file's and manifest's size, time and inode. */
  slot: string;
  state: number[];
  /** The earliest date of an article held back as dated in the future, when one was. */
  nextChange?: number;
  /** Set by a build that found nothing to do: the next one stats the archive before it decodes the index (see build.ts). */
  quiet?: true;
  /** What that build saved of the cache (see BuildCache.loaded): its outputs, and these, describe the live generation. */
  cache?: string;
  /** Files of the live generation that the cache's outputs do not list (the worker lookup's own), with their hashes. */
  extras?: [string, string][];
  /**
   * The idle generation as the live one but for a few files, when this build knew
   * what it held: its slot, its state file's size and time, and each file whose hash
   * differs (null: the idle generation lacks it). See site/generation-view.ts.
   */
  idle?: { slot: string; state: number[]; differs: [string, string | null][] };
  result: T;
}

export async function readStamp<T>(dir: string): Promise<BuildStamp<T> | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'last-build.json'), 'utf8')) as BuildStamp<T>;
  } catch {
    return undefined;
  }
}

export async function writeStamp<T>(dir: string, stamp: BuildStamp<T> | undefined): Promise<void> {
  const file = path.join(dir, 'last-build.json');
  if (!stamp) return rm(file, { force: true });
  await replaceFile(file, JSON.stringify(stamp));
}

/** The cache's index files as read ahead (see BuildCache.prefetch). */
export interface CacheBytes {
  index: Promise<Buffer | undefined>;
  delta: Promise<Buffer | undefined>;
  /** The index's columns, deserialized as soon as its bytes are read (see BuildCache.deserialize); open() takes them and lets go. */
  columns?: Promise<IndexColumns | undefined>;
}

export class BuildCache {
  /** Archive file → what parsing it gave. */
  readonly files: ReadonlyMap<string, FileEntry>;
  /** Output path → the key it was made from, its hash and size (Maps: 80,000 of them at 40,000 articles). */
  readonly outputs: ReadonlyMap<string, OutputEntry>;
  /** First-commit dates as the last build knew them; the build sets the ones it knows now, to be saved. */
  gitDates: GitDates | undefined;
  /** OpenCC's conversions (`kind:text` → text, see articles/tags.ts) as the index holds them. */
  private readonly indexFolds: ReadonlyMap<string, string>;
  /**
   * Those the index lacks: the delta's, and the ones this build adds. A delta holds only
   * these: holding all 30,000 (60,000 strings), each one-article build wrote them and
   * the next decoded them twice, the index's and the delta's (~50–80 ms of an edit).
   */
  private readonly newFolds: Map<string, string>;
  /** The index's git dates as decoded: a delta says when they still stand rather than holding them again. */
  private readonly indexGitDates: GitDates | undefined;
  /** Where the last build wrote each article's feed items (see site/item-reuse.ts). */
  readonly made: ReadonlyMap<string, ArticleMade>;
  /**
   * Which save this is (the index's id, or its delta's when one was applied), or
   * undefined when nothing usable was read: a build's stamp records the id its save
   * returned, so that the next build knows whether these outputs are that build's.
   */
  readonly loaded: string | undefined;
  /** What the next index will hold: each build sets every file it saw and every output it made or kept. */
  readonly nextFiles: NextMap<FileEntry>;
  readonly nextOutputs: NextMap<OutputEntry>;
  nextMade: Map<string, ArticleMade> = new Map();

  /** The index as read (before its delta), when its render key is this build's: what the next delta is written against. */
  private readonly base: { id: string; files: Patched<FileEntry>; outputs: Patched<OutputEntry>; made: Patched<ArticleMade> } | undefined;

  private constructor(
    private readonly dir: string,
    private readonly renderKey: string,
    index: IndexFile | undefined,
    delta: IndexDelta | undefined,
  ) {
    const usable = index?.renderKey === renderKey ? index : undefined;
    // The delta is applied to the maps as decoded, in place: each remembers what it
    // held before at the keys the delta touched, which is all save() needs of the index
    // as read (copies of 140,000 entries cost a one-article rebuild ~40 ms and ~10 MB).
    const files = new Patched<FileEntry>(usable ? (usable.files as Map<string, FileEntry>) : new Map());
    const outputs = new Patched<OutputEntry>(usable ? (usable.outputs as Map<string, OutputEntry>) : new Map());
    const made = new Patched<ArticleMade>(usable?.made ?? new Map());
    // Git dates do not depend on the code or the config: the latest ones stand,
    // whatever the render key (the delta's, unless it says the index's still do). Tag
    // folds are OpenCC's (in the code key): kept only with the code that made them,
    // like the rest; the delta holds those the index lacks.
    const current = index && delta?.base === index.id ? delta : undefined;
    this.indexGitDates = index?.gitDates;
    this.gitDates = current && !current.gitDatesAsBase ? current.changed.gitDates : index?.gitDates;
    this.indexFolds = usable?.folds ?? new Map();
    this.newFolds = new Map(current?.changed.renderKey === renderKey && usable ? current.changed.folds : undefined);
    this.loaded = usable && !current ? usable.id : undefined;
    if (usable && current?.changed.renderKey === renderKey) {
      files.apply(current.changed.files, current.removed.files);
      outputs.apply(current.changed.outputs, current.removed.outputs);
      made.apply(current.changed.made, current.removed.made);
      this.loaded = current.id;
    }
    this.base = usable && { id: usable.id, files, outputs, made };
    this.files = files.map;
    this.outputs = outputs.map;
    this.made = made.map;
    this.nextFiles = new NextMap(this.files);
    this.nextOutputs = new NextMap(this.outputs);
  }

  /**
   * The index's and its delta's bytes, read ahead: a build asks for them before it
   * lists the archive, so that the 30 MB are read on the thread pool while it stat(2)s
   * 40,000 files (undefined: a file that cannot be read). A build with nothing to do
   * reads them too, but does not make the index's entries (see deserialize).
   */
  static prefetch(dir: string): CacheBytes {
    return { index: readAhead(path.join(dir, INDEX)), delta: readAhead(path.join(dir, DELTA)) };
  }

  /**
   * Starts deserializing the index as soon as its bytes are read, without making its
   * entries (see index-file.ts readColumns): a build does this while another thread
   * stats the archive, and open() then takes the columns from here.
   */
  static deserialize(bytes: CacheBytes): void {
    // Whatever goes wrong is no index, as in open(): the build derives everything.
    bytes.columns ??= bytes.index.then((index) => index && readColumns(index)).catch(() => undefined);
  }

  static async open(dir: string, renderKey: string, bytes: CacheBytes = BuildCache.prefetch(dir)): Promise<BuildCache> {
    // Whatever cannot be decoded (even a file of the right format with broken columns) is
    // no cache: the build derives everything, as with none. No delta (or no index): what was read stands.
    const decoded = <T>(decode: () => T | undefined): T | undefined => {
      try {
        return decode();
      } catch {
        return undefined;
      }
    };
    BuildCache.deserialize(bytes);
    const columns = await bytes.columns;
    // Taken: the columns' arrays (~10 MB at 40,000 articles) need not outlive the entries
    // made of them (another open() of these bytes deserializes them again).
    bytes.columns = undefined;
    const base = columns && decoded(() => fromColumns(columns));
    const deltaBytes = base && (await bytes.delta);
    const delta = deltaBytes ? decoded(() => decodeDelta(deltaBytes)) : undefined;
    return new BuildCache(dir, renderKey, base, delta);
  }

  /** A conversion remembered under `kind:text` (see articles/tags.ts seedConversions), or undefined. */
  fold(key: string): string | undefined {
    return this.newFolds.get(key) ?? this.indexFolds.get(key);
  }

  /** Conversions this build made, to be remembered. */
  addFolds(made: ReadonlyMap<string, string>): void {
    made.forEach((out, key) => {
      if (this.indexFolds.get(key) !== out) this.newFolds.set(key, out);
    });
  }

  /** The entry for a file whose size and mtime, or failing that whose bytes, are unchanged. */
  lookup(file: string, size: number, mtimeMs: number, hash?: string): FileEntry | undefined {
    const entry = this.files.get(file);
    if (!entry) return undefined;
    if (hash === undefined ? entry.size === size && entry.mtimeMs === mtimeMs : entry.hash === hash) return entry;
    return undefined;
  }

  /**
   * Write the index of this build (files seen, outputs made, items' places). An entry
   * this build took over unchanged is the very object it read, so what changed since
   * the index file is told by identity: while that is under a tenth of the entries,
   * only a delta against it is written (index-delta.v8, rewritten whole each build);
   * beyond, or with no usable index, the whole index anew, under a new id. Returns
   * the id of what it wrote (what `loaded` will say when the next build reads it).
   */
  async save(outputsGone?: readonly string[]): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    // What earlier versions of the cache kept (rendered HTML, a JSON index) is not used any more.
    await rm(path.join(this.dir, 'html'), { recursive: true, force: true });
    await rm(path.join(this.dir, 'index.json'), { force: true });
    const next: IndexFile = {
      id: randomUUID(),
      renderKey: this.renderKey,
      files: this.nextFiles,
      outputs: this.nextOutputs,
      gitDates: this.gitDates,
      folds: this.indexFolds,
      made: this.nextMade,
    };
    const base = this.base;
    if (base) {
      const gitDatesAsBase = this.gitDates === this.indexGitDates;
      const changed = { ...next, id: base.id, files: new Map<string, FileEntry>(), outputs: new Map<string, OutputEntry>(), made: new Map<string, ArticleMade>(), folds: this.newFolds, gitDates: gitDatesAsBase ? undefined : this.gitDates };
      const removed = { files: base.files.gone(next.files), outputs: base.outputs.gone(next.outputs, outputsGone), made: base.made.gone(next.made) };
      const count = base.files.diff(next.files, changed.files) + base.outputs.diff(next.outputs, changed.outputs) + base.made.diff(next.made, changed.made);
      const size = base.files.size() + base.outputs.size() + base.made.size();
      if (count + removed.files.length + removed.outputs.length + removed.made.length <= size / 10) {
        const id = randomUUID();
        await replaceFile(path.join(this.dir, DELTA), encodeDelta({ base: base.id, id, changed, removed, gitDatesAsBase }));
        return id;
      }
    }
    if (this.newFolds.size) next.folds = new Map([...this.indexFolds, ...this.newFolds]);
    await replaceFile(path.join(this.dir, INDEX), encodeIndex(next));
    await rm(path.join(this.dir, DELTA), { force: true });
    return next.id;
  }
}

/**
 * A map a build fills for the next index, which notes each key it sets to something
 * other than what `current` (the cache as read) holds there: an entry taken over
 * unchanged is the very object read (see save()), so what changed is known as it is
 * set, and save() need not compare 120,000 entries to find the few hundred. An entry
 * the index gave back (Decoded) and set again under its own key is noted on the
 * entry, not inserted: the map holds those by reference to `current`, and only the
 * others (a few hundred in a one-article rebuild) as entries of its own. Iteration
 * gives the ones taken over in `current`'s order, then the others in the order set.
 */
export class NextMap<T extends object> extends Map<string, T> {
  /** Keys set to a value `current` does not hold there (some perhaps more than once). */
  readonly changed: string[] = [];
  private static made = 0;
  /** This map's number, as noted on the entries it takes over. */
  private readonly id = ++NextMap.made;
  private readonly own = new Map<string, T>();
  private taken = 0;

  constructor(readonly current: ReadonlyMap<string, T>) {
    super();
  }

  override set(key: string, value: T): this {
    const held = this.current.get(key);
    const holder = held === value ? Decoded.holder(value) : -1;
    if (holder === 0 || holder === this.id) {
      if (holder === 0) {
        Decoded.take(value as T & Decoded, this.id);
        this.taken++;
      }
      if (this.own.size) this.own.delete(key);
      return this;
    }
    if (held !== value) this.changed.push(key);
    this.release(held);
    this.own.set(key, value);
    return this;
  }

  // Most keys asked for are of entries taken over: `current` first.
  override get(key: string): T | undefined {
    const held = this.current.get(key);
    return held !== undefined && Decoded.holder(held) === this.id ? held : this.own.get(key);
  }

  override has(key: string): boolean {
    const held = this.current.get(key);
    return (held !== undefined && Decoded.holder(held) === this.id) || this.own.has(key);
  }

  override delete(key: string): boolean {
    const held = this.current.get(key);
    const was = this.release(held);
    return this.own.delete(key) || was;
  }

  override clear(): void {
    this.current.forEach((held) => this.release(held));
    this.own.clear();
  }

  override get size(): number {
    return this.taken + this.own.size;
  }

  override forEach(callback: (value: T, key: string, map: Map<string, T>) => void, thisArg?: unknown): void {
    this.current.forEach((held, key) => {
      if (Decoded.holder(held) === this.id) callback.call(thisArg, held, key, this);
    });
    this.own.forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  override *entries(): MapIterator<[string, T]> {
    for (const [key, held] of this.current) if (Decoded.holder(held) === this.id) yield [key, held];
    yield* this.own.entries();
  }

  override *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  override *values(): MapIterator<T> {
    for (const [, value] of this.entries()) yield value;
  }

  override [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  /** Whether this map holds at `key` the very entry `current` holds there: one lookup. */
  holdsAsRead(key: string): boolean {
    const held = this.current.get(key);
    if (held === undefined) return false;
    // Taken over, or (not decoded, or taken by another map) held as an entry of its own.
    return Decoded.holder(held) === this.id || this.own.get(key) === held;
  }

  /** The keys of `current` this map does not hold, in its order: one pass, without looking any up. */
  unset(): string[] {
    const out: string[] = [];
    this.current.forEach((held, key) => {
      if (Decoded.holder(held) !== this.id && !this.own.has(key)) out.push(key);
    });
    return out;
  }

  /** Forgets that `held` was taken over; whether it was. */
  private release(held: T | undefined): boolean {
    if (Decoded.holder(held) !== this.id) return false;
    Decoded.take(held as T & Decoded, 0);
    this.taken--;
    return true;
  }
}

/**
 * A map as decoded from the index, with a delta applied in place: `before` holds
 * what the index itself had at each key the delta touched (undefined: nothing), so
 * that the index as read is still known (to diff, gone and size) without a copy of it.
 */
class Patched<T> {
  private readonly before = new Map<string, T | undefined>();

  constructor(readonly map: Map<string, T>) {}

  apply(changed: ReadonlyMap<string, T>, removed: readonly string[]): void {
    for (const [k, v] of changed) {
      if (!this.before.has(k)) this.before.set(k, this.map.get(k));
      this.map.set(k, v);
    }
    for (const k of removed) {
      if (!this.before.has(k)) this.before.set(k, this.map.get(k));
      this.map.delete(k);
    }
  }

  /** How many entries the index itself holds. */
  size(): number {
    let size = this.map.size;
    for (const [k, v] of this.before) size += (v !== undefined ? 1 : 0) - (this.map.has(k) ? 1 : 0);
    return size;
  }

  /** Puts into `into` the entries of `next` that are not the index's own; returns how many. */
  diff(next: ReadonlyMap<string, T>, into: Map<string, T>): number {
    const { map, before } = this;
    const compare = (v: T, k: string) => {
      if ((before.has(k) ? before.get(k) : map.get(k)) !== v) into.set(k, v);
    };
    if (next instanceof NextMap && next.current === map) {
      // Only a key set to something the map does not hold, or one the delta touched, can differ from the index.
      const at = (k: string) => {
        if (next.has(k)) compare(next.get(k)!, k);
      };
      for (const k of next.changed) at(k);
      before.forEach((_, k) => at(k));
    } else {
      // forEach, not for…of: no [key, value] pair made for each of 140,000 entries.
      next.forEach(compare);
    }
    return into.size;
  }

  /**
   * The index's keys that `next` does not have. `among`: every key of the map that
   * `next` lacks, when the caller knows them (a build knows which outputs it no longer
   * has): the 80,000 keys need not all be looked up in `next` again.
   */
  gone(next: ReadonlyMap<string, T>, among?: readonly string[]): string[] {
    const out: string[] = [];
    const { map, before } = this;
    // A key in the map is the index's own unless the delta added it (before: undefined).
    const own = (k: string) => {
      if (!next.has(k) && (before.get(k) !== undefined || !before.has(k))) out.push(k);
    };
    if (among) {
      for (const k of among) if (map.has(k)) own(k);
    } else map.forEach((_, k) => own(k));
    before.forEach((v, k) => {
      if (v !== undefined && !map.has(k) && !next.has(k)) out.push(k);
    });
    return out;
  }
}

/** Write `file` whole or not at all: a reader (or a build killed midway) never sees half of it. */
export async function replaceFile(file: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${file}.tmp`, bytes);
  await rename(`${file}.tmp`, file);
}

/**
 * A digest of the archive as listed (every file's path, size and modification time)
 * and of the commit: the stamp's `inputs`. Paths joined by NUL, which no path holds,
 * and the numbers as binary doubles: formatting 80,000 numbers into 40,000 strings
 * first took ~25 ms of every build, one with nothing to do included.
 */
export function archiveKey(head: string, files: readonly { file: string; bytes: number; mtimeMs: number }[]): string {
  const names = new Array<string>(files.length);
  const numbers = new Float64Array(files.length * 2);
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    names[i] = f.file;
    numbers[2 * i] = f.bytes;
    numbers[2 * i + 1] = f.mtimeMs;
  }
  return createHash('sha256').update(`${head}\0`).update(names.join('\0')).update('\0').update(new Uint8Array(numbers.buffer)).digest('hex');
}

export function sha256(...parts: (string | Uint8Array)[]): string {
  // Each part is followed by NUL, so parts never run into each other. Strings go in
  // one call into OpenSSL (crypto.hash, Node ≥ 20.12), not through a Hash object per
  // key: an incremental build hashes ~100,000 keys.
  if (parts.every((p) => typeof p === 'string')) return hash('sha256', `${parts.join('\0')}\0`, 'hex');
  const h = createHash('sha256');
  for (const part of parts) h.update(part).update('\0');
  return h.digest('hex');
}

/** A key over feedwright's own code, so that an upgrade never reuses what an older version made. */
export function codeKey(): string {
  const self = import.meta.filename;
  // Bundled (bin/feedwright.mjs): the bundle, its worker threads' bundle beside it and
  // opencc-js, which they load from node_modules (see bin/bundle.mjs). From source (tsx): every .ts file.
  if (self.endsWith('.mjs')) return bundleKey([self, path.join(path.dirname(self), 'worker.mjs'), ...openCCFile(self)]);
  const src = path.resolve(import.meta.dirname, '..');
  const hash = createHash('sha256');
  const files = (readdirSync(src, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(path.relative(src, file)).update(readFileSync(file));
  return hash.digest('hex');
}

/** The file `require('opencc-js')` loads from `self`, if it can be found. */
function openCCFile(self: string): string[] {
  try {
    return [createRequire(self).resolve('opencc-js')];
  } catch {
    return [];
  }
}

/**
 * sha256 over the first file and whichever of the others exist, each by name and
 * length, then its bytes. Hashing 7 MB of bundles (3.8 MB now) took ~40 ms of every build, one
 * with nothing to do included: the key is remembered beside them (`code-key.json`)
 * with each file's size, times, inode and device (a change time, which utimes,
 * cp -p or tar cannot set back), and used again while none of them changed.
 */
export function bundleKey(files: string[]): string {
  const [self, ...others] = files as [string, ...string[]];
  const memo = path.join(path.dirname(self), 'code-key.json');
  const seen = JSON.stringify(
    files.map((file) => {
      const info = statSync(file, { throwIfNoEntry: false });
      return info ? [file, info.size, info.mtimeMs, info.ctimeMs, info.ino, info.dev] : [file];
    }),
  );
  try {
    const known = JSON.parse(readFileSync(memo, 'utf8')) as { seen: string; key: string };
    if (known.seen === seen) return known.key;
  } catch {}
  const hash = createHash('sha256');
  const add = (file: string, bytes: Buffer) => hash.update(`${path.basename(file)}\0${bytes.length}\0`).update(bytes);
  add(self, readFileSync(self));
  for (const file of others) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    add(file, bytes);
  }
  const key = hash.digest('hex');
  // Whole or not at all: another build may be reading it.
  const temporary = `${memo}.${process.pid}`;
  try {
    writeFileSync(temporary, JSON.stringify({ seen, key }));
    renameSync(temporary, memo);
  } catch {
    rmSync(temporary, { force: true });
  }
  return key;
}
