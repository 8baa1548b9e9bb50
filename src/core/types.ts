// The core records every stage speaks: archive → articles → feeds → site → worker.
// Nothing here imports from `node:` so the worker can share these types.

/** Where an article's date came from, in order of preference. */
export type DateSource = 'front-matter' | 'stamp' | 'git' | 'mtime';

export type ProblemLevel = 'warning' | 'skipped';

/** One line of the build report: a file, and why it was repaired or skipped. */
export interface Problem {
  file: string;
  level: ProblemLevel;
  reason: string;
}

/** A topic: a saved search that becomes a feed even if no article carries that tag. */
export interface TopicConfig {
  slug: string;
  title: string;
  description?: string;
  /** Any of these tags (or any of their aliases). */
  tags: string[];
  /** Any of these words in the title or body: ASCII ones whole-word, CJK ones as substrings. */
  keywords: string[];
}

export interface Config {
  title: string;
  description: string;
  siteUrl: string;
  language: string;
  /** Glob, relative to the archive folder. */
  pattern: string;
  items: number;
  tagItems: number;
  topicItems: number;
  minTagArticles: number;
  /** `full` puts the whole article in tag feeds; `summary` only its summary (smaller output). */
  tagFeedContent: 'full' | 'summary';
  /** `text` turns `[[zh:芯片]]` into the plain word; `link` links it to the tag's page. */
  wikiLinks: 'text' | 'link';
  /** Write an HTML page per article; when off, items link to their source URL. */
  articlePages: boolean;
  /** Files larger than this are skipped (bytes). */
  maxFileBytes: number;
  /** Dates further in the future than this (hours) stay out of feeds until their time. */
  futureGraceHours: number;
  /** Take the archive's file list from the last build while its folders' times are unchanged (see archive/listing.ts). */
  trustFolderTimes: boolean;
  /** Cache-Control for feeds served by the worker. */
  maxAge: number;
  staleWhileRevalidate: number;
  topics: TopicConfig[];
}

/** An article as the whole pipeline knows it once read and rendered. */
export interface Article {
  /** Stable across rebuilds and machines: from front matter `id` or the file path. */
  id: string;
  /** Path relative to the archive folder, `/`-separated. */
  file: string;
  title: string;
  /** Epoch milliseconds, UTC. */
  date: number;
  dateSource: DateSource;
  /** Epoch milliseconds; equals `date` unless front matter says `updated`. */
  updated: number;
  authors: readonly string[];
  /** Canonical tag names (after merging spellings), in order of first appearance. */
  tags: readonly string[];
  source?: string;
  /** The page every feed item points to (the article page, or the source when pages are off). */
  url: string;
  /** Unique and permanent: the article page's URL, even when pages are off. */
  guid: string;
  /** Sanitized HTML, absolute URLs only. */
  html: string;
  /** Plain text, about 200 characters. */
  summary: string;
  lang: string;
  /** Plain text of title and body, for topic matching (dropped after matching). */
  text?: string;
}

export type FeedFormat = 'rss' | 'atom' | 'json';
export type FeedKind = 'main' | 'tag' | 'topic';

/** One feed to write: what it is, where it lives, which articles it holds. */
export interface FeedSpec {
  kind: FeedKind;
  /** `''` for main, the tag slug or the topic slug. */
  slug: string;
  title: string;
  description: string;
  /** Folder inside the output, `''` for the main feed, e.g. `tags/芯片`. */
  dir: string;
  /** Absolute URL of the HTML page for this feed (home, tag page, topic page). */
  pageUrl: string;
  /** `full` or `summary` content in items. */
  content: 'full' | 'summary';
  articles: Article[];
  /** Epoch ms of the newest item, or of the newest article anywhere when empty. */
  updated: number;
}

export interface ManifestFeed {
  path: string;
  format: FeedFormat;
  kind: FeedKind;
  slug: string;
  title: string;
  items: number;
  /** RFC 3339, the newest item's date. */
  updated: string;
  /** Content hash, hex: sha256 of the bytes (pages, other files) or, for a feed written as parts, sha256 of its parts' sha256s. Changes whenever a byte does; the ETag. */
  hash: string;
  bytes: number;
}

export interface ManifestTag {
  name: string;
  slug: string;
  aliases: string[];
  count: number;
}

export interface ManifestTopic {
  slug: string;
  title: string;
  count: number;
}

export interface Manifest {
  version: 1;
  site: { title: string; url: string; language: string; description: string };
  articles: number;
  feeds: ManifestFeed[];
  tags: ManifestTag[];
  topics: ManifestTopic[];
}

/**
 * The compact lookup the worker reads instead of the manifest (`_meta/`): a tiny
 * site file plus sharded buckets, so no request parses more than a few KB.
 */
export interface WorkerSite {
  version: 1;
  title: string;
  url: string;
  language: string;
  buckets: number;
  /** Whether HTML pages (home, tag, topic, article) exist. */
  pages: boolean;
  /** Cache-Control for feeds and pages. */
  maxAge: number;
  staleWhileRevalidate: number;
  /** Every topic, for 404 suggestions: [slug, title]. */
  topics: [string, string][];
}

/** `_meta/tagnames.json`: every tag, most used first: [name, slug, count]. */
export type TagNames = [string, string, number][];

/** `_meta/paths/NN.json`: URL path → [etag, last-modified epoch seconds]. */
export type PathBucket = Record<string, [string, number]>;

/** `_meta/tags/NN.json`: folded spelling → canonical slug. */
export type TagBucket = Record<string, string>;

/** What the archive stage extracts from one file, before tags are merged and HTML rendered. */
export interface RawArticle {
  /** Path relative to the archive folder, `/`-separated. */
  file: string;
  title: string;
  /** Epoch ms; absent when neither front matter nor the stamp gave a usable date. */
  date?: number;
  dateSource?: 'front-matter' | 'stamp';
  updated?: number;
  authors: readonly string[];
  /** NFC, trimmed, in order of appearance, deduplicated by exact spelling. */
  tags: readonly string[];
  source?: string;
  /** From front matter, before it is made safe and unique. */
  id?: string;
  draft: boolean;
  lang?: string;
  summary?: string;
  /** Markdown body, LF line endings, header lines removed. */
  body: string;
}
