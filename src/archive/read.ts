import type { RawArticle } from '../core/types.js';
import { hasNonXmlChars, stripNonXmlChars } from '../core/xmlchars.js';
import { hasFrontMatter, readFrontMatter, type FrontMatter } from './frontmatter.js';
import { parseHeader } from './header.js';
import type { Report } from './report.js';
import { parseStamp } from './stamp.js';
import { cleanTag } from './tagtext.js';
import { wikiTags } from './wikilinks.js';

/**
 * One file's text (LF line endings) → a RawArticle, or undefined when nothing
 * publishable is in it. Every repair and every skip is reported with the file.
 */
export function readArticle(file: string, input: string, report: Report): RawArticle | undefined {
  let text = input;
  if (hasNonXmlChars(text)) {
    text = stripNonXmlChars(text);
    report.warn(file, 'removed characters that XML 1.0 forbids or discourages (control characters, U+FFFE/U+FFFF, lone surrogates)');
  }

  let fm: FrontMatter | undefined;
  let content = text;
  if (hasFrontMatter(text)) {
    const result = readFrontMatter(text);
    content = result.content;
    if (result.ok) {
      fm = result.data;
      for (const problem of result.problems) report.warn(file, problem);
    } else if (parseHeader(content).recognised) {
      report.warn(file, `${result.error}; read as the archive format without it`);
    } else {
      report.skip(file, result.error);
      return undefined;
    }
  }

  const header = parseHeader(content);
  let body = header.body;
  const stamp = header.stamp !== undefined ? parseStamp(header.stamp) : {};
  if (stamp.invalidDate) report.warn(file, `unparseable stamp date "${stamp.invalidDate}"; using the fallback date`);

  let title = fm?.title ?? header.title;
  if (!title) {
    const found = titleFromBody(body);
    if (found) {
      title = found.title;
      body = found.body;
      report.warn(file, 'no title; used the first line of the body');
    }
  }
  const hasBody = body.trim() !== '';
  if (!title && !hasBody) {
    report.skip(file, 'no title and no body');
    return undefined;
  }
  if (!title) {
    title = file.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
    report.warn(file, 'no title; used the file name');
  }
  if (!hasBody) report.warn(file, 'no body; published with its title, date and source link');

  let date: number | undefined;
  let dateSource: RawArticle['dateSource'];
  if (fm?.date !== undefined) {
    date = fm.date;
    dateSource = 'front-matter';
  } else if (stamp.date !== undefined) {
    date = stamp.date;
    dateSource = 'stamp';
  }

  const tags: string[] = [];
  const seen = new Set<string>();
  for (const raw of [...(fm?.tags ?? []), ...wikiTags(body)]) {
    const verdict = cleanTag(raw);
    if ('dropped' in verdict) {
      report.warn(file, `dropped tag "${preview(raw)}": it ${verdict.dropped}`);
    } else if (!seen.has(verdict.tag)) {
      seen.add(verdict.tag);
      tags.push(verdict.tag);
    }
  }

  const authors = fm?.authors.length ? fm.authors : stamp.author ? [stamp.author] : [];
  const source = absoluteUrl(fm?.source ?? header.source);
  if ((fm?.source ?? header.source) && !source) report.warn(file, `source "${preview(fm?.source ?? header.source ?? '')}" is not an http(s) URL; dropped`);
  return {
    file,
    title,
    date,
    dateSource,
    updated: fm?.updated,
    authors,
    tags,
    source,
    id: fm?.id,
    draft: fm?.draft ?? false,
    lang: fm?.lang,
    summary: fm?.summary,
    body,
  };
}

/** The first heading, else the first line, of a body with no title. */
function titleFromBody(body: string): { title: string; body: string } | undefined {
  const lines = body.split('\n');
  const at = lines.findIndex((l) => l.trim() !== '');
  if (at === -1) return undefined;
  const line = lines[at]!.trim();
  const heading = /^#{1,6}\s+(.+?)\s*#*$/.exec(line);
  const title = (heading ? heading[1]! : line)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!title) return undefined;
  const short = [...title].length > 120 ? `${[...title].slice(0, 119).join('')}…` : title;
  // A heading used as the title leaves the body; a plain first line stays in it.
  return { title: short, body: heading ? lines.slice(at + 1).join('\n') : body };
}

function preview(raw: string): string {
  const chars = [...raw.replace(/\s+/g, ' ')];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
}

/** An absolute http(s) URL, normalized (non-ASCII percent-encoded), or undefined. */
function absoluteUrl(raw: string | undefined): string | undefined {
  if (!raw || !/^https?:\/\//i.test(raw.trim())) return undefined;
  try {
    return new URL(raw.trim()).href;
  } catch {
    return undefined;
  }
}
