import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../archive/discover.js';
import { threadCount } from './pool.js';

// An incremental build of a large archive begins with two independent jobs of
// ~0.3 s each: stat(2) every article file (to see what changed) and decode the
// build cache's index (to know what the last build made). On two cores they need
// not wait for each other: a thread (lister.ts) lists the archive, hashes
// feedwright's own bundles and asks git for HEAD, while the main thread reads the
// index. Like the build's other threads it runs from the bundle only; from
// TypeScript sources (tests, tsx) the main thread lists the archive itself.

/** From this many article files (as many as the last build found) on, a thread pays for itself. */
const LIST_ASIDE_FROM = 5000;

/**
 * Whether to list aside: for a large archive on a machine with two cores or more,
 * or whenever FEEDWRIGHT_THREADS asks for threads (and never when it is 0).
 */
export function listsAside(lastFound: number): boolean {
  return threadCount(lastFound) > 0 && (lastFound >= LIST_ASIDE_FROM || Boolean(process.env.FEEDWRIGHT_THREADS));
}

/** What the listing thread is given. */
export interface ListerSetup {
  archiveDir: string;
  pattern: string;
  /** The bundles whose bytes make the code key (see codeKey in archive/cache.ts). */
  codeFiles: string[];
}

/** What it answers: the listing packed into a few transferable pieces, or why it failed. */
export type ListingMessage =
  | { ok: true; codeKey: string; head: string; files: string[]; absolutes: string[]; bytes: Float64Array; mtimes: Float64Array }
  | { ok: false; message: string };

export interface Listing {
  codeKey: string;
  /** The archive's HEAD commit ('' outside a repository). */
  head: string;
  sources: SourceFile[];
}

/**
 * Start listing `archiveDir` on a thread of its own; undefined when there is no
 * bundled thread script to run (`url`: tests give their own). The promise rejects
 * when the thread fails in any way: the caller then lists on its own thread, and
 * any real problem (an unreadable folder) is reported from there.
 */
export function listAside(setup: ListerSetup, url = new URL('./lister.mjs', import.meta.url)): Promise<Listing> | undefined {
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  return new Promise<Listing>((resolve, reject) => {
    const worker = new Worker(url, { workerData: setup });
    worker.once('message', (message: ListingMessage) => {
      if (!message.ok) return reject(new Error(message.message));
      resolve({ codeKey: message.codeKey, head: message.head, sources: unpack(message) });
    });
    worker.once('error', reject);
    // Settled already when it answered; otherwise it ended without a word.
    worker.once('exit', (code) => reject(new Error(`The listing thread stopped (exit code ${code}).`)));
  });
}

function unpack(message: Extract<ListingMessage, { ok: true }>): SourceFile[] {
  const { files, absolutes } = message;
  return files.map((file, i) => ({ file, absolute: absolutes[i]!, bytes: message.bytes[i]!, mtimeMs: message.mtimes[i]! }));
}
