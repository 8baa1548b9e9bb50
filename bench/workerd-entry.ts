// The bench's worker inside workerd (see workerd.ts): the app as deployed, plus
// one route that times, in the isolate itself, the app against the assets binding
// it reads from. Never deployed: `wrangler.toml` points at src/worker/index.ts.
import app, { type Env } from '../src/worker/app.js';

interface BenchQuery {
  url: string;
  accept: string;
  etag: string;
  /** Rounds; in each, a batch of `batch` requests of each kind, timed as one. */
  n: number;
  batch: number;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const at = new URL(request.url);
    if (at.pathname !== '/__bench') return app.fetch(request, env, ctx);
    const q = JSON.parse(at.searchParams.get('q')!) as BenchQuery;
    const runs: Record<'get' | 'notModified' | 'direct', () => Response | Promise<Response>> = {
      get: () => app.fetch(new Request(q.url, { headers: { Accept: q.accept } }), env, ctx),
      notModified: () => app.fetch(new Request(q.url, { headers: { Accept: q.accept, 'If-None-Match': q.etag } }), env, ctx),
      direct: () => env.ASSETS.fetch(q.url),
    };
    const times: Record<string, number[]> = { get: [], notModified: [], direct: [] };
    const statuses: Record<string, number> = {};
    // Batches, not single requests: workerd's clock moves in whole milliseconds (and
    // only at I/O), about one request's time. Interleaved, so that a busy machine
    // slows all three alike.
    for (let i = 0; i < q.n; i++) {
      for (const [name, run] of Object.entries(runs)) {
        const t = performance.now();
        for (let k = 0; k < q.batch; k++) {
          const res = await run();
          await res.arrayBuffer();
          statuses[name] = res.status;
        }
        times[name]!.push((performance.now() - t) / q.batch);
      }
    }
    return Response.json({ times, statuses });
  },
};
