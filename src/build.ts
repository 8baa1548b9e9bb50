import { readFileSync } from 'node:fs';
import path from 'node:path';
import { archiveKey, BuildCache, codeKey, readStamp, sha256, writeStamp, type BuildStamp, type FileEntry, type OutputEntry } from './archive/cache.js';
import { listArticles, mapLimit, readSource, statArticles, type SourceFile } from './archive/discover.js';
import { oversized, parseBytes, parseFile, unreadable } from './archive/entry.js';
import { datesAt, headCommit } from './archive/git-dates.js';
import { readListing, writeListing } from './archive/listing.js';
import { readAhead } from './archive/read-ahead.js';
import { Report } from './archive/report.js';
import { articleUrl, renderContent, toArticle, type RenderedContent } from './articles/article.js';
import { assignIds } from './articles/ids.js';
import { ArticleGroups, foldTag, indexTags, newConversions, retally, seedConversions, type TagGroup, type TagIndex } from './articles/tags.js';
import { compileTopic, type CompiledTopic } from './articles/topics.js';
import type { Article, Config, DateSource, FeedFormat, FeedSpec, Manifest, Problem, RawArticle, TagNames } from './core/types.js';
import { articlePageFile } from './core/article-page.js';
import { byCodePoint } from './core/order.js';
import { atomFrame, updatedEntries } from './feeds/atom.js';
import type { FeedFrame } from './feeds/frame.js';
import { itemKey, itemRequests, piece, renderItem, type ItemRequest, type Piece } from './feeds/items.js';
import { jsonFrame } from './feeds/jsonfeed.js';
import { renderOpml } from './feeds/opml.js';
import { checkSkeleton, feedParts, itemOffsets, separatorPieces, type FeedParts } from './feeds/parts.js';
import { newestFirst, planFeeds, type TagFeedInput, type TopicFeedInput } from './feeds/plan.js';
import { rssFrame } from './feeds/rss.js';
import type { SiteInfo } from './feeds/site.js';
import { feedPath } from './feeds/urls.js';
import { ItemReuse, type Within } from './site/item-reuse.js';
import { manifestFile } from './site/manifest.js';
import { differencesAmong, GenerationView, type Hashes } from './site/generation-view.js';
import { liveGeneration, Output, stateStamp, type IdleKnown, type WrittenFile } from './site/output.js';
import { COPY_JS, STYLE_CSS } from './site/pages/assets.js';
import { articlePage, feedPage, homePage, tagIndexPage } from './site/pages/render.js';
import { prefetchPlan, readPlan, sourceCode, sourceOf, writePlan, type LastPlan } from './site/last-plan.js';
import { writeWorkerMeta } from './site/worker-meta.js';
import type { ArticleFields, RenderJob } from './threads/messages.js';
import { Pool, threadCount } from './threads/pool.js';

export interface BuildOptions {
  archiveDir: string;
  outDir: string;
  config: Config;
  /** The persistent cache folder, or undefined for a full build that ignores it (`--no-cache`). */
  cacheDir?: string;
  /** What "now" is for future-dated articles; defaults to the clock. Never written anywhere. */
  now?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** From how many articles the files are stat-ed on a thread of their own while the cache is decoded (STAT_THREAD_FROM; tests lower it). */
  statThreadFrom?: number;
}

export interface BuildResult {
  /** Article files found (README.md index files are not articles). */
  found: number;
  published: number;
  drafts: number;
  future: number;
  problems: Problem[];
  dateSources: Record<DateSource, number>;
  /** Articles were dated by first commits read from a shallow clone: those first committed before its oldest commit got that commit's date. */
  shallowGit: boolean;
  tags: number;
  tagFeeds: number;
  topics: number;
  feeds: number;
  files: number;
  bytes: number;
  bytesByFormat: Record<FeedFormat | 'html' | 'other', number>;
  /** Files parsed this build (the rest came from the cache). */
  parsed: number;
  /** Feeds and pages rendered this build, and those kept unchanged from the build before. */
  rendered: number;
  kept: number;
  /** Articles whose HTML was made this build (read and rendered); the others' were not needed. */
  articlesRendered: number;
  /** Feed items read back from the last build's feeds (unchanged articles) instead of rendered. */
  itemsReused: number;
  /** Files actually written to disk (a rendered file equal to the idle generation's is not). */
  written: number;
  /** The largest file written, against the Workers limit of 25 MiB a file. */
  largest: { path: string; bytes: number };
  /** Milliseconds per stage, for the benchmark. */
  timings: Record<string, number>;
  /** Worker threads that read and rendered articles (0: all on the main thread). */
  threads: number;
  /** Nothing the output depends on changed since the last build: nothing was done. */
  unchanged: boolean;
  /** This build started from the last build's plan (site/last-plan.ts): tags none of whose articles changed kept their feeds and pages unkeyed. */
  fromPlan: boolean;
  manifest: Manifest;
}

/** One article file after the archive stage: its metadata, and its body while it is needed. */
interface Source {
  source: SourceFile;
  hash: string;
  raw: RawArticle | Omit<RawArticle, 'body'>;
  topics: readonly number[];
  /** Its number in path order, when a worker thread holds its body (and will render it). */
  held?: number;
  /** Its date and where it came from, once dated (step 2). */
  date: number | undefined;
  dateSource: DateSource | undefined;
}

/** Archives from this many articles on have them stat-ed on a thread of their own while the cache is decoded (see statArticles). */
export const STAT_THREAD_FROM = 4096;

