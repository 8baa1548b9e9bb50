import path from 'node:path';
import v8 from 'node:v8';
import { replaceFile } from '../archive/cache.js';
import { readAhead } from '../archive/read-ahead.js';
import type { DateSource } from '../core/types.js';

// What the last build decided about every published article, kept beside the cache
// index: its id, date, tag groups and fingerprint, in path order, with the feeds'
// order; and what it counted of the tags. The next build settles ids and dates for
// the whole archive as always and tags from this tally (they are global: one spelling
// more can rename a tag, one file more can move an id; see articles/tags.ts retally),
// then compares each article with its record. An article that compares equal has the
// fingerprint recorded here, and a tag whose articles all compare equal (none added,
// changed or gone) has the same feeds, page and key as last time: neither is made
// again, nor are its twenty articles. At 40,000 articles this is what lets a
// one-article rebuild skip 40,000 fingerprints, 10,000 feed keys, 344,000 tags counted
// and the objects behind them.
//
// Columns in v8's format, like the index: no per-article object is made to read it.

const FORMAT = 'feedwright-plan/5';
const FILE = 'plan.v8';
const SOURCES: readonly DateSource[] = ['front-matter', 'stamp', 'git', 'mtime'];

export interface LastPlan {
  /** The cache index (and delta) saved with it (see BuildCache.loaded): the plan holds only with exactly that. */
  cache: string;
  /** Published articles, in path order (the order a build finds them in); the rest is by their number here. */
  files: string[];
  ids: string[];
  dates: Float64Array;
  sources: Uint8Array;
  fingerprints: string[];
  /** Each article's tag groups, as numbers into `groupKeys`, one article after the other; `groupEnds[i]` is where article i's end. */
  groupEnds: Uint32Array;
  groups: Uint32Array;
  /** The articles newest first (the feeds' order). */
  order: Uint32Array;
  /** Every tag group: its key (the folded spelling), how many articles carry it, its slug as articles show it (`groupSlugs`: '' without a page), and its feed's `updated` (NaN: no feed). */
  groupKeys: string[];
  groupCounts: Uint32Array;
  /** Every spelling and how many times the articles carry it, group after group, its name first (see articles/tags.ts TagTally). */
  spellings: string[];
  spellingUses: Uint32Array;
  spellingEnds: Uint32Array;
  /** Every tag group's slug before collisions, which its name alone makes (see articles/tags.ts assignSlugs). */
  groupBases: string[];
  groupSlugs: string[];
  groupUpdated: Float64Array;
}

export function sourceCode(source: DateSource): number {
  return SOURCES.indexOf(source);
}

export function sourceOf(code: number): DateSource {
  return SOURCES[code]!;
}

/** The plan's bytes, read ahead as the cache's index is (undefined: it cannot be read). */
export function prefetchPlan(dir: string): Promise<Buffer | undefined> {
  return readAhead(path.join(dir, FILE));
}

/** The plan saved with the cache `id`, or undefined (none, another, unreadable). */
export async function readPlan(id: string | undefined, bytes: Promise<Buffer | undefined>): Promise<LastPlan | undefined> {
  if (id === undefined) return undefined;
  try {
    const read = await bytes;
    if (!read) return undefined;
    const plan = v8.deserialize(read) as LastPlan & { format: string };
    return plan.format === FORMAT && plan.cache === id ? plan : undefined;
  } catch {
    return undefined;
  }
}

export async function writePlan(dir: string, plan: LastPlan): Promise<void> {
  await replaceFile(path.join(dir, FILE), v8.serialize({ format: FORMAT, ...plan }));
}
