import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../config/schema.js';
import type { Piece } from '../feeds/items.js';
import { SelfCheckError } from '../feeds/selfcheck.js';
import type { StoreJob } from '../site/store.js';
import { Chunks, type ItemRef } from './arena.js';
import type { WrittenFile } from '../site/output.js';
import { packFeeds, packWrites, type FeedBatch, type FeedJob, type FeedsDone, type ReadDone, type ReadJob, type RenderContext, type RenderDone, type RenderJob, type Reply, type RequestBody, type WorkerSetup, type WriteBatch, type WriteJob } from './messages.js';

// Both cores for the work that grows with the archive: reading, parsing and
// rendering articles (Markdown, sanitizing, feed items, article pages) is ~60 % of
// a full build and independent per article. Files go to the workers in chunks as
// they ask for more, so a worker that drew the large files does not hold the rest
// up; each worker keeps the bodies it read and renders those articles later.
// Then the workers assemble and write the feeds, made of items in shared memory
// (arena.ts), and write the other output files: writing 2.8 GB is seconds of system
// time, and two threads do it in half the time one does.
//
// The workers run the bundled build (node_modules/.cache/feedwright/worker.mjs,
// made with the CLI's bundle by bin/feedwright.mjs). Run from TypeScript sources
// (tests, tsx), there is no bundle and the build does all the work on its own thread,
// with the same functions and the same output.

/** Below this many files to parse, starting threads costs more than it saves. */
const MIN_FILES = 1000;
const CHUNK = 64;
/** Files per write request: few enough to keep both threads busy, enough to make a message worth it. */
const WRITE_BATCH = 32;
/** No more bytes than this in one batch (its offsets are 32-bit: see packWrites). */
const WRITE_BATCH_BYTES = 64 * 2 ** 20;

type Call = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * The old-generation heap of each thread. Left to itself, V8 sizes a thread's heap
 * from the machine's memory and lets it grow with the garbage of rendering: two
 * threads held ~750 MB at 40,000 articles and took the build to 1.6 GB. A limit
 * makes it collect sooner at no measurable cost in time. It leaves room for the
 * bodies a thread holds (UTF-16: up to two bytes per byte read) and for rendering
 * the largest file allowed (maxFileBytes, 8 MB by default: 8 MB of short Markdown
 * lines, links and emphasis renders within 512 MB, so 64 bytes of heap per byte).
 */
export function heapLimitMb(heldBytes: number, threads: number, maxFileBytes: number): number {
  const mb = (bytes: number) => Math.ceil(bytes / 2 ** 20);
  return Math.max(512, 384 + mb((2 * heldBytes) / Math.max(1, threads)), mb(64 * maxFileBytes));
}

/** Each build thread's young generation (see Pool.open). */
export const YOUNG_GENERATION_MB = 64;

export type PoolSetup = Omit<WorkerSetup, 'w'>;

/**
 * How many worker threads to start: FEEDWRIGHT_THREADS when set (0: none, any
 * number of files), else one per core when there are at least two and enough files.
 */
export function threadCount(files: number): number {
  const set = process.env.FEEDWRIGHT_THREADS;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`FEEDWRIGHT_THREADS must be a whole number of threads (0 for none), not "${set}".`);
    return files ? Math.min(n, 64) : 0;
  }
  const cores = availableParallelism();
  return cores >= 2 && files >= MIN_FILES ? Math.min(cores, 8) : 0;
}

export class Pool {
  private nextId = 0;
  private readonly calls = new Map<number, Call & { w: number }>();
  /** Calls in flight per worker: a worker with none is unref'd, so a failed build can still exit. */
  private readonly busy: number[];
  /** Which worker holds the body of file #i. */
  private readonly owner = new Map<number, number>();
  /** The first failure: every call fails with it from then on, and the threads are gone. */
  private failure: Error | undefined;
  /** Every thread's item chunks; and which of them each thread has been sent. */
  private readonly chunks = new Chunks();
  private readonly known: Set<number>[];
  /** Files and feeds to write, not sent yet: each kind batched on its own (see Queue). */
  private readonly writes = new Queue<WriteJob, void, WriteBatch>(packWrites, (batch, chunks) => ({ kind: 'write', batch, chunks }), (_, count) => new Array<void>(count));
  private readonly feeds = new Queue<FeedJob, Written, FeedBatch>(packFeeds, (batch, chunks) => ({ kind: 'feeds', batch, chunks }), (result, count) => {
    const { hashes, bytes, wrote } = result as FeedsDone;
    return Array.from({ length: count }, (_, f) => ({ file: { hash: hashes[f]!, bytes: bytes[f]! }, wrote: wrote[f] === 1 }));
  });
  /** Bytes of writes in flight per worker. */
  private readonly writing: number[];

