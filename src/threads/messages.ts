import type { FileEntry } from '../archive/cache.js';
import type { SourceFile } from '../archive/discover.js';
import type { Article, Config, FeedFormat, FeedSpec } from '../core/types.js';
import type { FeedFrame } from '../feeds/frame.js';
import type { ItemRequest, Piece } from '../feeds/items.js';
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

/**
 * Files to write, packed for the message: a feed is ~45 parts, and 30,000 feeds
 * sent as arrays of small buffers and refs cost the main thread over a second of
 * structured cloning. Here a batch is a few objects whatever it holds.
 */
export interface WriteBatch {
  targets: string[];
  /** 1 where the target must be cleared first (see store.ts). */
  clears: Uint8Array;
  /** The parts that are not items in shared memory, one after another. */
  plain: Uint8Array;
  /** Per part, three numbers: its chunk (−1: in `plain`), offset and length. */
  parts: Int32Array;
  /** Per file, where its parts end in `parts` (counted in parts). */
  ends: Int32Array;
}

/** Pack files to write into one batch. */
export function packWrites(files: readonly WriteJob[]): WriteBatch {
  let plainBytes = 0;
  let count = 0;
  for (const file of files) {
    for (const part of file.parts) if (part instanceof Uint8Array) plainBytes += part.length;
    count += file.parts.length;
  }
  const plain = new Uint8Array(plainBytes);
  const parts = new Int32Array(count * 3);
  const ends = new Int32Array(files.length);
  let at = 0;
  let k = 0;
  files.forEach((file, f) => {
    for (const part of file.parts) {
      let ref: ItemRef = part as ItemRef;
      if (part instanceof Uint8Array) {
        plain.set(part, at);
        ref = [-1, at, part.length];
        at += part.length;
      }
      parts.set(ref, 3 * k++);
    }
    ends[f] = k;
  });
  return { targets: files.map((f) => f.target), clears: Uint8Array.from(files, (f) => (f.clear ? 1 : 0)), plain, parts, ends };
}

/** The files of a batch, each with its parts: views of `plain`, or what `item` gives for a ref. */
export function unpackWrites(batch: WriteBatch, item: (ref: ItemRef) => Uint8Array): { target: string; clear: boolean; parts: Uint8Array[] }[] {
  let k = 0;
  return batch.targets.map((target, f) => {
    const parts: Uint8Array[] = [];
    for (; k < batch.ends[f]!; k++) {
      const chunk = batch.parts[k * 3]!;
      const offset = batch.parts[k * 3 + 1]!;
      const length = batch.parts[k * 3 + 2]!;
      parts.push(chunk === -1 ? batch.plain.subarray(offset, offset + length) : item([chunk, offset, length]));
    }
    return { target, clear: batch.clears[f] === 1, parts };
  });
}

/**
 * A feed for a thread to assemble, check and write (see feeds/parts.ts): its frame,
 * and its items as refs into shared memory, or bytes with their digest (an item
 * made on the main thread). Where it goes, as Output.plan() said.
 */
export interface FeedJob {
  rel: string;
  target: string;
  /** The idle generation holds this hash there: not written again. */
  previous?: string;
  clear: boolean;
  format: FeedFormat;
  frame: FeedFrame;
  items: (ItemRef | Piece)[];
}

/** Feeds packed for the message, as WriteBatch packs files (the frames are strings, five per feed). */
export interface FeedBatch {
  rels: string[];
  targets: string[];
  /** '' where the idle generation holds nothing known. */
  previous: string[];
  clears: Uint8Array;
  /** Per feed: 0 RSS, 1 Atom, 2 JSON. */
  formats: Uint8Array;
  /** Per feed: head, first, between, last, tail. */
  frames: string[];
  /** Items not in shared memory, one after another, and their digests (32 bytes each) in the same order. */
  plain: Uint8Array;
  digests: Uint8Array;
  /** Per item, three numbers: its chunk (−1: in `plain`), offset and length. */
  items: Int32Array;
  /** Per feed, where its items end in `items` (counted in items). */
  ends: Int32Array;
}

