import { createHash } from 'node:crypto';
import type { Config, FeedFormat, FeedSpec, Manifest, ManifestFeed, ManifestTag, ManifestTopic } from '../core/types.js';
import type { FeedParts } from '../feeds/parts.js';
import { rfc3339 } from '../feeds/dates.js';
import { feedPath } from '../feeds/urls.js';
import type { WrittenFile } from './output.js';

// The machine-readable index of everything built: no build time, so it is
// deterministic too. At 40,000 articles it lists 90,000 feed files in 6.8 MB of JSON;
// made whole (90,000 objects, JSON.stringify, UTF-8 encoding and hashing) it took
// ~140 ms of a one-article rebuild, which changes a few dozen of those entries. So a
// build that has the last build's manifest copies the entries of unchanged feeds
// from its bytes and writes only the others (see spliced).

const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];
const encoder = new TextEncoder();

/** What the manifest lists: the same in a manifest made whole and in one spliced. */
export interface ManifestInput {
  config: Config;
  articles: number;
  specs: readonly FeedSpec[];
  written: ReadonlyMap<string, WrittenFile>;
  tags: ManifestTag[];
  topics: ManifestTopic[];
  /** How many items a feed holds (a feed kept from the last build is given without its articles). */
  itemsOf?: (spec: FeedSpec) => number;
}

export function buildManifest(input: ManifestInput): Manifest {
  const feeds: ManifestFeed[] = [];
  eachFeed(input, (spec, format, path, file, items, updated) => feeds.push(entryOf(spec, format, path, file, items, updated)));
  return { ...head(input), feeds, tags: input.tags, topics: input.topics };
}

/**
 * manifest.json's bytes (`${JSON.stringify(buildManifest(input))}\n`, byte for byte)
 * and their hash (sha256 of the bytes, as output.ts fileHash). `previous`: the last
 * build's manifest, whose entries are copied where a feed is unchanged.
 */
export function manifestFile(input: ManifestInput, previous?: Uint8Array): FeedParts & { copied: number } {
  const last = previous && PreviousManifest.of(previous);
  if (!last) return partsOf([encoder.encode(`${JSON.stringify(buildManifest(input))}\n`)], 0);
  const start = `${JSON.stringify(head(input)).slice(0, -1)},"feeds":[`;
  const tail = `],"tags":${JSON.stringify(input.tags)},"topics":${JSON.stringify(input.topics)}}\n`;
  return spliced(input, last, start, tail);
}

function head({ config, articles }: ManifestInput): Omit<Manifest, 'feeds' | 'tags' | 'topics'> {
  return { version: 1, site: { title: config.title, url: config.siteUrl, language: config.language, description: config.description }, articles };
}

function entryOf(spec: FeedSpec, format: FeedFormat, path: string, file: WrittenFile, items: number, updated: string): ManifestFeed {
  return { path, format, kind: spec.kind, slug: spec.slug, title: spec.title, items, updated, hash: file.hash, bytes: file.bytes };
}

/** Each feed file, in the manifest's order (three formats per feed), with what its entry says. */
function eachFeed(
  { specs, written, itemsOf = (spec) => spec.articles.length }: ManifestInput,
  add: (spec: FeedSpec, format: FeedFormat, path: string, file: WrittenFile, items: number, updated: string) => void,
): void {
  // One date string per instant: for the three formats of a feed, and for the many tags whose newest article is the same.
  const dates = new Map<number, string>();
  for (const spec of specs) {
    let updated = dates.get(spec.updated);
    if (updated === undefined) dates.set(spec.updated, (updated = rfc3339(spec.updated)));
    const items = itemsOf(spec);
    for (const format of FORMATS) {
      const path = feedPath(spec, format);
      add(spec, format, path, written.get(path)!, items, updated);
    }
  }
}

/**
 * The new manifest from the last one's bytes. An entry is copied when the last one
 * has an entry for a file of the same hash that reads as the new entry would from
 * `"kind"` on. The hash is of the feed's bytes, which hold its own URL (RSS atom:link
 * rel=self, Atom link rel=self, JSON Feed feed_url), so path and format are equal; the
 * rest is compared as written: a feed's bytes do not fix its title (characters XML
 * cannot carry are dropped, RSS defuses tags), a JSON feed states no date and RSS
 * states it to the second only. Entries are looked for where the last one left off
 * (feeds mostly keep their order), then by hash.
 */
function spliced(input: ManifestInput, last: PreviousManifest, start: string, tail: string): FeedParts & { copied: number } {
  const parts: Uint8Array[] = [encoder.encode(start)];
  /** Entries made anew, not yet encoded; and the copied range not yet added (`from` -1: none). */
  let fresh: string[] = [];
  let from = -1;
  let to = -1;
  let copied = 0;
  let at = last.first;
  let first = true;
  const flush = () => {
    if (from >= 0) parts.push(last.bytes.subarray(from, to));
    from = -1;
    if (fresh.length) parts.push(encoder.encode(fresh.join('')));
    fresh = [];
  };
  // What a feed's three entries share, made once a feed: its kind, slug and title as
  // JSON writes them, and the end but for hash and size (digits and ASCII).
  let middle = '';
  let before = '';
  let of: FeedSpec | undefined;
  eachFeed(input, (spec, format, path, file, items, updated) => {
    const comma = first ? '' : ',';
    first = false;
    if (spec !== of) {
      middle = `,"kind":${JSON.stringify(spec.kind)},"slug":${JSON.stringify(spec.slug)},"title":${JSON.stringify(spec.title)}`;
      before = `,"items":${items},"updated":"${updated}","hash":"`;
      of = spec;
    }
    const end = [before, file.hash, `","bytes":${file.bytes}}`];
    let s = -1;
    let e = at < last.end ? last.entryAt(at, middle, end) : -1;
    if (e >= 0) s = at;
    // Not there: the file there is this one changed (made anew, and the next is looked
    // for after it), or the order changed (a tag added, say), and then it is looked up.
    else if (at < last.end && last.pathAt(at) === path) at = last.endOf(at) + 1;
    else if ((s = last.byHash(file.hash)) >= 0) e = last.entryAt(s, middle, end);
    if (e < 0) {
      if (from >= 0) flush();
      fresh.push(comma + JSON.stringify(entryOf(spec, format, path, file, items, updated)));
      return;
    }
    copied++;
    at = e + 1;
    // Right after the range being copied (the comma between them is the last one's): one range.
    if (from >= 0 && s === to + 1) to = e;
    else {
      if (comma) fresh.push(comma);
      flush();
      from = s;
      to = e;
    }
  });
  fresh.push(tail);
  flush();
  return partsOf(parts, copied);
}

