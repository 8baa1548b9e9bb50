import { foldWidthAndCase } from '../core/fold.js';

// "Did you mean" for a 404 on an unknown tag or topic. It runs over every tag
// (10,000 on a large archive) inside the Free plan's 10 ms of CPU, so it is one
// pass of character-bigram overlap (Dice coefficient) that allocates nothing per
// candidate: a 4,096-slot filter rejects most bigrams before the exact set is
// asked, and only candidates sharing a bigram are checked for containment
// (`芯` → `芯片`, `chip` → `chips`).

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