/** What each feed of a batch is, and whether it was written (not when the idle generation held it already). */
export interface FeedsDone {
  hashes: string[];
  bytes: number[];
  wrote: Uint8Array;
}

const FORMAT_CODES: readonly FeedFormat[] = ['rss', 'atom', 'json'];

export function packFeeds(feeds: readonly FeedJob[]): FeedBatch {
  let plainBytes = 0;
  let plainCount = 0;
  let count = 0;
  for (const feed of feeds) {
    for (const item of feed.items) {
      if (!Array.isArray(item)) {
        plainBytes += item.buf.length;
        plainCount++;
      }
    }
    count += feed.items.length;
  }
  const plain = new Uint8Array(plainBytes);
  const digests = new Uint8Array(plainCount * 32);
  const items = new Int32Array(count * 3);
  const ends = new Int32Array(feeds.length);
  let at = 0;
  let d = 0;
  let k = 0;
  const frames: string[] = [];
  feeds.forEach((feed, f) => {
    const { head, first, between, last, tail } = feed.frame;
    frames.push(head, first, between, last, tail);
    for (const item of feed.items) {
      let ref: ItemRef;
      if (Array.isArray(item)) ref = item;
      else {
        plain.set(item.buf, at);
        digests.set(item.digest, 32 * d++);
        ref = [-1, at, item.buf.length];
        at += item.buf.length;
      }
      items.set(ref, 3 * k++);
    }
    ends[f] = k;
  });
  return {
    rels: feeds.map((f) => f.rel),
    targets: feeds.map((f) => f.target),
    previous: feeds.map((f) => f.previous ?? ''),
    clears: Uint8Array.from(feeds, (f) => (f.clear ? 1 : 0)),
    formats: Uint8Array.from(feeds, (f) => FORMAT_CODES.indexOf(f.format)),
    frames,
    plain,
    digests,
    items,
    ends,
  };
}

/** The feeds of a batch, their items as pieces: views of `plain` and `digests`, or what `item` gives for a ref. */
export function unpackFeeds(batch: FeedBatch, item: (ref: ItemRef) => Piece): (Omit<FeedJob, 'items'> & { items: Piece[] })[] {
  let k = 0;
  let d = 0;
  return batch.rels.map((rel, f) => {
    const items: Piece[] = [];
    for (; k < batch.ends[f]!; k++) {
      const chunk = batch.items[k * 3]!;
      const offset = batch.items[k * 3 + 1]!;
      const length = batch.items[k * 3 + 2]!;
      if (chunk !== -1) items.push(item([chunk, offset, length]));
      else {
        items.push({ buf: batch.plain.subarray(offset, offset + length), digest: batch.digests.subarray(32 * d, 32 * d + 32) });
        d++;
      }
    }
    const [head, first, between, last, tail] = batch.frames.slice(5 * f, 5 * f + 5) as [string, string, string, string, string];
    return {
      rel,
      target: batch.targets[f]!,
      previous: batch.previous[f] || undefined,
      clear: batch.clears[f] === 1,
      format: FORMAT_CODES[batch.formats[f]!]!,
      frame: { head, first, between, last, tail },
      items,
    };
  });
}

/** Shared chunks the receiving side has not seen yet. */
export type NewChunks = [number, SharedArrayBuffer][];

export type RequestBody =
  | { kind: 'read'; jobs: ReadJob[] }
  | { kind: 'context'; context: RenderContext }
  | { kind: 'render'; jobs: RenderJob[] }
  | { kind: 'write'; batch: WriteBatch; chunks: NewChunks }
  | { kind: 'feeds'; batch: FeedBatch; chunks: NewChunks }
  | { kind: 'release' };

export type Request = { id: number } & RequestBody;

export type Reply = { id: number } & ({ ok: true; result: unknown; chunks?: NewChunks } | { ok: false; message: string; selfCheck: boolean });