export async function build(options: BuildOptions): Promise<BuildResult> {
  const { config, archiveDir } = options;
  const now = options.now ?? Date.now();
  const progress = options.onProgress ?? (() => {});
  const report = new Report();
  const code = codeKey();
  const renderKey = sha256(code, JSON.stringify(config));
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (stage: string) => {
    const t = performance.now();
    timings[stage] = Math.round(t - mark);
    mark = t;
  };

  // 1. archive → raw articles (files in path order, read concurrently, from the cache when unchanged).
  // Asked at once, so that git answers while the archive is listed.
  const head = headCommit(archiveDir);
  // The cache's index and the last plan are read while the archive is listed (a build
  // with nothing to do stops after the stats, without making the index's entries or
  // reading the plan; in a large archive it has deserialized the index meanwhile, below,
  // unless the last build had nothing to do either: see quietBefore).
  const cacheBytes = options.cacheDir ? BuildCache.prefetch(options.cacheDir) : undefined;
  const planBytes = options.cacheDir ? prefetchPlan(options.cacheDir) : undefined;
  // And the live output's manifest, which a build with the cache splices its own from (see site/manifest.ts).
  const lastManifest = options.cacheDir ? readAhead(path.join(options.outDir, 'manifest.json')) : undefined;
  // And what the last build saw and said (see BuildStamp).
  const stampRead = options.cacheDir ? readStamp<StoredResult>(options.cacheDir) : undefined;
  const listed = await listArticles(archiveDir, config.pattern, options.cacheDir && config.trustFolderTimes ? { known: await readListing(options.cacheDir), remember: { code } } : undefined);
  // In a large archive another thread stats the files (~0.25 s at 40,000 articles)
  // while this one decodes the cache's index (~0.55 s here), not after. A file added,
  // removed or renamed since the last listing: this build has work to do, and the whole
  // index is decoded meanwhile. Otherwise (an edit in place, nothing changed, or no
  // listing to compare with: only the stats tell) only its first half, the deserializing
  // (~0.3 s): an edit in place gains ~0.1 s, and a build with nothing to do, which stops
  // once the stats say so without making the entries, loses ~0.15 s (it waits for the
  // thread, and for the deserializing it cannot stop). So when the last build had
  // nothing to do either (builds on a timer, say), the files are stat-ed here first and
  // the index read only if they show work: such builds stay as quick as before, and only
  // the first build with work after them (an edit, a new config) is ~0.1 s slower.
  const quietBefore = (await stampRead)?.quiet === true;
  const early = options.cacheDir !== undefined && listed.articles.length >= (options.statThreadFrom ?? STAT_THREAD_FROM) && (listed.changed || !quietBefore);
  const statted = statArticles(archiveDir, listed.articles, early);
  // Its failure (a file it may not stat) is the build's, where it is awaited below; until then the handler only keeps it from counting as unhandled.
  statted.catch(() => {});
  if (early) BuildCache.deserialize(cacheBytes!);
  const opening = early && listed.changed ? BuildCache.open(options.cacheDir!, renderKey, cacheBytes) : undefined;
  // Kept at once: it describes the archive as listed, whatever this build does next.
  if (listed.record) await writeListing(options.cacheDir!, listed.record);
  const sources = await statted;
  const horizon = now + config.futureGraceHours * 3_600_000;

  // Nothing changed since the last build (same code and config, same archive, files
  // by size and time, commit, the output as that build left it, no held-back article
  // due): its output stands, and the index's entries are not made.
  let inputs = '';
  /** The live generation is the one the last build with this cache made, as it left it (and that build's stamp). */
  let liveSlot: string | undefined;
  let lastStamp: BuildStamp<StoredResult> | undefined;
  if (options.cacheDir) {
    inputs = archiveKey(await head, sources);
    const stamp = await stampRead;
    const live = stamp && (await liveGeneration(options.outDir));
    if (stamp && live && stamp.renderKey === renderKey && stamp.outDir === options.outDir && stamp.slot === live.slot && stamp.state.join() === live.state.join()) {
      if (stamp.archiveDir === archiveDir && stamp.inputs === inputs && !(stamp.nextChange !== undefined && stamp.nextChange <= horizon)) {
        // Told once to the next build (see quietBefore above): a stamp with nothing else changed.
        if (!stamp.quiet) await writeStamp<StoredResult>(options.cacheDir, { ...stamp, quiet: true }).catch(() => {});
        lap('read');
        return unchangedResult(stamp.result, options.outDir, timings);
      }
      liveSlot = live.slot;
      lastStamp = stamp;
    }
    await writeStamp(options.cacheDir, undefined);
  }
  const cache = options.cacheDir ? await (opening ?? BuildCache.open(options.cacheDir, renderKey, cacheBytes)) : undefined;
  seedConversions(cache && ((key) => cache.fold(key)));
  // After the seeding: a topic's tags are folded with the conversions the cache knows (no OpenCC to load).
  const topics = config.topics.map(compileTopic);
  // Only the very index (and delta) that build saved describes what it wrote: one lost
  // or unreadable since, and neither generation is known from the cache.
  if (lastStamp && (cache?.loaded === undefined || cache.loaded !== lastStamp.cache)) {
    liveSlot = undefined;
    lastStamp = undefined;
  }
  let read = 0;
  let parsed = 0;
  const entries: (Source | undefined)[] = new Array(sources.length);
  const accept = (i: number, entry: FileEntry, body: string | undefined, held: boolean) => {
    const source = sources[i]!;
    for (const [level, reason] of entry.problems) (level === 'skipped' ? report.skip : report.warn).call(report, source.file, reason);
    if (cache) cache.nextFiles.set(source.file, entry);
    progress('read', ++read, sources.length);
    if (!entry.raw) return;
    const raw = body !== undefined ? { ...entry.raw, body } : entry.raw;
    // Its date too, set below: made with every field it will have.
    entries[i] = { source, hash: entry.hash, raw, topics: entry.topics, held: held ? i : undefined, date: undefined, dateSource: undefined };
  };
  // The idle generation is opened first: when neither generation can give back a
  // single file (a deleted output folder), every output is rendered again, and then
  // reading every article on the threads beats rendering them one by one from the cache.
  // What the live generation holds is then what that build recorded in the cache (and
  // its stamp): its state file (80,000 paths) need not be read. Nor need the idle
  // one's, when that build told how it differs from the live one and it is unchanged since.
  const liveHashes = cache && liveSlot !== undefined ? recordedHashes(cache.outputs, lastStamp!.extras) : undefined;
  let idleKnown: IdleKnown | undefined;
  const idle = lastStamp?.idle;
  if (liveHashes && lastStamp!.extras && idle && idle.slot !== liveSlot && (await stateStamp(options.outDir, idle.slot))?.join() === idle.state.join()) {
    idleKnown = { slot: idle.slot, files: new GenerationView(liveHashes, new Map(idle.differs)) };
  }
  /**
   * Every file of this build, with the key it was made from and its Last-Modified (the
   * worker's lookup): the cache's next outputs when there is a cache. The output records
   * its files here too (see keep and note below).
   */
  const lines: Map<string, OutputEntry> = cache?.nextOutputs ?? new Map<string, OutputEntry>();
  const output = await Output.open(options.outDir, {
    trustState: cache !== undefined,
    liveKnown: liveHashes && { slot: liveSlot!, files: liveHashes },
    idleKnown,
    files: lines,
  });
  const trusted = cache && output.canKeep() ? cache : undefined;
  // Files the cache knows by size and modification time are not read at all.
  const toRead: number[] = [];
  sources.forEach((source, i) => {
    const known = trusted?.lookup(source.file, source.bytes, source.mtimeMs);
    if (known) accept(i, known, undefined, false);
    else toRead.push(i);
  });
  // First-commit dates, read by git while the articles are: with the cache, only the
  // commits since the last build's (none when there is no new commit); without, the
  // whole history. With the cache they are kept whatever this build needs of them;
  // without, git is stopped when no article needs them. A failed build stops git too.
  const stopGit = new AbortController();
  const gitDates = head.then(async (commit) => {
    const git = await datesAt(archiveDir, commit, cache?.gitDates, stopGit.signal);
    if (cache) cache.gitDates = git;
    return git;
  });
  gitDates.catch(() => {});
  const pool = Pool.open(threadCount(toRead.length), { config, hashed: cache !== undefined }, undefined, toRead.reduce((n, i) => n + sources[i]!.bytes, 0));
  const threads = pool?.size ?? 0;
  if (pool) output.writeWith((job) => pool.write(job));
  try {
    if (pool) {
      await pool.read(
        toRead.map((i) => ({ i, source: sources[i]! })),
        ({ i, entry, held }) => {
          // Touched but not changed: the same bytes as cached (the thread parsed them anyway).
          if (!(trusted && entry.hash && trusted.lookup(sources[i]!.file, -1, -1, entry.hash))) parsed++;
          accept(i, entry, undefined, held);
        },
      );
    } else {
      await mapLimit(toRead, 32, async (i) => {
        const result = await readOne(sources[i]!, topics, trusted, config, cache !== undefined);
        if (result.parsed) parsed++;
        accept(i, result.entry, result.body, false);
      });
    }

    lap('read');

    // 2. dates: front matter → stamp → first commit → modification time.
    const git = entries.some((e) => e && e.raw.date === undefined) ? await gitDates : undefined;
    if (!git && !cache) stopGit.abort();
    const gitDateOf = (file: string): number | undefined => git?.dates.get(file);
    const dateSources: Record<DateSource, number> = { 'front-matter': 0, stamp: 0, git: 0, mtime: 0 };
    const dated: (Source & { date: number; dateSource: DateSource })[] = [];
    let drafts = 0;
    let future = 0;
    let nextChange: number | undefined;
    for (const entry of entries) {
      if (!entry) continue;
      const { raw, source } = entry;
      let date = raw.date;
      let dateSource: DateSource | undefined = raw.dateSource;
      if (date === undefined) {
        const committed = gitDateOf(source.file);
        [date, dateSource] = committed !== undefined ? [committed, 'git'] : [source.mtimeMs, 'mtime'];
      }
      if (raw.draft) {
        drafts++;
        continue;
      }
      if (date > horizon) {
        future++;
        nextChange = Math.min(nextChange ?? date, date);
        report.warn(raw.file, `dated ${new Date(date).toISOString()}, in the future: kept out of feeds and pages until then`);
        continue;
      }
      dateSources[dateSource!]++;
      // Set in place, not spread into a copy: 40,000 copies were a measurable part of an incremental build.
      const d = entry as Source & { date: number; dateSource: DateSource };
      d.date = date;
      d.dateSource = dateSource!;
      dated.push(d);
    }

    // The last build's plan (see site/last-plan.ts), and each article's place in it:
    // the tags of articles whose bytes did not change need not be counted again.
    const last = cache && trusted && !pool && lastStamp ? await readPlan(lastStamp.cache, planBytes!) : undefined;
    const joined = last && cache ? joinPlan(last, dated, (file) => cache.files.get(file)?.hash) : undefined;

    // 3. tags merged across spellings; ids made stable and unique.
    const tagIndex = (last && joined && cache && retagged(last, joined, dated, (file) => cache.files.get(file)?.raw?.tags)) || indexTags(dated.map((d) => d.raw));
    const ids = assignIds(
      dated.map((d) => d.raw),
      report,
    );
    // A tag has a feed and a page from minTagArticles articles on; below, its wiki
    // links stay plain words (a link would lead nowhere).
    const hasFeed = (group: TagGroup) => group.count >= config.minTagArticles;
    const tagPageUrl = (group: TagGroup) => (hasFeed(group) ? `${config.siteUrl}/tags/${encodeURIComponent(group.slug)}/` : undefined);
    const tagUrl =
      config.wikiLinks === 'link'
        ? (tag: string) => {
            const group = tagIndex.byKey.get(foldTag(tag));
            return group && tagPageUrl(group);
          }
        : undefined;

    /**
     * What an article's page and items show of a tag: its canonical name, and its
     * slug when it has a page (a wiki link and the tag list link there). Made once
     * per tag: 64 bits of sha256, fixed length, so that a list of them is unambiguous.
     */
    const slugShown = (group: TagGroup) => (hasFeed(group) ? group.slug : '');
    const tagTokens = new Map<TagGroup, string>();
    const tagToken = (group: TagGroup): string => {
      let token = tagTokens.get(group);
      if (token === undefined) tagTokens.set(group, (token = sha256(group.name, slugShown(group)).slice(0, 16)));
      return token;
    };

    lap('dates, tags, ids');

    // 4. articles. Their HTML is rendered once: by the thread that read the file (in 6
    // below); here, for a file read on this thread; for a file known from the cache,
    // only if some feed or page that changed needs it (its file is read again then).
    // Storing 40,000 rendered bodies in the cache cost a first build more (~13 s at
    // 40k) than re-rendering the few an edit touches.
    let articlesRendered = 0;
    const fingerprints = new Map<Article, string>();
    /** Articles whose body a worker thread holds, by file number; what the threads rendered. */
    const heldBy = new Map<Article, number>();
    const pooled = new Map<Article, { summary: string; items: Map<string, Piece> }>();
    // What the last build left in its feeds, for articles unchanged since (when its output is still there to read).
    const reuse = cache
      ? new ItemReuse(
          trusted ? cache.made : new Map(),
          (rel, offset, length) => output.readLive(rel, offset, length),
          (rel) => output.readLiveFile(rel),
        )
      : undefined;
    /** Each article's fingerprint, by its number in `dated` (with a cache): the plan's, or made here. */
    const printOf: (string | undefined)[] = new Array(dated.length);
    // Everything an article's items and page are made from: its file's path and bytes
    // and the code and config (which fix every field parsed from them; the path is
    // the title of a file without one), and what the rest of the archive decides (id,
    // date, canonical tags, which of them have a page). Keys only matter to the
    // cache: a --no-cache build skips the hashing. The article's page is made from
    // nothing else (the rest of what it shows comes from the config, in renderKey),
    // so its fingerprint is its page's key too. Its tags enter as one short digest per
    // tag (see tagToken): 40,000 JSON lists of tag names and slugs, hashed, cost a
    // one-article rebuild ~50 ms more.
    const fingerprintOf = (i: number): string => {
      let print = printOf[i];
      if (print === undefined) {
        const d = dated[i]!;
        let tokens = '';
        const { groups, ends, ranks } = tagIndex.ofArticle;
        for (let k = tagIndex.ofArticle.start(i); k < ends[i]!; k++) tokens += tagToken(groups[ranks[k]!]!);
        printOf[i] = print = sha256(renderKey, d.source.file, d.hash, ids[i]!, `${d.date}:${d.dateSource}`, tokens);
      }
      return print;
    };
    /** Each article made (by its number in `dated`), once, when some feed or page needs it. */
    const madeAt: (Article | undefined)[] = new Array(dated.length);
    const articleAt = (i: number): Article => {
      let article = madeAt[i];
      if (article) return article;
      const d = dated[i]!;
      const id = ids[i]!;
      const tags = tagIndex.ofArticle.count(i) ? tagIndex.ofArticle.of(i).map((g) => g.name) : NO_TAGS;
      let body = 'body' in d.raw ? d.raw.body : undefined;
      const content = (): RenderedContent => {
        articlesRendered++;
        // Named, not spread: an article from the cache has its title as a getter (see index-file.ts CachedMeta).
        return renderContent({ title: d.raw.title, summary: d.raw.summary, body: body ?? rereadBody(d.source) }, config, id, tagUrl);
      };
      const fresh: Article = toArticle(d.raw, { config, tags, id, date: d.date, dateSource: d.dateSource }, content, () => pooled.get(fresh)?.summary ?? reuse?.summary(fresh.file, fingerprints.get(fresh)!));
      madeAt[i] = article = fresh;
      if (d.held !== undefined) heldBy.set(article, d.held);
      // Render now what was just read: the body is then let go (175 MB on a large archive).
      // (Dropped from the closure too: it would otherwise keep every body alive.)
      if (body !== undefined) {
        void article.html;
        delete (d.raw as Partial<RawArticle>).body;
        body = undefined;
      }
      if (cache) fingerprints.set(article, fingerprintOf(i));
      return article;
    };

    // With the last build's plan (see site/last-plan.ts): which articles it still
    // describes. Those keep their fingerprints; a tag none of whose articles changed
    // keeps its feeds and page, which are then neither made nor keyed again.
    /** With the plan: the tags some article changed in, came to or left (their feeds are made again); the others' feeds are kept. */
    let touched: Set<TagGroup> | undefined;
    /** Each article's number in `dated`, newest first (the feeds' order). */
    let order: number[];
    if (last && joined) {
      const compared = comparePlan(last, joined, dated, ids, tagIndex, slugShown);
      for (const [i, print] of compared.prints) printOf[i] = print;
      if (fewChanged(compared.changed, dated.length)) {
        touched = compared.touched;
        order = compared.order;
      } else order = sortedOrder(dated, ids);
    } else order = sortedOrder(dated, ids);
    // Made now: every article a thread holds or this thread read (their bodies go once rendered); without the plan, all.
    for (let i = 0; i < dated.length; i++) {
      const d = dated[i]!;
      if (!touched || d.held !== undefined || 'body' in d.raw) articleAt(i);
      progress('render', i + 1, dated.length);
    }
    lap('render');

    // 5. which articles go in which feed.
    const topicOrder: number[][] = topics.map(() => []);
    for (const i of order) {
      // Indexed: most articles share one frozen empty list, which a for…of loop here ran through at ~0.25 µs each.
      const matched = dated[i]!.topics;
      for (let k = 0; k < matched.length; k++) topicOrder[matched[k]!]!.push(i);
    }
    /** Each tag's newest articles, by its rank (with the plan, only the touched tags'): 370,000 article tags looked at. */
    const tagLists: (Article[] | undefined)[] = new Array(tagIndex.groups.length);
    const touchedRank = touched && new Uint8Array(tagIndex.groups.length);
    touched?.forEach((group) => (touchedRank![group.rank] = 1));
    const { ends, ranks } = tagIndex.ofArticle;
    for (const i of order) {
      for (let k = tagIndex.ofArticle.start(i); k < ends[i]!; k++) {
        const rank = ranks[k]!;
        if (touchedRank && !touchedRank[rank]) continue;
        const list = (tagLists[rank] ??= []);
        if (list.length < config.tagItems) list.push(articleAt(i));
      }
    }
    const tagGroups = tagIndex.groups.filter(hasFeed);
    const tagInputs: TagFeedInput[] = tagGroups.map((g) => ({ name: g.name, slug: g.slug, articles: tagLists[g.rank] ?? [] }));
    const topicInputs: TopicFeedInput[] = config.topics.map((t, i) => ({
      slug: t.slug,
      title: t.title,
      description: t.description,
      articles: topicOrder[i]!.slice(0, config.topicItems).map(articleAt),
    }));
    const specs = planFeeds(config, order.slice(0, config.items).map(articleAt), tagInputs, topicInputs);
    /** Tag feeds kept as the last build made them: their group, and how many items they hold (their articles are not made). */
    const shells = new Map<FeedSpec, { group: TagGroup; items: number }>();
    const groupOfSpec = new Map<FeedSpec, TagGroup>();
    tagGroups.forEach((g, k) => groupOfSpec.set(specs[1 + topicInputs.length + k]!, g));
    if (touched && last) {
      const updatedOf = new Map(last.groupKeys.map((key, n) => [key, last.groupUpdated[n]!]));
      for (const [spec, group] of groupOfSpec) {
        if (touched.has(group)) continue;
        spec.updated = updatedOf.get(group.key)!;
        shells.set(spec, { group, items: Math.min(group.count, config.tagItems) });
      }
    }
    /** A kept tag feed that must be made after all (a file of it is missing): its articles. */
    const realize = (spec: FeedSpec) => {
      const shell = shells.get(spec);
      if (!shell) return;
      shells.delete(spec);
      for (const i of order) {
        if (spec.articles.length >= config.tagItems) break;
        if (tagIndex.ofArticle.has(i, shell.group)) spec.articles.push(articleAt(i));
      }
      spec.updated = spec.articles[0]!.date;
    };
    const site: SiteInfo = { title: config.title, siteUrl: config.siteUrl, language: config.language };
    const tagSlugs = new Map(tagGroups.map((g) => [g.name, g.slug]));
    // With articlePages off, items link to their source; an article without one
    // still gets its page, so that no item links to nothing.
    const hasPage = (article: Article) => article.url === article.guid;

    // 6. write feeds, pages, OPML, manifest and the worker's lookup into the idle generation.
    try {
      const bytesByFormat: BuildResult['bytesByFormat'] = { rss: 0, atom: 0, json: 0, html: 0, other: 0 };
      let rendered = 0;
      let kept = 0;
      type Kind = keyof BuildResult['bytesByFormat'];
      /** The last build's entry for `rel` when it was made from `key`. */
      const madeFrom = (rel: string, key: string | undefined): OutputEntry | undefined => {
        const previous = key !== undefined ? cache?.outputs.get(rel) : undefined;
        return previous?.key === key ? previous : undefined;
      };
      /** The last build's file at `rel` (its entry), kept when either generation still holds it (`lastModified` undefined: as it was). */
      const keepEntry = (rel: string, previous: OutputEntry | undefined, lastModified: number | undefined, kind: Kind): boolean => {
        if (!previous || !output.keep(rel, previous)) return false;
        kept++;
        // The output recorded the entry itself in `lines` (they are one map).
        note(rel, previous, lastModified ?? previous.modified, kind, previous.key, previous, true);
        return true;
      };
      /** A file kept, not rendered, when the last build made it from `key`. */
      const keep = (rel: string, key: string | undefined, lastModified: number | undefined, kind: Kind): boolean => keepEntry(rel, madeFrom(rel, key), lastModified, kind);
      /** A file rendered this build (written, or equal to what the idle generation holds). */
      const wrote = (rel: string, key: string | undefined, file: WrittenFile, lastModified: number, kind: Kind) => {
        rendered++;
        note(rel, file, lastModified, kind, key);
      };
      /** URL paths whose line in the worker's lookup (hash, Last-Modified) is not the last build's: their buckets are made again. */
      const changedPaths: string[] = [];
      /** `recorded`: the output recorded `previous` itself, as it keeps the file. */
      const note = (rel: string, file: WrittenFile, lastModified: number, kind: Kind, key: string | undefined, previous = cache?.outputs.get(rel), recorded = false) => {
        bytesByFormat[kind] += file.bytes;
        if (previous?.hash === file.hash && previous.modified === lastModified) {
          // The same entry again when nothing changed: nothing new to allocate for 80,000 outputs.
          if (previous.key !== (key ?? '')) lines.set(rel, { ...previous, key: key ?? '' });
          else if (!recorded) lines.set(rel, previous);
          return;
        }
        if (cache) changedPaths.push(`/${rel}`);
        // Files without a key are recorded too (key ''), for their line in the lookup; they are never kept by key.
        lines.set(rel, { key: key ?? '', hash: file.hash, bytes: file.bytes, modified: lastModified });
      };
      /** Write one output file, unless it can be kept. */
      const put = (rel: string, keyOf: (() => string) | undefined, lastModified: number, kind: Kind, render: () => string | FeedParts) => {
        const key = cache && keyOf ? keyOf() : undefined;
        if (keep(rel, key, lastModified, kind)) return;
        const content = render();
        wrote(rel, key, typeof content === 'string' ? output.write(rel, content) : output.writeParts(rel, content.parts, content.hash), lastModified, kind);
      };
      const items = new FeedItems(
        site,
        pooled,
        reuse && {
          from: (article, key, within) => reuse.item(article.file, fingerprints.get(article)!, key, within),
          record: (article, key, rel, offset, item) => reuse.record(article.file, fingerprints.get(article)!, () => article.summary, key, rel, offset, item),
        },
      );
      // A feed's key serves its three formats and its page: computed once.
      const specKeys = new Map<FeedSpec, string>();
      const specKey = (spec: FeedSpec) => {
        let key = specKeys.get(spec);
        if (key === undefined) {
          key = sha256(JSON.stringify([site, spec.kind, spec.slug, spec.title, spec.description, spec.dir, spec.pageUrl, spec.content, spec.updated]), ...spec.articles.map((a) => fingerprints.get(a)!));
          specKeys.set(spec, key);
        }
        return key;
      };
      const main = specs[0]!;
      // Tag, topic and article pages show the main feed only as autodiscovery links:
      // their keys depend on what those links say, not on the main feed's items.
      const mainLinks = cache ? sha256(JSON.stringify([site, main.title, main.dir])) : '';
      const pageRel = (article: Article) => articlePageFile(article.id);
      const pageKey = (article: Article) => fingerprints.get(article);
      const putArticlePage = (article: Article) => {
        put(pageRel(article), () => pageKey(article)!, article.updated, 'html', () => articlePage(config, main, article, tagSlugs));
      };
      /** A file of a kept tag feed (see shells): kept under the key the last build made it with, when either generation still holds it. */
      const keepShell = (rel: string, updated: number, kind: Kind) => keepEntry(rel, cache?.outputs.get(rel), updated, kind);
      /** Article pages the threads wrote, or that were kept instead of being sent to them. */
      const paged = new Set<Article>();
      // The worker threads render the articles they read: only those in some feed or
      // whose page must be written, each once, with every feed item it needs and its page.
      if (pool) {
        const requests = itemRequests(specs, (a) => heldBy.has(a));
        const jobs: RenderJob[] = [];
        /** The cache key of each page sent to a thread, for its answer. */
        const sentKeys = new Map<Article, string | undefined>();
        for (const [article, i] of heldBy) {
          const items = requests.get(article) ?? [];
          let page: RenderJob['page'];
          if (hasPage(article)) {
            paged.add(article);
            // The thread writes the page itself, unless it can be kept.
            const key = pageKey(article);
            if (!keep(pageRel(article), key, article.updated, 'html')) {
              page = output.plan(pageRel(article));
              sentKeys.set(article, key);
            }
          }
          if (items.length || page) jobs.push({ i, article: fieldsOf(article), items, page });
        }
        const byFile = new Map([...heldBy].map(([a, i]) => [i, a]));
        let done = 0;
        await pool.render(
          {
            site,
            main: { ...main, articles: [] },
            tagSlugs: [...tagSlugs],
            tagUrls: tagUrl
              ? [...tagIndex.byKey].flatMap(([key, g]): [string, string][] => {
                  const url = tagPageUrl(g);
                  return url ? [[key, url]] : [];
                })
              : undefined,
          },
          jobs,
          (result) => {
            const article = byFile.get(result.i)!;
            const wanted = requests.get(article) ?? [];
            articlesRendered++;
            pooled.set(article, {
              summary: result.summary,
              items: new Map(wanted.map((request, k) => [itemKey(request), pool.piece(result.items[k]!)])),
            });
            // The thread wrote the page (or found it unchanged) where plan() said.
            if (result.page) {
              const { hash, bytes } = result.page;
              output.recordWritten(pageRel(article), { hash, bytes }, result.page.wrote);
              wrote(pageRel(article), sentKeys.get(article), { hash, bytes }, article.updated, 'html');
            }
            progress('render', ++done, jobs.length);
          },
        );
      }
      lap('threads');
      /** A feed the threads assemble and write (see Pool.feed), unless it can be kept. */
      const feedKey = (spec: FeedSpec, format: FeedFormat) => `${format}:${specKey(spec)}`;
      const feedBy = (threads: Pool, rel: string, spec: FeedSpec, format: FeedFormat) => {
        const key = cache ? feedKey(spec, format) : undefined;
        const updated = spec.updated;
        if (keep(rel, key, updated, format)) return;
        const { frame, items: found } = items.body(spec, format);
        output.writeBy(
          rel,
          (plan) => threads.feed({ rel, ...plan, format, frame, items: found }),
          (file) => wrote(rel, key, file, updated, format),
        );
      };
      let done = 0;
      for (const spec of specs) {
        for (const format of FORMATS) {
          const rel = feedPath(spec, format);
          if (shells.has(spec) && keepShell(rel, spec.updated, format)) continue;
          realize(spec);
          if (pool) feedBy(pool, rel, spec, format);
          else put(rel, () => feedKey(spec, format), spec.updated, format, () => items.parts(spec, format));
        }
        await output.drain();
        progress('feeds', ++done, specs.length);
      }

      // The encoded items are not needed past the feeds: let pages have the memory
      // (the threads' shared chunks go once every feed is on disk).
      items.release();
      for (const made of pooled.values()) made.items.clear();
      if (pool) {
        await output.drain(0);
        await pool.release();
      }
      lap('feeds');
      const mainKey = cache ? specKey(main) : '';
      const topicSpecs = specs.filter((s) => s.kind === 'topic');
      const manifestTags = tagGroups.map((g) => ({ name: g.name, slug: g.slug, aliases: g.aliases, count: g.count }));
      const manifestTopics = topicInputs.map((t, i) => ({ slug: t.slug, title: t.title, count: topicOrder[i]!.length }));
      const tagNames: TagNames = tagGroups.map((g) => [g.name, g.slug, g.count]);
      const tagsKey = cache ? sha256(JSON.stringify(tagNames)) : '';
      put('index.html', () => sha256('home', mainKey, tagsKey, ...topicSpecs.map(specKey)), main.updated, 'html', () => homePage(config, main, topicSpecs, manifestTags));
      put('tags/index.html', () => sha256('tags', mainLinks, tagsKey), main.updated, 'html', () => tagIndexPage(config, main, manifestTags));
      for (const spec of specs) {
        if (spec.kind === 'main') continue;
        if (shells.has(spec) && keepShell(`${spec.dir}/index.html`, spec.updated, 'html')) continue;
        realize(spec);
        put(`${spec.dir}/index.html`, () => sha256('page', mainLinks, specKey(spec)), spec.updated, 'html', () => feedPage(config, main, spec));
        await output.drain();
      }
      done = 0;
      for (const i of order) {
        if (!madeAt[i]) {
          // Not made: no feed or page that changed lists it. Its page is kept when the last
          // build made it with the fingerprint it has now: the plan's when it compares equal;
          // made here when it does not (its file unchanged, but its id, date or a tag's name
          // or link not), and then it is made again. Neither generation holding it: made too.
          const d = dated[i]!;
          // Without article pages, one with a source links there and has no page.
          if (!config.articlePages && d.raw.source !== undefined && d.raw.source !== articleUrl(config.siteUrl, ids[i]!)) continue;
          if (keep(articlePageFile(ids[i]!), fingerprintOf(i), undefined, 'html')) continue;
        }
        const article = articleAt(i);
        // The threads' pages are written (or kept) already.
        if (!hasPage(article) || paged.has(article)) continue;
        putArticlePage(article);
        await output.drain();
        progress('pages', ++done, order.length);
      }
      lap('pages');
      const newest = main.updated;
      put('style.css', undefined, Date.UTC(2026, 0, 1), 'other', () => STYLE_CSS);
      put('copy.js', undefined, Date.UTC(2026, 0, 1), 'other', () => COPY_JS);
      // The OPML lists every feed by title and URL, the tags by name, which the config and
      // the tags' names and slugs fix: kept while they stay, whatever the counts (an
      // article added to existing tags keeps it).
      const opmlKey = () => sha256('opml', JSON.stringify(tagGroups.map((g) => [g.name, g.slug]).sort((a, b) => byCodePoint(a[0]!, b[0]!))));
      put('opml.xml', opmlKey, newest, 'other', () => renderOpml(specs, site));
      // With the cache, the entries of unchanged feeds are copied from the live output's manifest.
      const manifest = manifestFile(
        { config, articles: order.length, specs, written: output.files, tags: manifestTags, topics: manifestTopics, itemsOf: (spec) => shells.get(spec)?.items ?? spec.articles.length },
        cache && (await lastManifest),
      );
      put('manifest.json', undefined, newest, 'other', () => manifest);
      // The last build's files that this one has not noted: those it no longer makes (their
      // buckets change too), and for now the lookup's own (`_meta/`). One pass over 80,000
      // paths here serves the lookup, the cache's save and the stamp below.
      const unnoted = cache?.nextOutputs.unset() ?? [];
      for (const rel of unnoted) if (!rel.startsWith('_meta/')) changedPaths.push(`/${rel}`);
      writeWorkerMeta(
        output,
        config,
        lines,
        tagIndex,
        tagNames,
        cache && {
          changed: changedPaths,
          // Kept, the entry is recorded by the output in the cache's next outputs (they are one map).
          keep: (rel, key) => {
            const previous = madeFrom(rel, key);
            return previous !== undefined && output.keep(rel, previous);
          },
          wrote: (rel, key, file) => cache.nextOutputs.set(rel, { key, hash: file.hash, bytes: file.bytes, modified: 0 }),
          namesKey: tagsKey,
        },
      );
      /** The last build's files that this one does not have at all. */
      const gone = unnoted.filter((rel) => !lines.has(rel));
      // The idle generation as the build viewed it (the live one, recorded in the cache and
      // the stamp, but for what the stamp says differs): a file of it this build does not
      // have is one of the cache's gone, the stamp's extras or its differences.
      const idleSuspects = idleKnown && lastStamp ? [...gone, ...(lastStamp.extras ?? []).map(([rel]) => rel), ...(lastStamp.idle?.differs ?? []).map(([rel]) => rel)] : undefined;
      await output.commit(idleSuspects);
      /** The id of the cache as this build saved it (see BuildCache.loaded). */
      let saved: string | undefined;
      if (cache) {
        cache.addFolds(newConversions());
        // Nothing folds a tag past here: the lookup lets go of this cache (a process may build again).
        seedConversions(undefined);
        await gitDates;
        // A file kept as the last build left it has the same entry again (see keep above):
        // the items recorded in it are still where they were.
        const keptAsItWas = (rel: string) => cache.nextOutputs.holdsAsRead(rel);
        // Each article's fingerprint now, for those the last build recorded items of (17,000 of 40,000 at the bench's size).
        const current = new Map<string, string>();
        for (const i of order) {
          const file = dated[i]!.source.file;
          if (cache.made.has(file)) current.set(file, fingerprintOf(i));
        }
        cache.nextMade = reuse!.finish(current, keptAsItWas);
        saved = await cache.save(gone);
        // A plan that cannot be written only means the next build derives everything (a plan
        // left from before names another cache and is not used).
        await writePlan(options.cacheDir!, planOf(order, dated, ids, fingerprintOf, tagIndex, slugShown, groupOfSpec, saved)).catch(() => {});
      }
      lap('manifest, write, swap');

      const result = {
        found: sources.length,
        published: order.length,
        drafts,
        future,
        problems: sortProblems(report.problems),
        dateSources,
        shallowGit: dateSources.git > 0 && git?.shallow === true,
        tags: tagIndex.groups.length,
        tagFeeds: tagGroups.length,
        topics: topicSpecs.length,
        feeds: specs.length * 3,
        files: output.files.size,
        bytes: output.bytes,
        bytesByFormat,
        parsed,
        rendered,
        kept,
        articlesRendered,
        itemsReused: reuse?.reused ?? 0,
        written: output.written,
        largest: largestOf(output.files),
        timings,
        threads,
        unchanged: false,
        fromPlan: touched !== undefined,
      } as BuildResult;
      // Its bytes as written, parsed only if asked for.
      withManifest(result, () => Buffer.concat(manifest.parts).toString('utf8'));
      if (cache) {
        const live = await liveGeneration(options.outDir);
        let stamp: BuildStamp<StoredResult> | undefined;
        if (live) {
          // The manifest is not enumerable: it is left out, and not parsed.
          const { timings: _, ...stored } = result;
          // Every file kept is in the cache's outputs (see keep): only one made can be missing there.
          const extras: [string, string][] = [];
          for (const rel of new Set(output.made)) if (!cache.nextOutputs.has(rel)) extras.push([rel, output.files.get(rel)!.hash]);
          // Dates read from a shallow clone are not the history's: the next build looks again
          // (fetching the rest of the history changes no file and not HEAD).
          stamp = { renderKey, archiveDir, outDir: options.outDir, inputs: result.shallowGit ? '' : inputs, ...live, nextChange, cache: saved, extras, result: stored };
          // The generation now idle is the one this build knew as live (its state file as
          // checked then, untouched since): where the two differ.
          if (liveHashes) {
            // Only a file made this build, or one it no longer has, can differ: every file
            // kept is the very file the live generation holds (see Output.made).
            const among = [...output.made];
            const lost = (rel: string) => {
              if (!output.files.has(rel)) among.push(rel);
            };
            // A file of the cache's outputs that this build lacks is one of `gone`.
            for (const rel of gone) lost(rel);
            for (const [rel] of lastStamp!.extras ?? []) lost(rel);
            const differs = differencesAmong(liveHashes, { get: (rel) => output.files.get(rel)?.hash }, among, 4096);
            if (differs) stamp.idle = { slot: liveSlot!, state: lastStamp!.state.slice(0, 3), differs };
          }
          await writeStamp<StoredResult>(options.cacheDir!, stamp);
        }
        // Last, once the output and the cache are saved: a kill here loses nothing.
        if (await output.mirrorOnce()) {
          lap('mirror');
          // The other generation is now this one, file for file. Told in the stamp
          // if that can be done; if not, the next build reads its state file.
          const other = output.slot === '0' ? '1' : '0';
          try {
            const state = await stateStamp(options.outDir, other);
            if (stamp && state) await writeStamp<StoredResult>(options.cacheDir!, { ...stamp, idle: { slot: other, state, differs: [] } });
          } catch {}
        }
      }
      return result;
    } catch (error) {
      await output.abandon();
      throw error;
    }
  } finally {
    stopGit.abort();
    // The threads write until the output is committed; closed here, after success or failure.
    await pool?.close();
  }
}

