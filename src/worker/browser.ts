// Content negotiation between a feed and its readable page (RFC 9110 §12.5.1).
// A browser opening `/tags/芯片/rss.xml` sends `Accept: text/html,…,*/*;q=0.8`
// and would otherwise download raw XML (browsers are dropping XSLT, so styling
// the XML is no way out); feed readers ask for feed types or `*/*` and keep
// getting the feed. Ties go to the feed: only a real preference for HTML switches.

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

/** Enough for any real client; bounds the work a hostile header can cause. */
const MAX_ACCEPT_LENGTH = 4096;
const MAX_RANGES = 64;

export function parseAccept(header: string | null | undefined): MediaRange[] {
  if (!header || header.length > MAX_ACCEPT_LENGTH) return [];
  const ranges: MediaRange[] = [];
  for (const part of header.split(',', MAX_RANGES)) {
    const [range, ...params] = part.split(';');
    const slash = range!.indexOf('/');
    if (slash <= 0) continue;
    const type = range!.slice(0, slash).trim().toLowerCase();
    const subtype = range!.slice(slash + 1).trim().toLowerCase();
    if (!type || !subtype || (type === '*' && subtype !== '*')) continue;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const value = Number(param.slice(eq + 1).trim());
      // An unparseable weight is not a reason to drop the client's wish; a range
      // weighted 0 means "not acceptable" (RFC 9110 §12.4.2).
      q = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 1;
    }
    ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** The weight of the most specific range matching `mediaType`, or 0 if none. */
export function qualityOf(ranges: readonly MediaRange[], mediaType: string): number {
  const slash = mediaType.indexOf('/');
  const type = mediaType.slice(0, slash);
  const subtype = mediaType.slice(slash + 1);
  let best = -1;
  let q = 0;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1;
    // A range that does not match says nothing about this type (RFC 9110 §12.5.1).
    if (specificity < 0) continue;
    if (specificity > best) {
      best = specificity;
      q = range.q;
    } else if (specificity === best && range.q > q) {
      q = range.q;
    }
  }
  return q;
}

/** Types under which a reader may ask for this feed: its own, or the generic one it is written in. */
function feedTypes(feedType: string): string[] {
  return feedType.endsWith('+json') ? [feedType, 'application/json'] : [feedType, 'application/xml', 'text/xml'];
}

/** Whether the client prefers HTML to the feed's own format. */
export function prefersHtml(accept: string | null | undefined, feedType: string): boolean {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return false;
  const html = Math.max(qualityOf(ranges, 'text/html'), qualityOf(ranges, 'application/xhtml+xml'));
  if (html === 0) return false;
  const feed = Math.max(...feedTypes(feedType).map((t) => qualityOf(ranges, t)));
  return html > feed;
}
