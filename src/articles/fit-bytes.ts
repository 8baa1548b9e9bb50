/**
 * The longest start of `text`, in whole code points, of at most `max` bytes of
 * UTF-8: what a name may keep of itself where file systems count bytes (255 a file
 * name) and a slug or id must stay short in any script.
 */
export function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return out;
}