/** The largest file (the first in code-point order among equals), in one pass over 80,000 without copying them into pairs. */
function largestOf(files: ReadonlyMap<string, { bytes: number }>): { path: string; bytes: number } {
  let max = { path: '', bytes: 0 };
  files.forEach((f, p) => {
    if (f.bytes > max.bytes || (f.bytes === max.bytes && p < max.path)) max = { path: p, bytes: f.bytes };
  });
  return max;
}

/** What the live generation holds, as the last build recorded it: its outputs in the cache, and the lookup's own files in its stamp. */
function recordedHashes(outputs: ReadonlyMap<string, OutputEntry>, extras: [string, string][] | undefined): Hashes {
  const more = new Map(extras);
  return {
    get: (rel) => outputs.get(rel)?.hash ?? more.get(rel),
    *keys() {
      yield* outputs.keys();
      for (const rel of more.keys()) if (!outputs.has(rel)) yield rel;
    },
  };
}

const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/** The tags of every untagged article (most of them): one frozen empty list. */
const NO_TAGS: readonly string[] = Object.freeze([]);

/** What the stamp keeps of a build's result to tell it again. */
type StoredResult = Omit<BuildResult, 'manifest' | 'timings'>;

function unchangedResult(stored: StoredResult, outDir: string, timings: Record<string, number>): BuildResult {
  const result = { ...stored, parsed: 0, rendered: 0, kept: stored.rendered + stored.kept, articlesRendered: 0, itemsReused: 0, written: 0, threads: 0, unchanged: true, fromPlan: false, timings } as BuildResult;
  // The manifest is the file the last build wrote, read only if asked for.
  return withManifest(result, () => readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
}

/**
 * Give `result` its manifest as a getter that parses `text()` when first asked: a
 * 6.8 MB JSON at 40,000 articles, which the CLI never reads. Not enumerable, so
 * that the stamp's copy of the result (a spread) leaves it out without parsing it.
 */
function withManifest(result: BuildResult, text: () => string): BuildResult {
  let manifest: Manifest | undefined;
  Object.defineProperty(result, 'manifest', { get: () => (manifest ??= JSON.parse(text()) as Manifest), enumerable: false });
  return result;
}

async function readOne(
  source: SourceFile,
  topics: CompiledTopic[],
  cache: BuildCache | undefined,
  config: Config,
  hashed: boolean,
): Promise<{ entry: FileEntry; body?: string; parsed: boolean }> {
  const tooLarge = oversized(source, config);
  if (tooLarge) return { ...tooLarge, parsed: true };
  let bytes: Buffer;
  try {
    bytes = await readSource(source);
  } catch (error) {
    return { ...unreadable(source, error), parsed: true };
  }
  const result = parseFile(source, bytes, topics, hashed);
  // Touched but not changed: the cached entry stands (and the body is not needed).
  const touched = cache?.lookup(source.file, source.bytes, source.mtimeMs, result.entry.hash);
  if (touched) return { entry: { ...touched, size: source.bytes, mtimeMs: source.mtimeMs }, parsed: false };
  return { ...result, parsed: true };
}

/** The body of an article known from the cache, needed by a feed or page that changed: read the file again. */
function rereadBody(source: SourceFile): string {
  const raw = parseBytes(source.file, readFileSync(source.absolute), new Report());
  return raw?.body ?? '';
}

/** Problems in file order (reading is concurrent; the report must not be). */
function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => [p, i] as const)
    .sort((a, b) => (a[0].file < b[0].file ? -1 : a[0].file > b[0].file ? 1 : a[1] - b[1]))
    .map(([p]) => p);
}

