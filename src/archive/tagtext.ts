// A tag as written becomes a tag as stored: NFC (so that NFD input is the same
// tag), trimmed, inner white space collapsed. Some spellings are not tags at all.

export const MAX_TAG_CHARS = 100;

export type TagVerdict = { tag: string } | { dropped: string };

export function cleanTag(raw: string): TagVerdict {
  const tag = raw.normalize('NFC').replace(/[\s\u200B-\u200D\uFEFF]+/g, ' ').trim();
  if (!tag) return { dropped: 'is empty or only white space' };
  // eslint-disable-next-line no-control-regex
  const visible = tag.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
  if (!/[\p{L}\p{N}]/u.test(visible)) return { dropped: 'has no letter or digit' };
  if ([...visible].length > MAX_TAG_CHARS) return { dropped: `is longer than ${MAX_TAG_CHARS} characters` };
  return { tag: visible };
}
