import { foldWidthAndCase } from '../core/fold.js';

// "Did you mean" for a 404 on an unknown tag or topic, scored by character-bigram
// overlap (Dice coefficient) with a bonus for containment (`芯` → `芯片`,
// `chip` → `chips`). A large archive has 10,000 tags and a fresh isolate has
// 10 ms of CPU, so the tag list is never parsed whole nor scanned in JavaScript:
// `similarInJson` lets the engine's native `indexOf` find the entries of the
// raw `_meta/tagnames.json` text that share a bigram with the query, and only
// the few best of those are parsed and scored.

export interface Candidate {
  /** Shown to the reader. */
  name: string;
  slug: string;
}

/** Queries longer than this are cut: a 200-character tag is not a typo of a real one. */
const MAX_QUERY = 64;
const THRESHOLD = 0.4;
const SPACE = 32;

const slot = (a: number, b: number) => (a * 31 + b) & 4095;

/** ASCII case folding inline; the query is fully folded, names are NFC already. */
const lower = (ch: number) => (ch >= 65 && ch <= 90 ? ch + 32 : ch);

class Query {
  readonly grams = new Set<number>();
  readonly filter = new Uint8Array(4096);
  private readonly found: number[] = [];

  constructor(readonly text: string) {
    // Padded with spaces, so one-character names still have two bigrams.
    let prev = SPACE;
    for (let i = 0; i <= text.length; i++) {
      const ch = i < text.length ? text.charCodeAt(i) : SPACE;
      this.grams.add(prev * 65536 + ch);
      this.filter[slot(prev, ch)] = 1;
      prev = ch;
    }
  }

  score(text: string): number {
    const found = this.found;
    found.length = 0;
    let prev = SPACE;
    for (let i = 0; i <= text.length; i++) {
      const ch = i < text.length ? lower(text.charCodeAt(i)) : SPACE;
      // Each shared bigram counts once, so `9999` is no closer to `99` than `99` is.
      if (this.filter[slot(prev, ch)] === 1) {
        const gram = prev * 65536 + ch;
        if (this.grams.has(gram) && !found.includes(gram)) found.push(gram);
      }
      prev = ch;
    }
    if (found.length === 0) return 0;
    const dice = (2 * found.length) / (this.grams.size + text.length + 1);
    const folded = text.toLowerCase();
    if (folded === this.text) return 2;
    const q = this.text;
    const contains = folded.includes(q) || (q.length > 1 && q.includes(folded));
    return contains ? Math.max(dice, 0.5) + 0.25 : dice;
  }
}

/**
 * Up to `limit` candidates spelt like `query`, best first; among equals the
 * earlier candidate wins (callers pass tags most used first).
 */
export function similar<T extends Candidate>(query: string, candidates: Iterable<T>, limit = 5): T[] {
  const folded = foldWidthAndCase(query).slice(0, MAX_QUERY);
  if (!folded) return [];
  const q = new Query(folded);
  const best: { candidate: T; score: number }[] = [];
  for (const candidate of candidates) {
    let s = q.score(candidate.name);
    if (candidate.slug !== candidate.name) s = Math.max(s, q.score(candidate.slug));
    if (s < THRESHOLD) continue;
    if (best.length === limit && s <= best[limit - 1]!.score) continue;
    let i = best.length;
    while (i > 0 && best[i - 1]!.score < s) i--;
    best.splice(i, 0, { candidate, score: s });
    if (best.length > limit) best.pop();
  }
  return best.map((b) => b.candidate);
}

/** Entries of the raw list scored exactly, at most: the rest share fewer bigrams. */
const MAX_SCORED = 64;

export interface TagList {
  /** `_meta/tagnames.json` as served: `[["name","slug",count],…]`, most used first. */
  json: string;
  /** `json.toLowerCase()`, computed once per isolate. */
  lowered: string;
}

export function tagList(json: string): TagList {
  return { json, lowered: json.toLowerCase() };
}

/** `similar` over the raw JSON of `_meta/tagnames.json` (see TagList). */
export function similarInJson(query: string, list: TagList, limit = 5): Candidate[] {
  const { json, lowered } = list;
  // Lower-casing changed some lengths (e.g. U+0130): offsets would not line up.
  if (lowered.length !== json.length) {
    const all = (JSON.parse(json) as [string, string, number][]).map(([name, slug]) => ({ name, slug }));
    return similar(query, all, limit);
  }
  const folded = foldWidthAndCase(query).slice(0, MAX_QUERY);
  if (!folded) return [];
  // Inner bigrams (or the one character); none with a quote or backslash, which
  // the JSON text escapes.
  const needles = new Set<string>();
  if (folded.length === 1) needles.add(folded);
  for (let i = 0; i + 1 < folded.length; i++) needles.add(folded.slice(i, i + 2));
  // Bigrams shared, counted at each entry's offset: a typed array, not a Map,
  // because a common bigram hits thousands of entries on a cold isolate.
  const shared = new Uint8Array(json.length);
  const touched: number[] = [];
  let most = 0;
  for (const needle of needles) {
    if (needle.includes('"') || needle.includes('\\')) continue;
    let at = lowered.indexOf(needle, 2);
    while (at !== -1) {
      const start = lowered.lastIndexOf('["', at);
      const count = ++shared[start]!;
      if (count === 1) touched.push(start);
      if (count > most) most = count;
      // One count per entry and needle: go on from the next entry.
      const next = lowered.indexOf('["', at);
      if (next === -1) break;
      at = lowered.indexOf(needle, next);
    }
  }
  if (most === 0) return [];
  // The entries sharing most bigrams, earlier (more used) first among equals.
  const byCount: number[][] = Array.from({ length: most + 1 }, () => []);
  for (const start of Int32Array.from(touched).sort()) byCount[shared[start]!]!.push(start);
  const chosen: number[] = [];
  for (let count = most; count > 0 && chosen.length < MAX_SCORED; count--) {
    for (const start of byCount[count]!.slice(0, MAX_SCORED - chosen.length)) chosen.push(start);
  }
  chosen.sort((a, b) => a - b);
  const candidates: Candidate[] = [];
  for (const start of chosen) {
    const entry = parseEntry(json, start);
    if (entry) candidates.push(entry);
  }
  return similar(query, candidates, limit);
}

/** The `["name","slug",count]` entry starting at `start`; `]` may occur inside names. */
function parseEntry(json: string, start: number): Candidate | undefined {
  for (let end = json.indexOf(']', start); end !== -1; end = json.indexOf(']', end + 1)) {
    try {
      const [name, slug] = JSON.parse(json.slice(start, end + 1)) as [string, string, number];
      return typeof name === 'string' && typeof slug === 'string' ? { name, slug } : undefined;
    } catch {
      // A `]` inside the name or slug: try the next one.
    }
  }
  return undefined;
}
