import { hash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readFile, readdir, readlink, rename, rm, rmdir, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { rewriteInPlace, type StoreJob } from './store.js';

// The served output is never written in place. `dist` is a symbolic link to one of
// two generations (`.dist.gen/0` and `.dist.gen/1`): a build brings the other one up
// to date, then swaps the link with rename(2), which is atomic. A crash, a kill or a
// full disk mid-build leaves the link on the previous complete generation. The idle
// generation still holds the build before last, so an incremental build only writes
// the files that differ from it: it stays fast on a 40,000-page site, where copying
// or hard-linking the whole tree alone would take seconds. The first build of an
// output folder pays that once: it ends by making the other generation a
// hard-linked copy of itself (mirrorOnce). A file the idle generation lacks but the
// live one holds, unchanged, is hard-linked from it too. So that the live
// generation is never written through such a link, a file the idle generation
// holds is unlinked before it is written again, unless it is a plain file with no
// other link: that one is rewritten in place (store.ts).

export interface WrittenFile {
  /** sha256 of the bytes, first 32 hex digits: the strong ETag. */
  hash: string;
  bytes: number;
}

export class OutputError extends Error {}

const encoder = new TextEncoder();

/** A file's ETag and manifest hash: sha256 of its bytes, first 32 hex digits. */
export function fileHash(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex').slice(0, 32);
}

/** Path → hash of every file in a generation: a Map, or a view that answers as one (see build.ts). */
export type FileHashes = Pick<ReadonlyMap<string, string>, 'get' | 'has' | 'keys' | 'size'>;

/** What a generation holds, kept beside it (never inside the served folder). */
export interface GenerationState {
  complete: boolean;
  /** Path → hash of every file in it. */
  files: FileHashes;
}

/**
 * A generation's state file: `state-0.v8` beside `0/`. Its first byte says what it
 * holds: `F` every file (then 32 hex digits name that list), `C` the changes since
 * such a list, named by the 32 hex digits that follow, which is the generation's base
 * file (`state-0.base.v8`); `I` nothing to trust (the generation is being written).
 * Then columns in v8's structured clone format. A one-article build changes a few
 * dozen of 80,000 files: writing them all (~70 ms here: gathering, serializing and
 * writing 5 MB) on every build was for the rare build that reads the state (with the
 * cache lost, or the stamp not telling what the generation holds).
 */
export function stateFile(root: string, slot: string): string {
  return path.join(root, `state-${slot}.v8`);
}

/** The list of every file a `C` state file is changes against: the generation's last `F` state file, renamed. */
function baseFile(root: string, slot: string): string {
  return path.join(root, `state-${slot}.base.v8`);
}

const HEAD = 33;

/** A state file's kind and the list it names (its own for `F`, its base's for `C`), or undefined. */
function headOf(bytes: Uint8Array): { kind: string; id: string } | undefined {
  if (bytes.length < 1) return undefined;
  const kind = String.fromCharCode(bytes[0]!);
  if (kind === 'I') return { kind, id: '' };
  return (kind === 'F' || kind === 'C') && bytes.length >= HEAD ? { kind, id: Buffer.from(bytes.buffer, bytes.byteOffset + 1, HEAD - 1).toString('latin1') } : undefined;
}

/** The kind and id a state file (or base) starts with, read alone: undefined when it has none. */
async function headAt(file: string): Promise<{ kind: string; id: string } | undefined> {
  const handle = await open(file, 'r');
  try {
    const bytes = new Uint8Array(HEAD);
    return headOf(bytes.subarray(0, (await handle.read(bytes, 0, HEAD, 0)).bytesRead));
  } finally {
    await handle.close();
  }
}

/** Set each of the columns' paths to its hash in `files`. */
function setColumns(files: Map<string, string>, { names, hashes }: StateColumns): Map<string, string> {
  for (let i = 0; i < names.length; i++) files.set(names[i]!, hashes[i]!);
  return files;
}

export async function readState(root: string, slot: string): Promise<GenerationState | undefined> {
  try {
    const bytes = await readFile(stateFile(root, slot));
    return decodeState(bytes, headOf(bytes)?.kind === 'C' ? await readFile(baseFile(root, slot)) : undefined);
  } catch {
    return undefined;
  }
}

function readStateSync(root: string, slot: string): GenerationState | undefined {
  try {
    const bytes = readFileSync(stateFile(root, slot));
    return decodeState(bytes, headOf(bytes)?.kind === 'C' ? readFileSync(baseFile(root, slot)) : undefined);
  } catch {
    return undefined;
  }
}

/** Undefined when unreadable (a torn write, an older format, a base that is not the one named): then nothing in the generation is trusted. */
function decodeState(bytes: Uint8Array, base?: Uint8Array): GenerationState | undefined {
  try {
    const head = headOf(bytes);
    if (!head) return decodeColumnsOnly(bytes);
    if (head.kind === 'I') return { complete: false, files: new Map() };
    const files = new Map<string, string>();
    if (head.kind === 'C') {
      const from = base && headOf(base);
      if (from?.kind !== 'F' || from.id !== head.id) return undefined;
      setColumns(files, v8.deserialize(base!.subarray(HEAD)) as StateColumns);
    }
    const changes = v8.deserialize(bytes.subarray(HEAD)) as StateColumns & { removed?: string[] };
    for (const rel of changes.removed ?? []) files.delete(rel);
    return { complete: true, files: setColumns(files, changes) };
  } catch {
    return undefined;
  }
}

/** A state file as versions before its kinds wrote it (columns only): read once, then written anew. */
function decodeColumnsOnly(bytes: Uint8Array): GenerationState | undefined {
  const columns = v8.deserialize(bytes) as StateColumns & { complete: boolean };
  return { complete: columns.complete === true, files: setColumns(new Map(), columns) };
}

/** Write `bytes` as the state file, whole or not at all. */
async function replaceState(root: string, slot: string, ...bytes: Uint8Array[]): Promise<void> {
  const file = stateFile(root, slot);
  await writeFile(`${file}.tmp`, bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes));
  await rename(`${file}.tmp`, file);
}

