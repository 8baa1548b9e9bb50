// The worker where it runs: workerd (through Miniflare, the engine `wrangler dev`
// uses), with a real assets binding over a folder. The in-process loop in run.ts
// times the app against an in-memory stand-in for the binding on Node, whose fetch
// classes (undici) cost what workerd's native ones do not; this one times the app
// against the real binding inside the isolate (bench/workerd-entry.ts), so the
// ratio is the one a deployment sees. Local only: no account, no network.

import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

export interface BatchStats {
  /** Requests timed: batches × batch size. */
  requests: number;
  /** Per request, over the batches: their median and their mean. */
  p50Ms: number;
  meanMs: number;
}

export interface WorkerdResult {
  feed: string;
  batch: number;
  get: BatchStats;
  notModified: BatchStats;
  direct: BatchStats;
  /** App ÷ binding, by the medians and by the means of the batches. */
  ratioP50: number;
  ratioMean: number;
}

interface BenchAnswer {
  times: Record<'get' | 'notModified' | 'direct', number[]>;
  statuses: Record<'get' | 'notModified' | 'direct', number>;
}

/**
 * Serve `feed` (and `_meta/`) from `dist` in workerd and time the app's GET, its
 * 304, and the binding's own fetch of the same file: `rounds` calls of the bench
 * route, each `perCall` batches of `batch` requests of every kind, interleaved.
 * `entry` is the bench's worker module (it imports the app being measured).
 */
export async function workerdLoops(options: {
  entry: string;
  dist: string;
  feed: string;
  work: string;
  siteUrl: string;
  compatibilityDate: string;
  rounds?: number;
  perCall?: number;
  batch?: number;
}): Promise<WorkerdResult> {
  // Batches of 100: workerd's clock moves in whole milliseconds, so a batch of 20
  // (~11 ms of a 0.9 MB feed) read ±1 ms, ±9 %, and the median moved in steps of
  // 0.05 ms, a tenth of a binding fetch; now steps of 0.01 ms. As many requests as before.
  const { rounds = 10, perCall = 4, batch = 100 } = options;
  // Imported here: the rest of the bench does not need it.
  const { Miniflare } = await import('miniflare');
  // What the in-process loop serves too: the lookup and the one feed.
  const assets = path.join(options.work, 'workerd-assets');
  await rm(assets, { recursive: true, force: true });
  await mkdir(path.dirname(path.join(assets, options.feed)), { recursive: true });
  await cp(path.join(options.dist, '_meta'), path.join(assets, '_meta'), { recursive: true });
  await cp(path.join(options.dist, options.feed), path.join(assets, options.feed));
  const bundled = await build({
    entryPoints: [options.entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  const mf = new Miniflare({
    modules: true,
    script: bundled.outputFiles[0]!.text,
    compatibilityDate: options.compatibilityDate,
    // As wrangler.toml configures the deployed worker.
    assets: {
      directory: assets,
      binding: 'ASSETS',
      routerConfig: { invoke_user_worker_ahead_of_assets: true, has_user_worker: true },
      assetConfig: { html_handling: 'none', not_found_handling: 'none' },
    },
  });
  try {
    const url = `${options.siteUrl}/${options.feed.split('/').map(encodeURIComponent).join('/')}`;
    const accept = 'application/rss+xml, application/atom+xml, application/feed+json, */*;q=0.8';
    const first = await mf.dispatchFetch(url, { headers: { Accept: accept } });
    await first.arrayBuffer();
    const etag = first.headers.get('ETag');
    if (first.status !== 200 || !etag) throw new Error(`workerd answered ${first.status} for ${options.feed}, ETag ${etag ?? 'none'}`);
    const q = (n: number) => `${options.siteUrl}/__bench?q=${encodeURIComponent(JSON.stringify({ url, accept, etag, n, batch }))}`;
    // Warm-up: the isolate's JIT and the worker's in-memory lookup.
    const warm = (await (await mf.dispatchFetch(q(2))).json()) as BenchAnswer;
    const expected = { get: 200, notModified: 304, direct: 200 };
    for (const [k, status] of Object.entries(expected)) {
      const got = warm.statuses[k as keyof typeof expected];
      if (got !== status) throw new Error(`workerd: ${k} answered ${got}, expected ${status}`);
    }
    const times: BenchAnswer['times'] = { get: [], notModified: [], direct: [] };
    for (let round = 0; round < rounds; round++) {
      const answer = (await (await mf.dispatchFetch(q(perCall))).json()) as BenchAnswer;
      for (const k of Object.keys(times) as (keyof typeof times)[]) times[k].push(...answer.times[k]);
    }
    const stats = (list: number[]): BatchStats => {
      const sorted = [...list].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      const p50Ms = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return { requests: list.length * batch, p50Ms, meanMs: list.reduce((s, x) => s + x, 0) / list.length };
    };
    const get = stats(times.get);
    const direct = stats(times.direct);
    return {
      feed: options.feed,
      batch,
      get,
      notModified: stats(times.notModified),
      direct,
      ratioP50: get.p50Ms / direct.p50Ms,
      ratioMean: get.meanMs / direct.meanMs,
    };
  } finally {
    await mf.dispose();
  }
}
