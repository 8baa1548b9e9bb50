import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketName } from '../../src/core/bucket';
import type { Manifest, PathBucket, WorkerSite } from '../../src/core/types';
import worker from '../../src/worker/index';
import { BROWSER_ACCEPT, CSP, ORIGIN, READER_ACCEPT } from './helpers';

// A few thousand hostile requests from a seeded generator, sent to the real entry
// module inside workerd with the fixture build (test/.dist) as its assets. Every
// answer must be below 500, carry nosniff, and be either a file the build listed
// in `_meta/paths` (its ETag is that listing's hash and its bytes are that file's),
// a redirect to a path on this site, or a short plain-text error: never another file.
//
// Deterministic: change SEED to explore other cases; a failure names the case
// number, method, URL and headers, so it replays with the same SEED.
//
// Requests go to `worker.fetch(request, env, ctx)` rather than through
// `exports.default.fetch`: the same code and bindings, without a loopback hop
// that costs ~40 ms per request (a few thousand would take minutes).

const SEED = 0x5eed_f00d;

// ------------------------------------------------------------------ random

class Rng {
  constructor(private state: number) {}
  /** mulberry32: small, fast, and the same sequence on every platform. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** One random code point from ranges a scraped archive or a scanner might send. */
function randomChar(rng: Rng): string {
  const ranges: [number, number][] = [
    [0x21, 0x7e], // printable ASCII, `%`, `/`, `\` and `?` included
    [0x00, 0x1f], // C0 controls, NUL included
    [0x7f, 0xff], // DEL, C1, Latin-1
    [0x300, 0x36f], // combining marks (NFD spellings)
    [0x4e00, 0x9fff], // CJK
    [0xff01, 0xff5e], // full-width ASCII
    [0x202a, 0x202e], // bidi overrides
    [0xd800, 0xdfff], // lone surrogates
    [0xfffe, 0xffff], // noncharacters
    [0x1f300, 0x1f6ff], // emoji (astral)
    [0xfeff, 0xfeff], // BOM
  ];
  const [lo, hi] = rng.pick(ranges);
  return String.fromCodePoint(rng.int(lo, hi));
}

function randomText(rng: Rng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += randomChar(rng);
  return text;
}

/**
 * Percent-encode like a client would, but also lone surrogates (as the WTF-8
 * bytes `%ED%A0%80` that workerd itself produces for them), in random hex case.
 */
function pct(rng: Rng | undefined, text: string, keep = /[A-Za-z0-9\-._~]/): string {
  let out = '';
  for (const ch of text) {
    if (keep.test(ch)) {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    const bytes =
      cp < 0x80
        ? [cp]
        : cp < 0x800
          ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
          : cp < 0x10000
            ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
            : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    for (const b of bytes) {
      const hex = b.toString(16).padStart(2, '0');
      out += `%${rng?.chance(0.3) ? hex : hex.toUpperCase()}`;
    }
  }
  return out;
}

/** Full-width forms of printable ASCII (`ai` → `ａｉ`), which NFKC folds back. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

function mixedCase(rng: Rng, text: string): string {
  return [...text].map((ch) => (rng.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

// ------------------------------------------------------------------ the build

interface Fixture {
  /** Every listed path (decoded, NFC) and its hash (the ETag's value). */
  listed: Map<string, string>;
  /** Listed hash → SHA-256 of the bytes of the files listed with it. */
  digests: Map<string, Set<string>>;
  manifest: Manifest;
}

let fixture: Fixture;

async function assetBytes(path: string): Promise<ArrayBuffer> {
  const res = await env.ASSETS.fetch(new Request(ORIGIN + path.split('/').map(encodeURIComponent).join('/')));
  if (res.status !== 200) throw new Error(`fixture file ${path}: ${res.status} (run npm run build:fixture)`);
  return res.arrayBuffer();
}

const assetJson = async <T>(path: string): Promise<T> => JSON.parse(new TextDecoder().decode(await assetBytes(path))) as T;

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

beforeAll(async () => {
  const site = await assetJson<WorkerSite>('/_meta/site.json');
  const listed = new Map<string, string>();
  for (let i = 0; i < site.buckets; i++) {
    const bucket = await assetJson<PathBucket>(`/_meta/paths/${bucketName(i)}.json`);
    for (const [path, [hash]] of Object.entries(bucket)) listed.set(path, hash);
  }
  // The listed hash identifies the content but is not always a digest of the bytes
  // (feeds hash their parts): learn which bytes each listed hash stands for.
  const digests = new Map<string, Set<string>>();
  await Promise.all(
    [...listed].map(async ([path, hash]) => {
      const digest = await sha256(await assetBytes(path));
      digests.set(hash, (digests.get(hash) ?? new Set()).add(digest));
    }),
  );
  fixture = { listed, digests, manifest: await assetJson<Manifest>('/manifest.json') };
  expect(listed.size).toBeGreaterThan(50);
});

/** The URL of a listed file: an article's page (`/articles/<id>.html`) is served at `/articles/<id>/index.html` (and `/articles/<id>/`). */
const urlOfListed = (path: string) => path.replace(/^\/articles\/([^/.]+)\.html$/, '/articles/$1/index.html');
const listedOfUrl = (path: string) => path.replace(/^\/articles\/([^/.]+)\/index\.html$/, '/articles/$1.html');

/** Files that exist next to the build, or on any machine, and must never be served. */
const OUTSIDE = ['wrangler.toml', 'package.json', 'package-lock.json', 'etc/passwd', '.git/config', 'src/worker/app.ts', 'node_modules/hono/package.json', '.dev.vars', 'windows/win.ini'];
/** Text of those files (and of the worker's private `_meta/`), none of which a page or feed contains. */
const LEAK_MARKERS = ['compatibility_date', '"devDependencies"', '"lockfileVersion"', 'root:x:0:0', '[core]\n', '"buckets":', 'import { Hono }', '[fonts]'];

// ------------------------------------------------------------------ requests

interface Case {
  method: string;
  /** Path and query, as handed to `new Request` (which normalizes like workerd's URL parser). */
  target: string;
  headers: [string, string][];
}

const TRAVERSALS = [
  '..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2e', '..%2F', '..%2f..%2f', '%2e%2e%2f', '%2e%2e%2F%2e%2e%2F', '..%5C', '..%5c..%5c',
  '%5C..%5C', '..\\', '..\\..\\', '%252e%252e%252f', '%c0%ae%c0%ae', '%c0%af', '%e0%80%ae', '..;', '..%00', '..%2F%00', '....//', '.../', '%uff0e%uff0e',
  '%ef%bc%8e%ef%bc%8e', '．．', '..%u2215', '%2e%2e%c0%af',
];
const BAD_PERCENT = ['%', '%%', '%G1', '%zz', '%1', '%E8%8A', '%E8', '%ED%A0%80', '%ED%BF%BF', '%C0%AF', '%C0%80', '%FF', '%FE%FF', '%F4%90%80%80', '%F8%88%80%80%80', '%80', '%25', '%2', '%u0041', '%%32%65'];
const CONTROLS = ['%00', '%01', '%07', '%08', '%09', '%0A', '%0D', '%0D%0ASet-Cookie:%20x=1', '%0d%0aLocation:%20//evil.example', '%1B', '%1F', '%7F', '%C2%85', '%E2%80%A8', '\u0000', '\u0001', '\t', '\n', '\r\n', '\u007f'];
const SUFFIXES = ['/', '/index.html', ';x=1', '%20', '+', '.', '~', '.bak', '#frag', '?', '?a=1', '/rss.xml', '/feed.json', '/.', '/..', '%2F', '%5C', '::$DATA', '%3F', '%23'];

class Generator {
  readonly rng: Rng;
  private readonly routes: string[];
  private readonly tags: { spellings: string[] }[];

