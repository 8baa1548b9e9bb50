import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { bucketName, bucketOf } from '../../src/core/bucket';
import { foldWidthAndCase } from '../../src/core/fold';
import type { PathBucket, TagBucket, TagNames, WorkerSite } from '../../src/core/types';
import app from '../../src/worker/app';

// A build held in memory behind a fake ASSETS binding, for cases the fixture
// build cannot show (an NFD alias, a build without pages, 10,000 tags, a missing
// `_meta/`) and to count what the worker reads.

export interface MemoryTag {
  name: string;
  slug: string;
  aliases?: string[];
  count?: number;
  /** Whether the build wrote its feeds (false: below minTagArticles). */
  feeds?: boolean;
}

export interface MemoryDistOptions {
  tags?: MemoryTag[];
  pages?: boolean;
  buckets?: number;
  topics?: [string, string][];
  /** Leave `_meta/` out, as before the first build. */
  unbuilt?: boolean;
}

export class MemoryDist {
  readonly files = new Map<string, string>();
  readonly reads: string[] = [];

  constructor(options: MemoryDistOptions = {}) {
    const buckets = options.buckets ?? 4;
    const paths: PathBucket[] = Array.from({ length: buckets }, () => ({}));
    const lookup: TagBucket[] = Array.from({ length: buckets }, () => ({}));
    let n = 0;
    const put = (path: string, body: string) => {
      this.files.set(path, body);
      paths[bucketOf(path, buckets)]![path] = [(++n).toString(16).padStart(32, '0'), 1714550400];
    };
    const dir = (prefix: string, title: string) => {
      put(`${prefix}/rss.xml`, `<rss><channel><title>${title}</title></channel></rss>`);
      put(`${prefix}/atom.xml`, `<feed><title>${title}</title></feed>`);
      put(`${prefix}/feed.json`, JSON.stringify({ title }));
      if (options.pages) put(`${prefix}/index.html`, `<!doctype html><title>${title}</title>`);
    };
    dir('', 'Main');
    if (options.pages) put('/tags/index.html', '<!doctype html><title>Tags</title>');
    const tags = options.tags ?? [];
    for (const tag of tags) {
      if (tag.feeds !== false) dir(`/tags/${tag.slug}`, tag.name);
      for (const spelling of [tag.name, tag.slug, ...(tag.aliases ?? [])]) {
        const key = foldWidthAndCase(spelling);
        lookup[bucketOf(key, buckets)]![key] = tag.slug;
      }
    }
    for (const [slug, title] of options.topics ?? []) dir(`/topics/${slug}`, title);
    if (options.unbuilt) return;
    const site: WorkerSite = {
      version: 1,
      title: 'Memory',
      url: 'https://memory.example',
      language: 'en',
      buckets,
      pages: options.pages ?? false,
      maxAge: 60,
      staleWhileRevalidate: 120,
      topics: options.topics ?? [],
    };
    this.files.set('/_meta/site.json', JSON.stringify(site));
    paths.forEach((b, i) => this.files.set(`/_meta/paths/${bucketName(i)}.json`, JSON.stringify(b)));
    lookup.forEach((b, i) => this.files.set(`/_meta/tags/${bucketName(i)}.json`, JSON.stringify(b)));
    const names: TagNames = tags.filter((t) => t.feeds !== false).map((t) => [t.name, t.slug, t.count ?? 1]);
    this.files.set('/_meta/tagnames.json', JSON.stringify(names));
  }

  readonly env = {
    ASSETS: {
      fetch: async (input: RequestInfo | URL): Promise<Response> => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const path = decodeURIComponent(url.pathname);
        this.reads.push(path);
        const body = this.files.get(path);
        return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
      },
      connect: () => {
        throw new Error('not supported');
      },
    } as unknown as Fetcher,
  };

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`http://memory.test${path}`, { redirect: 'manual', ...init }), this.env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }
}
