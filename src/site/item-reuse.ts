import { hash } from 'node:crypto';
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
  fingerprint: string;
  summary: string;
  items: ItemLocation[];
}

/** The item of `made` under `key`. */
function itemOf(made: ArticleMade, key: string): ItemLocation | undefined {
  for (const at of made.items) if (at.key === key) return at;
  return undefined;
}

export type Reader = (rel: string, offset: number, length: number) => Uint8Array | undefined;

export class ItemReuse {
  /** What this build knows, by article file, for the next one. */
  private readonly next = new Map<string, ArticleMade>();
  /** Items read back this build (for the build's summary and tests). */
  reused = 0;

  constructor(
    private readonly previous: ReadonlyMap<string, ArticleMade>,
    private readonly read: Reader,
  ) {}

  /** The summary the last build made, if the article is unchanged since. */
  summary(file: string, fingerprint: string): string | undefined {
    const made = this.previous.get(file);
    return made?.fingerprint === fingerprint ? made.summary : undefined;
  }

  /** An item the last build wrote, read back from its feed, if the article is unchanged and the bytes check out. */
  item(file: string, fingerprint: string, key: string): Piece | undefined {
    const made = this.previous.get(file);
    const at = made?.fingerprint === fingerprint ? itemOf(made, key) : undefined;
    if (!at) return undefined;
    const buf = this.read(at.rel, at.offset, at.length);
    if (!buf || buf.length !== at.length) return undefined;
    const digest = hash('sha256', buf, 'buffer');
    if (digest.toString('hex', 0, 8) !== at.digest) return undefined;
    this.reused++;
    return { buf, digest: new Uint8Array(digest) };
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
      if (current.get(file) !== old.fingerprint) continue;
      let made = this.next.get(file);
      // Nothing new and nothing lost: the very same record (the cache writes only what changed).
      if (!made && everyKept(old.items, kept)) {
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
function everyKept(items: readonly ItemLocation[], kept: (rel: string) => boolean): boolean {
  for (const at of items) if (!kept(at.rel)) return false;
  return true;
}
