import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/archive/discover.js';
import { piece } from '../../src/feeds/items.js';
import { SelfCheckError } from '../../src/feeds/selfcheck.js';
import { heapLimitMb, Pool, YOUNG_GENERATION_MB } from '../../src/threads/pool.js';
import { tempDir, testConfig } from './helpers.js';

// The pool's own behaviour, with stand-in worker scripts: whatever a thread does
// wrong, the build's promise settles with one clear error, and never hangs.

async function script(body: string): Promise<URL> {
  const file = path.join(await tempDir(), 'worker.mjs');
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(file);
}

const setup = { config: testConfig(), hashed: false };
const jobs = Array.from({ length: 300 }, (_, i) => ({ i, source: { file: `${i}.md`, absolute: `/nowhere/${i}.md`, bytes: 1, mtimeMs: 0 } satisfies SourceFile }));
const entry = { size: 1, mtimeMs: 0, hash: '', topics: [], problems: [] };

describe('the thread pool', () => {
  it('hands out every file once and gives the results back in file order', async () => {
    const url = await script(
      `parentPort.on('message', (r) => parentPort.postMessage({ id: r.id, ok: true, result: r.jobs.map((j) => ({ i: j.i, entry: ${JSON.stringify(entry)}, held: j.i % 2 === 0 })) }));`,
    );
    const pool = Pool.open(2, setup, url)!;
    const seen: number[] = [];
    const done = await pool.read(jobs, (d) => seen.push(d.i));
    await pool.close();
    expect(done.map((d) => d.i)).toEqual(jobs.map((j) => j.i));
    expect(seen.sort((a, b) => a - b)).toEqual(jobs.map((j) => j.i));
  });

  it('fails the whole read at once when a thread reports an error', async () => {
    const url = await script(`parentPort.on('message', (r) => parentPort.postMessage({ id: r.id, ok: false, message: 'cannot parse 3.md', selfCheck: false }));`);
    const pool = Pool.open(2, setup, url)!;
    await expect(pool.read(jobs)).rejects.toThrow('A build thread failed: cannot parse 3.md');
    // Later calls fail at once too (the other feeding loops stop).
    await expect(pool.read(jobs)).rejects.toThrow('A build thread failed: cannot parse 3.md');
    await pool.close();
    // The failing call itself settles, even when it is the only one in flight.
    const single = Pool.open(1, setup, url)!;
    await expect(single.read(jobs.slice(0, 1))).rejects.toThrow('A build thread failed: cannot parse 3.md');
    await single.close();
  });

  it("gives each thread an old generation sized to the files it holds and a young one of its own", async () => {
    // The thread reports the limits it runs with (as a failure: the one message every stand-in can send).
    const url = await script(`import { resourceLimits } from 'node:worker_threads';\nparentPort.on('message', (r) => parentPort.postMessage({ id: r.id, ok: false, message: JSON.stringify(resourceLimits), selfCheck: false }));`);
    const pool = Pool.open(1, setup, url)!;
    const failure = (await pool.read(jobs.slice(0, 1)).catch((error: unknown) => error)) as Error;
    await pool.close();
    const limits = JSON.parse(failure.message.replace('A build thread failed: ', '')) as Record<string, number>;
    expect([limits.maxOldGenerationSizeMb, limits.maxYoungGenerationSizeMb]).toEqual([heapLimitMb(0, 1, setup.config.maxFileBytes), YOUNG_GENERATION_MB]);
    expect(YOUNG_GENERATION_MB).toBe(64);
  });

  it('keeps a self-check failure a SelfCheckError, with its message', async () => {
    const url = await script(`parentPort.on('message', (r) => parentPort.postMessage({ id: r.id, ok: false, message: 'Self-check failed: the RSS item of a.md is not well-formed XML', selfCheck: true }));`);
    const pool = Pool.open(1, setup, url)!;
    const failure = await pool.read(jobs).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SelfCheckError);
    expect((failure as Error).message).toBe('Self-check failed: the RSS item of a.md is not well-formed XML');
    await pool.close();
  });

  it('fails, not hangs, when a thread dies', async () => {
    const url = await script(`parentPort.on('message', () => process.exit(3));`);
    const pool = Pool.open(2, setup, url)!;
    await expect(pool.read(jobs)).rejects.toThrow('A build thread stopped (exit code 3).');
    await pool.close();
  });

  it('sends writes in batches of 32, items in shared memory by reference, and fails every write after one fails', async () => {
    // A stand-in that shares one chunk of "items" when asked to read, logs every
    // write request it gets, and fails as a thread whose write failed on fail.xml.
    const log = path.join(await tempDir(), 'writes.jsonl');
    const url = await script(
      `import { appendFileSync } from 'node:fs';
       parentPort.on('message', (r) => {
         if (r.kind === 'read') {
           const sab = new SharedArrayBuffer(64);
           new TextEncoder().encodeInto('<item/>', new Uint8Array(sab));
           return parentPort.postMessage({ id: r.id, ok: true, result: [], chunks: [[65536, sab]] });
         }
         // The packed batch (messages.ts): per part its chunk (-1: plain bytes), offset and length.
         const b = r.batch;
         let k = 0;
         const files = b.targets.map((target, f) => {
           const parts = [];
           for (; k < b.ends[f]; k++) {
             const [c, o, l] = [b.parts[k * 3], b.parts[k * 3 + 1], b.parts[k * 3 + 2]];
             parts.push(c === -1 ? 'bytes:' + l : 'ref:' + [c, o, l].join(','));
           }
           return [target, b.clears[f] === 1, parts];
         });
         appendFileSync(${JSON.stringify(log)}, JSON.stringify({ files, chunks: r.chunks.map(([id]) => id) }) + '\\n');
         if (b.targets.some((t) => t.endsWith('fail.xml'))) return parentPort.postMessage({ id: r.id, ok: false, message: 'EACCES: permission denied, open fail.xml', selfCheck: false });
         parentPort.postMessage({ id: r.id, ok: true });
       });`,
    );
    const pool = Pool.open(1, setup, url)!;
    await pool.read(jobs.slice(0, 1));
    const item = pool.piece([65536, 0, 7]);
    expect(new TextDecoder().decode(item.buf)).toBe('<item/>');
    const head = new TextEncoder().encode('<rss>');
    await Promise.all(Array.from({ length: 40 }, (_, i) => pool.write({ target: `/out/${i}.xml`, clear: i % 2 === 0, parts: [head, item.buf] })));
    await expect(pool.write({ target: '/out/fail.xml', clear: false, parts: [head] })).rejects.toThrow('A build thread failed: EACCES: permission denied, open fail.xml');
    // The pool is failed: a later write is refused at once instead of being lost.
    await expect(pool.write({ target: '/out/after.xml', clear: false, parts: [head] })).rejects.toThrow('EACCES');
    await pool.close();
    const batches = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { files: [string, boolean, string[]][]; chunks: number[] });
    expect(batches.map((b) => b.files.length)).toEqual([32, 8, 1]);
    expect(batches[0]!.files[0]).toEqual(['/out/0.xml', true, ['bytes:5', 'ref:65536,0,7']]);
    expect(batches[1]!.files[7]).toEqual(['/out/39.xml', false, ['bytes:5', 'ref:65536,0,7']]);
    // The thread made that chunk: it is never sent back to it.
    expect(batches.map((b) => b.chunks)).toEqual([[], [], []]);
  });

  it("sends feeds to assemble in batches, gives each its thread's answer, and fails every feed after a self-check fails", async () => {
    // A stand-in that answers a feed batch as a thread would: per feed a hash, its bytes and whether
    // it was written (not when `previous` is given); a feed named bad.xml fails its self-check.
    const log = path.join(await tempDir(), 'feeds.jsonl');
    const url = await script(
      `import { appendFileSync } from 'node:fs';
       parentPort.on('message', (r) => {
         const b = r.batch;
         appendFileSync(${JSON.stringify(log)}, JSON.stringify({ rels: b.rels, previous: b.previous, formats: [...b.formats], heads: b.frames.filter((_, i) => i % 5 === 0), ends: [...b.ends], items: [...b.items] }) + '\\n');
         if (b.rels.some((rel) => rel.endsWith('bad.xml'))) return parentPort.postMessage({ id: r.id, ok: false, message: 'Self-check failed: the RSS skeleton of bad.xml is not well-formed XML', selfCheck: true });
         parentPort.postMessage({ id: r.id, ok: true, result: { hashes: b.rels.map((rel) => 'hash of ' + rel), bytes: b.rels.map((_, f) => 100 + f), wrote: Uint8Array.from(b.previous, (p) => (p ? 0 : 1)) } });
       });`,
    );
    const pool = Pool.open(1, setup, url)!;
    const frame = { head: '<rss>', first: '', between: '\n', last: '', tail: '</rss>' };
    const item = piece('<item>一</item>');
    const jobs = Array.from({ length: 34 }, (_, i) => ({ rel: `f${i}.xml`, target: `/out/f${i}.xml`, previous: i === 1 ? 'same' : undefined, clear: false, format: 'rss' as const, frame, items: i % 2 ? [item] : [] }));
    const done = await Promise.all(jobs.map((job) => pool.feed(job)));
    expect(done[0]).toEqual({ file: { hash: 'hash of f0.xml', bytes: 100 }, wrote: true });
    expect(done[1]).toEqual({ file: { hash: 'hash of f1.xml', bytes: 101 }, wrote: false });
    expect(done[33]).toEqual({ file: { hash: 'hash of f33.xml', bytes: 101 }, wrote: true });
    const failed = pool.feed({ ...jobs[0]!, rel: 'bad.xml', target: '/out/bad.xml' }).catch((error: unknown) => error);
    const queued = pool.feed(jobs[2]!).catch((error: unknown) => error);
    expect(await failed).toBeInstanceOf(SelfCheckError);
    expect(((await failed) as Error).message).toBe('Self-check failed: the RSS skeleton of bad.xml is not well-formed XML');
    // Sent in the same batch, the other feed fails with it; one asked for later fails at once.
    expect(await queued).toBe(await failed);
    await expect(pool.feed(jobs[4]!)).rejects.toBe(await failed);
    await pool.close();
    const batches = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { rels: string[]; previous: string[]; formats: number[]; heads: string[]; ends: number[]; items: number[] });
    expect(batches.map((b) => b.rels.length)).toEqual([32, 2, 2]);
    expect(batches[0]!.previous.slice(0, 3)).toEqual(['', 'same', '']);
    expect(batches[0]!.heads[0]).toBe('<rss>');
    expect(batches[0]!.ends.slice(0, 4)).toEqual([0, 1, 1, 2]);
    // The item made on this thread travels as bytes (chunk −1), with its digest beside them.
    expect(batches[0]!.items.slice(0, 3)).toEqual([-1, 0, item.buf.length]);
  });

  it('sends no more than 64 MiB of writes in one batch (its offsets are 32-bit)', async () => {
    const url = await script(`parentPort.on('message', (r) => parentPort.postMessage({ id: r.id, ok: true, result: r.kind === 'write' ? r.batch.targets.length : [] }));`);
    const pool = Pool.open(1, setup, url)!;
    const sent: number[] = [];
    const call = (pool as unknown as { call: (w: number, body: unknown) => Promise<unknown> }).call.bind(pool);
    (pool as unknown as { call: typeof call }).call = (w, body) => call(w, body).then((n) => (sent.push(n as number), n));
    const big = new Uint8Array(33 * 2 ** 20);
    await Promise.all(['a', 'b', 'c'].map((name) => pool.write({ target: `/out/${name}.xml`, clear: false, parts: [big] })));
    await pool.close();
    // Two files reach 66 MiB: they go at once; the third on its own.
    expect(sent).toEqual([2, 1]);
  });

  it('starts no threads without a worker script (run from the sources) or when asked for none', () => {
    expect(Pool.open(2, setup)).toBeUndefined();
    expect(Pool.open(0, setup, new URL('file:///nowhere/worker.mjs'))).toBeUndefined();
  });
});
