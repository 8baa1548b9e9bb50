// Bytes → text. Invalid UTF-8 becomes U+FFFD (and is reported), a BOM is dropped,
// CRLF and lone CR become LF; a NUL byte means the file is not text at all.

export type Decoded = { text: string; repaired?: string } | { skip: string };

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export function decodeFile(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) return { skip: 'empty file' };
  if (bytes.indexOf(0) !== -1) return { skip: 'binary file (contains a NUL byte)' };
  let text: string;
  let repaired: string | undefined;
  try {
    text = strict.decode(bytes);
  } catch {
    text = lenient.decode(bytes);
    const count = text.split('\uFFFD').length - 1;
    repaired = `invalid UTF-8: ${count} byte sequence${count === 1 ? '' : 's'} replaced with U+FFFD`;
  }
  // TextDecoder already drops a leading UTF-8 BOM.
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { skip: 'empty file (only white space)' };
  return repaired ? { text, repaired } : { text };
}
