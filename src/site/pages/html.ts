import { escapeXml, stripNonXmlChars } from '../../core/xmlchars.js';

/** Text into HTML: every field of a page goes through this or is already sanitized HTML. */
export function esc(text: string): string {
  return escapeXml(stripNonXmlChars(text));
}

/** `2024-03-03 18:29 UTC`: readable in every locale, and unambiguous about the zone. */
export function readableDate(ms: number): string {
  return new Date(ms).toISOString().replace(/T(\d\d:\d\d).*$/, ' $1 UTC');
}