  constructor(seed: number) {
    this.rng = new Rng(seed);
    // Listed routes (minus `index.html` for folders now and then), plus paths of files that must never be served.
    // An article's page is listed as the file it is stored in, served at its folder's URL.
    this.routes = [...fixture.listed.keys()].map(urlOfListed).sort();
    this.tags = fixture.manifest.tags.map((t) => ({ spellings: [t.name, t.slug, ...t.aliases] }));
  }

  route(): string {
    const r = this.rng;
    const roll = r.next();
    if (roll < 0.15) return `/${r.pick(OUTSIDE)}`;
    if (roll < 0.25) return r.pick(['/_meta/site.json', '/_meta/tagnames.json', '/_meta/paths/000.json', '/_meta/tags/000.json', '/_meta/', '/%5Fmeta/site.json']);
    if (roll < 0.5) return this.tagRoute();
    const path = r.pick(this.routes);
    return path.endsWith('/index.html') && r.chance(0.5) ? path.slice(0, -'index.html'.length) : path;
  }

  /** A tag feed or page under any spelling: slug, name, alias, case, width, NFD, raw or encoded. */
  tagRoute(): string {
    const r = this.rng;
    let name = r.pick(r.pick(this.tags).spellings);
    const respell = r.next();
    if (respell < 0.15) name = name.toUpperCase();
    else if (respell < 0.3) name = mixedCase(r, name);
    else if (respell < 0.4) name = fullWidth(name);
    else if (respell < 0.5) name = name.normalize('NFD');
    else if (respell < 0.55) name = ` ${name} `;
    else if (respell < 0.6) name = name + randomText(r, r.int(1, 3));
    const segment = r.chance(0.5) ? pct(r, name) : name;
    const kind = r.chance(0.85) ? 'tags' : 'topics';
    return `/${kind}/${segment}/${r.pick(['rss.xml', 'atom.xml', 'feed.json', '', 'index.html', 'RSS.XML', 'nope.xml'])}`;
  }

