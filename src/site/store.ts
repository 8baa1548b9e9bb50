import { closeSync, mkdirSync, openSync, rmSync, unlinkSync, writevSync } from 'node:fs';
import path from 'node:path';

// A build thread's write of one output file, as Output (output.ts) decided it:
// the target is a checked path inside the idle generation, and `clear` says the
// generation may hold something there already (a stale file, a hard link into the
// live generation, a folder), which is removed first so that nothing is written
// through a link. Synchronous: a thread does nothing else meanwhile, and a system
// call costs less than a promise per file.

export interface StoreJob {
  target: string;
  clear: boolean;
  parts: readonly Uint8Array[];
}

/** Folders this thread has made (or found), so that each costs one mkdir. */
const made = new Set<string>();

export function storeNow({ target, clear, parts }: StoreJob): void {
  const dir = path.dirname(target);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  if (clear) {
    try {
      unlinkSync(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR' || code === 'EPERM') rmSync(target, { recursive: true, force: true });
      else if (code !== 'ENOENT') throw error;
    }
  }
  let fd: number;
  try {
    fd = openSync(target, 'w');
  } catch (error) {
    // A folder where this file now goes (left by an older layout) is replaced.
    if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
    rmSync(target, { recursive: true, force: true });
    fd = openSync(target, 'w');
  }
  try {
    // writev(2) takes at most IOV_MAX (1,024) buffers and may write less than asked: go on from there.
    const rest = parts.filter((p) => p.length);
    while (rest.length) {
      let n = writevSync(fd, rest.slice(0, 1024));
      while (rest.length && n >= rest[0]!.length) n -= rest.shift()!.length;
      if (n && rest.length) rest[0] = rest[0]!.subarray(n);
    }
  } finally {
    closeSync(fd);
  }
}
