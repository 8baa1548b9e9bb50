import { expect, it, vi } from 'vitest';
import { decodeFile, validUtf8 } from '../../src/archive/decode.js';

// A Node built without ICU (`--without-intl`) has no buffer.transcode(): valid UTF-8 is then decoded by TextDecoder, to the same text.
vi.mock('node:buffer', async (original) => {
  const real = await original<typeof import('node:buffer')>();
  return { ...real, default: { ...real, transcode: undefined }, transcode: undefined };
});

const utf8 = (text: string) => new TextEncoder().encode(text);

it('decodes without transcode(): Chinese and astral characters, one leading BOM dropped, invalid bytes refused', () => {
  expect(validUtf8(utf8('\uFEFF芯片 𝄞 \uFEFF'))).toBe('芯片 𝄞 \uFEFF');
  expect(validUtf8(utf8('plain'))).toBe('plain');
  expect(validUtf8(new Uint8Array([0xe8, 0x8a]))).toBeUndefined();
  expect(decodeFile(utf8('# 芯片\r\n正文\r\n'))).toEqual({ text: '# 芯片\n正文\n' });
});
