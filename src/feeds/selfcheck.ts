import { SaxesParser } from 'saxes';

// The build's last line of defence: a feed that a strict parser rejects is lost to
// every subscriber, so nothing is written that has not been parsed first. A feed is
// its skeleton (head and tail) plus item fragments that are each rendered once and
// shared by many feeds; parsing the skeleton and every distinct fragment proves every
// assembled feed well-formed (concatenated elements inside a well-formed element stay
// well-formed) at a fraction of the cost of re-parsing gigabytes of tag feeds.

export class SelfCheckError extends Error {}

/**
 * Well-formed XML 1.0 with namespaces, by a strict parser (saxes, jsdom's): it refuses
 * what readers' parsers refuse (a control character, `&#0;`, a `<` in an attribute,
 * an unbound prefix, a second root), where fast-xml-parser's validator, used before,
 * let all of those through. It costs the same (~0.6 s over 12,000 items, 38 MB).
 * `shift`: characters of a wrapper before the text proper on its first line, not
 * counted in the column the message gives.
 */
export function checkXml(xml: string, what: string, shift = 0): void {
  try {
    // With no error handler, saxes throws at the first error, with its line and column.
    new SaxesParser({ xmlns: true }).write(xml).close();
  } catch (error) {
    const why = (error as Error).message.replace(/\.$/, '').replace(/^1:(\d+):/, (_m, column: string) => `1:${Number(column) - shift}:`);
    throw new SelfCheckError(`Self-check failed: ${what} is not well-formed XML (${why}). This is a feedwright bug.`);
  }
}

/**
 * An item, inside an element that binds what its feed's root binds (`namespaces`):
 * a prefix the feed does not declare is refused here as it would be in the feed.
 */
export function checkXmlFragment(fragment: string, namespaces: string, what: string): void {
  const open = `<fragment ${namespaces}>`;
  // An item's escaped HTML is nearly all of its bytes, and the parser reads them a
  // character at a time in JavaScript (~2.4 s of a full build's 43 s of CPU on real
  // articles): long runs of plain text are left out of the parse (see withoutLongText).
  // On any failure the whole is parsed again, for the message.
  const reduced = withoutLongText(fragment);
  if (reduced !== undefined && wellFormed(`${open}${reduced}</fragment>`)) return;
  checkXml(`${open}${fragment}</fragment>`, what, open.length);
}

/**
 * The fragment without its runs of at least LONG_TEXT characters of text between tags that
 * linear scans show plain (see plainText), or undefined when nothing is left out. The
 * parse then still sees every tag, attribute and shorter text. Only for fragments of
 * elements and text: in a comment, a CDATA section or a processing instruction a `>`
 * ends no tag, and a run cut from there could hide a `--` or a `]]>` (feed items have
 * none: every `<` of their text is escaped).
 */
export function withoutLongText(fragment: string): string | undefined {
  if (fragment.includes('<!') || fragment.includes('<?')) return undefined;
  let reduced = '';
  let from = 0;
  // The first `<` after the `>` at gt: the same for every `>` before it.
  let lt = -1;
  for (let gt = fragment.indexOf('>'); gt >= 0; gt = fragment.indexOf('>', gt + 1)) {
    if (lt < gt) lt = fragment.indexOf('<', gt + 1);
    if (lt < 0) break;
    if (lt - gt - 1 >= LONG_TEXT && plainText(fragment.slice(gt + 1, lt))) {
      reduced += fragment.slice(from, gt + 1);
      from = lt;
    }
  }
  return from > 0 ? reduced + fragment.slice(from) : undefined;
}

/** Characters of text between two tags from which a run is worth checking apart. */
const LONG_TEXT = 256;
/**
 * In text: markup (`<`, `>`: so no `]]>` either), a character XML 1.0 forbids or
 * discourages (§2.2, as core/xmlchars.ts), or an `&` that does not start one of the
 * references escapeXml() writes.
 */
// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[<>\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|&(?!(?:amp|lt|gt|quot|#39);)/;

/**
 * Character data that is well-formed wherever text may stand (XML 1.0 §2.4): Chars
 * only, no markup, and no reference but those five, whose targets are Chars. Taking
 * such a run out from between two tags changes nothing a parser checks; anything
 * else (another reference, a `>`) is left to the parser.
 */
function plainText(text: string): boolean {
  return !NOT_PLAIN.test(text) && text.isWellFormed();
}

function wellFormed(xml: string): boolean {
  try {
    new SaxesParser({ xmlns: true }).write(xml).close();
    return true;
  } catch {
    return false;
  }
}

export function checkJson(json: string, what: string): void {
  try {
    JSON.parse(json);
  } catch (error) {
    throw new SelfCheckError(`Self-check failed: ${what} is not valid JSON (${(error as Error).message}). This is a feedwright bug.`);
  }
}
