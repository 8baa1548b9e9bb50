import { foldWidthAndCase } from '../core/fold.js';
import type { WorkerSite } from '../core/types.js';
import { isFeedFile } from './media.js';
import { getTagNames, lookupPath, lookupTag, type Env } from './meta.js';
import { encodePath, type Segment } from './paths.js';
import { notFound, redirect, serveListed } from './respond.js';
import { similar, similarInJson } from './suggest.js';

// `/tags/<tag>/…` and `/topics/<slug>/…`: one folder per feed, named by its slug.
// Any spelling that folds to a known tag (中國 → 中国, ＡＩ or Ai → ai, NFD → NFC)
// is redirected to the slug, so readers subscribe to one URL per feed and caches
// hold one copy; percent-encoded and raw UTF-8 are the same URL and not redirected.

export type FeedKind = 'tags' | 'topics';

const NOUN: Record<FeedKind, [string, string]> = { tags: ['tag', 'tags'], topics: ['topic', 'topics'] };

export async function serveFeedDir(
  env: Env,
  site: WorkerSite,
  request: Request,
  query: string,
  kind: FeedKind,
  segment: Segment,
  rest: readonly Segment[],
  overlong: boolean,
): Promise<Response> {
  // `rest` is empty for `/tags/x`, [''] for `/tags/x/`, [file] for `/tags/x/file`.
  const file = rest[0]?.name;
  if (rest.length > 1 || (file !== undefined && file !== '' && file !== 'index.html' && !isFeedFile(file))) return notFound();
  const slug = overlong ? undefined : await resolve(env, site, kind, segment.name);
  if (slug === undefined) return unknown(env, site, kind, segment.name, file, overlong);

  const dir = `/${kind}/${slug}`;
  const page = `${dir}/index.html`;
  const canonical = (name?: string) => encodePath(name === undefined ? [kind, slug] : [kind, slug, name]);
  // The client's spelling, not its NFC form: an NFD spelling is an alias too.
  const alias = segment.decoded !== slug;

  if (file === undefined || file === '') {
    const pageInfo = await lookupPath(env, page);
    if (pageInfo && file === '' && !alias) return serveListed(env, site, request, page, pageInfo);
    // One hop to where the client will end up: the page's folder URL, or the RSS feed.
    return redirect(site, pageInfo ? `${canonical()}/` : canonical('rss.xml'), query);
  }
  if (alias) return redirect(site, canonical(file), query);
  const path = `${dir}/${file}`;
  const info = await lookupPath(env, path);
  if (!info) return notFound();
  return serveListed(env, site, request, path, info, file === 'index.html' ? {} : { page });
}

/** The slug of the feed folder a spelling names, only if that folder has feeds. */
async function resolve(env: Env, site: WorkerSite, kind: FeedKind, name: string): Promise<string | undefined> {
  const folded = foldWidthAndCase(name);
  let slug: string | undefined;
  if (kind === 'tags') {
    slug = await lookupTag(env, folded);
  } else {
    slug = site.topics.find(([s]) => s === name)?.[0] ?? site.topics.find(([s]) => foldWidthAndCase(s) === folded)?.[0];
  }
  // A tag below minTagArticles is known by spelling but has no feed; a slug the
  // lookup misses still counts when its folder is listed. A folder of that very name
  // comes first: two tags can fold alike (a slug `ai-chips`, another tag's `ＡＩ-chips`),
  // and the lookup names one of them, never the other's own folder.
  for (const candidate of slug === undefined || slug === name ? [name] : [name, slug]) {
    if (await lookupPath(env, `/${kind}/${candidate}/rss.xml`)) return candidate;
  }
  return undefined;
}

async function unknown(
  env: Env,
  site: WorkerSite,
  kind: FeedKind,
  name: string,
  file: string | undefined,
  overlong: boolean,
): Promise<Response> {
  const [noun, plural] = NOUN[kind];
  const shown = [...name].slice(0, 80).join('') + (name.length > 80 ? '…' : '');
  let body = `Not found: there is no ${noun} "${shown}".\n`;
  const suggestions = overlong
    ? []
    : kind === 'tags'
      ? similarInJson(name, await getTagNames(env))
      : similar(
          name,
          site.topics.map(([slug, title]) => ({ name: title, slug })),
        );
  if (suggestions.length > 0) {
    const target = file && isFeedFile(file) ? file : '';
    body += `Similarly spelt ${plural}:\n`;
    for (const s of suggestions) body += `  ${s.name}  ${encodePath([kind, s.slug])}/${target}\n`;
  }
  return notFound(body);
}
