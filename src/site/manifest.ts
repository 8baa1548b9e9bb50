import type { Config, FeedFormat, FeedSpec, Manifest, ManifestFeed, ManifestTag, ManifestTopic } from '../core/types.js';
import { rfc3339 } from '../feeds/dates.js';
import { feedPath } from '../feeds/urls.js';
import type { WrittenFile } from './output.js';

/** The machine-readable index of everything built: no build time, so it is deterministic too. */
export function buildManifest(
  config: Config,
  articles: number,
  specs: readonly FeedSpec[],
  written: ReadonlyMap<string, WrittenFile>,
  tags: ManifestTag[],
  topics: ManifestTopic[],
  /** How many items a feed holds (a feed kept from the last build is given without its articles). */
  itemsOf: (spec: FeedSpec) => number = (spec) => spec.articles.length,
): Manifest {
  const feeds: ManifestFeed[] = [];
  // One date string per instant: for the three formats of a feed, and for the many tags whose newest article is the same.
  const dates = new Map<number, string>();
  for (const spec of specs) {
    let updated = dates.get(spec.updated);
    if (updated === undefined) dates.set(spec.updated, (updated = rfc3339(spec.updated)));
    for (const format of ['rss', 'atom', 'json'] as FeedFormat[]) {
      const path = feedPath(spec, format);
      const file = written.get(path)!;
      feeds.push({
        path,
        format,
        kind: spec.kind,
        slug: spec.slug,
        title: spec.title,
        items: itemsOf(spec),
        updated,
        hash: file.hash,
        bytes: file.bytes,
      });
    }
  }
  return {
    version: 1,
    site: { title: config.title, url: config.siteUrl, language: config.language, description: config.description },
    articles,
    feeds,
    tags,
    topics,
  };
}
