import { hash } from 'node:crypto';
import type { Article, FeedFormat, FeedSpec } from '../core/types.js';
import { ATOM_NAMESPACES, atomEntry, updatedEntries } from './atom.js';
import { jsonItem } from './jsonfeed.js';
import { RSS_NAMESPACES, rssItem } from './rss.js';
import { checkXmlFragment } from './selfcheck.js';
import type { SiteInfo } from './site.js';

// Feed items as the build writes them: serialized once per article, format and
// content mode (an article in the main feed and in twenty tag feeds is escaped and
// checked once, not twenty-one times), encoded to UTF-8 once, with a sha256 of the
// bytes from which a feed's hash is derived. The worker threads make them for the
// articles they render, in shared memory (threads/arena.ts), as the same Piece.

/** One item an article needs in some feed. `updated` only when the feed moved it (see atomEntry). */
export interface ItemRequest {
  format: FeedFormat;
  content: FeedSpec['content'];
  updated?: number;
}

/** Encoded bytes and their sha256. */
export interface Piece {
  buf: Uint8Array;
  digest: Uint8Array;
}

const encoder = new TextEncoder();

export function piece(text: string): Piece {
  // TextEncoder, not Buffer.from: a small Buffer is a view of Node's shared 8 KB
  // slab, all of which a message to a writing thread would copy.
  const buf = encoder.encode(text);
  return { buf, digest: new Uint8Array(hash('sha256', buf, 'buffer')) };
}

export function itemKey(request: ItemRequest): string {
  return `${request.format}:${request.content}${request.updated === undefined ? '' : `@${request.updated}`}`;
}

/**
 * One item, serialized and checked. RSS and Atom fragments are parsed before they
 * are used (see selfcheck.ts); JSON items come from JSON.stringify, valid by
 * construction, and only the frame around them is checked.
 */
export function renderItem(article: Article, request: ItemRequest, site: SiteInfo): string {
  switch (request.format) {
    case 'rss': {
      const text = rssItem(article, request.content);
      checkXmlFragment(text, RSS_NAMESPACES, `the RSS item of ${article.file}`);
      return text;
    }
    case 'atom': {
      const text = atomEntry(article, request.content, request.updated);
      checkXmlFragment(text, ATOM_NAMESPACES, `the Atom entry of ${article.file}`);
      return text;
    }
    case 'json':
      return jsonItem(article, request.content, site);
  }
}

/** Every item each article needs across these feeds, deduplicated, in a stable order. */
export function itemRequests(specs: readonly FeedSpec[], wanted: (article: Article) => boolean): Map<Article, ItemRequest[]> {
  const out = new Map<Article, Map<string, ItemRequest>>();
  const add = (article: Article, request: ItemRequest) => {
    let list = out.get(article);
    if (!list) out.set(article, (list = new Map()));
    const key = itemKey(request);
    if (!list.has(key)) list.set(key, request);
  };
  for (const spec of specs) {
    const updated = updatedEntries(spec.articles);
    spec.articles.forEach((article, i) => {
      if (!wanted(article)) return;
      const { content } = spec;
      add(article, { format: 'rss', content });
      add(article, { format: 'atom', content, updated: updated[i] === article.updated ? undefined : updated[i] });
      add(article, { format: 'json', content });
    });
  }
  return new Map([...out].map(([article, list]) => [article, [...list.values()]]));
}
