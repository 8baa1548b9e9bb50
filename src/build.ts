import { discover, mapLimit, readSource, type SourceFile } from './archive/discover.js';
import { decodeFile } from './archive/decode.js';
import { firstCommitDates } from './archive/git-dates.js';
import { readArticle } from './archive/read.js';
import { Report } from './archive/report.js';
import { toArticle } from './articles/article.js';
import { assignIds } from './articles/ids.js';
import { foldTag, indexTags, type TagGroup } from './articles/tags.js';
import { compileTopic, matchesTopic, searchableText } from './articles/topics.js';
import type { Article, Config, DateSource, FeedFormat, FeedSpec, Manifest, Problem, RawArticle, TagNames } from './core/types.js';
import { atomEntry, atomFeed, updatedEntries } from './feeds/atom.js';
import { jsonFeed, jsonItem } from './feeds/jsonfeed.js';
import { renderOpml } from './feeds/opml.js';
import { byDateDesc, planFeeds, type TagFeedInput, type TopicFeedInput } from './feeds/plan.js';
import { rssFeed, rssItem } from './feeds/rss.js';
import { checkJson, checkXml, checkXmlFragment } from './feeds/selfcheck.js';
import type { SiteInfo } from './feeds/site.js';
import { feedPath } from './feeds/urls.js';
import { buildManifest } from './site/manifest.js';
import { Output } from './site/output.js';
import { COPY_JS, STYLE_CSS } from './site/pages/assets.js';
import { articlePage, feedPage, homePage, tagIndexPage } from './site/pages/render.js';
import { writeWorkerMeta, type PathMeta } from './site/worker-meta.js';