/** A generation's state: every file, as two columns (`complete` false: nothing is known of it). */
async function writeState(root: string, slot: string, complete: boolean, columns?: StateColumns): Promise<void> {
  if (!complete || !columns) return replaceState(root, slot, Buffer.from('I'));
  await replaceState(root, slot, Buffer.from(`F${randomUUID().replaceAll('-', '')}`, 'latin1'), v8.serialize(columns));
}

/**
 * The changes since its base that a generation's state file holds, carried into the
 * build that writes it again; its `F` state file becomes that base. Undefined when
 * it has no trusted state, or that is not readable as one.
 */
async function carryState(root: string, slot: string): Promise<Carried | undefined> {
  try {
    const file = stateFile(root, slot);
    const head = await headAt(file);
    if (head?.kind === 'F') {
      await rename(file, baseFile(root, slot));
      return { base: head.id, changes: new Map(), removed: new Set() };
    }
    if (head?.kind !== 'C') return undefined;
    const state = await readFile(file);
    // Still the base it was written against (a base is only replaced while no C state file names it).
    const base = await headAt(baseFile(root, slot));
    if (base?.kind !== 'F' || base.id !== head.id) return undefined;
    const changes = v8.deserialize(state.subarray(HEAD)) as StateColumns & { removed: string[] };
    return { base: head.id, changes: setColumns(new Map(), changes), removed: new Set(changes.removed) };
  } catch {
    return undefined;
  }
}

/** A generation's state as changes since its base (see stateFile). */
interface Carried {
  base: string;
  /** Path → hash of each file written, linked or found equal since the base was. */
  changes: Map<string, string>;
  /** Files pruned since, that the base may hold. */
  removed: Set<string>;
}

/** What the live generation (`slot`) holds, known without reading its state file: each file's hash. */
export interface LiveKnown {
  slot: string;
  files: Pick<FileHashes, 'get'>;
}

/** What the idle generation (`slot`) holds, known without reading its state file, which the caller has checked is as it was then. */
export interface IdleKnown {
  slot: string;
  files: FileHashes;
}

/** A generation's state file's size, modification time and inode (a state file is replaced whole, never rewritten in place), or undefined when it has none. */
export async function stateStamp(dir: string, slot: string): Promise<number[] | undefined> {
  try {
    const info = await stat(stateFile(generationsRoot(dir), slot));
    return [info.size, info.mtimeMs, info.ino];
  } catch {
    return undefined;
  }
}

interface StateColumns {
  names: string[];
  hashes: string[];
}