/** The fields a worker thread needs to render an article (everything but what it renders). */
function fieldsOf(a: Article): ArticleFields {
  return { id: a.id, file: a.file, title: a.title, date: a.date, dateSource: a.dateSource, updated: a.updated, authors: a.authors, tags: a.tags, source: a.source, url: a.url, guid: a.guid, lang: a.lang };
}

/** An item request with its key, made once per feed and format where every article's is the same (600,000 keys at 40,000 articles). */
interface KeyedRequest {
  wanted: ItemRequest;
  key: string;
}

const keyed = (wanted: ItemRequest): KeyedRequest => ({ wanted, key: itemKey(wanted) });

/**
 * The items of every feed, each serialized, checked and encoded once per article,
 * format and content mode (see items.ts), however many feeds share it, and feeds
 * written as frame + items without ever being joined into one string (see
 * feeds/parts.ts). Items the worker threads made are used as they came; with the
 * threads, they assemble and write the feeds too (see Pool.feed).
 */
class FeedItems {
  private readonly cache = new Map<Article, Map<string, Piece>>();
  private readonly separator = separatorPieces();

  constructor(
    private readonly site: SiteInfo,
    private readonly pooled: ReadonlyMap<Article, { items: Map<string, Piece> }>,
    /** Items of unchanged articles read back from the last build's feeds, and where this build puts them (see item-reuse.ts). */
    private readonly reuse?: { from: (article: Article, key: string, within: Within) => Piece | undefined; record: (article: Article, key: string, rel: string, offset: number, item: Piece) => void },
  ) {}

