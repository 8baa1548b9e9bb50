import { isAscii, isUtf8, transcode } from 'node:buffer';

// Bytes → text. Invalid UTF-8 becomes U+FFFD (and is reported), a BOM is dropped,
// CRLF and lone CR become LF; a NUL byte means the file is not text at all.

export type Decoded = { text: string; repaired?: string } | { skip: string };

const lenient = new TextDecoder('utf-8');
/** Node defines transcode() only when built with ICU (official and distribution builds are; `--without-intl` ones are not). */
const canTranscode = typeof transcode === 'function';

export function decodeFile(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) return { skip: 'empty file' };
  if (bytes.indexOf(0) !== -1) return { skip: 'binary file (contains a NUL byte)' };
  let text = validUtf8(bytes);
  let repaired: string | undefined;
  if (text === undefined) {
    // The WHATWG decoder's replacement (one U+FFFD per maximal invalid subpart), as readers' browsers do it.
    text = lenient.decode(bytes);
    const count = text.split('\uFFFD').length - 1;
    repaired = `invalid UTF-8: ${count} byte sequence${count === 1 ? '' : 's'} replaced with U+FFFD`;
  }
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { skip: 'empty file (only white space)' };
  return repaired ? { text, repaired } : { text };
}

/**
 * Valid UTF-8 as text, without a leading BOM (as TextDecoder drops it), or
 * undefined when the bytes are not valid UTF-8. The same text as a fatal
 * TextDecoder gives, about three times as fast on the archive's Chinese (V8's
 * UTF-8 decoder took ~0.4 s of each build thread at 40,000 articles): simdutf
 * validates (isUtf8), transcode() converts to UTF-16, and the string is made by
 * copying that; ASCII (isAscii) is copied as it is.
 */
export function validUtf8(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buffer)) return buffer.toString('latin1');
  if (!isUtf8(buffer)) return undefined;
  // Valid already (isUtf8): the WHATWG decoder gives the same text, BOM dropped.
  if (!canTranscode) return lenient.decode(buffer);
  const text = transcode(buffer, 'utf8', 'utf16le').toString('utf16le');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
