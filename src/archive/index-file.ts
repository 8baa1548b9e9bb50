import v8 from 'node:v8';
import type { ProblemLevel } from '../core/types.js';
import type { ArticleMade, ItemLocation } from '../site/item-reuse.js';
import type { GitDates } from './git-dates.js';
import type { FileEntry, OutputEntry, RawMeta } from './cache.js';

// The build cache's index on disk: columns, not 40,000 little objects. Serialized
// with v8 (the structured clone format), typed arrays are copied whole and plain
// string arrays nearly so: at 40,000 articles and 80,000 outputs the columns load in
// ~0.1 s and the entries are made from them in ~0.1 s more on a quiet machine (~0.3 s
// and ~0.25 s on the slower ones of 2026-12-02, the collector's share included), where
// the same index as JSON objects took ~0.8 s of a one-article rebuild. Tags are stored
// as numbers into a table of spellings: every article carrying `芯片` gets the same
// string back, so folding and grouping tags hash each spelling once.

export interface IndexFile {
  /** Names this index, for the delta written against it (see IndexDelta). */
  id: string;
  renderKey: string;
  files: ReadonlyMap<string, FileEntry>;
  outputs: ReadonlyMap<string, OutputEntry>;
  /** First-commit dates, and the folder and commit they are complete up to (see git-dates.ts). */
  gitDates: GitDates | undefined;
  folds: ReadonlyMap<string, string>;
  /** Where the last build wrote each article's feed items (see site/item-reuse.ts). */
  made: Map<string, ArticleMade>;
}

const FORMAT = 'feedwright-index/10';
const DELTA_FORMAT = 'feedwright-index-delta/4';
const DATE_SOURCES = [undefined, 'front-matter', 'stamp'] as const;
const NONE: readonly never[] = Object.freeze([]);

interface Columns {
  format: typeof FORMAT;
  id: string;
  renderKey: string;
  files: {
    names: string[];
    size: Float64Array;
    mtime: Float64Array;
    hash: string[];
    /** 1 when the file was parsed into an article, 0 when it was skipped. */
    parsed: Uint8Array;
    /**
     * Titles one after the other: an incremental build reads those of the few articles it
     * makes again, and 40,000 strings of their own were ~40 ms of deserializing (with the
     * collector's copying) on the machines of 2026-12-02.
     */
    title: Joined;
    date: Float64Array;
    dateSource: Uint8Array;
    updated: Float64Array;
    draft: Uint8Array;
    source: (string | undefined)[];
    id: (string | undefined)[];
    lang: (string | undefined)[];
    summary: (string | undefined)[];
    /**
     * Each file's list of authors, by its number in `authorLists` plus one (0: none). An
     * archive has few (29 lists among 34,000 articles in the bench's): each is stored and
     * made once, not deserialized as 34,000 strings and looked up again to be shared.
     */
    authorList: Uint32Array;
    authorLists: string[][];
    /** Tags and topics of every file one after the other; each file's count beside. */
    tagCount: Uint32Array;
    /** Tags as numbers into `spellings`: 344,000 of them at 40,000 articles, ~20,000 distinct. */
    tags: Uint32Array;
    spellings: string[];
    topicCount: Uint32Array;
    topics: Uint32Array;
    /** Only the files that had problems, by number. */
    problemFiles: Uint32Array;
    problems: (readonly (readonly [ProblemLevel, string])[])[];
  };
  outputs: { names: string[]; key: string[]; hash: string[]; bytes: Float64Array; modified: Float64Array };
  gitDates: { dir: string; commit: string; names: string[]; dates: Float64Array } | undefined;
  folds: { keys: string[]; values: string[] };
  made: {
    files: string[];
    /**
     * Fingerprints, summaries and digests as one string each, cut by their ends: an
     * incremental build reads the records of the few articles in the feeds it makes
     * again and carries the others over untouched, so that 17,000 fingerprints and
     * summaries, 51,000 digests and the item records as objects were ~90 ms of decoding
     * and collecting for nothing (see DecodedMade).
     */
    fingerprint: Joined;
    summary: Joined;
    /** Where each article's item locations end, one article after the other. */
    itemEnds: Uint32Array;
    /**
     * Into `keys`: an item's key names its format and content (`rss:full`, see
     * feeds/items.ts itemKey), a handful of strings for 51,000 items at 40,000
     * articles, each of which deserialized as a string of its own.
     */
    key: Uint32Array;
    keys: string[];
    /** Into `rels`: a feed holds the items of twenty articles. */
    rel: Uint32Array;
    rels: string[];
    offset: Float64Array;
    length: Float64Array;
    digest: Joined;
  };
}