  /** A feed's frame and its items (made, reused or found), each item's place in the feed recorded for reuse. */
  body(spec: FeedSpec, format: FeedFormat): { rel: string; frame: FeedFrame; items: Piece[] } {
    const rel = feedPath(spec, format);
    let frame: FeedFrame;
    let request: (a: Article, i: number) => KeyedRequest;
    if (format === 'atom') {
      frame = atomFrame(spec, this.site);
      const updated = updatedEntries(spec.articles);
      const plain = keyed({ format, content: spec.content });
      request = (a, i) => (updated[i] === a.updated ? plain : keyed({ format, content: spec.content, updated: updated[i] }));
    } else {
      frame = format === 'rss' ? rssFrame(spec, this.site) : jsonFrame(spec, this.site);
      const same = keyed({ format, content: spec.content });
      request = () => same;
    }
    const keys: string[] = [];
    const items = spec.articles.map((article, i) => {
      const { wanted, key } = request(article, i);
      keys.push(key);
      return this.item(article, wanted, key, rel);
    });
    if (this.reuse) {
      const offsets = itemOffsets(frame, items.map((item) => item.buf.length));
      spec.articles.forEach((article, i) => this.reuse!.record(article, keys[i]!, rel, offsets[i]!, items[i]!));
    }
    return { rel, frame, items };
  }

