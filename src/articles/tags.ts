import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { byCodePoint } from '../core/order.js';
import { foldWidthAndCase } from '../core/fold.js';
import type { RawArticle } from '../core/types.js';
import { fitBytes } from './fit-bytes.js';

// Spellings of one tag that differ only in script (中國/中国), width (ＡＩ/AI) or
// case (Ai/AI) are one tag: one feed, named by its most frequent spelling.
// OpenCC's character-level conversion (`t` → `cn`) folds the script without
// rewriting vocabulary (晶片 stays 晶片: that is a topic's job, not a tag's).

// Converters are built on first use (building the Simplified→Traditional one takes
// ~0.1 s) and every conversion is remembered: the build cache carries them over, so
// an incremental build converts only the spellings it has never seen, and most load
// no OpenCC at all. It is required then, not imported: its dictionaries were ~2.3 MB
// of each bundle (3.7 and 3.5 MB), and reading and compiling them cost every build
// 20–90 ms of start-up (the bundle leaves it in node_modules; see bin/bundle.mjs).
type OpenCCModule = typeof import('opencc-js');
let openCC: OpenCCModule | undefined;
const converter = (from: 'cn' | 't', to: 'cn' | 't') => (openCC ??= createRequire(import.meta.url)('opencc-js') as OpenCCModule).Converter({ from, to });
let simplify: ((text: string) => string) | undefined;
let traditionalize: ((text: string) => string) | undefined;
const conversions = { f: new Map<string, string>(), s: new Map<string, string>(), t: new Map<string, string>() };
/** Conversions made since the last newConversions(), for the cache (under `kind:text`). */
let fresh = new Map<string, string>();
/** Where remembered conversions are looked up (see seedConversions). */
let remembered: ((key: string) => string | undefined) | undefined;

function converted(kind: 'f' | 's' | 't', text: string): string {
  const memo = conversions[kind];
  const known = memo.get(text);
  if (known !== undefined) return known;
  const seeded = remembered?.(`${kind}:${text}`);
  if (seeded !== undefined) {
    memo.set(text, seeded);
    return seeded;
  }
  let out: string;
  if (kind === 't') out = (traditionalize ??= converter('cn', 't'))(text);
  else {
    const toCn = (simplify ??= converter('t', 'cn'));
    out = kind === 'f' ? toCn(foldWidthAndCase(text)) : toCn(text);
  }
  memo.set(text, out);
  fresh.set(`${kind}:${text}`, out);
  return out;
}

const toSimplified = (text: string) => converted('s', text);
const toTraditional = (text: string) => converted('t', text);

/**
 * Conversions remembered from earlier builds (30,000 at 40,000 articles), looked up by
 * `kind:text` when one is first needed, or none. Looked up, not copied into the memos:
 * an incremental build converts the tags of the articles that changed, and copying
 * every remembered one first cost it ~20 ms. Conversions depend only on the code, so
 * a lookup set by an earlier build in this process is never wrong, only replaced.
 */
export function seedConversions(lookup: ((key: string) => string | undefined) | undefined): void {
  remembered = lookup;
}

/**
 * The conversions made since this was last asked (not those seeded): what the cache
 * lacks. Only these, not a copy of every conversion known, which cost a one-article
 * rebuild ~25 ms.
 */
export function newConversions(): Map<string, string> {
  const out = fresh;
  fresh = new Map();
  return out;
}

/** The key under which spellings of one tag meet. */
export function foldTag(tag: string): string {
  return converted('f', tag);
}

export interface TagGroup {
  key: string;
  /** The most frequent spelling (ties: the first in code-point order). */
  name: string;
  slug: string;
  /** Every other spelling seen, sorted. */
  aliases: string[];
  /** Articles carrying any spelling of it. */
  count: number;
  /** Its place in its index's `groups` (most used first): a number for it where a Map would cost a lookup per article and tag. */
  rank: number;
}