/** Strings one after the other, and where each ends. */
interface Joined {
  text: string;
  ends: Uint32Array;
}

function joined(strings: readonly string[]): Joined {
  const ends = new Uint32Array(strings.length);
  let at = 0;
  strings.forEach((text, i) => (ends[i] = at += text.length));
  return { text: strings.join(''), ends };
}

/** Where entry `i` starts, given where each ends. */
function startOf(ends: Uint32Array, i: number): number {
  return i ? ends[i - 1]! : 0;
}

function cut(column: Joined, i: number): string {
  return column.text.slice(startOf(column.ends, i), column.ends[i]!);
}

/** `text`'s number in `table`, added at its end the first time (`index` finds it again). */
function numberOf(index: Map<string, number>, table: string[], text: string): number {
  let n = index.get(text);
  if (n === undefined) {
    index.set(text, (n = table.length));
    table.push(text);
  }
  return n;
}

export function encodeIndex(index: IndexFile): Buffer {
  return v8.serialize(toColumns(index));
}

/** The index, or undefined when the bytes are not one (an older format, a torn file). */
export function decodeIndex(bytes: Uint8Array): IndexFile | undefined {
  const columns = readColumns(bytes);
  return columns && fromColumns(columns);
}

/** The index's columns as deserialized, before its entries are made of them (see fromColumns). */
export type IndexColumns = Columns;

/**
 * The first half of decodeIndex (~0.3 s of the 0.55 s at 40,000 articles here): undefined
 * when the bytes are not an index. A build can do it while another thread stats the
 * archive, and make the entries only once it knows it has something to do.
 */
export function readColumns(bytes: Uint8Array): IndexColumns | undefined {
  let columns: Columns;
  try {
    columns = v8.deserialize(bytes) as Columns;
  } catch {
    return undefined;
  }
  return columns?.format === FORMAT ? columns : undefined;
}

/**
 * What changed since the index named `base`: the entries this build made anew (as
 * an index of their own) and the names of those it no longer has. A one-article
 * build writes this, ~25 KB, instead of the 30 MB index; the next build reads both.
 */
export interface IndexDelta {
  base: string;
  /** Names this delta (each save writes a new one): a build's stamp says which index and delta it saved. */
  id: string;
  /**
   * Entries this build made anew. Its `folds` are only the conversions the index lacks,
   * and its `gitDates` stand unless `gitDatesAsBase` (then the index's still do: most
   * builds see no new commit, and an archive in git has 40,000 dated paths).
   */
  changed: IndexFile;
  gitDatesAsBase?: boolean;
  removed: { files: string[]; outputs: string[]; made: string[] };
}

export function encodeDelta(delta: IndexDelta): Buffer {
  return v8.serialize({ format: DELTA_FORMAT, base: delta.base, id: delta.id, changed: toColumns(delta.changed), removed: delta.removed, gitDatesAsBase: delta.gitDatesAsBase === true });
}

export function decodeDelta(bytes: Uint8Array): IndexDelta | undefined {
  let raw: { format: string; base: string; id: string; changed: Columns; removed: IndexDelta['removed']; gitDatesAsBase: boolean };
  try {
    raw = v8.deserialize(bytes) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw?.format !== DELTA_FORMAT || raw.changed?.format !== FORMAT) return undefined;
  return { base: raw.base, id: raw.id, changed: fromColumns(raw.changed), removed: raw.removed, gitDatesAsBase: raw.gitDatesAsBase === true };
}

