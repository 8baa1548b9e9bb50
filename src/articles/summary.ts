import { decodeHTML } from 'entities';

export const SUMMARY_CHARS = 200;

/** Plain text of an HTML fragment: tags dropped, entities decoded, white space collapsed. */
export function htmlToText(html: string): string {
  return decodeHTML(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The opening paragraph with any text in it, as plain text, cut to about 200 characters. */
export function summarize(html: string, limit = SUMMARY_CHARS): string {
  for (const match of html.matchAll(/<(p|h[1-6]|li|blockquote)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
    const text = htmlToText(match[2]!);
    if (text) return cut(text, limit);
  }
  return cut(htmlToText(html), limit);
}

/**
 * Cut on a character boundary (code points, so no surrogate pair is split; CJK text
 * has no spaces to cut at). Latin text is cut at a space when one is near the end.
 */
export function cut(text: string, limit = SUMMARY_CHARS): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  let head = chars.slice(0, limit).join('');
  const space = head.lastIndexOf(' ');
  if (space > head.length - 30 && space > 0) head = head.slice(0, space);
  return `${head.replace(/[\s,.;:，。；：、]+$/u, '')}…`;
}
