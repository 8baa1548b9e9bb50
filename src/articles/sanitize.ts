import sanitizeHtml from 'sanitize-html';

// Everything an article carries into a feed or a page passes through here. The
// allow-list is what feed readers render safely and what the W3C validator accepts
// without SecurityRisk, SecurityRiskAttr, DangerousStyleAttr or ContainsRelRef:
// no script/iframe/object/embed/form/style, no on* or style attributes, no
// javascript:/vbscript:/data: URLs (data:image/ in images excepted), only absolute URLs.

export const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'q', 'cite', 'abbr',
  'kbd', 'samp', 'var', 'time', 'span', 'div', 'ruby', 'rt', 'rp',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

/** The schemes a link may have, and an image (data: for images only, and only data:image/: see exclusiveFilter). */
export const LINK_SCHEMES = ['http', 'https', 'mailto'];
const IMAGE_SCHEMES = ['http', 'https', 'data'];

export interface SanitizeOptions {
  /** Relative links and images resolve against this (the site URL, with a trailing slash). */
  base: string;
  /** `#fragment` links resolve against the article's own page. */
  page: string;
}

export function sanitize(html: string, options: SanitizeOptions): string {
  const absolute = (value: string | undefined): string | undefined => absolutize(value, options);
  // Where the last image kept began in the output (frames close innermost first, and
  // only paragraphs and images are ever cut out, so a paragraph closing now holds it
  // when it began after the paragraph did). Cutting out any other element, or
  // 'excludeTag', would break that: an image cut out with it would still count.
  let lastImage = -1;
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      time: ['datetime'],
      ol: ['start'],
    },
    allowedSchemes: LINK_SCHEMES,
    allowedSchemesByTag: { img: IMAGE_SCHEMES },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => {
        const href = absolute(attribs.href);
        const out: Record<string, string> = { ...attribs, rel: 'noopener noreferrer' };
        if (href === undefined) delete out.href;
        else out.href = href;
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const src = absolute(attribs.src);
        const out: Record<string, string> = { ...attribs, alt: attribs.alt ?? '' };
        if (src === undefined) delete out.src;
        else out.src = src;
        return { tagName, attribs: out };
      },
    },
    exclusiveFilter: (frame) => {
      // A paragraph left empty by the filtering (a removed form, an empty image) goes
      // too; one holding an image at any depth stays (a linked image alone in its
      // paragraph: sanitize-html's mediaChildren counts only the link).
      if (frame.tag === 'p') return !frame.text.trim() && lastImage <= frame.tagPosition;
      if (frame.tag !== 'img') return false;
      const src = frame.attribs.src;
      const drop = !src || (/^data:/i.test(src) && !/^data:image\//i.test(src));
      if (!drop) lastImage = frame.tagPosition;
      return drop;
    },
  });
}

/** A link's or an image's URL made absolute (`#note` against the article's page), or undefined when it has none. */
export function absolutize(value: string | undefined, { base, page }: SanitizeOptions): string | undefined {
  if (value === undefined) return undefined;
  const raw = value.trim();
  if (!raw) return undefined;
  if (/^(data|mailto):/i.test(raw)) return raw;
  try {
    // `//host/path` keeps https; `#note` stays on the article's page.
    return new URL(raw, raw.startsWith('#') ? page : base).href;
  } catch {
    return undefined;
  }
}