function toColumns(index: IndexFile): Columns {
  const names = [...index.files.keys()];
  const entries = [...index.files.values()];
  const n = entries.length;
  const files: Columns['files'] = {
    names,
    size: new Float64Array(n),
    mtime: new Float64Array(n),
    hash: new Array<string>(n),
    parsed: new Uint8Array(n),
    title: { text: '', ends: new Uint32Array(n) },
    date: new Float64Array(n).fill(Number.NaN),
    dateSource: new Uint8Array(n),
    updated: new Float64Array(n).fill(Number.NaN),
    draft: new Uint8Array(n),
    source: new Array(n).fill(undefined),
    id: new Array(n).fill(undefined),
    lang: new Array(n).fill(undefined),
    summary: new Array(n).fill(undefined),
    authorList: new Uint32Array(n),
    authorLists: [],
    tagCount: new Uint32Array(n),
    tags: new Uint32Array(entries.reduce((sum, e) => sum + (e.raw?.tags.length ?? 0), 0)),
    spellings: [],
    topicCount: new Uint32Array(n),
    topics: new Uint32Array(entries.reduce((sum, e) => sum + e.topics.length, 0)),
    problemFiles: new Uint32Array(entries.filter((e) => e.problems.length).length),
    problems: [],
  };
  let topicAt = 0;
  let tagAt = 0;
  const spelling = new Map<string, number>();
  const titles: string[] = new Array<string>(n).fill('');
  /** Each list of authors' number (plus one), by its JSON. */
  const authorList = new Map<string, number>();
  entries.forEach((entry, i) => {
    files.size[i] = entry.size;
    files.mtime[i] = entry.mtimeMs;
    files.hash[i] = entry.hash;
    files.topicCount[i] = entry.topics.length;
    for (const t of entry.topics) files.topics[topicAt++] = t;
    if (entry.problems.length) {
      files.problemFiles[files.problems.length] = i;
      files.problems.push(entry.problems);
    }
    const raw = entry.raw;
    if (!raw) return;
    files.parsed[i] = 1;
    titles[i] = raw.title;
    if (raw.date !== undefined) files.date[i] = raw.date;
    files.dateSource[i] = DATE_SOURCES.indexOf(raw.dateSource);
    if (raw.updated !== undefined) files.updated[i] = raw.updated;
    files.draft[i] = raw.draft ? 1 : 0;
    files.source[i] = raw.source;
    files.id[i] = raw.id;
    files.lang[i] = raw.lang;
    files.summary[i] = raw.summary;
    if (raw.authors.length) {
      const key = JSON.stringify(raw.authors);
      let k = authorList.get(key);
      if (k === undefined) authorList.set(key, (k = files.authorLists.push([...raw.authors])));
      files.authorList[i] = k;
    }
    files.tagCount[i] = raw.tags.length;
    for (const tag of raw.tags) files.tags[tagAt++] = numberOf(spelling, files.spellings, tag);
  });
  files.title = joined(titles);
  const outputNames = [...index.outputs.keys()];
  const outputs = [...index.outputs.values()];
  const git = index.gitDates;
  const dated = git ? [...git.dates.keys()] : [];
  const folded = [...index.folds.keys()];
  return {
    format: FORMAT,
    id: index.id,
    renderKey: index.renderKey,
    files,
    outputs: {
      names: outputNames,
      key: outputs.map((o) => o.key),
      hash: outputs.map((o) => o.hash),
      bytes: Float64Array.from(outputs, (o) => o.bytes),
      modified: Float64Array.from(outputs, (o) => o.modified),
    },
    gitDates: git && { dir: git.dir, commit: git.commit, names: dated, dates: Float64Array.from(git.dates.values()) },
    folds: { keys: folded, values: [...index.folds.values()] },
    made: encodeMade(index.made),
  };
}

