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
  checkXml(`${open}${fragment}</fragment>`, what, open.length);
}

export function checkJson(json: string, what: string): void {
  try {
    JSON.parse(json);
  } catch (error) {
    throw new SelfCheckError(`Self-check failed: ${what} is not valid JSON (${(error as Error).message}). This is a feedwright bug.`);
  }
}