  /** A feed, checked and assembled on this thread. */
  parts(spec: FeedSpec, format: FeedFormat): FeedParts {
    const { rel, frame, items } = this.body(spec, format);
    checkSkeleton(format, frame, rel);
    return feedParts(frame, items, this.separator);
  }

  release(): void {
    this.cache.clear();
  }

  /** `rel`: the feed it is for, whose last version holds most of its items (see item-reuse.ts). */
  private item(article: Article, request: ItemRequest, key: string, rel: string): Piece {
    const made = this.pooled.get(article)?.items.get(key);
    if (made) return made;
    let map = this.cache.get(article);
    if (!map) this.cache.set(article, (map = new Map()));
    let item = map.get(key);
    if (item === undefined) map.set(key, (item = this.reuse?.from(article, key, { rel, format: request.format }) ?? piece(renderItem(article, request, this.site))));
    return item;
  }
}

/**
 * Whether so few articles changed, came or went that starting from the plan pays:
 * under a twentieth of them, and always up to 64.
 */
function fewChanged(changed: number, articles: number): boolean {
  return changed <= Math.max(64, articles / 20);
}

/** What comparePlan() needs of a dated article. */
interface DatedFields {
  source: { file: string };
  hash: string;
  date: number;
  dateSource: DateSource;
}