  /** A route with one to three hostile mutations. */
  hostilePath(): string {
    const r = this.rng;
    let path = this.route();
    for (let n = r.int(1, 3); n > 0; n--) path = this.mutate(path);
    return path;
  }

  mutate(path: string): string {
    const r = this.rng;
    const parts = path.split('/');
    const at = r.int(1, Math.max(1, parts.length - 1));
    switch (r.int(0, 10)) {
      case 0: {
        // Traversal segments before a target outside the build.
        const climb = Array.from({ length: r.int(1, 6) }, () => r.pick(TRAVERSALS)).join(r.pick(['/', '%2F', '%5C', '\\']));
        parts.splice(at, 0, climb, ...(r.chance(0.6) ? [r.pick(OUTSIDE)] : []));
        return parts.join('/');
      }
      case 1: {
        const seg = parts[at] ?? '';
        const cut = r.int(0, seg.length);
        parts[at] = seg.slice(0, cut) + r.pick(BAD_PERCENT) + seg.slice(cut);
        return parts.join('/');
      }
      case 2: {
        const seg = parts[at] ?? '';
        const cut = r.int(0, seg.length);
        parts[at] = seg.slice(0, cut) + r.pick(CONTROLS) + seg.slice(cut);
        return parts.join('/');
      }
      case 3:
        // Empty segments, protocol-relative and backslash prefixes (open-redirect bait).
        return r.pick([
          () => path.replace('/', '//'),
          () => `//evil.example${path}`,
          () => `/\\evil.example${path}`,
          () => `/%2F%2Fevil.example${path}`,
          () => `/%5C%5Cevil.example${path}`,
          () => path.replaceAll('/', r.pick(['//', '/./', '%2F', '%2f', '\\', '%5C'])).replace(/^[^/]*/, '/'),
          () => `${path}//`,
        ])();
      case 4: {
        // A segment over 255 bytes (a file name cannot be that long).
        const long = r.chance(0.5) ? 'a'.repeat(r.int(256, 1200)) : pct(r, randomText(r, r.int(90, 400)));
        parts.splice(at, r.chance(0.5) ? 1 : 0, long);
        return parts.join('/');
      }
      case 5: {
        // The whole URL over 8 KB.
        const unit = r.pick(['a/', '..%2F', '%E4%B8%AD', 'x'.repeat(250) + '/', '%2e%2e/', '%']);
        return path + unit.repeat(Math.ceil(r.int(8193, 12000) / unit.length));
      }
      case 6: {
        // Random UTF-8, raw or encoded, in place of a segment.
        const text = randomText(r, r.int(1, 24));
        parts[at] = r.chance(0.5) ? pct(r, text) : text;
        return parts.join('/');
      }
      case 7:
        return path + r.pick(SUFFIXES);
      case 8: {
        // A query string: odd, encoded CR/LF (echoed into redirects), or huge.
        const q = r.pick([
          () => 'utm_source=x&a=%0D%0ASet-Cookie:%20y=1',
          () => pct(r, randomText(r, r.int(1, 40)), /[A-Za-z0-9=&]/),
          () => randomText(r, r.int(1, 20)),
          () => `x=${'q'.repeat(r.int(8193, 10000))}`,
          () => '../../wrangler.toml',
          () => '',
        ])();
        return `${path}?${q}`;
      }
      case 9:
        return mixedCase(r, path);
      default:
        // The leading `/` stays ASCII: `http://feeds.test／…` would be another host.
        return `/${r.chance(0.5) ? fullWidth(path.slice(1)) : path.slice(1).normalize('NFD')}`;
    }
  }

