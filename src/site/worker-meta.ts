import { bucketName, bucketOf } from '../core/bucket.js';
import type { Config, TagBucket, TagNames, WorkerSite } from '../core/types.js';
import type { Output } from './output.js';

// The worker must answer in well under 10 ms of CPU even on a fresh isolate and a
// 40,000-article archive, so it never parses the multi-megabyte manifest: it reads
// `_meta/site.json` (tiny) and then one bucket of a few KB for the path it serves.

const KEYS_PER_BUCKET = 256;

export interface PathMeta {
  /** Decoded URL path, e.g. `/tags/芯片/rss.xml`. */
  path: string;
  hash: string;
  /** Epoch ms of the newest item in it. */
  lastModified: number;
}

export function writeWorkerMeta(
  output: Output,
  config: Config,
  paths: readonly PathMeta[],
  tagLookup: ReadonlyMap<string, string>,
  tagNames: TagNames,
): void {
  const buckets = Math.min(4096, Math.max(1, Math.ceil(Math.max(paths.length, tagLookup.size) / KEYS_PER_BUCKET)));
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
  // Each bucket sorted: pages written as the worker threads finish them arrive in no
  // fixed order. (Sorting ~128 paths per bucket, not all 80,000 at once.)
  const byBucket: PathMeta[][] = Array.from({ length: buckets }, () => []);
  for (const p of paths) byBucket[bucketOf(p.path, buckets)]!.push(p);
  // Written as text directly: the same bytes as JSON.stringify of a PathBucket (core/types.ts; its
  // keys are paths, never integer-like, so they keep this order), without building
  // 80,000 object properties first.
  const pathBuckets = byBucket.map((list) => {
    const entries = list
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((p) => `${JSON.stringify(p.path)}:[${JSON.stringify(p.hash)},${Math.floor(p.lastModified / 1000)}]`);
    return `{${entries.join(',')}}`;
  });
  const tagBuckets: TagBucket[] = Array.from({ length: buckets }, () => ({}));
  for (const [key, slug] of tagLookup) tagBuckets[bucketOf(key, buckets)]![key] = slug;
  output.write('_meta/site.json', JSON.stringify(site));
  pathBuckets.forEach((b, i) => output.write(`_meta/paths/${bucketName(i)}.json`, b));
  tagBuckets.forEach((b, i) => output.write(`_meta/tags/${bucketName(i)}.json`, JSON.stringify(b)));
  output.write('_meta/tagnames.json', JSON.stringify(tagNames));
}
