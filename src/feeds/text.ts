import { escapeXml, feedSafe } from '../core/xmlchars.js';

/**
 * Plain text in an RSS element (title, description of a channel, category).
 * RSS 2.0 has no way to say "this is text, not HTML", so readers guess; the RSS
 * Best Practices Profile (and the W3C validator's CharacterData check) asks for
 * `<` and `>` as hexadecimal references, which every reader decodes as text.
 */
export function rssText(text: string): string {
  return defuseTags(feedSafe(text))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&#x3C;')
    .replace(/>/g, '&#x3E;');
}

/** Text or HTML as XML character data (Atom `type="text"` / `type="html"`, RSS HTML). */
export function xmlText(text: string): string {
  // An article's HTML is escaped for its RSS item and again for its Atom entries,
  // one after the other: the last long answer is kept.
  if (text.length < 512) return escapeXml(feedSafe(text));
  if (text !== lastLong[0]) lastLong = [text, escapeXml(feedSafe(text))];
  return lastLong[1];
}

let lastLong: [string, string] = ['', ''];

/**
 * Plain text that will be read as HTML (RSS `description`, Atom `type="html"`):
 * escape it as HTML first, then as XML, so `<i>` in a summary shows as "<i>"
 * instead of becoming markup, or worse, a script.
 */
export function htmlTextAsXml(text: string): string {
  return xmlText(escapeXml(feedSafe(text)));
}

/** Text that contains something shaped like an HTML tag (`<b>`, `</script>`). */
export function looksLikeMarkup(text: string): boolean {
  return /<\/?[A-Za-z][^<>]*>/.test(text);
}

/**
 * RSS 2.0 cannot say that a title is plain text, and readers differ: some render
 * it as HTML. A title such as `<b>x</b>` or `<script>…</script>` is therefore shown
 * with single angle quotation marks (‹b›), the same text to a reader, no markup to
 * any of them, and no ContainsHTML warning from the W3C validator.
 */
function defuseTags(text: string): string {
  return text.replace(/<(\/?[A-Za-z][^<>]*)>/g, '\u2039$1\u203A');
}
