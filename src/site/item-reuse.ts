import { hash } from 'node:crypto';
import type { FeedFormat } from '../core/types.js';
import type { Piece } from '../feeds/items.js';

// Feed items taken from the last build's own feed files. When one article changes,
// the ~20 feeds it is in are written again, and every other article in them (400
// at 40,000 articles, some of them 0.8 MB) would have to be read, parsed, rendered
// and escaped again for items whose bytes did not change: they are already in the
// live generation, in a feed the last build wrote. So each build records where
// each article's items are (file, offset, length, a digest of the bytes) and its
// summary (tag and topic pages list it), under the article's fingerprint; the next
// build reads an item back from there when the fingerprint still matches and the
// bytes still hash to the digest, and renders it otherwise. The digest is what makes
// this safe when the live generation is not what the records describe (a --no-cache
// build since, a file edited by hand). Nothing is stored that the output does not
// already hold but offsets, digests and summaries.

export interface ItemLocation {
  /** Which item of the article (its format and content, see feeds/items.ts itemKey). */
  key: string;
  /** A feed of the live generation, `/`-separated. */
  rel: string;
  offset: number;
  length: number;
  /** The first 16 hex digits of the item's sha256. */
  digest: string;
}

/**
 * What the last build knew of one article: under which fingerprint, its summary, where
 * its items are (one per key; a list, not a Map: an article has one to six, and the
 * cache holds 17,000 articles' at 40,000).
 */
export interface ArticleMade {
  readonly fingerprint: string;
  readonly summary: string;
  readonly items: ItemLocation[];
  /** Whether the fingerprint is `print`, where a record read from the cache can tell without making the string (archive/index-file.ts DecodedMade). */
  hasFingerprint?(print: string | undefined): boolean;
  /** Whether `kept` holds for every item's feed, likewise. */
  everyRelKept?(kept: (rel: string) => boolean): boolean;
}

function hasFingerprint(made: ArticleMade, print: string | undefined): boolean {
  return made.hasFingerprint ? made.hasFingerprint(print) : made.fingerprint === print;
}

/** The item of `made` under `key`. */
function itemOf(made: ArticleMade, key: string): ItemLocation | undefined {
  for (const at of made.items) if (at.key === key) return at;
  return undefined;
}

export type Reader = (rel: string, offset: number, length: number) => Uint8Array | undefined;

/** The whole of a live feed, or undefined. */
export type FeedReader = (rel: string) => Uint8Array | undefined;

/** The feed being made, whose last version is looked in first (see ItemReuse.item). */
export interface Within {
  rel: string;
  format: FeedFormat;
}

export class ItemReuse {
  /** What this build knows, by article file, for the next one. */
  private readonly next = new Map<string, ArticleMade>();
  /** Items read back this build (for the build's summary and tests). */
  reused = 0;

  /** The last version of the feed being made: its bytes, and where its items start by their length. */
  private feed: { rel: string; bytes: Uint8Array; starts: Map<number, number[]> } | undefined;

  constructor(
    private readonly previous: ReadonlyMap<string, ArticleMade>,
    private readonly read: Reader,
    private readonly readFeed: FeedReader = () => undefined,
  ) {}

  /** The summary the last build made, if the article is unchanged since. */
  summary(file: string, fingerprint: string): string | undefined {
    const made = this.previous.get(file);
    return made && hasFingerprint(made, fingerprint) ? made.summary : undefined;
  }

  /**
   * An item the last build wrote, read back if the article is unchanged and the bytes
   * check out: from the last version of the feed being made (`within`) when it holds
   * them, else from where it was recorded. A feed written again holds most of the same
   * items as before, one file read whole; their recorded places are spread over a dozen
   * others (an article is recorded where it was first written), which an addition to
   * twenty tags read as ~650 files, ~0.15 s when they are not in the page cache.
   */
  item(file: string, fingerprint: string, key: string, within?: Within): Piece | undefined {
    const made = this.previous.get(file);
    const at = made && hasFingerprint(made, fingerprint) ? itemOf(made, key) : undefined;
    if (!at) return undefined;
    const found = within && this.inFeed(within, at);
    if (found) {
      this.reused++;
      return found;
    }
    const buf = this.read(at.rel, at.offset, at.length);
    if (!buf || buf.length !== at.length) return undefined;
    const digest = hash('sha256', buf, 'buffer');
    if (digest.toString('hex', 0, 8) !== at.digest) return undefined;
    this.reused++;
    return { buf, digest: new Uint8Array(digest) };
  }