export interface TagIndex {
  groups: TagGroup[];
  byKey: Map<string, TagGroup>;
  /** Each article's groups (in the order of the articles given), once each, in the order of its first spelling of each. */
  ofArticle: ArticleGroups;
  /**
   * Folded spellings the worker can look up (see core/fold.ts) → slug: made when first
   * asked for, as a build that keeps the worker's tag files (no tag renamed, none
   * new, none gone) does not ask (the conversions of 20,000 spellings: ~15 ms).
   */
  lookup: () => ReadonlyMap<string, string>;
  /** The most entries `lookup()` can have, told without making it. */
  lookupBound: number;
  /** A digest of all `lookup()` is made from: each group's name, aliases and slug, in the order of their keys. */
  lookupDigest: string;
  /**
   * What was counted, for the next build's retally() (see site/last-plan.ts): every
   * group's spellings and their uses, and its slug as its name alone makes it, before
   * two can collide (see assignSlugs). Made when first asked for (a build without the
   * cache never asks).
   */
  tally: () => TagTally;
}

/**
 * Each article's tag groups by rank (TagGroup.rank), article after article: 344,000
 * numbers at 40,000 articles in two typed arrays. As 40,000 lists of groups they
 * cost every incremental build their making from the last plan, and the collector
 * their copying, ~40 ms; most articles' groups are only counted and run through.
 */
export class ArticleGroups {
  constructor(
    /** The index's groups, by rank. */
    readonly groups: readonly TagGroup[],
    /** Where each article's ranks end in `ranks`. */
    readonly ends: Uint32Array,
    readonly ranks: Uint32Array,
  ) {}

  /** Where article `i`'s ranks start in `ranks` (they end at `ends[i]`). */
  start(i: number): number {
    return i ? this.ends[i - 1]! : 0;
  }

  count(i: number): number {
    return this.ends[i]! - this.start(i);
  }

  /** Article `i`'s groups as a list, made anew: for the few articles made into items and pages. */
  of(i: number): TagGroup[] {
    const list: TagGroup[] = [];
    for (let k = this.start(i); k < this.ends[i]!; k++) list.push(this.groups[this.ranks[k]!]!);
    return list;
  }

  has(i: number, group: TagGroup): boolean {
    for (let k = this.start(i); k < this.ends[i]!; k++) if (this.ranks[k] === group.rank) return true;
    return false;
  }

  /** How many article tags there are in all. */
  get total(): number {
    return this.ends.length ? this.ends[this.ends.length - 1]! : 0;
  }
}

/** Merge every article's spellings into groups, name them and give each a safe slug. */
export function indexTags(articles: readonly Pick<RawArticle, 'tags'>[]): TagIndex {
  // One map lookup per tag an article carries (344,000 of them at 40,000 articles):
  // each distinct spelling is folded once and counts its own uses; groups are numbered.
  const seen = new Map<string, { uses: number; group: number }>();
  const groupOfKey = new Map<string, number>();
  const keys: string[] = [];
  const counts: number[] = [];
  const inArticle: number[] = [];
  /** Every article's group numbers one after the other, and where each article's end. */
  const flat: number[] = [];
  const ends = new Uint32Array(articles.length);
  for (const [a, article] of articles.entries()) {
    inArticle.length = 0;
    for (const tag of article.tags) {
      let spelling = seen.get(tag);
      if (!spelling) {
        const key = foldTag(tag);
        let group = groupOfKey.get(key);
        if (group === undefined) {
          groupOfKey.set(key, (group = keys.length));
          keys.push(key);
          counts.push(0);
        }
        seen.set(tag, (spelling = { uses: 0, group }));
      }
      spelling.uses++;
      // An article counts once per group, however many of its spellings it carries.
      if (!inArticle.includes(spelling.group)) inArticle.push(spelling.group);
    }
    for (const group of inArticle) {
      counts[group]!++;
      flat.push(group);
    }
    ends[a] = flat.length;
  }
  const forms: [string, number][][] = keys.map(() => []);
  seen.forEach((spelling, tag) => forms[spelling.group]!.push([tag, spelling.uses]));
  const numbered = keys.map((key, i) => named(key, forms[i]!, counts[i]!));
  const index = finished(numbered);
  // Read off the numbers counted above: no second lookup of 344,000 spellings by the build.
  const ofArticle = new ArticleGroups(index.groups, ends, Uint32Array.from(flat, (n) => numbered[n]!.group.rank));
  return { ...index, ofArticle };
}