export class Output {
  /** Every file this build recorded: the map the caller gave (see open), which it may fill further. */
  readonly files: Map<string, WrittenFile>;
  bytes = 0;
  written = 0;
  /** Files taken from the live generation by a hard link. */
  linked = 0;
  /**
   * Every file recorded this build other than by keep(): made (rendered, written or
   * found equal). A kept file is what the live generation holds, so only these, and
   * the files this build no longer has, can differ from it.
   */
  readonly made: string[] = [];
  /** Files linked from the live generation this build (kept, but new to this one). */
  private readonly linkedRels: string[] = [];
  /** Files removed from this generation this build. */
  private pruned: string[] = [];
  private readonly dirs = new Map<string, Promise<unknown>>();
  private pending: Promise<void>[] = [];
  private readonly previous: FileHashes;
  /** What the idle generation holds, when its state is complete (what to prune, what to unlink before writing). */
  private readonly listed: FileHashes | undefined;
  /** The hash of each file the live generation holds (null: nothing known of it; undefined: not read yet). */
  private live: Pick<FileHashes, 'get'> | null | undefined;

  private constructor(
    readonly dir: string,
    private readonly root: string,
    private readonly target: string,
    readonly slot: string,
    state: GenerationState | undefined,
    private readonly trustState: boolean,
    private readonly liveSlot: string | undefined,
    liveKnown: LiveKnown | undefined,
    /** The state is a view the build made, not the state file: every file is unlinked before it is written, whatever the view says. */
    readonly viewed = false,
    files = new Map<string, WrittenFile>(),
    /** The state file's changes since its base, when it had a trusted one (see saveState). */
    private readonly carried?: Carried,
  ) {
    this.files = files;
    this.previous = trustState && state?.complete ? state.files : new Map();
    // What to prune is known from the state even when its hashes are not trusted
    // (a --no-cache build rewrites every file but need not walk 80,000 of them).
    this.listed = state?.complete ? state.files : undefined;
    // Without a complete state, any file may be a link into the live generation.
    this.unlinkAll = !state?.complete || viewed;
    // A --no-cache build takes nothing from the live generation either.
    if (!trustState) this.live = null;
    else if (liveKnown && liveKnown.slot === liveSlot) this.live = liveKnown.files;
  }

  private readonly unlinkAll: boolean;
  /** Who writes the files from now on (the build's threads, see store.ts); this thread when unset. */
  private writer: ((job: StoreJob) => Promise<void>) | undefined;

  writeWith(writer: (job: StoreJob) => Promise<void>): void {
    this.writer = writer;
  }

  /**
   * Open the idle generation of `dir` for writing. With `trustState` false (a
   * `--no-cache` build) nothing recorded about it is believed: every file is written.
   * `liveKnown`: what the live generation holds, when the caller knows it (the build
   * cache of the build that made it, see build.ts); otherwise its state file is read
   * when first needed. That file is a Map of 80,000 paths to decode (~0.1 s).
   * `idleKnown`: the same for the idle generation. `files`: where to record each file
   * (see `files`), when the caller keeps such a map anyway (the build cache's next
   * outputs): one map of 80,000 paths filled, not two.
   */
  static async open(
    dir: string,
    { trustState = true, liveKnown, idleKnown, files }: { trustState?: boolean; liveKnown?: LiveKnown; idleKnown?: IdleKnown; files?: Map<string, WrittenFile> } = {},
  ): Promise<Output> {
    const root = generationsRoot(dir);
    try {
      await mkdir(root, { recursive: true });
      const live = await liveSlot(dir, root);
      const slot = live === '0' ? '1' : '0';
      const target = path.join(root, slot);
      const viewed = trustState && idleKnown?.slot === slot;
      const state = viewed ? { complete: true, files: idleKnown.files } : await readState(root, slot);
      const carried = state?.complete ? await carryState(root, slot) : undefined;
      // Mark it incomplete before touching it: a crash from here on leaves it
      // untrusted, and the next build rewrites it whole.
      await writeState(root, slot, false);
      // mkdir answers undefined when the folder was there already; a new one holds nothing to prune.
      const fresh = (await mkdir(target, { recursive: true })) !== undefined;
      return new Output(dir, root, target, slot, fresh ? { complete: true, files: new Map() } : state, trustState, live, liveKnown, viewed && !fresh, files, fresh ? undefined : carried);
    } catch (error) {
      if (error instanceof OutputError) throw error;
      throw new OutputError(`Cannot write the output folder ${dir}: ${describe(error)}.`);
    }
  }

