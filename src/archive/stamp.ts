import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { decodeHTML } from 'entities';

// The archive's stamp line: `<stamp>` [轉載自GNews](<source url>), where <stamp> is
//   `M/D/YYYY h:mm AM|PM UTC`, optionally followed by an author or team, or
//   an author or team alone (digits in it, as in `纽约香草山MOS99`, are not a date).

const DATED = /^(\d{1,2}\/\d{1,2}\/\d{1,5})\s+(\d{1,2}:\d{1,2})\s*([AaPp][Mm])\s+UTC(?:\s+(.*))?$/;
/** Earliest and latest years we accept as a real publication date (the W3C
 * validator calls anything before 1990 an ImplausibleDate). */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

export interface Stamp {
  /** Epoch ms, UTC. */
  date?: number;
  author?: string;
  /** Set when the stamp looked like a date but was not a real one. */
  invalidDate?: string;
}

/**
 * Parse a stamp. The explicit `+00:00` offset makes date-fns compute the UTC
 * instant itself, so the machine's TZ never enters the result.
 */
export function parseStamp(raw: string): Stamp {
  const text = raw.trim();
  const match = DATED.exec(text);
  if (!match) return text ? { author: cleanAuthor(text) } : {};
  const [, day, time, meridiem, rest] = match;
  const author = rest ? cleanAuthor(rest) : undefined;
  const printed = `${day} ${time} ${meridiem!.toUpperCase()} UTC`;
  const date = parseUtc(`${day} ${time} ${meridiem!.toUpperCase()}`, 'M/d/yyyy h:mm a');
  if (date === undefined) return { author, invalidDate: printed };
  return { date, author };
}

/** Parse `text` in `format` as UTC; undefined unless it is a real date in range. */
export function parseUtc(text: string, format: string): number | undefined {
  const parsed = parse(`${text} +00:00`, `${format} xxx`, new Date(0));
  if (!isValid(parsed)) return undefined;
  const year = parsed.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  return parsed.getTime();
}

function cleanAuthor(text: string): string | undefined {
  const author = decodeHTML(text).replace(/\s+/g, ' ').trim();
  return author || undefined;
}
