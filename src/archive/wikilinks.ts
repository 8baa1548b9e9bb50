// `[[zh:芯片]]` (and `[[<lang>:…]]` generally) is how the archive marks an article's
// topics: the link is the tag, its text is the word in the sentence.
export const WIKI_LINK = /\[\[([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?):([^[\]\n|]+?)(?:\|([^[\]\n]+?))?\]\]/g;

/** Every tag named by a wiki link, in order of appearance. */
export function wikiTags(body: string): string[] {
  const tags: string[] = [];
  for (const match of body.matchAll(WIKI_LINK)) tags.push(match[2]!);
  return tags;
}

/** Replace each wiki link with what `render` makes of its (tag, shown text). */
export function replaceWikiLinks(body: string, render: (tag: string, text: string) => string): string {
  return body.replace(WIKI_LINK, (_m, _lang: string, tag: string, shown?: string) => render(tag, shown ?? tag));
}
