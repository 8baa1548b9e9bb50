import matter from 'gray-matter';
import { MAX_YEAR, MIN_YEAR, parseUtc } from './stamp.js';

// Front matter (YAML between `---` lines at the very top), read with gray-matter.
// Field by field it wins over the archive header.

export interface FrontMatter {
  title?: string;
  date?: number;
  updated?: number;
  tags: string[];
  authors: string[];
  summary?: string;
  source?: string;
  id?: string;
  draft: boolean;
  lang?: string;
}

export type FrontMatterResult =
  | { ok: true; data: FrontMatter; content: string; problems: string[] }
  | { ok: false; error: string; content: string };

export function hasFrontMatter(text: string): boolean {
  return /^---[ \t]*\n/.test(text);
}

/** Parse front matter; text has LF line endings and starts with `---`. */
export function readFrontMatter(text: string): FrontMatterResult {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Passing an options object turns off gray-matter's cache, which would
    // otherwise keep every file of a 40,000-file archive alive in memory.
    parsed = matter(text, {});
  } catch (error) {
    const err = error as Error & { mark?: { line?: number }; reason?: string };
    const line = err.mark?.line !== undefined ? ` at line ${err.mark.line + 2}` : '';
    const reason = (err.reason ?? err.message.split('\n')[0] ?? 'unreadable').trim();
    return { ok: false, error: `malformed front matter${line}: ${reason}`, content: afterFence(text) };
  }
  const raw = (parsed.data ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const data: FrontMatter = { tags: [], authors: [], draft: false };

  data.title = text_(raw.title, 'title', problems);
  data.summary = text_(raw.summary ?? raw.description, 'summary', problems);
  data.source = text_(raw.source ?? raw.url, 'source', problems);
  data.lang = text_(raw.lang ?? raw.language, 'lang', problems);
  const id = raw.id;
  data.id = typeof id === 'number' ? String(id) : text_(id, 'id', problems);
  if (raw.draft !== undefined) data.draft = raw.draft === true || raw.draft === 'true';

  for (const key of ['date', 'updated'] as const) {
    if (raw[key] === undefined || raw[key] === null) continue;
    const when = toInstant(raw[key]);
    if (when === undefined) problems.push(`front matter ${key} "${rawValue(parsed.matter, key) ?? String(raw[key])}" is not a usable date`);
    else data[key] = when;
  }
  // Tags keep blank entries: cleanTag() drops and reports them with the file.
  data.tags = list(raw.tags ?? raw.tag ?? raw.categories, 'tags', problems, true);
  data.authors = [...list(raw.authors, 'authors', problems), ...list(raw.author, 'author', problems)];
  return { ok: true, data, content: parsed.content, problems };
}

function text_(value: unknown, key: string, problems: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value).trim();
    return s || undefined;
  }
  problems.push(`front matter ${key} is not text`);
  return undefined;
}

/** A list, or a comma-separated string (`tags: 芯片, 美国`), or objects with a name. */
function list(value: unknown, key: string, problems: string[], keepBlank = false): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,，、]/) : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'string' || typeof item === 'number') {
      const s = String(item);
      if (keepBlank || s.trim()) out.push(s.trim());
    } else if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
      out.push((item as { name: string }).name.trim());
    } else {
      problems.push(`front matter ${key} has an entry that is not text`);
    }
  }
  return out;
}

/**
 * YAML timestamps arrive as Dates (js-yaml reads them as UTC). Strings are ISO
 * 8601 / RFC 3339; one without an offset is taken as UTC, never as local time,
 * so that the result does not depend on the machine's TZ.
 */
export function toInstant(value: unknown): number | undefined {
  if (value instanceof Date) return inRange(value.getTime());
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (iso) {
    const [, day, time = '00:00:00', zone = 'Z'] = iso;
    const t = time.length === 5 ? `${time}:00` : time;
    const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    const when = Date.parse(`${day}T${t}${offset}`);
    return Number.isNaN(when) || !sameCalendarDay(day!, when, offset) ? undefined : inRange(when);
  }
  const stamp = /^\d{1,2}\/\d{1,2}\/\d{4}\s+\d{1,2}:\d{2}\s*[AP]M(\s+UTC)?$/i.exec(s);
  // As parseStamp() gives it: one space between the fields (`3:04PM` → `3:04 PM`).
  if (stamp) return parseUtc(s.replace(/\s+UTC$/i, '').toUpperCase().replace(/\s+/g, ' ').replace(/(\d)([AP]M)$/, '$1 $2'));
  return undefined;
}

/** Date.parse rolls 2024-02-31 over to March: refuse dates that do not exist. */
function sameCalendarDay(day: string, when: number, offset: string): boolean {
  const shift = offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(when + shift * 60_000).toISOString().slice(0, 10) === day;
}

function inRange(when: number): number | undefined {
  if (Number.isNaN(when)) return undefined;
  const year = new Date(when).getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR ? when : undefined;
}

/** The text after the closing fence, when the YAML between them cannot be read. */
function afterFence(text: string): string {
  const end = text.indexOf('\n---', 3);
  if (end === -1) return text;
  const next = text.indexOf('\n', end + 4);
  return next === -1 ? '' : text.slice(next + 1);
}

/** The value as written in the YAML (`date: 0000-01-01`), for messages. */
function rawValue(yaml: string, key: string): string | undefined {
  const match = new RegExp(`^${key}\\s*:\\s*(.+?)\\s*$`, 'm').exec(yaml);
  return match?.[1]?.replace(/^["']|["']$/g, '');
}