/** The articles (numbers into `dated`) in the feeds' order (see newestFirst). */
function sortedOrder(dated: readonly DatedFields[], ids: readonly string[]): number[] {
  return Array.from({ length: dated.length }, (_, i) => i).sort(byDate(dated, ids));
}

function byDate(dated: readonly DatedFields[], ids: readonly string[]): (a: number, b: number) => number {
  return (a, b) => newestFirst(dated[a]!.date, ids[a]!, dated[b]!.date, ids[b]!);
}

/** Each article's number in the plan (-1: not in it), and whether its file has the bytes it had then (1). */
interface Joined {
  at: Int32Array;
  same: Uint8Array;
}

/** The archive's articles against the plan's: both lists are in path order, walked side by side. `hashOf`: the bytes' hash the cache recorded for a file. */
function joinPlan(last: LastPlan, dated: readonly DatedFields[], hashOf: (file: string) => string | undefined): Joined {
  const at = new Int32Array(dated.length).fill(-1);
  const same = new Uint8Array(dated.length);
  let p = 0;
  for (let i = 0; i < dated.length; i++) {
    const file = dated[i]!.source.file;
    while (p < last.files.length && last.files[p]! < file) p++;
    if (last.files[p] !== file) continue;
    at[i] = p++;
    if (hashOf(file) === dated[i]!.hash) same[i] = 1;
  }
  return { at, same };
}

/**
 * The tag index from the plan's tally (see articles/tags.ts retally): the tags of
 * articles gone or changed since are taken off (as the cache recorded them), those of
 * articles changed or new are counted; an article whose bytes did not change has the
 * groups the plan lists for it. Undefined when that is not worth it (too many changed)
 * or the cache lacks what an article had (then every article is counted).
 */
