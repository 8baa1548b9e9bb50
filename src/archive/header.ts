import { decodeHTML } from 'entities';

// The archive's own header, as found in the real files:
//   ###  [:house:返回](README.md)          navigation back to the index: not content
//   ---
//   (blank lines)
//   ## <title>                             HTML entities decoded to text
//   `<stamp>` [轉載自GNews](<source url>)
//   (body)

const NAV = /^#{1,6}\s+\[:house:[^\]]*\]\([^)]*\)/;
const RULE = /^-{3,}\s*$/;
const TITLE = /^#{1,6}\s+(.+?)\s*#*\s*$/;
const STAMP = /^`([^`]*)`\s*(?:\[([^\]]*)\]\(\s*<?([^)\s>]+)>?\s*\))?\s*$/;

export interface ArchiveHeader {
  title?: string;
  /** The text between the backticks, untrimmed. */
  stamp?: string;
  source?: string;
  body: string;
  /** True when the navigation line or the stamp line was found: this is the archive's format. */
  recognised: boolean;
}

/** Split the archive header from the body; text must already have LF line endings. */
export function parseHeader(text: string): ArchiveHeader {
  const lines = text.split('\n');
  let i = 0;
  let recognised = false;
  const skipBlank = () => {
    while (i < lines.length && lines[i]!.trim() === '') i++;
  };
  skipBlank();
  if (i < lines.length && NAV.test(lines[i]!)) {
    recognised = true;
    i++;
    skipBlank();
    if (i < lines.length && RULE.test(lines[i]!)) i++;
    skipBlank();
  }
  let title: string | undefined;
  const titleMatch = i < lines.length ? TITLE.exec(lines[i]!) : null;
  // A title heading only counts as the header's when the stamp line follows it,
  // or when the navigation line came before it.
  let stampAt = i + 1;
  while (stampAt < lines.length && lines[stampAt]!.trim() === '') stampAt++;
  const stampMatch = titleMatch && stampAt < lines.length ? STAMP.exec(lines[stampAt]!.trim()) : null;
  if (titleMatch && (recognised || stampMatch)) {
    title = decodeTitle(titleMatch[1]!);
    i++;
  }
  let stamp: string | undefined;
  let source: string | undefined;
  if (title !== undefined && stampMatch) {
    recognised = true;
    stamp = stampMatch[1];
    source = stampMatch[3];
    i = stampAt + 1;
  }
  if (!recognised) return { body: text, recognised: false };
  return { title, stamp, source, body: lines.slice(i).join('\n'), recognised };
}

/** Titles are plain text: decode entities (`&#8211;` → `–`), collapse white space. */
export function decodeTitle(raw: string): string {
  return decodeHTML(raw).replace(/\s+/g, ' ').trim();
}
