import type { MiddlewareHandler } from 'hono';

// Conditional GET (RFC 9110 §13): feed readers poll every few minutes and send
// back the validators we gave them; answering 304 with no body is most of the
// traffic saved. Validators are set by the handler (ETag from the content hash,
// Last-Modified from the newest item); this middleware only evaluates them.

/**
 * What a 304 keeps: RFC 9110 §15.4.5 requires Cache-Control, Content-Location,
 * Date, ETag, Expires and Vary as a 200 would have sent them; CORS and nosniff
 * stay so a cross-origin reader revalidating its cache still may read it.
 */
export const RETAINED_304_HEADERS = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
  'access-control-allow-origin',
  'x-content-type-options',
];

export interface ConditionalOptions {
  retainedHeaders?: string[];
}

export function conditional(options: ConditionalOptions = {}): MiddlewareHandler {
  const retained = new Set((options.retainedHeaders ?? RETAINED_304_HEADERS).map((h) => h.toLowerCase()));
  return async function conditional(c, next) {
    await next();
    // Preconditions only change the answer to a successful GET or HEAD (RFC 9110 §13.2.1).
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || c.res.status !== 200) return;
    const etag = c.res.headers.get('ETag');
    const lastModified = c.res.headers.get('Last-Modified');
    if (!etag && !lastModified) return;
    if (!notModified(c.req.header('If-None-Match'), c.req.header('If-Modified-Since'), etag, lastModified)) return;
    await c.res.body?.cancel();
    const headers = new Headers();
    for (const [key, value] of c.res.headers) if (retained.has(key)) headers.set(key, value);
    // Assigning c.res merges the old headers in; build the 304 and then strip them.
    c.res = new Response(null, { status: 304, headers });
    for (const key of [...c.res.headers.keys()]) if (!retained.has(key)) c.res.headers.delete(key);
  };
}

/**
 * RFC 9110 §13.2.2 steps 3–4: If-None-Match decides when present (weak
 * comparison, §13.1.2); If-Modified-Since counts only without it.
 */
export function notModified(
  ifNoneMatch: string | undefined | null,
  ifModifiedSince: string | undefined | null,
  etag: string | null,
  lastModified: string | null,
): boolean {
  if (ifNoneMatch !== undefined && ifNoneMatch !== null) {
    if (!etag) return false;
    return ifNoneMatch.trim() === '*' || entityTags(ifNoneMatch).includes(opaque(etag));
  }
  if (!ifModifiedSince || !lastModified) return false;
  const since = parseHttpDate(ifModifiedSince);
  const modified = parseHttpDate(lastModified);
  // A value that is not an HTTP-date is ignored (§13.1.3), not treated as "modified".
  if (since === undefined || modified === undefined) return false;
  return modified <= since;
}

/** The opaque tags in an If-None-Match list, weakness dropped (weak comparison). */
export function entityTags(list: string): string[] {
  return list.match(/(?:W\/)?"[^"]*"/g)?.map(opaque) ?? [];
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Epoch seconds of an HTTP-date (RFC 9110 §5.6.7: IMF-fixdate and the two
 * obsolete forms recipients must accept), or undefined. `Date.parse` is not
 * used: it accepts nearly anything, and a bogus date must be ignored.
 */
export function parseHttpDate(value: string): number | undefined {
  const text = value.trim();
  const parts = dateParts(text);
  if (!parts) return undefined;
  const [day, month, year, h, mi, s] = parts;
  const mon = MONTHS.indexOf(month.toLowerCase());
  if (mon === -1 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(year, mon, day, h, mi, Math.min(s, 59));
  // Reject dates that roll over (31 Feb): no server ever sent them.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms / 1000;
}

type DateParts = [day: number, month: string, year: number, hour: number, minute: number, second: number];

function dateParts(text: string): DateParts | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return [Number(m[1]), m[2]!, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  if ((m = RFC850_DATE.exec(text))) {
    // Two-digit years more than 50 years ahead belong to the previous century (§5.6.7).
    const now = new Date().getUTCFullYear();
    let year = Math.floor(now / 100) * 100 + Number(m[3]);
    if (year > now + 50) year -= 100;
    return [Number(m[1]), m[2]!, year, Number(m[4]), Number(m[5]), Number(m[6])];
  }
  if ((m = ASCTIME_DATE.exec(text))) return [Number(m[2]!.trim()), m[1]!, Number(m[6]), Number(m[3]), Number(m[4]), Number(m[5])];
  return undefined;
}

/** IMF-fixdate, the form a sender must generate (RFC 9110 §5.6.7). */
export function httpDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString();
}