export interface BuildOptions {
  archiveDir: string;
  outDir: string;
  config: Config;
  /** What "now" is for future-dated articles; defaults to the clock. Never written anywhere. */
  now?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface BuildResult {
  /** Article files found (README.md index files are not articles). */
  found: number;
  published: number;
  drafts: number;
  future: number;
  problems: Problem[];
  dateSources: Record<DateSource, number>;
  tags: number;
  tagFeeds: number;
  topics: number;
  feeds: number;
  files: number;
  bytes: number;
  bytesByFormat: Record<FeedFormat | 'html' | 'other', number>;
  manifest: Manifest;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const { config, archiveDir } = options;
  const now = options.now ?? Date.now();
  const progress = options.onProgress ?? (() => {});
  const report = new Report();

  // 1. archive → raw articles (files in path order, read concurrently).
  const sources = await discover(archiveDir, config.pattern);
  let read = 0;
  const raws = await mapLimit(sources, 32, async (source) => {
    const raw = await readOne(source, config, report);
    progress('read', ++read, sources.length);
    return raw;
  });

  // 2. dates: front matter → stamp → first commit → modification time.
  const missing = raws.some((r) => r && r.date === undefined);
  const gitDates = missing ? firstCommitDates(archiveDir) : new Map<string, number>();
  const dateSources: Record<DateSource, number> = { 'front-matter': 0, stamp: 0, git: 0, mtime: 0 };
  const dated: { raw: RawArticle; date: number; dateSource: DateSource }[] = [];
  let drafts = 0;
  let future = 0;
  const horizon = now + config.futureGraceHours * 3_600_000;
  raws.forEach((raw, i) => {
    if (!raw) return;
    let date = raw.date;
    let dateSource: DateSource | undefined = raw.dateSource;
    if (date === undefined) {
      const committed = gitDates.get(raw.file);
      [date, dateSource] = committed !== undefined ? [committed, 'git'] : [sources[i]!.mtimeMs, 'mtime'];
    }
    if (raw.draft) {
      drafts++;
      return;
    }
    if (date > horizon) {
      future++;
      report.warn(raw.file, `dated ${new Date(date).toISOString()}, in the future: kept out of feeds and pages until then`);
      return;
    }
    dateSources[dateSource!]++;
    dated.push({ raw, date, dateSource: dateSource! });
  });

  // 3. tags merged across spellings; ids made stable and unique.
  const tagIndex = indexTags(dated.map((d) => d.raw));
  const ids = assignIds(
    dated.map((d) => d.raw),
    report,
  );
  const tagUrl =
    config.wikiLinks === 'link'
      ? (tag: string) => {
          const group = tagIndex.byKey.get(foldTag(tag));
          return group ? `${config.siteUrl}/tags/${encodeURIComponent(group.slug)}/` : undefined;
        }
      : undefined;

  // 4. render each article's HTML once; every feed and page reuses it.
  const topics = config.topics.map(compileTopic);
  const topicHits: Article[][] = topics.map(() => []);
  const articles: Article[] = dated.map((d, i) => {
    const tags = canonicalTags(d.raw.tags, tagIndex.byKey);
    const article = toArticle(d.raw, { config, tags, id: ids[i]!, date: d.date, dateSource: d.dateSource, tagUrl });
    const text = searchableText(d.raw.body);
    topics.forEach((topic, t) => {
      if (matchesTopic(topic, article, text)) topicHits[t]!.push(article);
    });
    d.raw.body = ''; // the Markdown is no longer needed: let it go on a 175 MB archive
    progress('render', i + 1, dated.length);
    return article;
  });
  articles.sort(byDateDesc);

  // 5. which articles go in which feed.
  const tagLists = new Map<TagGroup, Article[]>();
  for (const article of articles) {
    for (const tag of article.tags) {
      const group = tagIndex.byKey.get(foldTag(tag))!;
      let list = tagLists.get(group);
      if (!list) tagLists.set(group, (list = []));
      if (list.length < config.tagItems) list.push(article);
    }
  }
  const tagGroups = tagIndex.groups.filter((g) => g.count >= config.minTagArticles);
  const tagInputs: TagFeedInput[] = tagGroups.map((g) => ({ name: g.name, slug: g.slug, articles: tagLists.get(g) ?? [] }));
  const topicInputs: TopicFeedInput[] = config.topics.map((t, i) => ({
    slug: t.slug,
    title: t.title,
    description: t.description,
    articles: topicHits[i]!.sort(byDateDesc).slice(0, config.topicItems),
  }));
  const specs = planFeeds(config, articles, tagInputs, topicInputs);

  // 6. write feeds, pages, OPML, manifest and the worker's lookup into a staging folder.
  const output = await Output.open(options.outDir);
  try {
    const site: SiteInfo = { title: config.title, siteUrl: config.siteUrl, language: config.language };
    const paths: PathMeta[] = [];
    const bytesByFormat: BuildResult['bytesByFormat'] = { rss: 0, atom: 0, json: 0, html: 0, other: 0 };
    const put = (rel: string, content: string, lastModified: number, kind: keyof BuildResult['bytesByFormat']) => {
      const file = output.write(rel, content);
      bytesByFormat[kind] += file.bytes;
      paths.push({ path: `/${rel}`, hash: file.hash, lastModified });
      return file;
    };
    const items = new FeedItems(site);
    let done = 0;
    for (const spec of specs) {
      put(feedPath(spec, 'rss'), items.rss(spec), spec.updated, 'rss');
      put(feedPath(spec, 'atom'), items.atom(spec), spec.updated, 'atom');
      put(feedPath(spec, 'json'), items.json(spec), spec.updated, 'json');
      await output.drain();
      progress('feeds', ++done, specs.length);
    }

    const main = specs[0]!;
    const topicSpecs = specs.filter((s) => s.kind === 'topic');
    const manifestTags = tagGroups.map((g) => ({ name: g.name, slug: g.slug, aliases: g.aliases, count: g.count }));
    const manifestTopics = topicInputs.map((t, i) => ({ slug: t.slug, title: t.title, count: topicHits[i]!.length }));
    put('index.html', homePage(config, main, topicSpecs, manifestTags), main.updated, 'html');
    put('tags/index.html', tagIndexPage(config, main, manifestTags), main.updated, 'html');
    for (const spec of specs) {
      if (spec.kind === 'main') continue;
      put(`${spec.dir}/index.html`, feedPage(config, main, spec), spec.updated, 'html');
      await output.drain();
    }
    if (config.articlePages) {
      const slugs = new Map(tagGroups.map((g) => [g.name, g.slug]));
      done = 0;
      for (const article of articles) {
        put(`articles/${article.id}/index.html`, articlePage(config, main, article, slugs), article.updated, 'html');
        await output.drain();
        progress('pages', ++done, articles.length);
      }
    }
    const newest = main.updated;
    put('style.css', STYLE_CSS, Date.UTC(2026, 0, 1), 'other');
    put('copy.js', COPY_JS, Date.UTC(2026, 0, 1), 'other');
    put('opml.xml', renderOpml(specs, site), newest, 'other');
    const manifest = buildManifest(config, articles.length, specs, output.files, manifestTags, manifestTopics);
    put('manifest.json', `${JSON.stringify(manifest)}\n`, newest, 'other');
    const tagNames: TagNames = tagGroups.map((g) => [g.name, g.slug, g.count]);
    writeWorkerMeta(output, config, paths, tagIndex.lookup, tagNames);
    await output.commit();

    return {
      found: sources.length,
      published: articles.length,
      drafts,
      future,
      problems: sortProblems(report.problems),
      dateSources,
      tags: tagIndex.groups.length,
      tagFeeds: tagGroups.length,
      topics: topicSpecs.length,
      feeds: specs.length * 3,
      files: output.files.size,
      bytes: output.bytes,
      bytesByFormat,
      manifest,
    };
  } catch (error) {
    await output.abandon();
    throw error;
  }
}

async function readOne(source: SourceFile, config: Config, report: Report): Promise<RawArticle | undefined> {
  if (source.bytes > config.maxFileBytes) {
    report.skip(source.file, `larger than maxFileBytes (${source.bytes} > ${config.maxFileBytes} bytes)`);
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = await readSource(source);
  } catch (error) {
    report.skip(source.file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
  const decoded = decodeFile(bytes);
  if ('skip' in decoded) {
    report.skip(source.file, decoded.skip);
    return undefined;
  }
  if (decoded.repaired) report.warn(source.file, decoded.repaired);
  return readArticle(source.file, decoded.text, report);
}

/** An article's tags as their groups' names, once each, in order of first appearance. */
function canonicalTags(tags: readonly string[], byKey: ReadonlyMap<string, TagGroup>): string[] {
  const out: string[] = [];
  const seen = new Set<TagGroup>();
  for (const tag of tags) {
    const group = byKey.get(foldTag(tag))!;
    if (!seen.has(group)) {
      seen.add(group);
      out.push(group.name);
    }
  }
  return out;
}

/** Problems in file order (reading is concurrent; the report must not be). */
function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => [p, i] as const)
    .sort((a, b) => (a[0].file < b[0].file ? -1 : a[0].file > b[0].file ? 1 : a[1] - b[1]))
    .map(([p]) => p);
}

/**
 * Serialized items, cached per article and content mode: an article in the main
 * feed and in twenty tag feeds is escaped and serialized once, not twenty-one times.
 * Each fragment and each feed skeleton is parsed once (see feeds/selfcheck.ts).
 */
class FeedItems {
  private readonly cache = new Map<string, Map<Article, string>>();

