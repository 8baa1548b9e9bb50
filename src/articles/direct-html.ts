import MarkdownIt, { type Token } from 'markdown-it';
import { MARKDOWN_OPTIONS } from './markdown.js';
import { absolutize, ALLOWED_TAGS, LINK_SCHEMES, type SanitizeOptions } from './sanitize.js';

// Most articles are plain Markdown: no raw HTML, links and images with ordinary
// URLs. For those, what sanitize() makes of markdown-it's HTML is known before it
// runs, and is rendered here straight from the tokens. sanitize-html parsing and
// writing out again every article's HTML was ~40 % of rendering an archive (its
// 175 MB). Whatever this cannot vouch for gets `undefined`, and the article goes
// through sanitize() as before: raw HTML, a tag or attribute outside its
// allow-list, a URL it would drop, a paragraph it would drop as empty. The two
// paths are tested equal, byte for byte, on fixtures and on every article of the
// real corpus (content.test.ts, corpus.test.ts).

/**
 * Writes what sanitize-html writes: `<img ... />`, `<br />` and `<hr />` (its
 * self-closing tags); text with `&`, `<` and `>` escaped but not `"` (its
 * escapeHtml(text, false); attribute values get `"` escaped in both); code blocks
 * without markdown-it's `class="language-…"`, which the allow-list drops. Its other
 * options are markdown.ts's (`breaks`, were it set, makes soft breaks `<br>`).
 */
const direct = new MarkdownIt({ ...MARKDOWN_OPTIONS, xhtmlOut: true });
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
direct.renderer.rules.text = (tokens, i) => escapeText(tokens[i]!.content);
direct.renderer.rules.code_inline = (tokens, i) => `<code>${escapeText(tokens[i]!.content)}</code>`;
direct.renderer.rules.code_block = direct.renderer.rules.fence = (tokens, i) => `<pre><code>${escapeText(tokens[i]!.content)}</code></pre>\n`;

const ALLOWED = new Set(ALLOWED_TAGS);
const LINK = new RegExp(`^(?:${LINK_SCHEMES.join('|')}):`, 'i');
/** http(s) and data:image/ only: sanitize() drops any other image (see its exclusiveFilter). */
const IMAGE = /^(?:https?:|data:image\/)/i;
/** What sanitize() adds to every link. */
const REL = 'noopener noreferrer';

/** Attributes to give a token once every token has passed. */
type Edits = [Token, Token['attrs']][];

/**
 * The sanitized HTML of `tokens` (from parseMarkdown), or undefined when only
 * sanitize() can tell. The tokens are rewritten (URLs made absolute, attributes
 * dropped) only when it answers: after undefined they are as parsed, for
 * renderTokens() and sanitize().
 */
export function directHtml(tokens: Token[], options: SanitizeOptions): string | undefined {
  const edits: Edits = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'html_block' || (token.tag && !ALLOWED.has(token.tag))) return undefined;
    if (token.type === 'inline') {
      if (!directInline(token.children ?? [], options, edits)) return undefined;
      continue;
    }
    // In a tight list a paragraph is not written (hidden): no <p> for the filter to drop.
    if (token.type === 'paragraph_open' && !token.hidden && emptyParagraph(tokens[i + 1]!)) return undefined;
    if (!token.attrs) continue;
    // A table cell's `style="text-align:…"` is not on the allow-list (colspan and rowspan are, which markdown-it never writes).
    if (token.type === 'th_open' || token.type === 'td_open') {
      const kept = token.attrs.filter(([name]) => name === 'colspan' || name === 'rowspan');
      edits.push([token, kept.length ? kept : null]);
    } else if (!(token.type === 'ordered_list_open' && token.attrs.every(([name]) => name === 'start'))) return undefined;
  }
  for (const [token, attrs] of edits) token.attrs = attrs;
  return direct.renderer.render(tokens, direct.options, {});
}

function directInline(children: Token[], options: SanitizeOptions, edits: Edits): boolean {
  for (const child of children) {
    if (child.type === 'html_inline' || (child.tag && !ALLOWED.has(child.tag))) return false;
    if (child.type === 'link_open') {
      const href = absolutize(attr(child, 'href'), options);
      if (href === undefined || !LINK.test(href) || child.attrs!.some(([name]) => name !== 'href' && name !== 'title')) return false;
      // sanitize() keeps the attributes' order and appends rel (its transformTags).
      const title = attr(child, 'title');
      edits.push([child, title === undefined ? [['href', href], ['rel', REL]] : [['href', href], ['title', title], ['rel', REL]]]);
    } else if (child.type === 'image') {
      const src = absolutize(attr(child, 'src'), options);
      if (src === undefined || !IMAGE.test(src) || child.attrs!.some(([name]) => name !== 'src' && name !== 'alt' && name !== 'title')) return false;
      edits.push([child, child.attrs!.map(([name, value]) => [name, name === 'src' ? src : value])]);
    } else if (child.attrs) return false;
  }
  return true;
}

function attr(token: Token, name: string): string | undefined {
  const value = token.attrGet(name);
  return value === null ? undefined : String(value);
}

/** What sanitize()'s filter drops: a paragraph with neither text (its descendants' included) nor an image. */
function emptyParagraph(inline: Token): boolean {
  for (const child of inline.children ?? []) {
    if ((child.type === 'text' || child.type === 'code_inline') && child.content.trim()) return false;
    if (child.type === 'image') return false;
  }
  return true;
}