function partsOf(parts: Uint8Array[], copied: number): FeedParts & { copied: number } {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  return { parts, hash: digest.digest('hex').slice(0, 32), copied };
}

/**
 * The feed entries of a manifest's bytes, where each starts and ends. Only these
 * byte strings are looked for: each holds a `"` that JSON escapes inside a string, so
 * none can be part of a title or a path.
 */
class PreviousManifest {
  private index: Map<string, number> | undefined;
  // Encoded once: Buffer#indexOf encodes a string needle on every call (~2 µs each, 60 ms for 30,000 entries).
  private static readonly NEXT = Buffer.from('},{"path":"');
  private static readonly HASH = Buffer.from(',"hash":"');

  private constructor(
    readonly bytes: Buffer,
    /** Where the first entry's `{` is, and the `]` after the last one's `}`. */
    readonly first: number,
    readonly end: number,
  ) {}

  static of(previous: Uint8Array): PreviousManifest | undefined {
    const bytes = Buffer.from(previous.buffer, previous.byteOffset, previous.byteLength);
    const open = bytes.indexOf(',"feeds":[{"path":"');
    // From the end: the tags and topics after it are a tenth of the bytes.
    const close = bytes.lastIndexOf('}],"tags":[');
    return open < 0 || close < open ? undefined : new PreviousManifest(bytes, open + 10, close + 1);
  }

  /** Where the entry starting at `at` ends (after its `}`). */
  endOf(at: number): number {
    const next = this.bytes.indexOf(PreviousManifest.NEXT, at);
    return next < 0 || next >= this.end ? this.end : next + 1;
  }

  /**
   * Where the entry at `at` ends when it ends in `middle` and then the strings of `end`
   * (which hold the file's hash), or -1. Compared as bytes: no string is made for each
   * of 90,000 entries. `middle` starts with `,"kind":`, which cannot be inside a JSON
   * string, so it matches only where the entry's own kind, slug and title are.
   */
  entryAt(at: number, middle: string, end: readonly string[]): number {
    const e = this.endOf(at);
    let i = e;
    for (let k = end.length - 1; k >= 0; k--) {
      const text = end[k]!;
      i -= text.length;
      if (i < at) return -1;
      for (let j = 0; j < text.length; j++) if (this.bytes[i + j] !== text.charCodeAt(j)) return -1;
    }
    return utf8Before(this.bytes, i, middle) >= at ? e : -1;
  }

  /** Where an entry for a file of `hash` starts, wherever it is, or -1. */
  byHash(hash: string): number {
    if (!this.index) {
      this.index = new Map();
      for (let at = this.first; at < this.end; ) {
        const e = this.endOf(at);
        const h = this.bytes.indexOf(PreviousManifest.HASH, at);
        if (h > at && h < e) this.index.set(this.bytes.toString('latin1', h + 9, h + 41), at);
        at = e + 1;
      }
    }
    return this.index.get(hash) ?? -1;
  }

  /** The path of the entry at `at` (as JSON wrote it: unescaped, it is the path itself). */
  pathAt(at: number): string {
    const text = this.bytes.toString('utf8', at + 9, this.bytes.indexOf('","format":"', at));
    return text.includes('\\') ? (JSON.parse(`"${text}"`) as string) : text;
  }
}

/**
 * Where `text`, encoded as UTF-8, starts when `bytes` hold it right before `end`, or
 * -1: compared code unit by code unit from its end, so that no bytes are made for it.
 * `text` is well formed (JSON.stringify writes a lone surrogate as an escape).
 */
function utf8Before(bytes: Uint8Array, end: number, text: string): number {
  let i = end;
  for (let k = text.length - 1; k >= 0; k--) {
    let c = text.charCodeAt(k);
    if (c < 0x80) {
      if (bytes[--i] !== c) return -1;
    } else if (c < 0x800) {
      if (bytes[--i] !== (0x80 | (c & 0x3f)) || bytes[--i] !== (0xc0 | (c >> 6))) return -1;
    } else if (c >= 0xdc00 && c < 0xe000) {
      c = 0x10000 + ((text.charCodeAt(--k) - 0xd800) << 10) + (c - 0xdc00);
      if (bytes[--i] !== (0x80 | (c & 0x3f)) || bytes[--i] !== (0x80 | ((c >> 6) & 0x3f)) || bytes[--i] !== (0x80 | ((c >> 12) & 0x3f)) || bytes[--i] !== (0xf0 | (c >> 18))) return -1;
    } else if (bytes[--i] !== (0x80 | (c & 0x3f)) || bytes[--i] !== (0x80 | ((c >> 6) & 0x3f)) || bytes[--i] !== (0xe0 | (c >> 12))) return -1;
  }
  return i;
}
