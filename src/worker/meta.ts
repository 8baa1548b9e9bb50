import { bucketName, bucketOf } from '../core/bucket.js';
import type { PathBucket, TagBucket, WorkerSite } from '../core/types.js';
import { tagList, type TagList } from './suggest.js';

// The generator's compact lookup in `_meta/` (see src/site/worker-meta.ts), read
// through the assets binding and kept for the isolate's life: a request parses
// site.json once and then one bucket of a few KB, never the big manifest.json.
// Promises are cached, not values, so concurrent first requests share one read;
// a failed read is forgotten so the next request tries again.

export interface Env {
  ASSETS: Fetcher;
}

/** The assets binding ignores the host; any absolute URL will do. */
const ORIGIN = 'https://assets.invalid';
/** Bucket files are a few KB each; this bounds an isolate's cache to a few MB. */
const MAX_CACHED_BUCKETS = 512;

export class MetaUnavailable extends Error {}

let site: Promise<WorkerSite> | undefined;
let tagNames: Promise<TagList> | undefined;
const buckets = new Map<string, Promise<unknown>>();

/** Tests only: start over as a fresh isolate would. */
export function resetMetaCache(): void {
  site = undefined;
  tagNames = undefined;
  buckets.clear();
}

/** Fetch a file from the built output by its decoded path (each segment encoded). */
export function fetchAsset(env: Env, path: string): Promise<Response> {
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  // A URL, not a Request: the binding takes either, and a Request made here cost ~10 % of serving a 1 MB feed (in Node).
  return env.ASSETS.fetch(ORIGIN + encoded);
}

async function readJson<T>(env: Env, path: string): Promise<T> {
  const res = await fetchAsset(env, path);
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new MetaUnavailable(`${path}: ${res.status}`);
  }
  return (await res.json()) as T;
}

function remember<T>(load: () => Promise<T>, forget: () => void): Promise<T> {
  const promise = load();
  promise.catch(forget);
  return promise;
}

export function getSite(env: Env): Promise<WorkerSite> {
  site ??= remember(
    () => readJson<WorkerSite>(env, '/_meta/site.json'),
    () => (site = undefined),
  );
  return site;
}

function getBucket<T>(env: Env, kind: 'paths' | 'tags', index: number): Promise<T> {
  const path = `/_meta/${kind}/${bucketName(index)}.json`;
  let bucket = buckets.get(path);
  if (!bucket) {
    if (buckets.size >= MAX_CACHED_BUCKETS) buckets.clear();
    bucket = remember(
      () => readJson<T>(env, path),
      () => buckets.delete(path),
    );
    buckets.set(path, bucket);
  }
  return bucket as Promise<T>;
}

export interface PathInfo {
  /** Content hash: the strong ETag. */
  hash: string;
  /** Epoch seconds of the newest item in it. */
  lastModified: number;
}

/** The listing of a decoded, NFC path such as `/tags/芯片/rss.xml`, if the build wrote it. */
export async function lookupPath(env: Env, path: string): Promise<PathInfo | undefined> {
  const { buckets: count } = await getSite(env);
  const bucket = await getBucket<PathBucket>(env, 'paths', bucketOf(path, count));
  const entry = Object.hasOwn(bucket, path) ? bucket[path] : undefined;
  return entry ? { hash: entry[0], lastModified: entry[1] } : undefined;
}

/** The canonical slug for a folded tag spelling (see core/fold.ts), if any tag has it. */
export async function lookupTag(env: Env, folded: string): Promise<string | undefined> {
  const { buckets: count } = await getSite(env);
  const bucket = await getBucket<TagBucket>(env, 'tags', bucketOf(folded, count));
  return Object.hasOwn(bucket, folded) ? bucket[folded] : undefined;
}

/**
 * Every tag, most used first (`_meta/tagnames.json`, a TagNames array), read
 * only to suggest tags on a 404 and kept as text: see `similarInJson`.
 */
export function getTagNames(env: Env): Promise<TagList> {
  tagNames ??= remember(
    async () => {
      const res = await fetchAsset(env, '/_meta/tagnames.json');
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new MetaUnavailable(`/_meta/tagnames.json: ${res.status}`);
      }
      return tagList(await res.text());
    },
    () => (tagNames = undefined),
  );
  return tagNames;
}