  /** Hostile validators and negotiation headers, or none. */
  headers(path: string): [string, string][] {
    const r = this.rng;
    const headers: [string, string][] = [];
    const hash = fixture.listed.get(listedOfUrl(path)) ?? fixture.listed.get(listedOfUrl(`${path}index.html`)) ?? r.pick([...fixture.digests.keys()]);
    if (r.chance(0.6)) headers.push(['If-None-Match', this.ifNoneMatch(hash)]);
    if (r.chance(0.5)) headers.push(['If-Modified-Since', this.ifModifiedSince()]);
    if (r.chance(0.5)) headers.push(['Accept', this.accept()]);
    if (r.chance(0.2)) {
      headers.push(
        r.pick<[string, string]>([
          ['Range', r.pick(['bytes=0-10', 'bytes=-1', 'bytes=9999999-', 'bytes=a-b', 'lines=1-2'])],
          ['Accept-Encoding', r.pick(['gzip, br', 'identity;q=0, *;q=0', '*', 'x'.repeat(5000)])],
          ['Cookie', `a=${'b'.repeat(r.int(100, 20000))}`],
          ['Origin', r.pick(['null', 'https://evil.example', 'x'.repeat(3000)])],
          ['X-Forwarded-Host', 'evil.example'],
          ['If-Match', r.pick(['*', '"x"', 'garbage'])],
          ['If-Unmodified-Since', this.ifModifiedSince()],
          ['If-Range', r.pick(['"x"', 'yesterday'])],
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['X-Garbage', this.garbage(r.int(1, 3000))],
        ]),
      );
    }
    return headers;
  }

  /** Printable ASCII and the controls a header value may carry (not NUL, CR or LF). */
  garbage(length: number): string {
    const r = this.rng;
    let text = '';
    // Up to 2 KB of fresh randomness, repeated to the length (100 KB values stay cheap to make).
    for (let i = 0; i < Math.min(length, 2048); i++) {
      const c = r.chance(0.95) ? r.int(0x20, 0x7e) : r.pick([0x01, 0x07, 0x09, 0x0b, 0x1b, 0x7f]);
      text += String.fromCharCode(c);
    }
    return text.repeat(Math.ceil(length / text.length)).slice(0, length);
  }

