import { createHash } from 'node:crypto';
import type { RawArticle } from '../core/types.js';
import type { Report } from '../archive/report.js';
import { fitBytes } from './fit-bytes.js';

const SAFE_ID = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,99}$/u;
/**
 * An article's page is the file `articles/<id>.html` (core/article-page.ts), and a
 * file name has at most 255 bytes on the usual file systems: 100 CJK letters are
 * 300 bytes of UTF-8. A longer id is shortened (readable part plus hash).
 */
const MAX_ID_BYTES = 250;

/**
 * A stable id per article: front matter `id`, else the file's path without its
 * extension. Never the build time or the file order, so it survives rebuilds and
 * clones. Unsafe ids become readable-plus-hash; a repeated id (or repeated source
 * URL) is reported, and every file after the first (in path order) gets its own id.
 */
export function assignIds(articles: readonly Pick<RawArticle, 'id' | 'file' | 'source'>[], report: Report): string[] {
  const ids: string[] = [];
  const byId = new Map<string, string>();
  const bySource = new Map<string, string>();
  for (const article of articles) {
    const wanted = article.id ?? article.file.replace(/\.[^./]+$/, '').replace(/\//g, '-');
    let id = safeId(wanted);
    let key = id.toLowerCase();
    const owner = byId.get(key);
    if (owner !== undefined) {
      id = `${fitBytes(id.slice(0, 90), MAX_ID_BYTES - 9)}-${shortHash(article.file)}`;
      key = id.toLowerCase();
      report.warn(article.file, `id "${wanted}" is already used by ${owner}; published as "${id}"`);
    }
    byId.set(key, article.file);
    if (article.source) {
      const first = bySource.get(article.source);
      if (first !== undefined) report.warn(article.file, `same source URL as ${first}; both published`);
      else bySource.set(article.source, article.file);
    }
    ids.push(id);
  }
  return ids;
}

/** Ids already as safeId() makes them, and the most common (file names like `1000020`): taken as they are. */
const PLAIN_ID = /^[a-z0-9][a-z0-9_-]{0,99}$/;

function safeId(wanted: string): string {
  // NFC, trimming, lower case and SAFE_ID leave these as they are (ASCII, at most 100 bytes).
  if (PLAIN_ID.test(wanted)) return wanted;
  const id = wanted.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '-');
  if (SAFE_ID.test(id) && Buffer.byteLength(id) <= MAX_ID_BYTES) return id;
  const readable = id.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^[-_]+|-+$/g, '').slice(0, 60);
  return `${readable || 'article'}-${shortHash(wanted)}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
