import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProblemLevel, RawArticle } from '../core/types.js';

// The persistent build cache (`.feedwright-cache/`, git-ignored). A file whose size
// and modification time are unchanged, or whose bytes hash the same, is not read or
// parsed again; its rendered HTML is kept by content hash; every output file is kept
// with the key of the inputs it was made from, so an unchanged feed or page is not
// rendered again. `--no-cache` ignores all of it. Anything that changes how files are
// read or rendered (feedwright's own code, the config) changes `renderKey`, and then
// nothing cached is used.

export type RawMeta = Omit<RawArticle, 'body'>;

export interface FileEntry {
  size: number;
  mtimeMs: number;
  hash: string;
  /** Undefined when the file was skipped. */
  raw?: RawMeta;
  /** Indexes of the configured topics it matches. */
  topics: number[];
  problems: [ProblemLevel, string][];
}

export interface OutputEntry {
  key: string;
  hash: string;
  bytes: number;
}

interface IndexFile {
  renderKey: string;
  files: Record<string, FileEntry>;
  outputs: Record<string, OutputEntry>;
  gitDates: Record<string, number>;
  folds: Record<string, string>;
  contentKeys: string[];
}

export interface RenderedContent {
  html: string;
  summary: string;
}

export class BuildCache {
  readonly files: Record<string, FileEntry>;
  readonly outputs: Record<string, OutputEntry>;
  readonly gitDates: Record<string, number>;
  readonly folds: Record<string, string>;
  private readonly contentKeys: string[];
  readonly nextFiles: Record<string, FileEntry> = {};
  readonly nextOutputs: Record<string, OutputEntry> = {};
  private readonly writes: Promise<void>[] = [];
  private readonly queue: [string, string][] = [];
  private readonly active = new Set<Promise<void>>();
  private readonly madeDirs = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly dir: string,
    private readonly renderKey: string,
    index: IndexFile | undefined,
  ) {
    const usable = index?.renderKey === renderKey ? index : undefined;
    this.files = usable?.files ?? {};
    this.outputs = usable?.outputs ?? {};
    this.gitDates = index?.gitDates ?? {};
    this.folds = index?.folds ?? {};
    this.contentKeys = index?.contentKeys ?? [];
  }

  static async open(dir: string, renderKey: string): Promise<BuildCache> {
    let index: IndexFile | undefined;
    try {
      index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as IndexFile;
    } catch {
      index = undefined;
    }
    return new BuildCache(dir, renderKey, index);
  }

  /** The entry for a file whose size and mtime, or failing that whose bytes, are unchanged. */
  lookup(file: string, size: number, mtimeMs: number, hash?: string): FileEntry | undefined {
    const entry = this.files[file];
    if (!entry) return undefined;
    if (hash === undefined ? entry.size === size && entry.mtimeMs === mtimeMs : entry.hash === hash) return entry;
    return undefined;
  }

  /** HTML rendered earlier for this key, read on demand (only changed feeds need it). */
  content(key: string): RenderedContent | undefined {
    try {
      return JSON.parse(readFileSync(this.contentPath(key), 'utf8')) as RenderedContent;
    } catch {
      return undefined;
    }
  }

  /**
   * Store rendered HTML. Writes queue and run at most 64 at a time: a cold build of
   * 40,000 articles would otherwise open 40,000 files at once (EMFILE).
   */
  storeContent(key: string, content: RenderedContent): void {
    this.queue.push([this.contentPath(key), JSON.stringify(content)]);
    while (this.active.size < 64 && this.queue.length) {
      const pump: Promise<void> = this.pump().finally(() => this.active.delete(pump));
      this.active.add(pump);
      this.writes.push(pump);
    }
  }

  /** Wait until at most `limit` writes are queued, so that stored HTML is not held twice in memory. */
  async settle(limit = 256): Promise<void> {
    while (this.queue.length > limit && this.active.size) await Promise.race(this.active);
  }

  private async pump(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      const [file, text] = job;
      const parent = path.dirname(file);
      let made = this.madeDirs.get(parent);
      if (!made) this.madeDirs.set(parent, (made = mkdir(parent, { recursive: true })));
      await made;
      await writeFile(file, text);
    }
  }

  /** Write the index of this build (files seen, outputs made) and drop HTML no longer referenced. */
  async save(liveContentKeys: Set<string>): Promise<void> {
    await Promise.all(this.writes);
    await mkdir(this.dir, { recursive: true });
    const index: IndexFile = {
      renderKey: this.renderKey,
      files: this.nextFiles,
      outputs: this.nextOutputs,
      gitDates: this.gitDates,
      folds: this.folds,
      contentKeys: [...liveContentKeys],
    };
    const file = path.join(this.dir, 'index.json');
    await writeFile(`${file}.tmp`, JSON.stringify(index));
    await rename(`${file}.tmp`, file);
    // Stored HTML that no article uses any more goes, so the cache does not grow forever.
    const dead = this.contentKeys.filter((key) => !liveContentKeys.has(key));
    await Promise.all(dead.map((key) => unlink(this.contentPath(key)).catch(() => {})));
  }

  private contentPath(key: string): string {
    return path.join(this.dir, 'html', key.slice(0, 2), `${key}.json`);
  }
}

export function sha256(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** A key over feedwright's own code, so that an upgrade never reuses what an older version made. */
export function codeKey(): string {
  const self = import.meta.filename;
  // Bundled (bin/feedwright.mjs): the bundle is the code. From source (tsx): every .ts file.
  if (self.endsWith('.mjs')) return createHash('sha256').update(readFileSync(self)).digest('hex');
  const src = path.resolve(import.meta.dirname, '..');
  const hash = createHash('sha256');
  const files = (readdirSync(src, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(path.relative(src, file)).update(readFileSync(file));
  return hash.digest('hex');
}
