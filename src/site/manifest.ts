import type { Config, FeedFormat, FeedSpec, Manifest, ManifestTag, ManifestTopic } from '../core/types.js';
import { rfc3339 } from '../feeds/dates.js';
import { feedPath } from '../feeds/urls.js';
import type { WrittenFile } from './output.js';

const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/**
 * The machine-readable index of everything built (a Manifest, core/types.ts), as the
 * text `JSON.stringify` gives of it: no build time, so it is deterministic too.
 * Written as text directly, each feed's line from its fields in ManifestFeed's order
 * (strings through JSON.stringify, integers as they print), without making 30,000
 * objects at 10,000 tags to stringify them (~20 ms of every incremental build).
 */
export function manifestJson(
  config: Config,
  articles: number,
  specs: readonly FeedSpec[],
  written: ReadonlyMap<string, WrittenFile>,
  tags: ManifestTag[],
  topics: ManifestTopic[],
  /** How many items a feed holds (a feed kept from the last build is given without its articles). */
  itemsOf: (spec: FeedSpec) => number = (spec) => spec.articles.length,
): string {
  const feeds: string[] = [];
  // One date string per instant: for the three formats of a feed, and for the many tags whose newest article is the same.
  const dates = new Map<number, string>();
  for (const spec of specs) {
    let updated = dates.get(spec.updated);
    if (updated === undefined) dates.set(spec.updated, (updated = rfc3339(spec.updated)));
    // What a feed's three formats share: kind, slug, title, items, updated.
    const shared = `,"kind":${JSON.stringify(spec.kind)},"slug":${JSON.stringify(spec.slug)},"title":${JSON.stringify(spec.title)},"items":${itemsOf(spec)},"updated":${JSON.stringify(updated)}`;
    for (const format of FORMATS) {
      const path = feedPath(spec, format);
      const file = written.get(path)!;
      feeds.push(`{"path":${JSON.stringify(path)},"format":${JSON.stringify(format)}${shared},"hash":${JSON.stringify(file.hash)},"bytes":${file.bytes}}`);
    }
  }
  const head: Omit<Manifest, 'feeds' | 'tags' | 'topics'> = {
    version: 1,
    site: { title: config.title, url: config.siteUrl, language: config.language, description: config.description },
    articles,
  };
  return `${JSON.stringify(head).slice(0, -1)},"feeds":[${feeds.join(',')}],"tags":${JSON.stringify(tags)},"topics":${JSON.stringify(topics)}}`;
}