  ifNoneMatch(hash: string): string {
    const r = this.rng;
    const tags = (n: number) => Array.from({ length: n }, () => `${r.chance(0.3) ? 'W/' : ''}"${r.int(0, 2 ** 31).toString(16)}"`);
    return r.pick([
      () => `"${hash}"`,
      () => `W/"${hash}"`,
      () => '*',
      () => ' * ',
      () => '',
      () => `${tags(r.int(1000, 5000)).join(', ')}, "${hash}"`,
      () => tags(r.int(1000, 5000)).join(','),
      () => this.garbage(100 * 1024),
      () => '"'.repeat(r.int(1, 50_000)),
      () => `"${hash}`,
      () => `${hash}`,
      () => ','.repeat(10_000),
      () => 'W/'.repeat(10_000),
      () => `"${'a'.repeat(100 * 1024)}"`,
      () => `"${hash}"${'"'.repeat(1000)}`,
    ])();
  }

  ifModifiedSince(): string {
    const r = this.rng;
    return r.pick([
      () => 'yesterday',
      () => '31 Feb 2024',
      () => 'Sat, 31 Feb 2024 00:00:00 GMT',
      () => 'Tue, 30 Feb 2021 25:61:61 GMT',
      () => 'A'.repeat(10 * 1024),
      () => this.garbage(10 * 1024),
      () => new Date().toUTCString(),
      () => 'Fri, 31 Dec 9999 23:59:59 GMT',
      () => 'Mon, 01 Jan 0000 00:00:00 GMT',
      () => 'Thu, 01 Jan 1970 00:00:00 GMT',
      () => 'Sun Nov  6 08:49:37 1994',
      () => 'Sunday, 06-Nov-94 08:49:37 GMT',
      () => 'Sunday, 06-Nov-49 08:49:37 GMT',
      () => '-1',
      () => 'NaN',
      () => String(Date.now()),
      () => `  ${new Date(Date.now() + 86_400_000).toUTCString()}  `,
      () => 'sat, 01 jan 2000 00:00:00 gmt',
      () => `${new Date().toUTCString()}, ${new Date().toUTCString()}`,
      () => 'Sat, 01 Jan 2000 00:00:00 GMT'.repeat(300),
    ])();
  }

  accept(): string {
    const r = this.rng;
    return r.pick([
      () => BROWSER_ACCEPT,
      () => READER_ACCEPT,
      () => '',
      () => '*/*',
      () => 'text/html',
      () => 'text/html;q=abc',
      () => 'text/html;q=NaN, application/rss+xml;q=-1',
      () => 'text/html;q=1e400, application/atom+xml;q=-0',
      () => ';;;,,,;=;q=',
      () => '/',
      () => '*/html',
      () => 'application/xhtml+xml;q=0.9, */*;q=0.95',
      () => 'text/html, '.repeat(1000),
      () => Array.from({ length: 5000 }, (_, i) => `type${i}/sub${i};q=0.${i % 10}`).join(','),
      () => 'TEXT/HTML',
      () => 'text/html;level=1;q=0.5;q=1',
      () => this.garbage(r.int(1, 6000)),
    ])();
  }
}

const ODD_METHODS = ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'PURGE', 'get', 'head', 'post', 'patch', 'options'];
/** Tokens workerd's `Request` refuses ("Invalid HTTP method string"): no worker ever sees them. */
const UNKNOWN_METHODS = ['FOO', 'M-SEARCH', 'CONNECT', 'TRACK', 'X'.repeat(100), 'G@T', 'GET ', 'BREW'];

// ------------------------------------------------------------------ checks

const short = (text: string, max = 140) => (text.length > max ? `${JSON.stringify(text.slice(0, max))}… (${text.length} chars)` : JSON.stringify(text));

function describeCase(i: number, c: Case): string {
  const headers = c.headers.map(([k, v]) => `${k}: ${short(v, 40)}`).join('; ');
  return `#${i} ${c.method.slice(0, 20)} ${short(c.target)}${headers ? ` [${headers}]` : ''}`;
}

