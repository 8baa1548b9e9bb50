// `npx tsx scripts/load.ts [--url http://127.0.0.1:8787] [--seconds 10] [--concurrency 32] [--requests N] [--seed S]`
//
// A load test of a running local server (`npm start`, or `npm run serve`): concurrent
// keep-alive clients replay a mix of the site's real routes for a bounded time —
// main, tag and topic feeds (percent-encoded, raw UTF-8, alias spellings that
// redirect), conditional GETs with the right ETag, HEADs, pages, 404s and hostile
// paths — and check every answer against what that route must return. Prints
// requests/s, latency percentiles and a table per kind of request; exits non-zero on
// any error (a failed request, a 5xx, an unexpected status or a truncated body).
//
// Routes are discovered from the server's own /manifest.json, so it works against
// the demo (`npm start`) and the fixture build (test/e2e/load.test.ts) alike.
// Loopback only: this is not a tool to point at someone else's server.

import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Manifest } from '../src/core/types.js';

export interface Target {
  /** The row of the report this request counts in. */
  kind: string;
  method: 'GET' | 'HEAD';
  /** Sent byte for byte: a raw UTF-8 path is a latin1 string of its bytes. */
  path: string;
  headers?: Record<string, string>;
  /** Statuses that are right for this request; anything else is an error. */
  expect: number[];
  /** For a 200 GET: the ETag and body size the build wrote. */
  etag?: string;
  bytes?: number;
  /** How often it is sent, relative to the others. */
  weight: number;
}

export interface LoadOptions {
  base: string;
  targets: Target[];
  concurrency: number;
  /** Stop issuing requests after this long… */
  seconds: number;
  /** …or after this many requests, whichever comes first. */
  maxRequests?: number;
  seed?: number;
  /** One request longer than this is an error. */
  timeoutMs?: number;
}

export interface KindStats {
  kind: string;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  serverErrors: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  kinds: KindStats[];
  /** The first few errors, described. */
  samples: string[];
}

/** Markers of files that must never be served (the worker's config, the package, the system). */
const LEAK_MARKERS = ['compatibility_date', '"devDependencies"', 'root:x:0:0', '"buckets":'];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function assertLoopback(base: string): URL {
  const url = new URL(base);
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
    throw new Error(`refusing to load-test ${base}: only http://127.0.0.1 (or localhost) is allowed`);
  }
  return url;
}

/** A path as node:http must be given it to send these UTF-8 bytes unencoded. */
const rawUtf8 = (path: string) => Buffer.from(path, 'utf8').toString('latin1');
const encodePath = (names: string[]) => `/${names.map(encodeURIComponent).join('/')}`;
/** Full-width forms of printable ASCII (`ai` → `ａｉ`), an alias the worker folds back. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/**
 * The request mix for the build a server is serving, from its public
 * /manifest.json (and one probe per optional page).
 */
