import type { Article, Config, FeedSpec } from '../core/types.js';
import { urlOf } from './urls.js';

export interface TagFeedInput {
  name: string;
  slug: string;
  /** Newest first, already capped. */
  articles: Article[];
}

export interface TopicFeedInput {
  slug: string;
  title: string;
  description?: string;
  articles: Article[];
}

/** The feeds' order of two articles, by date and id: newest first; equal instants by id, so the order never depends on file order. */
export function newestFirst(dateA: number, idA: string, dateB: number, idB: string): number {
  return dateB - dateA || (idA < idB ? -1 : idA > idB ? 1 : 0);
}

/** The feeds to write: main, then topics, then tags (each list already sorted). */
export function planFeeds(config: Config, published: readonly Article[], tags: readonly TagFeedInput[], topics: readonly TopicFeedInput[]): FeedSpec[] {
  // An empty feed still needs an `updated` instant (Atom §4.1.1): the newest
  // article anywhere, which is as deterministic as the rest.
  const newest = published[0]?.date ?? Date.UTC(2000, 0, 1);
  const updated = (articles: readonly Article[]) => articles[0]?.date ?? newest;
  const specs: FeedSpec[] = [];
  const main = published.slice(0, config.items);
  specs.push({
    kind: 'main',
    slug: '',
    title: config.title,
    description: config.description,
    dir: '',
    pageUrl: `${config.siteUrl}/`,
    content: 'full',
    articles: main,
    updated: updated(main),
  });
  for (const topic of topics) {
    const dir = `topics/${topic.slug}`;
    specs.push({
      kind: 'topic',
      slug: topic.slug,
      title: `${config.title} · ${topic.title}`,
      description: topic.description ?? `${config.title}: ${topic.title}`,
      dir,
      pageUrl: urlOf(config.siteUrl, dir),
      content: 'full',
      articles: topic.articles,
      updated: updated(topic.articles),
    });
  }
  for (const tag of tags) {
    const dir = `tags/${tag.slug}`;
    specs.push({
      kind: 'tag',
      slug: tag.slug,
      title: `${config.title} · ${tag.name}`,
      description: `${config.title}: ${tag.name}`,
      dir,
      pageUrl: urlOf(config.siteUrl, dir),
      content: config.tagFeedContent,
      articles: tag.articles,
      updated: updated(tag.articles),
    });
  }
  return specs;
}
