import type { Article, TopicConfig } from '../core/types.js';
import { foldTag } from './tags.js';

// A topic is a saved search: any of its tags (any spelling: tags are compared
// folded), or any keyword in the title or body. An ASCII keyword matches whole
// words only, case-insensitively (`AI` matches "Open AI", not "said"); a CJK
// keyword matches as a substring, since CJK text has no spaces between words.

export interface CompiledTopic {
  config: TopicConfig;
  tagKeys: Set<string>;
  words: RegExp | undefined;
  substrings: string[];
}

export function compileTopic(config: TopicConfig): CompiledTopic {
  const ascii: string[] = [];
  const substrings: string[] = [];
  for (const keyword of config.keywords) {
    const k = keyword.normalize('NFC').trim();
    if (!k) continue;
    if (/^[\x20-\x7E]+$/.test(k)) ascii.push(k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    else substrings.push(k);
  }
  return {
    config,
    tagKeys: new Set(config.tags.map(foldTag)),
    words: ascii.length ? new RegExp(`(?<![A-Za-z0-9])(?:${ascii.join('|')})(?![A-Za-z0-9])`, 'i') : undefined,
    substrings,
  };
}

export function matchesTopic(topic: CompiledTopic, article: Pick<Article, 'title' | 'tags'>, text: string): boolean {
  for (const tag of article.tags) if (topic.tagKeys.has(foldTag(tag))) return true;
  const haystack = `${article.title}\n${text}`;
  if (topic.words?.test(haystack)) return true;
  return topic.substrings.some((s) => haystack.includes(s));
}

/** The words of a Markdown body without its URLs: wiki links as words, links as their text. */
export function searchableText(body: string): string {
  return body
    .replace(/\[\[[a-z-]+:([^[\]\n|]+?)(?:\|([^[\]\n]+?))?\]\]/gi, (_m, tag: string, shown?: string) => shown ?? tag)
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/<[^>\n]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ');
}
