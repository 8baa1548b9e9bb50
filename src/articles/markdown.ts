import MarkdownIt, { type Token } from 'markdown-it';

import { replaceWikiLinks } from '../archive/wikilinks.js';

// The archive's Markdown → HTML with markdown-it. The source quirks are fixed
// before parsing (they are textual) or on the token stream (they are structural).

/** markdown-it's options, which direct-html.ts renders with too (but for xhtmlOut). */
export const MARKDOWN_OPTIONS = { html: true, linkify: false, typographer: false } as const;
const md = new MarkdownIt(MARKDOWN_OPTIONS);
md.core.ruler.push('dedupe_repeated_images', (state) => {
  for (const token of state.tokens) if (token.type === 'inline' && token.children) dedupeImages(token.children);
});

/** `![]()`, `![alt]()`: images with no URL. */
const EMPTY_IMAGE = /!\[[^\]\n]*\]\(\s*(?:""|'')?\s*\)/g;
/** `请同时参阅：####标题`: a "see also" pointer glued to a heading marker. */
const SEE_ALSO = /^(\s*(?:请同时参阅|請同時參閱|另请参阅|另請參閱)\s*[:：]?)\s*#{1,6}\s*/gm;

export interface MarkdownOptions {
  /** Where a wiki link points, or undefined to render it as the plain word. */
  tagUrl?: (tag: string) => string | undefined;
}

/** The body's tokens, quirks fixed: what renderMarkdown() renders, and direct-html.ts too. */
export function parseMarkdown(body: string, options: MarkdownOptions = {}): Token[] {
  let text = body.replace(EMPTY_IMAGE, '').replace(SEE_ALSO, '$1');
  text = replaceWikiLinks(text, (tag, shown) => {
    const url = options.tagUrl?.(tag);
    const word = escapeMarkdown(shown);
    return url ? `[${word}](<${url}>)` : word;
  });
  return md.parse(text, {});
}

/** Tokens as markdown-it's HTML, raw HTML passed through: for sanitize(), never served as is. */
export function renderTokens(tokens: Token[]): string {
  return md.renderer.render(tokens, md.options, {});
}

/** The body as markdown-it's HTML (see renderTokens). */
export function renderMarkdown(body: string, options: MarkdownOptions = {}): string {
  return renderTokens(parseMarkdown(body, options));
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~]/g, '\\$&');
}

/**
 * The archive repeats many images twice in a row (same URL, same alt); keep one.
 * Only white space may stand between the two.
 */
function dedupeImages(children: Token[]): void {
  let previous: Token | undefined;
  let gap: number[] = [];
  for (let i = 0; i < children.length; i++) {
    const token = children[i]!;
    if (token.type === 'image') {
      if (previous && previous.attrGet('src') === token.attrGet('src')) {
        for (const g of [...gap, i].reverse()) children.splice(g, 1);
        i -= gap.length + 1;
        gap = [];
        continue;
      }
      previous = token;
      gap = [];
    } else if (!previous) {
      // Nothing to look at before the next image (the gap is empty with no image before it):
      // most tokens, looked at without a new list or a trimmed copy of their text each.
      continue;
    } else if ((token.type === 'text' && token.content.trim() === '') || token.type === 'softbreak' || token.type === 'hardbreak') {
      gap.push(i);
    } else {
      previous = undefined;
      gap = [];
    }
  }
}
