import type { TagIndex } from '../articles/tags.js';
import { bucketName, bucketOf, fnv1a } from '../core/bucket.js';
import type { Config, TagBucket, TagNames, WorkerSite } from '../core/types.js';
import type { Output, WrittenFile } from './output.js';

// The worker must answer in well under 10 ms of CPU even on a fresh isolate and a
// 40,000-article archive, so it never parses the multi-megabyte manifest: it reads
// `_meta/site.json` (tiny) and then one bucket of a few KB for the path it serves.

const KEYS_PER_BUCKET = 256;

/** A file's line in the lookup: its hash (the ETag) and Last-Modified (epoch ms of the newest item in it). */
export interface PathLine {
  hash: string;
  modified: number;
}

/**
 * How the build lets unchanged path buckets be kept: the URL paths it rendered
 * this build or no longer has, and its keep and record for a keyed file.
 */
export interface MetaReuse {
  changed: Iterable<string>;
  keep(rel: string, key: string): boolean;
  wrote(rel: string, key: string, file: WrittenFile): void;
  /** A digest of `tagNames` (the build has one: its pages are keyed by it). */
  namesKey: string;
}

export function writeWorkerMeta(
  output: Output,
  config: Config,
  /** Output path (without the leading `/` of its URL path) → its line; the lookup's own files (`_meta/`) are passed over. */
  lines: ReadonlyMap<string, PathLine>,
  /** The tag lookup (TagIndex.lookup), made only when its files are (see TagIndex). */
  tags: Pick<TagIndex, 'lookup' | 'lookupBound' | 'lookupDigest'>,
  tagNames: TagNames,
  reuse?: MetaReuse,
): void {
  // The lookup's size counts only when it may be the larger.
  const keys = Math.max(lines.size, lines.size >= tags.lookupBound ? 0 : tags.lookup().size);
  const buckets = Math.min(4096, Math.max(1, Math.ceil(keys / KEYS_PER_BUCKET)));
  const site: WorkerSite = {
    version: 1,
    title: config.title,
    url: config.siteUrl,
    language: config.language,
    buckets,
    pages: config.articlePages,
    maxAge: config.maxAge,
    staleWhileRevalidate: config.staleWhileRevalidate,
    topics: config.topics.map((t) => [t.slug, t.title]),
  };
  // Recorded like every other file (key '': made every build), so that the cache lists all the output holds.
  const siteFile = output.write('_meta/site.json', JSON.stringify(site));
  reuse?.wrote('_meta/site.json', '', siteFile);
  // A bucket none of whose paths changed (with as many buckets as before) is the
  // last build's file again: kept, not made.
  const dirty = new Set<number>();
  for (const p of reuse?.changed ?? []) dirty.add(bucketOf(p, buckets));
  const key = `paths:${buckets}`;
  const made: boolean[] = [];
  for (let i = 0; i < buckets; i++) made.push(!(reuse && !dirty.has(i) && reuse.keep(`_meta/paths/${bucketName(i)}.json`, key)));
  // Only the lines of buckets made again are gathered (the URL path is `/` + the file's path).
  const slash = fnv1a('/');
  const byBucket: string[][] = Array.from({ length: buckets }, () => []);
  lines.forEach((_, rel) => {
    // The buckets kept above are in `lines` by now (the cache's next outputs): the lookup does not list itself.
    if (rel.startsWith('_meta/')) return;
    const i = fnv1a(rel, slash) % buckets;
    if (made[i]) byBucket[i]!.push(rel);
  });
  byBucket.forEach((list, i) => {
    if (!made[i]) return;
    const rel = `_meta/paths/${bucketName(i)}.json`;
    // Each bucket sorted: pages written as the worker threads finish them arrive in
    // no fixed order. Written as text directly: the same bytes as JSON.stringify of a
    // PathBucket (core/types.ts; its keys are paths, never integer-like, so they keep
    // this order), without building 80,000 object properties first.
    const entries = list.sort().map((p) => {
      const line = lines.get(p)!;
      return `${JSON.stringify(`/${p}`)}:[${JSON.stringify(line.hash)},${Math.floor(line.modified / 1000)}]`;
    });
    const file = output.write(rel, `{${entries.join(',')}}`);
    reuse?.wrote(rel, key, file);
  });
  // The tag lookup and the tag list change only when a tag does (a spelling, a slug,
  // a count): otherwise the last build's files are kept, not made (~30 ms at 10,000 tags).
  const tagsKey = reuse && `tags:${buckets}:${tags.lookupDigest}`;
  const tagRel = (i: number) => `_meta/tags/${bucketName(i)}.json`;
  const tagsMade: boolean[] = [];
  for (let i = 0; i < buckets; i++) tagsMade.push(!(tagsKey && reuse!.keep(tagRel(i), tagsKey)));
  if (tagsMade.includes(true)) {
    const tagBuckets: TagBucket[] = Array.from({ length: buckets }, () => ({}));
    for (const [key, slug] of tags.lookup()) tagBuckets[bucketOf(key, buckets)]![key] = slug;
    tagBuckets.forEach((b, i) => {
      if (!tagsMade[i]) return;
      const file = output.write(tagRel(i), JSON.stringify(b));
      if (tagsKey) reuse!.wrote(tagRel(i), tagsKey, file);
    });
  }
  const namesKey = reuse && `names:${reuse.namesKey}`;
  if (!(namesKey && reuse!.keep('_meta/tagnames.json', namesKey))) {
    const file = output.write('_meta/tagnames.json', JSON.stringify(tagNames));
    if (namesKey) reuse!.wrote('_meta/tagnames.json', namesKey, file);
  }
}