function retagged(last: LastPlan, joined: Joined, dated: readonly (DatedFields & { raw: Pick<RawArticle, 'tags'> })[], tagsOf: (file: string) => readonly string[] | undefined): TagIndex | undefined {
  const gone: (readonly string[])[] = [];
  const came: (readonly string[])[] = [];
  const kept = new Uint8Array(last.files.length);
  /** Articles gone, changed or new. */
  let changed = 0;
  const was = (p: number) => {
    const tags = tagsOf(last.files[p]!);
    if (tags) gone.push(tags);
    return tags !== undefined;
  };
  for (let i = 0; i < dated.length; i++) {
    const p = joined.at[i]!;
    if (p >= 0) {
      kept[p] = 1;
      if (joined.same[i]) continue;
      if (!was(p)) return undefined;
    }
    came.push(dated[i]!.raw.tags);
    changed++;
  }
  for (let p = 0; p < kept.length; p++) {
    if (kept[p]) continue;
    if (!was(p)) return undefined;
    changed++;
  }
  if (!fewChanged(changed, dated.length)) return undefined;
  const index = retally({ keys: last.groupKeys, counts: last.groupCounts, spellings: last.spellings, uses: last.spellingUses, ends: last.spellingEnds, bases: last.groupBases }, gone, came);
  // Each of the plan's groups' rank now, looked up once (not once for each of 344,000 tags); -1: gone.
  const rankNow = Int32Array.from(last.groupKeys, (key) => index.byKey.get(key)?.rank ?? -1);
  const ends = new Uint32Array(dated.length);
  // At most the plan's article tags and every tag of the articles that changed or came.
  const ranks = new Uint32Array(last.groups.length + came.reduce((n, tags) => n + tags.length, 0));
  let at = 0;
  const groups: TagGroup[] = [];
  for (let i = 0; i < dated.length; i++) {
    const p = joined.at[i]!;
    if (p >= 0 && joined.same[i]) {
      for (let k = p ? last.groupEnds[p - 1]! : 0; k < last.groupEnds[p]!; k++) {
        const rank = rankNow[last.groups[k]!]!;
        if (rank < 0) return undefined;
        ranks[at++] = rank;
      }
    } else {
      // As indexTags() lists them: in the order of each group's first spelling.
      groups.length = 0;
      for (const tag of dated[i]!.raw.tags) {
        const group = index.byKey.get(foldTag(tag))!;
        if (!groups.includes(group)) groups.push(group);
      }
      for (const group of groups) ranks[at++] = group.rank;
    }
    ends[i] = at;
  }
  return { ...index, ofArticle: new ArticleGroups(index.groups, ends, ranks.subarray(0, at)) };
}

/**
 * Each article against the last build's plan. One compares equal when its file has
 * the bytes it had then and it has the same id, date and date source, and the same
 * tags, each shown as then (name, and slug when it has a page): then its fingerprint
 * is the plan's. Every other article, and every article gone, touches its tags, old
 * and new. The order is the plan's, less what changed, merged with what changed: the
 * same as sorting them all.
 */
function comparePlan(last: LastPlan, joined: Joined, dated: readonly DatedFields[], ids: readonly string[], tagIndex: TagIndex, slugShown: (group: TagGroup) => string) {
  const keyAt = new Map<string, number>();
  for (let n = 0; n < last.groupKeys.length; n++) keyAt.set(last.groupKeys[n]!, n);
  // Each tag's number in the plan while it shows as it did then; -1 when it does not.
  const planned = new Int32Array(tagIndex.groups.length);
  for (const group of tagIndex.groups) {
    const n = keyAt.get(group.key);
    // Its name is the first of its spellings (see articles/tags.ts TagIndex.tally).
    planned[group.rank] = n !== undefined && last.spellings[n ? last.spellingEnds[n - 1]! : 0] === group.name && last.groupSlugs[n] === slugShown(group) ? n : -1;
  }
  const touched = new Set<TagGroup>();
  const touchPlanned = (p: number) => {
    for (let k = p ? last.groupEnds[p - 1]! : 0; k < last.groupEnds[p]!; k++) {
      const group = tagIndex.byKey.get(last.groupKeys[last.groups[k]!]!);
      if (group) touched.add(group);
    }
  };
  /** By plan number: the article's number in `dated` when it compares equal; -2 when it changed; -1 when it is gone. */
  const now = new Int32Array(last.files.length).fill(-1);
  const prints: [number, string][] = [];
  const moved: number[] = [];
  let changed = 0;
  const { ends, ranks } = tagIndex.ofArticle;
  for (let i = 0; i < dated.length; i++) {
    const d = dated[i]!;
    const first = tagIndex.ofArticle.start(i);
    const p = joined.at[i]!;
    if (p >= 0) {
      const start = p ? last.groupEnds[p - 1]! : 0;
      let same = joined.same[i] === 1 && last.ids[p] === ids[i] && last.dates[p] === d.date && sourceOf(last.sources[p]!) === d.dateSource && last.groupEnds[p]! - start === ends[i]! - first;
      for (let k = 0; same && first + k < ends[i]!; k++) same = planned[ranks[first + k]!] === last.groups[start + k];
      if (same) {
        prints.push([i, last.fingerprints[p]!]);
        now[p] = i;
        continue;
      }
      now[p] = -2;
      touchPlanned(p);
    }
    changed++;
    moved.push(i);
    for (let k = first; k < ends[i]!; k++) touched.add(tagIndex.groups[ranks[k]!]!);
  }
  for (let q = 0; q < now.length; q++) {
    if (now[q] !== -1) continue;
    changed++;
    touchPlanned(q);
  }
  const compare = byDate(dated, ids);
  moved.sort(compare);
  const order: number[] = [];
  let m = 0;
  for (const q of last.order) {
    const i = now[q]!;
    if (i < 0) continue;
    while (m < moved.length && compare(moved[m]!, i) < 0) order.push(moved[m++]!);
    order.push(i);
  }
  while (m < moved.length) order.push(moved[m++]!);
  return { prints, changed, touched, order };
}

/** What this build decided, for the next one to compare with (see site/last-plan.ts). */
function planOf(
  order: readonly number[],
  dated: readonly DatedFields[],
  ids: readonly string[],
  fingerprintOf: (i: number) => string,
  tagIndex: TagIndex,
  slugShown: (group: TagGroup) => string,
  groupOfSpec: ReadonlyMap<FeedSpec, TagGroup>,
  cache: string,
): LastPlan {
  const tally = tagIndex.tally();
  const updated = new Float64Array(tagIndex.groups.length).fill(NaN);
  for (const [spec, group] of groupOfSpec) updated[group.rank] = spec.updated;
  // The plan lists each article's groups by their ranks, as the index holds them.
  const groupEnds = tagIndex.ofArticle.ends.slice();
  const groups = tagIndex.ofArticle.ranks.slice(0, tagIndex.ofArticle.total);
  return {
    cache,
    files: dated.map((d) => d.source.file),
    ids: ids.slice(),
    dates: Float64Array.from(dated, (d) => d.date),
    sources: Uint8Array.from(dated, (d) => sourceCode(d.dateSource)),
    fingerprints: dated.map((_, i) => fingerprintOf(i)),
    groupEnds,
    groups,
    order: Uint32Array.from(order),
    groupKeys: tally.keys as string[],
    groupCounts: tally.counts as Uint32Array,
    spellings: tally.spellings as string[],
    spellingUses: tally.uses as Uint32Array,
    spellingEnds: tally.ends as Uint32Array,
    groupBases: tally.bases as string[],
    groupSlugs: tagIndex.groups.map(slugShown),
    groupUpdated: updated,
  };
}