export async function discoverTargets(base: string): Promise<Target[]> {
  const res = await fetch(`${base}/manifest.json`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`${base}/manifest.json: ${res.status}; is the server serving a build?`);
  const manifest = (await res.json()) as Manifest;
  const targets: Target[] = [];
  const feedTarget = (kind: string, path: string, f: Manifest['feeds'][number], weight: number): Target => ({
    kind,
    method: 'GET',
    path,
    expect: [200],
    etag: `"${f.hash}"`,
    bytes: f.bytes,
    weight,
  });

  const main = manifest.feeds.filter((f) => f.kind === 'main');
  const tagFeeds = manifest.feeds.filter((f) => f.kind === 'tag');
  const topicFeeds = manifest.feeds.filter((f) => f.kind === 'topic');
  for (const f of main) {
    targets.push(feedTarget('main feed', `/${f.path}`, f, 6));
    targets.push({ kind: 'conditional 304', method: 'GET', path: `/${f.path}`, headers: { 'If-None-Match': `"${f.hash}"` }, expect: [304], weight: 6 });
    targets.push({ kind: 'HEAD', method: 'HEAD', path: `/${f.path}`, expect: [200], weight: 2 });
  }
  // The busiest tags (the manifest lists them most used first), a spread of each.
  const slugs = [...new Set(tagFeeds.map((f) => f.slug))].slice(0, 40);
  for (const slug of slugs) {
    for (const f of tagFeeds.filter((x) => x.slug === slug)) {
      const file = f.path.slice(f.path.lastIndexOf('/') + 1);
      targets.push(feedTarget('tag feed (encoded)', encodePath(['tags', slug, file]), f, 2));
      if (/[^\x21-\x7e]/.test(slug)) targets.push(feedTarget('tag feed (raw UTF-8)', rawUtf8(`/tags/${slug}/${file}`), f, 1));
      targets.push({ kind: 'conditional 304', method: 'GET', path: encodePath(['tags', slug, file]), headers: { 'If-None-Match': `W/"x", "${f.hash}"` }, expect: [304], weight: 1 });
      targets.push({ kind: 'HEAD', method: 'HEAD', path: encodePath(['tags', slug, file]), expect: [200], weight: 1 });
    }
  }
  const hasFeed = new Set(slugs);
  for (const tag of manifest.tags) {
    if (!hasFeed.has(tag.slug)) continue;
    const spellings = new Set([...tag.aliases, tag.name, fullWidth(tag.slug), tag.slug.toUpperCase()]);
    spellings.delete(tag.slug);
    for (const alias of spellings) {
      targets.push({ kind: 'tag alias → 301', method: 'GET', path: encodePath(['tags', alias, 'rss.xml']), expect: [301], weight: 1 });
    }
  }
  for (const f of topicFeeds) targets.push(feedTarget('topic feed', encodePath(f.path.split('/')), f, 1));

  // Pages, when the build has them.
  for (const path of ['/', '/tags/', '/style.css']) {
    const probe = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
    await probe.body?.cancel();
    if (probe.status === 200) targets.push({ kind: 'page', method: 'GET', path, expect: [200], weight: 2 });
  }
  targets.push({ kind: 'page', method: 'GET', path: '/tags', expect: [301], weight: 1 });

  const miss = (path: string, expect = [404]): Target => ({ kind: '404', method: 'GET', path, expect, weight: 1 });
  targets.push(miss('/nope'), miss('/articles/nope/'), miss(encodePath(['tags', 'no-such-tag-xyz', 'rss.xml'])));
  if (slugs[0]) targets.push(miss(encodePath(['tags', `${slugs[0]}x`, 'rss.xml'])));

  // Hostile paths: refused (400) or not found (404), never a file outside the build.
  const hostile = (path: string, expect = [400]): Target => ({ kind: 'hostile', method: 'GET', path, expect, weight: 1 });
  targets.push(
    hostile('/tags/..%2F..%2Fwrangler.toml'),
    hostile('/..%5C..%5Cpackage.json'),
    hostile('/tags/%2e%2e%2f%2e%2e%2fetc/passwd'),
    // Raw `..` is resolved by the runtime's URL parser: it arrives as /wrangler.toml.
    hostile('/tags/../../wrangler.toml', [404]),
    hostile('//etc/passwd'),
    hostile('/tags/%00/rss.xml'),
    hostile('/tags/%zz/rss.xml'),
    hostile('/tags/%E8%8A/rss.xml'),
    hostile('/tags/%ED%A0%80/rss.xml'),
    hostile(`/${'a'.repeat(9000)}`),
    hostile(`/tags/${'%E4%B8%AD'.repeat(100)}/rss.xml`, [404]),
    hostile('/_meta/site.json', [404]),
  );
  // Odd validators on a real feed: ignored, so the feed itself.
  if (main[0]) {
    const f = main[0];
    const garbage = Array.from({ length: 2000 }, (_, i) => `"${i.toString(16)}"`).join(', ');
    targets.push({ ...feedTarget('hostile', `/${f.path}`, f, 1), headers: { 'If-None-Match': garbage } });
    targets.push({ ...feedTarget('hostile', `/${f.path}`, f, 1), headers: { 'If-Modified-Since': '31 Feb 2024' } });
    targets.push({ ...feedTarget('hostile', `/${f.path}`, f, 1), headers: { 'If-Modified-Since': 'x'.repeat(10_000) } });
  }
  return targets;
}

/** mulberry32: a reproducible order of requests for a seed. */
function rng(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: number;
  body: Buffer;
}