  /** Queue one file (`rel` is `/`-separated, relative to the output folder). */
  write(rel: string, content: string | Uint8Array): WrittenFile {
    const target = this.resolve(rel);
    // Its own buffer (not a view of Node's 8 KB slab, all of which a message to a writing thread would copy).
    const bytes = typeof content === 'string' ? encoder.encode(content) : content;
    const file = { hash: fileHash(bytes), bytes: bytes.length };
    this.record(rel, file);
    this.made.push(rel);
    if (this.previous.get(rel) !== file.hash) this.queue(this.put(rel, target, bytes));
    return file;
  }

  /**
   * Queue a file given as parts (a feed: its frame and its cached, encoded items),
   * written with one writev(2) and never joined in memory. `hash` identifies the
   * content (the caller derives it from the parts' own hashes).
   */
  writeParts(rel: string, parts: readonly Uint8Array[], hash: string): WrittenFile {
    const target = this.resolve(rel);
    let bytes = 0;
    for (const part of parts) bytes += part.length;
    const file = { hash, bytes };
    this.record(rel, file);
    this.made.push(rel);
    if (this.previous.get(rel) !== file.hash) this.queue(this.put(rel, target, parts));
    return file;
  }

  /**
   * Where another thread is to write `rel` itself (an article page it rendered), what
   * the idle generation holds there (not written again when equal), and whether
   * something must be removed first. The thread's answer goes to recordWritten().
   */
  plan(rel: string): { target: string; previous?: string; clear: boolean } {
    return { target: this.resolve(rel), previous: this.previous.get(rel), clear: this.mustClear(rel) };
  }

  /** A file another thread wrote (or found unchanged) as plan() said. */
  recordWritten(rel: string, file: WrittenFile, wrote: boolean): void {
    this.record(rel, file);
    this.made.push(rel);
    if (wrote) this.written++;
  }

  /**
   * A file another thread makes and writes (a feed, see Pool.feed): `send` is given
   * plan(), and answers with what the file is and whether it was written; `done`
   * hears of it once it is recorded. drain() and commit() wait for it as for a write.
   */
  writeBy(rel: string, send: (plan: ReturnType<Output['plan']>) => Promise<{ file: WrittenFile; wrote: boolean }>, done: (file: WrittenFile) => void): void {
    this.queue(
      send(this.plan(rel)).then(({ file, wrote }) => {
        this.recordWritten(rel, file, wrote);
        done(file);
      }),
    );
  }

  /**
   * Keep a file the idle generation already holds, unchanged, without rendering it
   * again; false when it does not hold it (the caller then renders and writes it).
   */
  keep(rel: string, expected: WrittenFile): boolean {
    if (this.previous.get(rel) === expected.hash) {
      // This path was checked when it was written.
      this.record(rel, expected);
      return true;
    }
    if (this.liveFiles()?.get(rel) !== expected.hash) return false;
    const target = this.resolve(rel);
    const source = path.join(this.root, this.liveSlot!, ...rel.split('/'));
    // The state says it is there; a file deleted by hand is rendered again instead.
    if (!existsSync(source)) return false;
    this.record(rel, expected);
    this.linkedRels.push(rel);
    this.queue(this.linkFromLive(rel, source, target));
    return true;
  }

  /**
   * A write in flight. Its failure surfaces where the batch is awaited (drain,
   * commit); the no-op handler only keeps it from counting as unhandled meanwhile,
   * which would end the process before the build could report it.
   */
  private queue(write: Promise<void>): void {
    write.catch(() => {});
    this.pending.push(write);
  }

  /**
   * `length` bytes at `offset` of a file the live generation holds, or undefined when
   * it cannot be read: then the caller makes them. That is normally what the last
   * build wrote, but not always (a --no-cache build since, a file edited by hand):
   * callers check what they read (see item-reuse.ts). A feed read from stays open
   * until the build ends: its twenty items are read one by one.
   */
  readLive(rel: string, offset: number, length: number): Uint8Array | undefined {
    if (this.liveSlot === undefined) return undefined;
    try {
      let fd = this.reading.get(rel);
      if (fd === undefined) {
        // A bounded number open at once, far below any limit on open files.
        if (this.reading.size >= 128) this.closeReading();
        this.reading.set(rel, (fd = openSync(path.join(this.root, this.liveSlot, ...rel.split('/')), 'r')));
      }
      const buf = new Uint8Array(length);
      return readSync(fd, buf, 0, length, offset) === length ? buf : undefined;
    } catch {
      return undefined;
    }
  }

