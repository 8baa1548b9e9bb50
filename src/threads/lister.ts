import { parentPort, workerData } from 'node:worker_threads';
import { bundleKey } from '../archive/cache.js';
import { discover } from '../archive/discover.js';
import { headCommit } from '../archive/git-dates.js';
import type { ListerSetup, ListingMessage } from './listing.js';

// A thread that lists the archive (see listing.ts): the other core stats 40,000
// files while the main thread reads the build cache.

const { archiveDir, pattern, codeFiles } = workerData as ListerSetup;
try {
  const sources = await discover(archiveDir, pattern);
  const bytes = new Float64Array(sources.length);
  const mtimes = new Float64Array(sources.length);
  sources.forEach((s, i) => {
    bytes[i] = s.bytes;
    mtimes[i] = s.mtimeMs;
  });
  const message: ListingMessage = {
    ok: true,
    codeKey: bundleKey(codeFiles),
    head: headCommit(archiveDir),
    // Arrays of strings, not one string split on arrival: split() would make every
    // path a slice of a 4 MB string, slower to hash and join for the rest of the build.
    files: sources.map((s) => s.file),
    absolutes: sources.map((s) => s.absolute),
    bytes,
    mtimes,
  };
  parentPort!.postMessage(message, [bytes.buffer, mtimes.buffer]);
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies ListingMessage);
}
