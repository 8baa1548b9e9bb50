import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { oversized, parseFile, unreadable } from '../archive/entry.js';
import { renderContent } from '../articles/article.js';
import { foldTag } from '../articles/tags.js';
import { compileTopic } from '../articles/topics.js';
import type { Article } from '../core/types.js';
import { renderItem } from '../feeds/items.js';
import { checkSkeleton, feedParts, separatorPieces } from '../feeds/parts.js';
import { SelfCheckError } from '../feeds/selfcheck.js';
import { fileHash } from '../site/output.js';
import { articlePage } from '../site/pages/render.js';
import { storeNow } from '../site/store.js';
import { Arena, Chunks } from './arena.js';
import { unpackFeeds, unpackWrites, type FeedBatch, type FeedsDone, type ReadDone, type ReadJob, type RenderContext, type RenderDone, type RenderJob, type Reply, type Request, type WorkerSetup, type WriteBatch } from './messages.js';

// A worker thread of the build (see pool.ts): it reads and parses article files,
// keeps their bodies, and later renders those articles: HTML, summary, feed items
// (into shared memory, see arena.ts) and the article page, which it writes itself.
// Then it assembles, checks and writes the feeds the main thread describes (a frame
// and items, see feeds/parts.ts), and writes the other files it is handed.
// Everything it calls is the code the main thread would call, so the output is the
// same bytes either way.

const { config, hashed, w } = workerData as WorkerSetup;
const topics = config.topics.map(compileTopic);
const bodies = new Map<number, { body: string; title: string; summary?: string }>();
let context: RenderContext | undefined;
let slugs = new Map<string, string>();
let tagUrl: ((tag: string) => string | undefined) | undefined;
const encoder = new TextEncoder();
/** Where pages are encoded: hashed and written before the next one, so one buffer serves them all. */
let scratch = new Uint8Array(1 << 20);

/**
 * `text` as UTF-8 in the scratch buffer (valid until the next call): encodeInto() one
 * buffer took half the time of encode() on the corpus's 2,074 pages (15 against
 * 33 ms) and leaves no buffer per page for the collector.
 */
function encodeScratch(text: string): Uint8Array {
  // At most three bytes per UTF-16 code unit.
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  return scratch.subarray(0, encoder.encodeInto(text, scratch).written);
}
const arena = new Arena((w + 1) * 65_536);
/** Every thread's item chunks, to write feeds from. */
const chunks = new Chunks();

function read(jobs: ReadJob[]): ReadDone[] {
  return jobs.map(({ i, source }) => {
    let parsed = oversized(source, config);
    if (!parsed) {
      let bytes: Buffer | undefined;
      try {
        bytes = readFileSync(source.absolute);
      } catch (error) {
        parsed = unreadable(source, error);
      }
      parsed ??= parseFile(source, bytes!, topics, hashed);
    }
    const { entry, body } = parsed;
    if (body !== undefined && entry.raw) bodies.set(i, { body, title: entry.raw.title, summary: entry.raw.summary });
    return { i, entry, held: body !== undefined };
  });
}

function render(jobs: RenderJob[]): RenderDone[] {
  if (!context) throw new Error('render before context');
  return jobs.map((job) => {
    const held = bodies.get(job.i);
    if (!held) throw new Error(`no body held for file #${job.i}`);
    bodies.delete(job.i);
    const { html, summary } = renderContent(held, config, job.article.id, tagUrl);
    const article = { ...job.article, html, summary } as Article;
    const items = job.items.map((request) => arena.put(renderItem(article, request, context!.site)));
    const done: RenderDone = { i: job.i, summary, items };
    if (job.page) {
      const buf = encodeScratch(articlePage(config, context!.main, article, slugs));
      const hash = fileHash(buf);
      const wrote = hash !== job.page.previous;
      if (wrote) storeNow({ target: job.page.target, clear: job.page.clear, parts: [buf] });
      done.page = { hash, bytes: buf.length, wrote };
    }
    return done;
  });
}

function write(batch: WriteBatch): void {
  for (const file of unpackWrites(batch, (ref) => chunks.bytes(ref))) storeNow(file);
}

const separator = separatorPieces();

/** Assemble, check and write feeds, as the main thread would (see feeds/parts.ts). */
function feeds(batch: FeedBatch): FeedsDone {
  const done: FeedsDone = { hashes: [], bytes: [], wrote: new Uint8Array(batch.rels.length) };
  unpackFeeds(batch, (ref) => ({ buf: chunks.bytes(ref), digest: chunks.digest(ref) })).forEach((feed, f) => {
    checkSkeleton(feed.format, feed.frame, feed.rel);
    const { parts, hash } = feedParts(feed.frame, feed.items, separator);
    let bytes = 0;
    for (const part of parts) bytes += part.length;
    if (hash !== feed.previous) {
      storeNow({ target: feed.target, clear: feed.clear, parts });
      done.wrote[f] = 1;
    }
    done.hashes.push(hash);
    done.bytes.push(bytes);
  });
  return done;
}

parentPort!.on('message', (request: Request) => {
  let reply: Reply;
  try {
    let result: unknown;
    if (request.kind === 'read') result = read(request.jobs);
    else if (request.kind === 'render') result = render(request.jobs);
    else if (request.kind === 'write') {
      chunks.add(request.chunks);
      write(request.batch);
    } else if (request.kind === 'feeds') {
      chunks.add(request.chunks);
      result = feeds(request.batch);
    } else if (request.kind === 'release') {
      arena.release();
      chunks.clear();
    } else {
      context = request.context;
      slugs = new Map(context.tagSlugs);
      const urls = context.tagUrls ? new Map(context.tagUrls) : undefined;
      tagUrl = urls ? (tag) => urls.get(foldTag(tag)) : undefined;
    }
    const fresh = arena.takeNew();
    chunks.add(fresh);
    reply = { id: request.id, ok: true, result, chunks: fresh.length ? fresh : undefined };
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), selfCheck: error instanceof SelfCheckError };
  }
  parentPort!.postMessage(reply);
});
