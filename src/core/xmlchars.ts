// XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF]: one C0 control or lone surrogate makes a strict feed
// reader reject the whole feed, so every text and HTML field goes through this.
// DEL and the C1 controls (#x7F-#x9F) are allowed but "discouraged" (§2.2), never
// appear in real UTF-8 text, and the W3C validator warns on them (BadCharacters).
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// A quick scan with no lookaround: text without controls or surrogates (most text)
// passes it without a match. Emoji are surrogate pairs: text with them is looked at
// again, the controls by NOT_XML_CHAR and the lone surrogates by
// String.prototype.isWellFormed, still a fraction of NOT_XML's cost, whose three
// alternatives are tried at every character. Every article's text and every feed's
// field goes through here.
// eslint-disable-next-line no-control-regex
const MAYBE_NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

export function hasNonXmlChars(text: string): boolean {
  return MAYBE_NOT_XML.test(text) && (NOT_XML_CHAR.test(text) || !text.isWellFormed());
}

export function stripNonXmlChars(text: string): string {
  return hasNonXmlChars(text) ? text.replace(NOT_XML, '') : text;
}

/** Escape for XML text and attribute values (both quotes, so it is safe anywhere). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/**
 * Text for a feed: XML-safe, and without U+FFFD. Invalid UTF-8 in the archive is
 * decoded to U+FFFD (and reported); pages keep the mark, but in a feed the W3C
 * validator reads it as mis-encoded text (BadCharacters), so feeds drop it.
 */
export function feedSafe(text: string): string {
  const safe = stripNonXmlChars(text);
  return safe.includes('\uFFFD') ? safe.replace(/\uFFFD/g, '') : safe;
}
