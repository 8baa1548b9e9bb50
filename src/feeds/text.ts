import { escapeXml, stripNonXmlChars } from '../core/xmlchars.js';

/**
 * Plain text in an RSS element (title, description of a channel, category).
 * RSS 2.0 has no way to say "this is text, not HTML", so readers guess; the RSS
 * Best Practices Profile (and the W3C validator's CharacterData check) asks for
 * `<` and `>` as hexadecimal references, which every reader decodes as text.
 */
export function rssText(text: string): string {
  return stripNonXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&#x3C;')
    .replace(/>/g, '&#x3E;');
}

/** Text or HTML as XML character data (Atom `type="text"` / `type="html"`, RSS HTML). */
export function xmlText(text: string): string {
  return escapeXml(stripNonXmlChars(text));
}