/**
 * A group as counted: the uses of its name and then of each alias in their order,
 * from `uses[at]` on (a tally's column, or a list of its own: a view of the column
 * for each of 10,000 groups cost more than the rest of its making); and its slug
 * before collisions, when an earlier build made it (see assignSlugs).
 */
interface Counted {
  group: TagGroup;
  uses: ArrayLike<number>;
  at: number;
  base?: string;
}

/** A group named by its spellings and their uses: the most used (ties: the first in code-point order); the others are its aliases. */
function named(key: string, forms: [string, number][], count: number): Counted {
  const ranked = forms.sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
  // Spellings are distinct: ordered as their strings are.
  const others = ranked.slice(1).sort((a, b) => byCodePoint(a[0], b[0]));
  return { group: { key, name: ranked[0]![0], slug: '', aliases: others.map(([s]) => s), count, rank: -1 }, uses: [ranked[0]![1], ...others.map(([, n]) => n)], at: 0 };
}

/** The groups in their order (most articles first, then by name), with their slugs, and looked up by key and by spelling. */
function finished(numbered: readonly Counted[]): Omit<TagIndex, 'ofArticle'> {
  // Names are spellings, and a spelling is of one group only: the order is total.
  const counted = [...numbered].sort((a, b) => b.group.count - a.group.count || byCodePoint(a.group.name, b.group.name));
  const groups = counted.map((c, n) => {
    c.group.rank = n;
    return c.group;
  });
  const bases = assignSlugs(groups, (rank) => counted[rank]!.base);
  let lookup: Map<string, string> | undefined;
  // lookupKeys() adds at most a group's name, aliases and slug, and each name's and alias's two script conversions.
  let bound = 0;
  for (const g of groups) bound += 4 + 3 * g.aliases.length;
  // The lookup is made from the groups in the order of their keys, not of their use: an
  // article that only moves tags up or down by count (most additions and deletions) leaves
  // it, its digest and its files as they were (made again, ~50–110 ms at 10,000 tags).
  const byKeyOrder = [...groups].sort((a, b) => byCodePoint(a.key, b.key));
  let tally: TagTally | undefined;
  return {
    groups,
    byKey: new Map(groups.map((g) => [g.key, g])),
    lookup: () => (lookup ??= lookupKeys(byKeyOrder)),
    lookupBound: bound,
    lookupDigest: createHash('sha256')
      .update(JSON.stringify(byKeyOrder.map((g) => [g.name, g.slug, g.aliases])))
      .digest('hex'),
    tally: () => (tally ??= tallied(counted, bases)),
  };
}

/** The tally of groups counted (in rank order) and their slugs before collisions. */
function tallied(counted: readonly Counted[], bases: readonly string[]): TagTally {
  const ends = new Uint32Array(counted.length);
  let total = 0;
  counted.forEach((c, n) => (ends[n] = total += 1 + c.group.aliases.length));
  const spellings: string[] = [];
  const uses = new Uint32Array(total);
  let to = 0;
  for (const { group, uses: of, at } of counted) {
    spellings.push(group.name, ...group.aliases);
    for (let k = 0; k <= group.aliases.length; k++) uses[to++] = of[at + k]!;
  }
  return { keys: counted.map((c) => c.group.key), counts: Uint32Array.from(counted, (c) => c.group.count), spellings, uses, ends, bases };
}

