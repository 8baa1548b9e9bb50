import type { CompiledTopic } from '../articles/topics.js';
import { matchTopics } from '../articles/topics.js';
import type { Config, RawArticle } from '../core/types.js';
import { sha256, type FileEntry } from './cache.js';
import { decodeFile } from './decode.js';
import type { SourceFile } from './discover.js';
import { readArticle } from './read.js';
import { Report } from './report.js';

// One article file's bytes → what the build cache keeps about it (metadata, the
// topics it matches, its problems) and its Markdown body. The same function runs on
// the main thread and in the worker threads (src/threads), so a build gives the same
// bytes whichever did the reading.

export interface ParsedFile {
  entry: FileEntry;
  /** The Markdown body, when the file is an article. */
  body?: string;
}

/** A file too large to read is reported without being read. */
export function oversized(source: SourceFile, config: Config): ParsedFile | undefined {
  if (source.bytes <= config.maxFileBytes) return undefined;
  return { entry: { ...baseOf(source), hash: '', problems: [['skipped', `larger than maxFileBytes (${source.bytes} > ${config.maxFileBytes} bytes)`]] } };
}

export function unreadable(source: SourceFile, error: unknown): ParsedFile {
  return { entry: { ...baseOf(source), hash: '', problems: [['skipped', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]] } };
}

/** `hashed`: the cache compares files by content hash; a --no-cache build skips it. */
export function parseFile(source: SourceFile, bytes: Uint8Array, topics: readonly CompiledTopic[], hashed: boolean): ParsedFile {
  const hash = hashed ? sha256(bytes) : '';
  const report = new Report();
  const raw = parseBytes(source.file, bytes, report);
  const entry: FileEntry = { ...baseOf(source), hash, problems: report.problems.map((p) => [p.level, p.reason]) };
  if (!raw) return { entry };
  const { body, ...meta } = raw;
  entry.raw = meta;
  entry.topics = matchTopics(topics, raw, body);
  return { entry, body };
}

export function parseBytes(file: string, bytes: Uint8Array, report: Report): RawArticle | undefined {
  const decoded = decodeFile(bytes);
  if ('skip' in decoded) {
    report.skip(file, decoded.skip);
    return undefined;
  }
  if (decoded.repaired) report.warn(file, decoded.repaired);
  return readArticle(file, decoded.text, report);
}

function baseOf(source: SourceFile): Pick<FileEntry, 'size' | 'mtimeMs' | 'topics'> {
  return { size: source.bytes, mtimeMs: source.mtimeMs, topics: [] };
}