const TEXT_PLAIN = 'text/plain; charset=utf-8';
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Everything wrong with one answer; empty when it is sane. */
async function problems(c: Case, res: Response): Promise<string[]> {
  const found: string[] = [];
  const bytes = await res.arrayBuffer();
  const body = new TextDecoder().decode(bytes);
  const method = c.method.toUpperCase();
  const h = (name: string) => res.headers.get(name);

  if (res.status >= 500) found.push(`status ${res.status}: ${short(body, 200)}`);
  if (h('X-Content-Type-Options') !== 'nosniff') found.push(`X-Content-Type-Options: ${h('X-Content-Type-Options')}`);
  for (const marker of LEAK_MARKERS) if (body.includes(marker)) found.push(`body contains ${JSON.stringify(marker)}`);

  if (method !== 'GET' && method !== 'HEAD') {
    if (res.status !== 405) found.push(`${method} answered ${res.status}, not 405`);
    if (h('Allow') !== 'GET, HEAD') found.push(`405 without Allow: GET, HEAD (${h('Allow')})`);
  }
  switch (res.status) {
    case 200: {
      const etag = h('ETag');
      const hash = /^"([0-9a-f]{32})"$/.exec(etag ?? '')?.[1];
      if (!hash) found.push(`200 with ETag ${etag}`);
      else if (!fixture.digests.has(hash)) found.push(`200 with an ETag the build did not list (${etag})`);
      else if (method === 'GET' && !fixture.digests.get(hash)!.has(await sha256(bytes))) found.push(`200 body is not the file its ETag names (${etag})`);
      if (method === 'HEAD' && bytes.byteLength !== 0) found.push(`HEAD with a ${bytes.byteLength}-byte body`);
      const type = h('Content-Type') ?? '';
      if (!/^(text\/(html|css|javascript|x-opml)|application\/(rss\+xml|atom\+xml|feed\+json|json|xml))(; charset=utf-8)?$/.test(type)) found.push(`200 Content-Type ${type}`);
      if (type.startsWith('text/html') && h('Content-Security-Policy') !== CSP) found.push('HTML without the CSP');
      break;
    }
    case 304:
      if (bytes.byteLength !== 0) found.push('304 with a body');
      if (!c.headers.some(([k]) => k === 'If-None-Match' || k === 'If-Modified-Since')) found.push('304 without a validator in the request');
      if (!h('ETag')) found.push('304 without ETag');
      break;
    case 301: {
      const location = h('Location') ?? '';
      // Path-absolute on this site: `//host` or `/\host` would be an open redirect.
      if (!/^\/(?![/\\])/.test(location)) found.push(`301 to ${short(location)}`);
      if (CONTROL_CHAR.test(location) || /[\r\n]/.test(location) || /[^\x21-\x7e]/.test(location)) found.push(`301 Location not a plain URI: ${short(location)}`);
      const pathPart = location.split('?')[0]!;
      if (/(^|\/)(\.|\.\.|%2e%2e|%2e)(\/|$)/i.test(pathPart) || /%2f|%5c|%00/i.test(pathPart)) found.push(`301 to a dot or encoded-slash path: ${short(location)}`);
      if (bytes.byteLength !== 0) found.push('301 with a body');
      break;
    }
    case 400:
    case 404:
    case 405: {
      if (h('Content-Type') !== TEXT_PLAIN) found.push(`${res.status} Content-Type ${h('Content-Type')}`);
      if (method !== 'HEAD') {
        if (!/^(Bad request: |Not found|Method not allowed)/.test(body)) found.push(`${res.status} body ${short(body, 80)}`);
        // Errors are short; a tag name is echoed, cut to 80 characters, with up to five suggestions.
        if (bytes.byteLength > 4096) found.push(`${res.status} body of ${bytes.byteLength} bytes`);
        if (CONTROL_CHAR.test(body)) found.push(`${res.status} body with a control character: ${short(body, 80)}`);
      } else if (bytes.byteLength !== 0) {
        found.push(`HEAD ${res.status} with a body`);
      }
      break;
    }
    default:
      found.push(`unexpected status ${res.status}`);
  }
  return found;
}