  private constructor(private readonly workers: Worker[]) {
    this.busy = workers.map(() => 0);
    this.writing = workers.map(() => 0);
    this.known = workers.map(() => new Set());
    workers.forEach((worker, w) => {
      worker.unref();
      worker.on('message', (reply: Reply) => {
        const call = this.calls.get(reply.id);
        if (!call) return;
        this.calls.delete(reply.id);
        if (--this.busy[call.w]! === 0) worker.unref();
        if (reply.ok && reply.chunks) {
          this.chunks.add(reply.chunks);
          for (const [id] of reply.chunks) this.known[w]!.add(id);
        }
        if (reply.ok) return call.resolve(reply.result);
        const error = reply.selfCheck ? new SelfCheckError(reply.message) : new Error(`A build thread failed: ${reply.message}`);
        call.reject(error);
        this.fail(error);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('messageerror', (error) => this.fail(error));
      worker.on('exit', (code) => this.fail(new Error(`A build thread stopped (exit code ${code}).`)));
    });
  }

  /**
   * A pool of `size` threads, or undefined when there are none to start (size 0, or
   * no bundle). `url`: the worker script (tests give their own); `heldBytes`: the
   * size of the files they will read (and hold until they render them).
   */
  static open(size: number, setup: PoolSetup, url = new URL('./worker.mjs', import.meta.url), heldBytes = 0): Pool | undefined {
    if (size < 1) return undefined;
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
    // The young generation is set too (V8's would be 48 MB), for rendering's garbage
    // (markdown-it's tokens, above all): on 39,000 articles made of 19 copies of the real
    // corpus, each thread's collector took 3.0–3.3 s with 64 MB against 5.4–5.5 s with 48,
    // and the build 26.7 s against 29.6 s (output on tmpfs), peak ~1.23 GB; with 128 MB,
    // 2.1 s but 1.46 GB.
    const resourceLimits = { maxOldGenerationSizeMb: heapLimitMb(heldBytes, size, setup.config.maxFileBytes), maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
    return new Pool(Array.from({ length: size }, (_, w) => new Worker(url, { workerData: { ...setup, w } satisfies WorkerSetup, resourceLimits })));
  }

  /** Read and parse these files; results in the jobs' order. */
  async read(jobs: ReadJob[], onDone?: (done: ReadDone) => void): Promise<ReadDone[]> {
    this.check();
    const results: ReadDone[] = [];
    let next = 0;
    const feed = async (w: number) => {
      while (next < jobs.length) {
        const chunk = jobs.slice(next, (next += CHUNK));
        const done = (await this.call(w, { kind: 'read', jobs: chunk })) as ReadDone[];
        for (const d of done) {
          if (d.held) this.owner.set(d.i, w);
          results.push(d);
          onDone?.(d);
        }
      }
    };
    // Two requests in flight per worker: it never waits for the main thread between chunks.
    await Promise.all(this.workers.flatMap((_, w) => [feed(w), feed(w)]));
    return results.sort((a, b) => a.i - b.i);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Render articles whose bodies the workers hold; each goes to the worker that read it. */
  async render(context: RenderContext, jobs: RenderJob[], onDone: (done: RenderDone) => void): Promise<void> {
    this.check();
    await Promise.all(this.workers.map((_, w) => this.call(w, { kind: 'context', context })));
    const queues: RenderJob[][] = this.workers.map(() => []);
    for (const job of jobs) {
      const w = this.owner.get(job.i);
      if (w === undefined) throw new Error(`no thread holds file #${job.i}`);
      queues[w]!.push(job);
    }
    const feed = async (w: number, queue: RenderJob[], start: number) => {
      // Interleaved halves: two requests in flight per worker.
      for (let at = start * CHUNK; at < queue.length; at += 2 * CHUNK) {
        const done = (await this.call(w, { kind: 'render', jobs: queue.slice(at, at + CHUNK) })) as RenderDone[];
        for (const d of done) onDone(d);
      }
    };
    await Promise.all(queues.flatMap((queue, w) => [feed(w, queue, 0), feed(w, queue, 1)]));
  }

  /** An item a worker rendered, as bytes and digest in shared memory. */
  piece(ref: ItemRef): Piece {
    return { buf: this.chunks.bytes(ref), digest: this.chunks.digest(ref) };
  }

  /**
   * Write one file on whichever thread has the least to write (Output calls this
   * instead of writing itself). Parts made by piece() are sent as refs into shared
   * memory, anything else is copied. Sent in batches; settles when written.
   */
  write({ target, clear, parts }: StoreJob): Promise<void> {
    let bytes = 0;
    const sent = parts.map((part) => {
      bytes += part.length;
      return this.chunks.refOf(part) ?? part;
    });
    return this.enqueue(this.writes, { target, clear, parts: sent }, bytes);
  }

  /**
   * Assemble, check and write one feed on whichever thread has the least to write
   * (the main thread only gathers its frame and items: 30,000 feeds' skeletons
   * parsed, heads and tails encoded and hashed, ~1 s of a full build, are the
   * threads' work, in the last seconds where they have little else to do). Items
   * made by piece() go as refs into shared memory. Sent in batches; settles with what
   * the feed is and whether it was written, as feeds/parts.ts makes it.
   */
  feed(job: Omit<FeedJob, 'items'> & { items: readonly Piece[] }): Promise<Written> {
    let bytes = 0;
    const items = job.items.map((item) => {
      bytes += item.buf.length;
      return this.chunks.refOf(item.buf) ?? item;
    });
    return this.enqueue(this.feeds, { ...job, items }, bytes);
  }

  /** Add a job to its queue, sent when full, or once this turn of the event loop ends. */
  private enqueue<J, R, B>(queue: Queue<J, R, B>, job: J, bytes: number): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      queue.jobs.push(job);
      queue.settle.push({ resolve, reject });
      queue.bytes += bytes;
      if (queue.jobs.length >= WRITE_BATCH || queue.bytes >= WRITE_BATCH_BYTES) this.flush(queue);
      else queue.timer ??= setImmediate(() => this.flush(queue));
    });
  }

  /** Send a queue's jobs to the thread with the least in flight, with the chunks of the other threads' items it has not seen. */
  private flush<J, R, B>(queue: Queue<J, R, B>): void {
    if (queue.timer) clearImmediate(queue.timer);
    queue.timer = undefined;
    const { jobs, settle, bytes } = queue;
    queue.jobs = [];
    queue.settle = [];
    queue.bytes = 0;
    if (!jobs.length) return;
    let packed: B;
    try {
      packed = queue.pack(jobs);
    } catch (error) {
      // (Out of memory, say.) Those writes fail, where the build awaits them.
      for (const done of settle) done.reject(error as Error);
      return;
    }
    let w = 0;
    for (let k = 1; k < this.workers.length; k++) if (this.writing[k]! < this.writing[w]!) w = k;
    const fresh: [number, SharedArrayBuffer][] = [];
    for (const [id, sab] of this.chunks.entries()) {
      if (!this.known[w]!.has(id)) {
        this.known[w]!.add(id);
        fresh.push([id, sab]);
      }
    }
    this.writing[w]! += bytes;
    // The bytes are copied into the message: only the callbacks wait for the answer.
    this.call(w, queue.body(packed, fresh)).then(
      (result) => {
        this.writing[w]! -= bytes;
        const each = queue.results(result, jobs.length);
        settle.forEach((done, k) => done.resolve(each[k]!));
      },
      (error: Error) => {
        for (const done of settle) done.reject(error);
      },
    );
  }

  /** Every feed is written: the threads (and this side) let go of the shared item chunks. */
  async release(): Promise<void> {
    this.check();
    this.chunks.clear();
    for (const known of this.known) known.clear();
    await Promise.all(this.workers.map((_, w) => this.call(w, { kind: 'release' })));
  }

  /** Stop the threads (again: a no-op). */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /** A failed or closed pool does no more work (it would otherwise answer "nothing"). */
  private check(): void {
    if (this.failure) throw this.failure;
    if (!this.workers.length) throw new Error('The build threads were closed.');
  }

  private call(w: number, body: RequestBody): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[w];
    if (!worker) return Promise.reject(new Error('The build threads were closed.'));
    const id = this.nextId++;
    if (this.busy[w]!++ === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject, w });
      worker.postMessage({ ...body, id });
    });
  }

  /**
   * One failure ends the pool: every pending call fails with it, later calls fail
   * at once (so the other feeding loops stop sending), and the threads are stopped.
   */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const queue of [this.writes, this.feeds] as Queue<unknown, unknown, unknown>[]) {
      queue.jobs = [];
      for (const done of queue.settle.splice(0)) done.reject(this.failure);
    }
    for (const call of this.calls.values()) call.reject(this.failure);
    this.calls.clear();
    void this.close();
  }
}

/** What a thread says of a feed it made: what it is, and whether it wrote it (not when the idle generation held it already). */
export interface Written {
  file: WrittenFile;
  wrote: boolean;
}

/**
 * Jobs of one kind waiting to be sent: `pack` makes a batch of them (see messages.ts),
 * `body` the request, and `results` each job's answer out of the thread's.
 */
class Queue<J, R, B> {
  jobs: J[] = [];
  settle: { resolve: (result: R) => void; reject: (error: Error) => void }[] = [];
  bytes = 0;
  timer: NodeJS.Immediate | undefined;

  constructor(
    readonly pack: (jobs: J[]) => B,
    readonly body: (batch: B, chunks: [number, SharedArrayBuffer][]) => RequestBody,
    readonly results: (result: unknown, count: number) => R[],
  ) {}
}
