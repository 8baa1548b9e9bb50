import type { FileHashes } from './output.js';

// What the idle generation holds, told without reading its state file (80,000 paths,
// ~0.1 s to decode on every incremental build): it is the live generation, which the
// build cache describes, but for the few files the last build changed. The last build
// records those differences in its stamp (see build.ts); this answers as the Map the
// state file would have given.

/** A file's hash in a generation, and every path it holds. */
export interface Hashes {
  get(rel: string): string | undefined;
  keys(): Iterable<string>;
}

/** `live`, but where `differs` says otherwise (null: the other generation lacks the file). */
export class GenerationView implements FileHashes {
  private count: number | undefined;

  constructor(
    private readonly live: Hashes,
    private readonly differs: ReadonlyMap<string, string | null>,
  ) {}

  get(rel: string): string | undefined {
    const other = this.differs.get(rel);
    if (other !== undefined) return other ?? undefined;
    return this.live.get(rel);
  }

  has(rel: string): boolean {
    return this.get(rel) !== undefined;
  }

  *keys(): IterableIterator<string> {
    for (const rel of this.live.keys()) if (this.differs.get(rel) !== null) yield rel;
    for (const [rel, hash] of this.differs) if (hash !== null && this.live.get(rel) === undefined) yield rel;
  }

  get size(): number {
    if (this.count === undefined) {
      this.count = 0;
      for (const _ of this.keys()) this.count++;
    }
    return this.count;
  }
}

/**
 * Where `older` and `newer` differ: each path whose hash is not the same in both,
 * with its hash in `older` (null when `older` lacks it). Only the paths in `among`
 * are looked at: the caller knows every other one is the same in both (a build knows
 * which files it made and which it no longer has), which spares a look at each of
 * 80,000 paths. Undefined past `limit` differences: a view of that many is not
 * worth keeping.
 */
export function differencesAmong(older: Pick<Hashes, 'get'>, newer: Pick<Hashes, 'get'>, among: Iterable<string>, limit: number): [string, string | null][] | undefined {
  const out: [string, string | null][] = [];
  for (const rel of among) {
    const hash = older.get(rel);
    if (hash !== newer.get(rel)) out.push([rel, hash ?? null]);
    if (out.length > limit) return undefined;
  }
  return out;
}