/** Send every case (a few at a time) and return the failures, described. */
async function run(cases: Case[], refused?: (c: Case, error: unknown) => boolean): Promise<{ failures: string[]; statuses: Map<number, number> }> {
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  const BATCH = 32;
  for (let start = 0; start < cases.length; start += BATCH) {
    await Promise.all(
      cases.slice(start, start + BATCH).map(async (c, j) => {
        const i = start + j;
        let request: Request;
        try {
          request = new Request(ORIGIN + c.target, { method: c.method, headers: c.headers, redirect: 'manual' });
        } catch (error) {
          if (refused?.(c, error)) {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          } else {
            failures.push(`${describeCase(i, c)}: the request could not be made: ${short(String(error), 200)}`);
          }
          return;
        }
        try {
          const ctx = createExecutionContext();
          const res = await worker.fetch(request, env, ctx);
          await waitOnExecutionContext(ctx);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          for (const p of await problems(c, res)) failures.push(`${describeCase(i, c)} → ${res.status}: ${p}`);
        } catch (error) {
          failures.push(`${describeCase(i, c)}: threw ${short(String((error as Error).stack ?? error), 600)}`);
        }
      }),
    );
  }
  return { failures, statuses };
}

/** The first few failures and a count, so a bad run stays readable. */
function summary(failures: string[]): string[] {
  return failures.length <= 15 ? failures : [...failures.slice(0, 15), `… and ${failures.length - 15} more`];
}

// ------------------------------------------------------------------ tests

describe(`fuzz (seed ${SEED.toString(16)}): hostile requests never 5xx, never a file outside the build`, () => {
  it('2,000 hostile paths (GET and HEAD)', async () => {
    const g = new Generator(SEED);
    const cases: Case[] = Array.from({ length: 2000 }, () => ({
      method: g.rng.chance(0.8) ? 'GET' : 'HEAD',
      target: g.hostilePath(),
      headers: g.rng.chance(0.2) ? g.headers('') : [],
    }));
    const { failures, statuses } = await run(cases);
    expect(summary(failures)).toEqual([]);
    // The generator really reaches every branch: refusals, misses and files (redirects: next test).
    for (const status of [200, 400, 404]) expect(statuses.get(status) ?? 0, `${status}s in ${[...statuses]}`).toBeGreaterThan(10);
    expect(statuses.get(400)!, 'most mutated paths are refused').toBeGreaterThan(500);
  }, 20_000);

  it('1,200 hostile validators, Accept and other headers on real routes', async () => {
    const g = new Generator(SEED + 1);
    const cases: Case[] = Array.from({ length: 1200 }, () => {
      const target = g.route();
      const decoded = (() => {
        try {
          return decodeURIComponent(target);
        } catch {
          return target;
        }
      })();
      return { method: g.rng.chance(0.85) ? 'GET' : 'HEAD', target, headers: g.headers(decoded) };
    });
    const { failures, statuses } = await run(cases);
    expect(summary(failures)).toEqual([]);
    for (const status of [200, 301, 304, 404]) expect(statuses.get(status) ?? 0, `${status}s in ${[...statuses]}`).toBeGreaterThan(10);
  }, 20_000);

  it('800 requests with every method, on real and hostile paths', async () => {
    const g = new Generator(SEED + 2);
    const cases: Case[] = Array.from({ length: 800 }, () => ({
      method: g.rng.chance(0.75) ? g.rng.pick(ODD_METHODS) : g.rng.pick(UNKNOWN_METHODS),
      target: g.rng.chance(0.5) ? g.route() : g.hostilePath(),
      headers: g.rng.chance(0.3) ? g.headers('') : [],
    }));
    const { failures, statuses } = await run(cases, (c, error) => UNKNOWN_METHODS.includes(c.method) && /Invalid HTTP method/.test(String(error)));
    expect(summary(failures)).toEqual([]);
    expect(statuses.get(405)).toBeGreaterThan(400);
  }, 20_000);

  it('the generator is deterministic', () => {
    const sample = (seed: number) => {
      const g = new Generator(seed);
      return Array.from({ length: 200 }, () => `${g.hostilePath()} ${JSON.stringify(g.headers('/rss.xml')).length}`);
    };
    expect(sample(SEED)).toEqual(sample(SEED));
    expect(sample(SEED)).not.toEqual(sample(SEED + 1));
  });
});