  constructor(private readonly site: SiteInfo) {}

  rss(spec: FeedSpec): string {
    checkXml(rssFeed(spec, this.site, []), `the RSS skeleton of ${feedPath(spec, 'rss')}`);
    const items = spec.articles.map((a) => this.cached(`rss:${spec.content}`, a, () => rssItem(a, spec.content), checkXmlFragment));
    return rssFeed(spec, this.site, items);
  }

  atom(spec: FeedSpec): string {
    checkXml(atomFeed(spec, this.site, []), `the Atom skeleton of ${feedPath(spec, 'atom')}`);
    const updated = updatedEntries(spec.articles);
    const entries = spec.articles.map((a, i) => {
      if (updated[i] === a.updated) return this.cached(`atom:${spec.content}`, a, () => atomEntry(a, spec.content), checkXmlFragment);
      const entry = atomEntry(a, spec.content, updated[i]);
      checkXmlFragment(entry, `the Atom entry of ${a.file}`);
      return entry;
    });
    return atomFeed(spec, this.site, entries);
  }

  json(spec: FeedSpec): string {
    checkJson(jsonFeed(spec, this.site, []), `the JSON skeleton of ${feedPath(spec, 'json')}`);
    const items = spec.articles.map((a) => this.cached(`json:${spec.content}`, a, () => jsonItem(a, spec.content, this.site), checkJson));
    return jsonFeed(spec, this.site, items);
  }

  private cached(key: string, article: Article, render: () => string, check: (text: string, what: string) => void): string {
    let map = this.cache.get(key);
    if (!map) this.cache.set(key, (map = new Map()));
    let text = map.get(article);
    if (text === undefined) {
      text = render();
      check(text, `the ${key.split(':')[0]} item of ${article.file}`);
      map.set(article, text);
    }
    return text;
  }
}