/** The index from its columns, the second half of decodeIndex. Throws on columns that do not fit together. */
export function fromColumns(columns: Columns): IndexFile {
  const f = columns.files;
  const problems = new Map<number, readonly (readonly [ProblemLevel, string])[]>();
  f.problemFiles.forEach((i, k) => problems.set(i, f.problems[k]!));
  const files = new Map<string, FileEntry>();
  // Each list of authors made once, frozen, and shared by every article that has it.
  const authorLists = f.authorLists.map((list) => Object.freeze(list));
  let tagAt = 0;
  let topicAt = 0;
  const tagColumns: TagColumns = { tags: f.tags, spellings: f.spellings };
  for (let i = 0; i < f.names.length; i++) {
    const file = f.names[i]!;
    // Most files match no topic and have no problem, many have no author or tag: one
    // empty list serves them all (read only, and frozen).
    const topics = f.topicCount[i] ? Array.from(f.topics.subarray(topicAt, (topicAt += f.topicCount[i]!))) : NONE;
    let raw: RawMeta | undefined;
    if (f.parsed[i]) {
      raw = new CachedMeta(
        file,
        f.title,
        i,
        Number.isNaN(f.date[i]) ? undefined : f.date[i],
        DATE_SOURCES[f.dateSource[i]!],
        Number.isNaN(f.updated[i]) ? undefined : f.updated[i],
        f.authorList[i] ? authorLists[f.authorList[i]! - 1]! : NONE,
        f.source[i],
        f.id[i],
        f.draft[i] === 1,
        f.lang[i],
        f.summary[i],
        tagColumns,
        tagAt,
        f.tagCount[i]!,
      );
      tagAt += f.tagCount[i]!;
    }
    files.set(file, new DecodedFile(f.size[i]!, f.mtime[i]!, f.hash[i]!, raw, topics, problems.get(i) ?? NONE));
  }
  const outputs = new Map<string, OutputEntry>();
  const o = columns.outputs;
  for (let i = 0; i < o.names.length; i++) outputs.set(o.names[i]!, new DecodedOutput(o.key[i]!, o.hash[i]!, o.bytes[i]!, o.modified[i]!));
  const git = columns.gitDates;
  let gitDates: GitDates | undefined;
  if (git) {
    const dates = new Map<string, number>();
    for (let i = 0; i < git.names.length; i++) dates.set(git.names[i]!, git.dates[i]!);
    gitDates = { dir: git.dir, commit: git.commit, dates };
  }
  // A Map, not an object of 30,000 keys (which V8 keeps as a slow dictionary: ~20 ms to fill).
  const folds = new Map<string, string>();
  const values = columns.folds.values;
  columns.folds.keys.forEach((key, i) => folds.set(key, values[i]!));
  return { id: columns.id, renderKey: columns.renderKey, files, outputs, gitDates, folds, made: decodeMade(columns.made) };
}

/**
 * An entry as the index gave it back. A build takes over most entries as they are
 * (every unchanged file, every output kept), and the map of the next index
 * (cache.ts NextMap) notes that on the entry itself, not as one more Map entry of
 * its own: 120,000 Map insertions took ~50 ms of a one-article rebuild. The note
 * is a private field: not a property a spread, a comparison or the index copies.
 * One map at a time takes an entry over; another holds it as an entry of its own.
 */
export class Decoded {
  #takenBy = 0;

  /** The number of the map that took `entry` over: 0 for none, -1 for an entry not decoded. */
  static holder(entry: unknown): number {
    return entry instanceof Decoded ? entry.#takenBy : -1;
  }

  /** Notes (or, with 0, forgets) that the map numbered `map` takes `entry` over. */
  static take(entry: Decoded, map: number): void {
    entry.#takenBy = map;
  }
}

class DecodedFile extends Decoded implements FileEntry {
  constructor(
    readonly size: number,
    readonly mtimeMs: number,
    readonly hash: string,
    readonly raw: RawMeta | undefined,
    readonly topics: readonly number[],
    readonly problems: readonly (readonly [ProblemLevel, string])[],
  ) {
    super();
  }
}

class DecodedOutput extends Decoded implements OutputEntry {
  constructor(
    readonly key: string,
    readonly hash: string,
    readonly bytes: number,
    readonly modified: number,
  ) {
    super();
  }
}

interface TagColumns {
  tags: Uint32Array;
  spellings: string[];
}

/**
 * An article's metadata as the index holds it. Every field is set at once, absent
 * ones as undefined, in parsing's order (read.ts): 40,000 objects of one shape, none
 * grown afterwards into a property array of its own. Its title and tags are made from
 * the columns when asked for: an incremental build reads the titles of the few
 * articles it makes again, and the tags of the articles that changed or went (the last
 * plan has every other's tag groups, see site/last-plan.ts); making 344,000 tags into
 * 40,000 lists took ~40 ms of every such build. Beware: `title` and `tags` are
 * getters, not fields of their own, so a spread of it (`{ ...raw, body }`), JSON or a
 * structured clone has neither; code that needs them reads `raw.title` and `raw.tags`
 * (the columns are private fields, copied by none of these).
 */
class CachedMeta implements RawMeta {
  readonly #titles: Joined;
  readonly #row: number;
  readonly #columns: TagColumns;
  readonly #at: number;
  readonly #count: number;
  #tags: readonly string[] | undefined;