/** What indexTags() counted (TagIndex.tally), as the last build's plan keeps it (see site/last-plan.ts) and retally() takes it back. */
export interface TagTally {
  /** Every group's key and how many articles carry it. */
  keys: readonly string[];
  counts: Uint32Array;
  /** Every spelling and its uses, group after group; `ends[n]` is where group n's end. */
  spellings: readonly string[];
  uses: Uint32Array;
  ends: Uint32Array;
  /** Each group's slug before collisions (its name, the first of its spellings, alone makes it). */
  bases: readonly string[];
}

/**
 * The tag index of an archive that differs from the one `last` counted only by the
 * articles `gone` (their tags as counted then) and `came` (their tags now): the
 * groups, names, slugs, lookup and tally indexTags() gives for the whole archive,
 * without counting again the tags of every article that did not change (344,000 at
 * 40,000 articles). Only the groups those articles' spellings fold into are named
 * again; every other keeps the name, aliases, uses and slug the tally gives it (made
 * again from maps of every spelling, 10,000 groups took ~140 ms of a one-article
 * rebuild). Each article's groups are the caller's to give (ofArticle).
 */
export function retally(last: TagTally, gone: readonly (readonly string[])[], came: readonly (readonly string[])[]): Omit<TagIndex, 'ofArticle'> {
  const at = new Map<string, number>();
  for (let n = 0; n < last.keys.length; n++) at.set(last.keys[n]!, n);
  const counts = Array.from(last.counts);
  /** Articles gained or lost by groups new to the tally. */
  const added = new Map<string, number>();
  /** Uses gained or lost by each spelling of the articles, and its group's key (a spelling folds to the key it was counted under). */
  const changed = new Map<string, { key: string; by: number }>();
  const count = (tags: readonly string[], by: number) => {
    // An article counts once per group, however many of its spellings it carries.
    const keys = new Set<string>();
    for (const tag of tags) {
      let spelling = changed.get(tag);
      if (!spelling) changed.set(tag, (spelling = { key: foldTag(tag), by: 0 }));
      spelling.by += by;
      keys.add(spelling.key);
    }
    for (const key of keys) {
      const n = at.get(key);
      if (n !== undefined) counts[n]! += by;
      else added.set(key, (added.get(key) ?? 0) + by);
    }
  };
  for (const tags of gone) count(tags, -1);
  for (const tags of came) count(tags, 1);
  /** The spellings of the articles, by their group's key: those groups are named again. */
  const touched = new Map<string, string[]>();
  changed.forEach(({ key }, tag) => {
    const list = touched.get(key);
    if (list) list.push(tag);
    else touched.set(key, [tag]);
  });
  const numbered: Counted[] = [];
  for (let n = 0, start = 0; n < last.keys.length; start = last.ends[n++]!) {
    const key = last.keys[n]!;
    const end = last.ends[n]!;
    if (counts[n]! <= 0) continue;
    const spellings = touched.get(key);
    // The tally lists a group's name first, then its aliases in their order.
    const name = last.spellings[start]!;
    if (!spellings) {
      numbered.push({ group: { key, name, slug: '', aliases: last.spellings.slice(start + 1, end), count: counts[n]!, rank: -1 }, uses: last.uses, at: start, base: last.bases[n] });
      continue;
    }
    const forms: [string, number][] = [];
    for (let s = start; s < end; s++) {
      const spelling = last.spellings[s]!;
      const uses = last.uses[s]! + (changed.get(spelling)?.by ?? 0);
      if (uses > 0) forms.push([spelling, uses]);
    }
    // And the spellings new to it.
    for (const spelling of spellings) {
      const { by } = changed.get(spelling)!;
      let known = false;
      for (let s = start; s < end && !known; s++) known = last.spellings[s] === spelling;
      if (by > 0 && !known) forms.push([spelling, by]);
    }
    const counted = named(key, forms, counts[n]!);
    // The slug its name made then, while it has that name (no other group can have had it: a spelling folds to one key).
    if (counted.group.name === name) counted.base = last.bases[n];
    numbered.push(counted);
  }
  added.forEach((n, key) => {
    if (n <= 0) return;
    const forms: [string, number][] = [];
    for (const spelling of touched.get(key)!) {
      const { by } = changed.get(spelling)!;
      if (by > 0) forms.push([spelling, by]);
    }
    numbered.push(named(key, forms, n));
  });
  return finished(numbered);
}

