import { open } from 'node:fs/promises';

/**
 * A file's bytes, read in one request to the thread pool, or undefined when it cannot
 * be read. For the cache's files, read while this thread is busy elsewhere (listing
 * and stat-ing 40,000 files, all synchronous). `readFile` reads in 512 KB chunks, and
 * asks for each next one only when this thread takes its callback: the 31 MB index
 * waited behind the stat loop and was then read chunk by chunk while the build sat
 * idle (~110 ms of an edit, by profile). Here the thread pool reads it whole meanwhile.
 */
export async function readAhead(file: string): Promise<Buffer | undefined> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const bytes = Buffer.allocUnsafe(size);
      let at = 0;
      // read(2) may answer short (a file still being written, a signal): read on until it ends.
      while (at < size) {
        const { bytesRead } = await handle.read(bytes, at, size - at, at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return at === size ? bytes : bytes.subarray(0, at);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
