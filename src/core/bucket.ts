// Shared by the generator (which writes `_meta/` shards) and the worker (which reads
// one shard per request): both must put a key in the same bucket, so the hash is
// plain JavaScript with no `node:` import.

/**
 * FNV-1a over the UTF-16 code units: fast, stable, good enough to spread keys.
 * `from` continues the hash of a prefix (`fnv1a(b, fnv1a(a)) === fnv1a(a + b)`).
 */
export function fnv1a(text: string, from = 0x811c9dc5): number {
  let hash = from;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function bucketOf(key: string, buckets: number): number {
  return fnv1a(key) % buckets;
}

export function bucketName(index: number): string {
  return index.toString(16).padStart(3, '0');
}