const SAFE_SLUG = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}_-]*$/u;
const MAX_SLUG_BYTES = 100;

/**
 * The tag itself when it is safe in a path and a URL (`芯片` stays `芯片`,
 * `AI` → `ai`, spaces → `-`); otherwise, or when two tags would share a folder,
 * a readable slug plus a short hash of the name. Slugs never contain `/`, `\`,
 * `.` or control characters, so they cannot leave `tags/`. Returns each group's slug
 * before two can collide (`known`: that of the group of a rank, from an earlier build).
 */
export function assignSlugs(groups: TagGroup[], known?: (rank: number) => string | undefined): string[] {
  /** Each name's slug before two can collide: the plain one, else readable-plus-hash. */
  const bases: string[] = [];
  /** The groups wanting each slug (lower case): one, or a list when they collide. */
  const wanted = new Map<string, TagGroup | TagGroup[]>();
  groups.forEach((group, rank) => {
    group.slug = known?.(rank) ?? plainSlug(group.name) ?? hashedSlug(group.name);
    bases.push(group.slug);
    const lower = group.slug.toLowerCase();
    const other = wanted.get(lower);
    if (other === undefined) wanted.set(lower, group);
    else if (Array.isArray(other)) other.push(group);
    else wanted.set(lower, [other, group]);
  });
  const taken = new Set<string>();
  for (const [slug, list] of wanted) if (!Array.isArray(list)) taken.add(slug);
  for (const list of wanted.values()) {
    if (!Array.isArray(list)) continue;
    for (const group of list) {
      let slug = hashedSlug(group.name);
      for (let n = 2; taken.has(slug.toLowerCase()); n++) slug = hashedSlug(`${group.name}#${n}`);
      group.slug = slug;
      taken.add(slug.toLowerCase());
    }
  }
  return bases;
}

export function plainSlug(name: string): string | undefined {
  const slug = name.normalize('NFC').toLowerCase().replace(/\s+/g, '-');
  if (!SAFE_SLUG.test(slug) || Buffer.byteLength(slug) > MAX_SLUG_BYTES) return undefined;
  return slug;
}

export function hashedSlug(name: string): string {
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const readable = fitBytes(
    name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, ''),
    60,
  ).replace(/^[\p{M}_-]+|-+$/gu, '');
  return readable ? `${readable}-${hash}` : `tag-${hash}`;
}

/**
 * Every folded spelling (and its other script) → slug, for the worker's 301s. Two
 * tags can claim one key only through a slug or a script conversion (their spellings
 * fold apart, or they would be one tag): the first in `groups` wins.
 */
function lookupKeys(groups: readonly TagGroup[]): Map<string, string> {
  const lookup = new Map<string, string>();
  const add = (spelling: string, slug: string) => {
    const key = foldWidthAndCase(spelling);
    if (key && !lookup.has(key)) lookup.set(key, slug);
  };
  // Spellings actually seen first, so that a script conversion never shadows a real tag.
  for (const g of groups) for (const s of [g.name, ...g.aliases, g.slug]) add(s, g.slug);
  for (const g of groups) {
    for (const s of [g.name, ...g.aliases]) {
      add(toSimplified(s), g.slug);
      add(toTraditional(s), g.slug);
    }
  }
  return lookup;
}
