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

/**
 * Split the archive header from the body; text must already have LF line endings.
 * The header is a few lines at the top: they are found with indexOf and the body is
 * the rest of the text as it is, never split into lines and joined again (which took
 * ~0.13 ms of a build thread per real article, whose bodies run to hundreds of lines:
 * ~2.5 s of reading at the real archive's size).
 */
export function parseHeader(text: string): ArchiveHeader {
  // A line is known by where it starts; -1: past the last line. After a final
  // newline comes one more line, empty, as text.split('\n') has it.
  const endOf = (at: number) => {
    const end = text.indexOf('\n', at);
    return end < 0 ? text.length : end;
  };
  const line = (at: number) => text.slice(at, endOf(at));
  const next = (at: number) => {
    const end = endOf(at);
    return end === text.length ? -1 : end + 1;
  };
  const blank = (at: number) => line(at).trim() === '';
  let i = 0;
  let recognised = false;
  const skipBlank = () => {
    while (i >= 0 && blank(i)) i = next(i);
  };
  skipBlank();
  if (i >= 0 && NAV.test(line(i))) {
    recognised = true;
    i = next(i);
    skipBlank();
    if (i >= 0 && RULE.test(line(i))) i = next(i);
    skipBlank();
  }
  let title: string | undefined;
  const titleMatch = i >= 0 ? TITLE.exec(line(i)) : null;
  // A title heading only counts as the header's when the stamp line follows it,
  // or when the navigation line came before it.
  let stampAt = i >= 0 ? next(i) : -1;
  while (stampAt >= 0 && blank(stampAt)) stampAt = next(stampAt);
  const stampMatch = titleMatch && stampAt >= 0 ? STAMP.exec(line(stampAt).trim()) : null;
  if (titleMatch && (recognised || stampMatch)) {
    title = decodeTitle(titleMatch[1]!);
    i = next(i);
  }
  let stamp: string | undefined;
  let source: string | undefined;
  if (title !== undefined && stampMatch) {
    recognised = true;
    stamp = stampMatch[1];
    source = stampMatch[3];
    i = next(stampAt);
  }
  if (!recognised) return { body: text, recognised: false };
  return { title, stamp, source, body: i < 0 ? '' : text.slice(i), recognised };
}

/** Titles are plain text: decode entities (`&#8211;` → `–`), collapse white space. */
export function decodeTitle(raw: string): string {
  return decodeHTML(raw).replace(/\s+/g, ' ').trim();
}
