import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { oversized, parseFile, unreadable } from '../archive/entry.js';
import { renderContent } from '../articles/article.js';
import { foldTag } from '../articles/tags.js';
import { compileTopic } from '../articles/topics.js';
import type { Article } from '../core/types.js';
import { piece, renderItem } from '../feeds/items.js';
import { SelfCheckError } from '../feeds/selfcheck.js';
import { fileHash } from '../site/output.js';
import { articlePage } from '../site/pages/render.js';
import type { ReadDone, ReadJob, RenderContext, RenderDone, RenderJob, Reply, Request, WorkerSetup } from './messages.js';

// A worker thread of the build (see pool.ts): it reads and parses article files,
// keeps their bodies, and later renders those articles: HTML, summary, feed items
// and the article page, handed back as bytes. Everything it calls is the code the
// main thread would call, so the output is the same bytes either way.

const { config, hashed } = workerData as WorkerSetup;
const topics = config.topics.map(compileTopic);
const bodies = new Map<number, { body: string; title: string; summary?: string }>();
let context: RenderContext | undefined;
let slugs = new Map<string, string>();
let tagUrl: ((tag: string) => string | undefined) | undefined;
// Its own ArrayBuffer per page, to be transferred (see piece() in feeds/items.ts).
const encoder = new TextEncoder();

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

function render(jobs: RenderJob[], transfer: ArrayBuffer[]): RenderDone[] {
  if (!context) throw new Error('render before context');
  return jobs.map((job) => {
    const held = bodies.get(job.i);
    if (!held) throw new Error(`no body held for file #${job.i}`);
    bodies.delete(job.i);
    const { html, summary } = renderContent(held, config, job.article.id, tagUrl);
    const article = { ...job.article, html, summary } as Article;
    const items = job.items.map((request) => piece(renderItem(article, request, context!.site)));
    const done: RenderDone = { i: job.i, summary, items };
    if (job.page) {
      const buf = encoder.encode(articlePage(config, context!.main, article, slugs));
      done.page = { buf, hash: fileHash(buf) };
      transfer.push(buf.buffer as ArrayBuffer);
    }
    for (const item of items) transfer.push(item.buf.buffer as ArrayBuffer);
    return done;
  });
}

parentPort!.on('message', (request: Request) => {
  const transfer: ArrayBuffer[] = [];
  let reply: Reply;
  try {
    let result: unknown;
    if (request.kind === 'read') result = read(request.jobs);
    else if (request.kind === 'render') result = render(request.jobs, transfer);
    else {
      context = request.context;
      slugs = new Map(context.tagSlugs);
      const urls = context.tagUrls ? new Map(context.tagUrls) : undefined;
      tagUrl = urls ? (tag) => urls.get(foldTag(tag)) : undefined;
    }
    reply = { id: request.id, ok: true, result };
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), selfCheck: error instanceof SelfCheckError };
  }
  parentPort!.postMessage(reply, transfer);
});