  /** The item `at` describes, if the last version of the feed `within` holds those bytes anywhere. */
  private inFeed(within: Within, at: ItemLocation): Piece | undefined {
    if (this.feed?.rel !== within.rel) {
      const bytes = this.readFeed(within.rel);
      this.feed = { rel: within.rel, bytes: bytes ?? new Uint8Array(0), starts: bytes ? itemStarts(bytes, within.format) : new Map() };
    }
    for (const start of this.feed.starts.get(at.length) ?? []) {
      const found = this.feed.bytes.subarray(start, start + at.length);
      const digest = hash('sha256', found, 'buffer');
      // A copy: a view would keep the whole feed in memory for as long as the item is.
      if (digest.toString('hex', 0, 8) === at.digest) return { buf: new Uint8Array(found), digest: new Uint8Array(digest) };
    }
    return undefined;
  }

  /** This build wrote `piece`, article `file`'s item `key`, at `offset` in `rel`. */
  record(file: string, fingerprint: string, summary: () => string, key: string, rel: string, offset: number, piece: Piece): void {
    let made = this.next.get(file);
    if (made?.fingerprint !== fingerprint) this.next.set(file, (made = { fingerprint, summary: summary(), items: [] }));
    if (!itemOf(made, key)) made.items.push({ key, rel, offset, length: piece.buf.length, digest: Buffer.from(piece.digest.buffer, piece.digest.byteOffset, 8).toString('hex') });
  }

  /**
   * What the next build can use: this build's records, and the last build's for
   * articles whose fingerprint is `current` still, in feeds this build `kept` as
   * they were (the same bytes at the same offsets; a feed written again or gone
   * is not trusted, whatever it holds).
   */
  finish(current: ReadonlyMap<string, string>, kept: (rel: string) => boolean): Map<string, ArticleMade> {
    for (const [file, old] of this.previous) {
      if (!hasFingerprint(old, current.get(file))) continue;
      let made = this.next.get(file);
      // Nothing new and nothing lost: the very same record (the cache writes only what changed).
      if (!made && everyKept(old, kept)) {
        this.next.set(file, old);
        continue;
      }
      for (const at of old.items) {
        if (!kept(at.rel) || (made && itemOf(made, at.key))) continue;
        if (!made) this.next.set(file, (made = { fingerprint: old.fingerprint, summary: old.summary, items: [] }));
        made.items.push(at);
      }
    }
    return this.next;
  }
}

/** Whether every item's feed was kept as it was (looked at in place, not copied into a list: 17,000 articles a build). */
function everyKept(made: ArticleMade, kept: (rel: string) => boolean): boolean {
  if (made.everyRelKept) return made.everyRelKept(kept);
  for (const at of made.items) if (!kept(at.rel)) return false;
  return true;
}

/**
 * Where each item of an assembled feed starts, by the item's length in bytes. Found by
 * markup only an item's edges can have (the frames and items are in feeds/rss.ts,
 * atom.ts and jsonfeed.ts): in RSS and Atom every `<` of text is escaped, so
 * `<item>`…`</item>` and `<entry>`…`</entry>` are only ever an item's own tags; in JSON
 * Feed the head is one line and JSON.stringify escapes every line break, so each item is
 * a line of its own, followed by a comma but for the last. What is found is only a
 * candidate: its bytes must still hash to what the last build recorded.
 */
export function itemStarts(bytes: Uint8Array, format: FeedFormat): Map<number, number[]> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = new Map<number, number[]>();
  const add = (start: number, end: number) => {
    const list = starts.get(end - start);
    if (list) list.push(start);
    else starts.set(end - start, [start]);
  };
  if (format === 'json') {
    for (let at = text.indexOf(0x0a) + 1; at > 0; ) {
      const eol = text.indexOf(0x0a, at);
      if (eol < 0) break;
      if (text[at] === 0x7b) add(at, text[eol - 1] === 0x2c ? eol - 1 : eol);
      at = eol + 1;
    }
    return starts;
  }
  const [open, close] = format === 'rss' ? ['<item>', '</item>'] : ['<entry>', '</entry>'];
  for (let at = text.indexOf(open); at >= 0; ) {
    const end = text.indexOf(close, at);
    if (end < 0) break;
    add(at, end + close.length);
    at = text.indexOf(open, end);
  }
  return starts;
}