  constructor(
    readonly file: string,
    titles: Joined,
    row: number,
    readonly date: number | undefined,
    readonly dateSource: RawMeta['dateSource'],
    readonly updated: number | undefined,
    readonly authors: readonly string[],
    readonly source: string | undefined,
    readonly id: string | undefined,
    readonly draft: boolean,
    readonly lang: string | undefined,
    readonly summary: string | undefined,
    columns: TagColumns,
    at: number,
    count: number,
  ) {
    this.#titles = titles;
    this.#row = row;
    this.#columns = columns;
    this.#at = at;
    this.#count = count;
  }

  get title(): string {
    return cut(this.#titles, this.#row);
  }

  get tags(): readonly string[] {
    if (this.#tags === undefined) {
      const { tags, spellings } = this.#columns;
      this.#tags = this.#count ? Array.from(tags.subarray(this.#at, this.#at + this.#count), (k) => spellings[k]!) : NONE;
    }
    return this.#tags;
  }
}

function encodeMade(made: ReadonlyMap<string, ArticleMade>): Columns['made'] {
  const files: string[] = [];
  const fingerprints: string[] = [];
  const summaries: string[] = [];
  const itemEnds = new Uint32Array(made.size);
  const keys: string[] = [];
  const rels: string[] = [];
  const keyIndex = new Map<string, number>();
  const relIndex = new Map<string, number>();
  const key: number[] = [];
  const rel: number[] = [];
  const offset: number[] = [];
  const length: number[] = [];
  const digests: string[] = [];
  for (const [file, m] of made) {
    files.push(file);
    fingerprints.push(m.fingerprint);
    summaries.push(m.summary);
    for (const at of m.items) {
      key.push(numberOf(keyIndex, keys, at.key));
      rel.push(numberOf(relIndex, rels, at.rel));
      offset.push(at.offset);
      length.push(at.length);
      digests.push(at.digest);
    }
    itemEnds[files.length - 1] = key.length;
  }
  return {
    files,
    fingerprint: joined(fingerprints),
    summary: joined(summaries),
    itemEnds,
    key: Uint32Array.from(key),
    keys,
    rel: Uint32Array.from(rel),
    rels,
    offset: Float64Array.from(offset),
    length: Float64Array.from(length),
    digest: joined(digests),
  };
}

function decodeMade(m: Columns['made']): Map<string, ArticleMade> {
  const made = new Map<string, ArticleMade>();
  for (let i = 0; i < m.files.length; i++) made.set(m.files[i]!, new DecodedMade(m, i));
  return made;
}

/**
 * An article's record (site/item-reuse.ts) as the index gave it back: read from the
 * columns when asked for. A build asks for the fingerprint, summary and items of the
 * articles in the feeds it makes again; of the others, only whether they are
 * unchanged and their feeds kept (hasFingerprint, everyRelKept), which reads the
 * columns in place. Its items, once made, are the same list every time.
 */
class DecodedMade implements ArticleMade {
  readonly #columns: Columns['made'];
  readonly #row: number;
  #items: ItemLocation[] | undefined;

  constructor(columns: Columns['made'], row: number) {
    this.#columns = columns;
    this.#row = row;
  }

  get fingerprint(): string {
    return cut(this.#columns.fingerprint, this.#row);
  }

  get summary(): string {
    return cut(this.#columns.summary, this.#row);
  }

  get items(): ItemLocation[] {
    if (!this.#items) {
      const m = this.#columns;
      const items: ItemLocation[] = [];
      for (let at = startOf(m.itemEnds, this.#row); at < m.itemEnds[this.#row]!; at++) {
        items.push({ key: m.keys[m.key[at]!]!, rel: m.rels[m.rel[at]!]!, offset: m.offset[at]!, length: m.length[at]!, digest: cut(m.digest, at) });
      }
      this.#items = items;
    }
    return this.#items;
  }

  /** Whether the fingerprint is `print`, compared in place. */
  hasFingerprint(print: string | undefined): boolean {
    const { text, ends } = this.#columns.fingerprint;
    const start = startOf(ends, this.#row);
    return print !== undefined && print.length === ends[this.#row]! - start && text.startsWith(print, start);
  }

  /** Whether `kept` holds for the feed of every item, read in place. */
  everyRelKept(kept: (rel: string) => boolean): boolean {
    const m = this.#columns;
    for (let at = startOf(m.itemEnds, this.#row); at < m.itemEnds[this.#row]!; at++) if (!kept(m.rels[m.rel[at]!]!)) return false;
    return true;
  }
}
