import type { FileEntry } from '../archive/cache.js';
import type { SourceFile } from '../archive/discover.js';
import type { Article, Config, FeedSpec } from '../core/types.js';
import type { ItemRequest } from '../feeds/items.js';
import type { SiteInfo } from '../feeds/site.js';
import type { ItemRef } from './arena.js';

// What the build's main thread and its worker threads say to each other. Files are
// numbered by their place in the archive's path order; a worker keeps the Markdown
// bodies of the files it read until it is asked to render them.

export interface WorkerSetup {
  config: Config;
  /** Hash file contents for the build cache (not in a --no-cache build). */
  hashed: boolean;
  /** This thread's number: its arena's chunk ids start at (w + 1) × 65,536. */
  w: number;
}

export interface ReadJob {
  i: number;
  source: SourceFile;
}

export interface ReadDone {
  i: number;
  entry: FileEntry;
  /** The worker holds the body: it renders this article when asked. */
  held: boolean;
}

/** What every article render of this build shares. */
export interface RenderContext {
  site: SiteInfo;
  /** The main feed without its items: article pages link to it. */
  main: FeedSpec;
  /** Tag name → slug, for the tag links of article pages. */
  tagSlugs: [string, string][];
  /** Folded tag → its page URL, when wiki links become links (`wikiLinks: "link"`). */
  tagUrls?: [string, string][];
}

/** An article without its rendered parts, which the worker makes. */
export type ArticleFields = Omit<Article, 'html' | 'summary' | 'text'>;

/** Where the thread writes an article page, as Output decided (see Output.plan). */
export interface PageTarget {
  target: string;
  /** The idle generation holds this hash there: not written again. */
  previous?: string;
  clear: boolean;
}

export interface RenderJob {
  i: number;
  article: ArticleFields;
  items: ItemRequest[];
  /** Render the article's page too, and write it there. */
  page?: PageTarget;
}

export interface RenderDone {
  i: number;
  summary: string;
  /** In the order of the job's requests, in the thread's shared arena. */
  items: ItemRef[];
  page?: { hash: string; bytes: number; wrote: boolean };
}

/** A file to write: plain bytes, or an item where it lives in shared memory. */
export interface WriteJob {
  target: string;
  clear: boolean;
  parts: (Uint8Array | ItemRef)[];
}

/** Shared chunks the receiving side has not seen yet. */
export type NewChunks = [number, SharedArrayBuffer][];

export type RequestBody =
  | { kind: 'read'; jobs: ReadJob[] }
  | { kind: 'context'; context: RenderContext }
  | { kind: 'render'; jobs: RenderJob[] }
  | { kind: 'write'; files: WriteJob[]; chunks: NewChunks }
  | { kind: 'release' };

export type Request = { id: number } & RequestBody;

export type Reply = { id: number } & ({ ok: true; result: unknown; chunks?: NewChunks } | { ok: false; message: string; selfCheck: boolean });
