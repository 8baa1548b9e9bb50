import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

// The real local server for the end-to-end tests: `npm run serve` (wrangler dev
// on workerd, no build step) over the fixture build in test/.dist, on a free
// loopback port, in its own process group so the whole tree stops together.

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = path.join(ROOT, 'test/.dist');
export const READY_TIMEOUT_MS = 25_000;

export interface LocalServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  base: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Start `npm run serve` against test/.dist and wait until it answers. */
export async function startServer(): Promise<LocalServer> {
  if (!existsSync(path.join(DIST, '_meta/site.json'))) {
    throw new Error('test/.dist is missing: run `npm run build:fixture` first (npm test does).');
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn('npm', ['run', 'serve', '--', '--config', 'test/worker/wrangler.toml', '--port', String(port)], {
    cwd: ROOT,
    // Its own process group, so the whole tree can be stopped at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const server: LocalServer = { base, output: () => output, stop: () => stop(child) };
  try {
    await waitUntilReady(child, base, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilReady(child: ChildProcess, base: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run serve exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${base}/rss.xml`, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`npm run serve was not ready within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // npm, wrangler and workerd share the group: take them all down.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL'); // any straggler (workerd) in the group
      } catch {
        // already gone
      }
      resolve();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}
