// Turning the request target into path segments without trusting it. Feed readers
// send `/tags/%E8%8A%AF%E7%89%87/rss.xml`, browsers may send the same bytes raw,
// and scanners send `..%2F`, `%00` and `%zz`: every one of those must end as a
// 400 or 404 and never reach the asset store as anything but a listed file.

/** Longer request paths are refused outright (RFC 9110 §4.1 leaves the limit to us). */
export const MAX_PATH_LENGTH = 2048;
/** Longer segments cannot name a file (255-byte file names) or a tag: not found. */
export const MAX_SEGMENT_LENGTH = 255;

export interface Segment {
  /** As sent, still percent-encoded. */
  raw: string;
  /** Percent-decoded, before normalization: what the client actually spelt. */
  decoded: string;
  /** Decoded and NFC-normalized: the form the lookup files are keyed by. */
  name: string;
}

export interface ParsedPath {
  /** Segments after the leading `/`; a trailing slash leaves a last empty segment. */
  segments: Segment[];
  /** Some segment exceeded MAX_SEGMENT_LENGTH: no file or tag can match. */
  overlong: boolean;
}

export interface PathError {
  status: 400;
  reason: string;
}

const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
// C0 controls (NUL included) and DEL: never part of a file or tag name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The path part of an absolute URL string, exactly as the client sent it. */
export function rawPathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (start === -1) return '/';
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const ch = url.charCodeAt(i);
    if (ch === 63 /* ? */ || ch === 35 /* # */) {
      end = i;
      break;
    }
  }
  return url.slice(start, end);
}

/** The query string including its `?`, or `''`: kept across redirects. */
export function queryOf(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return '';
  const hash = url.indexOf('#', q);
  const query = hash === -1 ? url.slice(q) : url.slice(q, hash);
  return query === '?' ? '' : query;
}

/**
 * Split and decode the raw path. Dot segments are refused rather than resolved:
 * clients and the runtime's URL parser resolve `..` and `%2e%2e` (RFC 3986
 * §5.2.4, §6.2.2.2) before the worker runs, so one that still arrives (as
 * `..%2F`, say) is an attempt to escape the folder.
 */
export function parsePath(rawPath: string): ParsedPath | PathError {
  if (rawPath.length > MAX_PATH_LENGTH) return { status: 400, reason: 'The request path is too long.' };
  if (!rawPath.startsWith('/')) return { status: 400, reason: 'The request path must start with "/".' };
  const parts = rawPath.slice(1).split('/');
  const segments: Segment[] = [];
  let overlong = false;
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i]!;
    if (raw === '') {
      // Only the last segment may be empty (a trailing slash); `//` never names anything.
      if (i === parts.length - 1) {
        segments.push({ raw, decoded: '', name: '' });
        continue;
      }
      return { status: 400, reason: 'The request path has an empty segment ("//").' };
    }
    if (BAD_PERCENT.test(raw)) return { status: 400, reason: 'The request path has invalid percent-encoding.' };
    let decoded: string;
    try {
      // Throws on byte sequences that are not UTF-8, overlong forms included.
      decoded = decodeURIComponent(raw);
    } catch {
      return { status: 400, reason: 'The request path is not valid percent-encoded UTF-8.' };
    }
    if (CONTROL.test(decoded)) return { status: 400, reason: 'The request path contains a control character.' };
    if (decoded.includes('/') || decoded.includes('\\')) {
      return { status: 400, reason: 'The request path contains an encoded slash or backslash.' };
    }
    if (decoded === '.' || decoded === '..') return { status: 400, reason: 'The request path contains a dot segment.' };
    if (decoded.length > MAX_SEGMENT_LENGTH) overlong = true;
    segments.push({ raw, decoded, name: decoded.normalize('NFC') });
  }
  return { segments, overlong };
}

export function isPathError(value: ParsedPath | PathError): value is PathError {
  return 'status' in value;
}

/**
 * The canonical request path for decoded names: every segment percent-encoded
 * (feeds and readers need URIs, not IRIs), as `src/feeds/urls.ts` writes links.
 */
export function encodePath(names: readonly string[]): string {
  return `/${names.map(encodeURIComponent).join('/')}`;
}
