import { env, exports } from 'cloudflare:workers';
import type { Manifest, ManifestFeed, PathBucket, WorkerSite } from '../../src/core/types';
import { bucketName, bucketOf } from '../../src/core/bucket';

// The worker under test is the real entry module, with test/.dist (built by
// `npm run build:fixture` from test/fixtures) as its assets. Expected values are
// read from that build's own manifest and _meta, so a change to the generator
// changes the expectations with it; names and spellings are the fixture's.

export const ORIGIN = 'http://feeds.test';

export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
export const READER_ACCEPT = 'application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

export const CSP =
  "default-src 'none'; style-src 'self'; img-src https: data:; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function get(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(ORIGIN + path, { redirect: 'manual', ...init }));
}

async function asset<T>(path: string): Promise<T> {
  const res = await env.ASSETS.fetch(new Request(ORIGIN + path.split('/').map(encodeURIComponent).join('/')));
  if (res.status !== 200) throw new Error(`fixture file ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export const manifest = (): Promise<Manifest> => asset<Manifest>('/manifest.json');
export const site = (): Promise<WorkerSite> => asset<WorkerSite>('/_meta/site.json');

export async function feed(path: string): Promise<ManifestFeed> {
  const found = (await manifest()).feeds.find((f) => f.path === path);
  if (!found) throw new Error(`no feed ${path} in the fixture manifest`);
  return found;
}

/** `[hash, lastModified]` the build listed for a decoded path. */
export async function listed(path: string): Promise<[string, number]> {
  const s = await site();
  const bucket = await asset<PathBucket>(`/_meta/paths/${bucketName(bucketOf(path, s.buckets))}.json`);
  const entry = bucket[path];
  if (!entry) throw new Error(`${path} is not listed in the fixture's _meta/paths`);
  return entry;
}

/** The Last-Modified the worker must send for a listed path (never in the future). */
export function httpDateOf(epochSeconds: number): string {
  return new Date(Math.min(epochSeconds * 1000, Date.now())).toUTCString();
}

export async function bytesOf(path: string): Promise<string> {
  const res = await env.ASSETS.fetch(new Request(ORIGIN + path.split('/').map(encodeURIComponent).join('/')));
  return res.text();
}