function send(agent: Agent, url: URL, target: Target, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: target.method, path: target.path, headers: target.headers, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (d: Buffer) => {
          bytes += d.length;
          // Keep only the start: enough to look for leaked files in errors.
          if (chunks.length < 4) chunks.push(d);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** What is wrong with an answer, or undefined. */
function check(target: Target, a: Answer): string | undefined {
  if (!target.expect.includes(a.status)) return `status ${a.status}, expected ${target.expect.join(' or ')}`;
  if (a.headers['x-content-type-options'] !== 'nosniff') return 'no X-Content-Type-Options: nosniff';
  if (a.status === 200 && target.method === 'GET' && target.etag && !target.headers?.Accept) {
    if (a.headers.etag !== target.etag) return `ETag ${a.headers.etag}, expected ${target.etag}`;
    if (target.bytes !== undefined && a.bytes !== target.bytes) return `${a.bytes} bytes, expected ${target.bytes}`;
  }
  if ((a.status === 304 || target.method === 'HEAD') && a.bytes !== 0) return `a ${a.bytes}-byte body on a ${a.status} to ${target.method}`;
  if (a.status >= 400) {
    const text = a.body.toString('utf8');
    const leak = LEAK_MARKERS.find((m) => text.includes(m));
    if (leak) return `body contains ${JSON.stringify(leak)}`;
  }
  return undefined;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = assertLoopback(options.base);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  // The weighted mix in a seeded order, after one request of each kind (so even a
  // short run on a slow machine covers every kind); clients take the next in turn.
  const random = rng(options.seed ?? 1);
  const mix = options.targets.flatMap((t) => Array<Target>(t.weight).fill(t));
  for (let i = mix.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [mix[i], mix[j]] = [mix[j]!, mix[i]!];
  }
  const firstOfKind = new Map<string, Target>();
  for (const t of mix) if (!firstOfKind.has(t.kind)) firstOfKind.set(t.kind, t);
  const order = [...firstOfKind.values(), ...mix];
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const byKind = new Map<string, { latencies: number[]; errors: number }>();
  const statuses: Record<string, number> = {};
  const samples: string[] = [];
  let issued = 0;
  let errors = 0;
  let serverErrors = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;

  const client = async () => {
    while (performance.now() < deadline && issued < maxRequests) {
      const target = order[issued++ % order.length]!;
      const t0 = performance.now();
      let problem: string | undefined;
      let status = 'error';
      try {
        const answer = await send(agent, url, target, timeoutMs);
        status = String(answer.status);
        if (answer.status >= 500) serverErrors++;
        problem = check(target, answer);
      } catch (error) {
        problem = (error as Error).message;
      }
      const ms = performance.now() - t0;
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      const k = byKind.get(target.kind) ?? { latencies: [], errors: 0 };
      k.latencies.push(ms);
      if (problem) {
        errors++;
        k.errors++;
        if (samples.length < 10) samples.push(`${target.method} ${target.path.slice(0, 100)}: ${problem}`);
      }
      byKind.set(target.kind, k);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  agent.destroy();
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const kinds = [...byKind].map(([kind, k]) => {
    const sorted = k.latencies.sort((a, b) => a - b);
    return { kind, requests: sorted.length, errors: k.errors, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  });
  kinds.sort((a, b) => b.requests - a.requests);
  return {
    requests: latencies.length,
    errors,
    serverErrors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    statuses,
    kinds,
    samples,
  };
}

export function formatResult(r: LoadResult, concurrency: number): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const lines = [
    `${r.requests} requests in ${r.seconds.toFixed(1)} s from ${concurrency} clients: ${r.rps.toFixed(0)} req/s, ` +
      `p50 ${ms(r.p50)}, p90 ${ms(r.p90)}, p99 ${ms(r.p99)}, max ${ms(r.max)}; errors ${r.errors}, 5xx ${r.serverErrors}`,
    `statuses: ${Object.entries(r.statuses)
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
    '',
    `| ${'kind'.padEnd(22)} | requests | errors |      p50 |      p99 |`,
    `| ${'-'.repeat(22)} | -------: | -----: | -------: | -------: |`,
    ...r.kinds.map((k) => `| ${k.kind.padEnd(22)} | ${String(k.requests).padStart(8)} | ${String(k.errors).padStart(6)} | ${ms(k.p50).padStart(8)} | ${ms(k.p99).padStart(8)} |`),
  ];
  if (r.samples.length > 0) lines.push('', 'first errors:', ...r.samples.map((s) => `  ${s}`));
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8787' },
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '32' },
      requests: { type: 'string' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npx tsx scripts/load.ts [--url http://127.0.0.1:8787] [--seconds 10] [--concurrency 32] [--requests N] [--seed S]');
    return 0;
  }
  const base = values.url.replace(/\/+$/, '');
  assertLoopback(base);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  if (!(seconds > 0 && seconds <= 600)) throw new Error('--seconds: between 0 and 600');
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 1024)) throw new Error('--concurrency: 1 to 1024');
  const targets = await discoverTargets(base);
  console.log(`${base}: ${targets.length} routes in the mix; ${concurrency} clients for ${seconds} s`);
  const result = await runLoad({
    base,
    targets,
    concurrency,
    seconds,
    maxRequests: values.requests ? Number(values.requests) : undefined,
    seed: Number(values.seed),
  });
  console.log(formatResult(result, concurrency));
  return result.errors === 0 && result.serverErrors === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`load: ${error.message}`);
      process.exit(2);
    },
  );
}
