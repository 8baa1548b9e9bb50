import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface WrittenFile {
  /** sha256 of the bytes, first 32 hex digits: the strong ETag. */
  hash: string;
  bytes: number;
}

export class OutputError extends Error {}

/**
 * Writes the build into a sibling folder and swaps it in only when complete, so a
 * crash or a kill mid-build leaves the previous complete output in place. Every
 * path is checked to stay inside the folder.
 */
export class Output {
  readonly files = new Map<string, WrittenFile>();
  private readonly staging: string;
  private readonly dirs = new Set<string>();
  private pending: Promise<void>[] = [];
  bytes = 0;

  private constructor(readonly dir: string) {
    this.staging = `${dir}.tmp-${process.pid}`;
  }

  static async open(dir: string): Promise<Output> {
    const output = new Output(path.resolve(dir));
    try {
      await rm(output.staging, { recursive: true, force: true });
      await mkdir(output.staging, { recursive: true });
    } catch (error) {
      throw new OutputError(`Cannot write the output folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    }
    output.dirs.add(output.staging);
    return output;
  }

  /** Queue one file; `rel` is `/`-separated and relative to the output folder. */
  write(rel: string, content: string | Uint8Array): WrittenFile {
    const target = this.resolve(rel);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const file = { hash: createHash('sha256').update(bytes).digest('hex').slice(0, 32), bytes: bytes.length };
    this.files.set(rel, file);
    this.bytes += bytes.length;
    this.pending.push(this.put(target, bytes));
    return file;
  }

  /** Wait for queued writes once enough are in flight, to bound memory. */
  async drain(limit = 256): Promise<void> {
    if (this.pending.length < limit) return;
    const batch = this.pending;
    this.pending = [];
    await Promise.all(batch);
  }

  /** Finish every write, then replace the output folder with the new one. */
  async commit(): Promise<void> {
    await this.drain(0);
    const old = `${this.dir}.old-${process.pid}`;
    try {
      await rm(old, { recursive: true, force: true });
      let hadOld = true;
      try {
        await rename(this.dir, old);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        hadOld = false;
      }
      await rename(this.staging, this.dir);
      if (hadOld) await rm(old, { recursive: true, force: true });
    } catch (error) {
      throw new OutputError(`Cannot replace the output folder ${this.dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    }
  }

  /** Remove the staging folder after a failed build; the previous output stays. */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.pending);
    await rm(this.staging, { recursive: true, force: true });
  }

  private resolve(rel: string): string {
    const segments = rel.split('/');
    if (
      !rel ||
      rel.includes('\\') ||
      rel.includes('\0') ||
      segments.some((s) => s === '' || s === '.' || s === '..')
    ) {
      throw new OutputError(`Refusing to write "${rel}": not a plain path inside the output folder.`);
    }
    const target = path.join(this.staging, ...segments);
    if (!target.startsWith(this.staging + path.sep)) throw new OutputError(`Refusing to write "${rel}" outside the output folder.`);
    return target;
  }

  private async put(target: string, bytes: Uint8Array): Promise<void> {
    const parent = path.dirname(target);
    if (!this.dirs.has(parent)) {
      await mkdir(parent, { recursive: true });
      this.dirs.add(parent);
    }
    await writeFile(target, bytes);
  }
}
