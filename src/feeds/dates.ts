// Date formats the three specs require, always in UTC so no machine's TZ leaks in.

/**
 * RSS 2.0 "All date-times in RSS conform to the Date and Time Specification of
 * RFC 822": `Sun, 03 Mar 2024 18:29:00 GMT` (toUTCString writes exactly that,
 * with a four-digit year as RFC 1123 recommends).
 */
export function rfc822(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Atom §3.3 and JSON Feed 1.1 use RFC 3339: `2024-03-03T18:29:00Z`. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