  /** The whole of a file the live generation holds, or undefined when it cannot be read (see readLive). */
  readLiveFile(rel: string): Uint8Array | undefined {
    if (this.liveSlot === undefined) return undefined;
    try {
      return readFileSync(path.join(this.root, this.liveSlot, ...rel.split('/')));
    } catch {
      return undefined;
    }
  }

  private readonly reading = new Map<string, number>();

  private closeReading(): void {
    for (const fd of this.reading.values()) closeSync(fd);
    this.reading.clear();
  }

  /** Whether this build can keep any file without writing it (from either generation). */
  canKeep(): boolean {
    // A live generation known from the cache first: the size of a viewed state is counted, not stored.
    return !!this.live || this.previous.size > 0 || this.liveFiles() !== null;
  }

  /** What the live generation holds, read only when the idle one lacks something. */
  private liveFiles(): Pick<FileHashes, 'get'> | null {
    if (this.live === undefined) {
      this.live = null;
      if (this.liveSlot !== undefined) {
        const state = readStateSync(this.root, this.liveSlot);
        if (state?.complete) this.live = state.files;
      }
    }
    return this.live;
  }

  private async linkFromLive(rel: string, source: string, target: string): Promise<void> {
    await this.ensureDir(path.dirname(target));
    await this.clear(rel, target);
    try {
      await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
        // A folder where this file now goes (a path that was a folder in the build it
        // holds), which the state does not list as a file: replaced, as put() does.
        if (error.code !== 'EEXIST') throw error;
        await rm(target, { recursive: true, force: true });
        await link(source, target);
      });
      this.linked++;
    } catch (error) {
      // A file system without hard links: a copy is just slower.
      if (!['EPERM', 'ENOTSUP', 'EXDEV', 'EMLINK', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await copyFile(source, target);
    }
  }

  /** Remove what the idle generation holds at `target` (a stale file, a link, or a folder). */
  private async clear(rel: string, target: string): Promise<void> {
    if (!this.mustClear(rel)) return;
    await unlink(target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return;
      if (error.code !== 'EISDIR' && error.code !== 'EPERM') throw error;
      await rm(target, { recursive: true, force: true });
    });
  }

  private mustClear(rel: string): boolean {
    return this.unlinkAll || this.listed!.has(rel);
  }

  /**
   * Wait for queued writes once `limit` are in flight, to bound memory: for the
   * older ones only, down to half the limit, so that the threads writing them always
   * have more queued while this thread makes the next. Waiting for all of them
   * emptied the writers' queues at each wait: in a full build's feed stage this
   * thread was ~80 % busy, ~96 % with the window (one-second bins of a CPU profile).
   * With 0, for every one (all are older than half of 0).
   */
  async drain(limit = 256): Promise<void> {
    if (this.pending.length < limit) return;
    await Promise.all(this.pending.splice(0, this.pending.length - (limit >> 1)));
  }

  /**
   * Finish the writes, remove what the new build no longer has, and swap the link.
   * `staleAmong`, for a generation opened with the caller's view of it (`viewed`):
   * every file the view lists that this build may not have recorded is among these,
   * so that not all 80,000 need be looked at.
   */
  async commit(staleAmong?: Iterable<string>): Promise<void> {
    this.closeReading();
    try {
      await this.drain(0);
      await this.prune(this.viewed ? staleAmong : undefined);
      await this.saveState();
      // The JSON state of versions before state files were columns.
      await rm(path.join(this.root, `state-${this.slot}.json`), { force: true });
      await swapLink(this.dir, path.join(path.basename(this.root), this.slot));
    } catch (error) {
      throw new OutputError(`Cannot finish the output folder ${this.dir}: ${describe(error)}.`);
    }
  }

  /**
   * After the first build of an output folder (with the cache), committed and
   * recorded: make the other generation a hard-linked copy of this one, so that the
   * next build writes only what changed instead of first linking every file it did
   * not change (4 s of a one-article edit at 40,000 articles). It cannot fail the
   * build, which is done: on any error the other generation stays marked
   * incomplete, and the next build links what it needs, as it would have anyway.
   * True when the copy was made.
   */
  async mirrorOnce(): Promise<boolean> {
    if (!this.trustState || this.liveSlot !== undefined) return false;
    return this.mirror(this.columns()).then(
      () => true,
      () => false,
    );
  }

  /**
   * Write the state file: as changes since its base when the generation had a trusted
   * state and this build changed no more than a sixteenth of its files (at least
   * 1,024), otherwise every file. Only a file made, linked or pruned this build can
   * differ from what the generation held: a kept one is the one it holds.
   */
  private async saveState(): Promise<void> {
    const carried = this.carried;
    if (carried) {
      const { changes, removed } = carried;
      for (const rel of [...this.made, ...this.linkedRels]) {
        changes.set(rel, this.files.get(rel)!.hash);
        removed.delete(rel);
      }
      for (const rel of this.pruned) {
        changes.delete(rel);
        removed.add(rel);
      }
      if (changes.size + removed.size <= Math.max(1024, this.files.size >> 4)) {
        const columns = { names: [...changes.keys()], hashes: [...changes.values()], removed: [...removed] };
        return replaceState(this.root, this.slot, Buffer.from(`C${carried.base}`, 'latin1'), v8.serialize(columns));
      }
    }
    await writeState(this.root, this.slot, true, this.columns());
  }

  /** What this generation holds, as its state file's columns (made in one pass, without a Map of 80,000 entries between). */
  private columns(): StateColumns {
    const names: string[] = [];
    const hashes: string[] = [];
    this.files.forEach((f, p) => {
      names.push(p);
      hashes.push(f.hash);
    });
    return { names, hashes };
  }

  private async mirror(files: StateColumns): Promise<void> {
    const other = this.slot === '0' ? '1' : '0';
    const target = path.join(this.root, other);
    await writeState(this.root, other, false);
    await rm(target, { recursive: true, force: true });
    await mkdir(target);
    const rels = files.names;
    // A few dozen system calls in flight: the libuv pool does them on its threads.
    // Each batch settles whole before the next starts or a failure is reported, so
    // nothing is still linking once this returns.
    for (let at = 0; at < rels.length; at += 64) {
      const results = await Promise.allSettled(
        rels.slice(at, at + 64).map(async (rel) => {
          const to = path.join(target, ...rel.split('/'));
          await this.ensureDir(path.dirname(to), target);
          // A file system without hard links gets no copy (that would cost what writing did).
          await link(path.join(this.target, ...rel.split('/')), to);
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    await writeState(this.root, other, true, files);
  }

  /** After a failed build: stop writing; the link still points at the previous generation. */
  async abandon(): Promise<void> {
    this.closeReading();
    await Promise.allSettled(this.pending);
  }

  private record(rel: string, file: WrittenFile): void {
    this.files.set(rel, file);
    this.bytes += file.bytes;
  }

  private resolve(rel: string): string {
    const segments = rel.split('/');
    if (!rel || rel.includes('\\') || rel.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new OutputError(`Refusing to write "${rel}": not a plain path inside the output folder.`);
    }
    const target = path.join(this.target, ...segments);
    if (!target.startsWith(this.target + path.sep)) throw new OutputError(`Refusing to write "${rel}" outside the output folder.`);
    return target;
  }

  private async put(rel: string, target: string, content: Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (this.writer) {
      await this.writer({ target, clear: this.mustClear(rel), parts: content instanceof Uint8Array ? [content] : content });
      this.written++;
      return;
    }
    await this.ensureDir(path.dirname(target));
    // A file with no other link is rewritten where it is (synchronously: one open,
    // fstat and write); one that may be a hard link into the live generation is
    // unlinked first (see store.ts).
    if (this.mustClear(rel) && rewriteInPlace(target, content instanceof Uint8Array ? [content] : content)) {
      this.written++;
      return;
    }
    await this.clear(rel, target);
    await store(target, content).catch(async (error: NodeJS.ErrnoException) => {
      // A folder where this file now goes (left by an older layout) is replaced.
      if (error.code !== 'EISDIR') throw error;
      await rm(target, { recursive: true, force: true });
      await store(target, content);
    });
    this.written++;
  }

  /**
   * Create a folder (and its parents up to `root`, which exists) once: one mkdir(2)
   * per new folder, after its parent's, instead of a recursive mkdir per file that
   * stats every level again.
   */
  private ensureDir(dir: string, root = this.target): Promise<unknown> {
    if (dir === root) return Promise.resolve();
    let made = this.dirs.get(dir);
    if (!made) {
      made = this.ensureDir(path.dirname(dir), root).then(() =>
        mkdir(dir).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        }),
      );
      this.dirs.set(dir, made);
    }
    return made;
  }

  /** Remove files (and then empty folders) that this build did not produce. */
  private async prune(among?: Iterable<string>): Promise<void> {
    let stale: string[] = [];
    if (!this.listed) stale = await this.walk();
    else if (among) {
      for (const rel of new Set(among)) if (this.listed.has(rel) && !this.files.has(rel)) stale.push(rel);
    } else for (const rel of this.listed.keys()) if (!this.files.has(rel)) stale.push(rel);
    this.pruned = stale;
    await Promise.all(stale.map((rel) => unlink(path.join(this.target, ...rel.split('/'))).catch(() => {})));
    const parents = new Set(stale.map((rel) => path.posix.dirname(rel)).filter((d) => d !== '.'));
    for (const dir of [...parents].sort((a, b) => b.length - a.length)) {
      for (let d = dir; d !== '.'; d = path.posix.dirname(d)) {
        try {
          await rmdir(path.join(this.target, ...d.split('/')));
        } catch {
          break; // not empty: neither are its parents
        }
      }
    }
  }

  /** Every file in the generation that this build did not write (no trusted state). */
  private async walk(): Promise<string[]> {
    const entries = await readdir(this.target, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => path.relative(this.target, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .filter((rel) => !this.files.has(rel));
  }
}

async function store(target: string, content: Uint8Array | readonly Uint8Array[]): Promise<void> {
  if (content instanceof Uint8Array) return writeFile(target, content);
  const handle = await open(target, 'w');
  try {
    await handle.writev(content as Uint8Array[]);
  } finally {
    await handle.close();
  }
}

/**
 * The generation `dir` links to, with the size, modification time and inode of its
 * state file and of its manifest.json (which every build writes), or undefined when it
 * is not a link made by Output or either file is gone. Files edited by hand inside
 * the output are not noticed: `--no-cache` rebuilds everything.
 */
export async function liveGeneration(dir: string): Promise<{ slot: string; state: number[] } | undefined> {
  const root = generationsRoot(dir);
  try {
    const slot = path.basename(await readlink(dir));
    const [state, manifest] = await Promise.all([stat(stateFile(root, slot)), stat(path.join(root, slot, 'manifest.json'))]);
    return { slot, state: [state.size, state.mtimeMs, state.ino, manifest.size, manifest.mtimeMs, manifest.ino] };
  } catch {
    return undefined;
  }
}

/** Where the two generations of `dir` live: `.dist.gen` beside `dist`. */
function generationsRoot(dir: string): string {
  return path.join(path.dirname(dir), `${path.basename(dir).replace(/^\.?/, '.')}.gen`);
}

/** Which generation the link points at; a plain folder from an older layout is moved aside. */
async function liveSlot(dir: string, root: string): Promise<string | undefined> {
  let info;
  try {
    info = await lstat(dir);
  } catch {
    return undefined;
  }
  if (info.isSymbolicLink()) {
    const target = await readlink(dir);
    return path.basename(target);
  }
  if (!info.isDirectory()) throw new OutputError(`Cannot use ${dir} as the output folder: it is a file`);
  // A real folder: the generation that is not about to be written takes it over.
  await rm(path.join(root, '1'), { recursive: true, force: true });
  await rename(dir, path.join(root, '1'));
  await writeState(root, '1', false);
  await symlink(path.join(path.basename(root), '1'), dir);
  return '1';
}

/** Point `dir` at `target` atomically: a new link under a temporary name, renamed over it. */
async function swapLink(dir: string, target: string): Promise<void> {
  const temp = `${dir}.link-${process.pid}`;
  await rm(temp, { force: true });
  await symlink(target, temp);
  await rename(temp, dir);
}


function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}${e.path ? ` (${e.path})` : ''}` : String(error);
}
