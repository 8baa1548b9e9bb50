import { describe, expect, it } from 'vitest';
import { decodeFile, validUtf8 } from '../../src/archive/decode.js';

const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));
const fatal = new TextDecoder('utf-8', { fatal: true });
const viaTextDecoder = (b: Uint8Array): string | undefined => {
  try {
    return fatal.decode(b);
  } catch {
    return undefined;
  }
};

describe('decoding an article file', () => {
  it('reads ASCII, Chinese and astral characters, and drops one leading BOM only', () => {
    expect(validUtf8(bytes('plain ASCII\n'))).toBe('plain ASCII\n');
    expect(validUtf8(bytes('芯片 AI 晶片'))).toBe('芯片 AI 晶片');
    expect(validUtf8(bytes([0xf0, 0x9f, 0x98, 0x80]))).toBe('\u{1F600}');
    expect(validUtf8(bytes([0xef, 0xbb, 0xbf], 'title'))).toBe('title');
    expect(validUtf8(bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], 'x'))).toBe('\uFEFFx');
    expect(validUtf8(bytes('a', [0xef, 0xbb, 0xbf]))).toBe('a\uFEFF');
  });

  it('refuses what is not UTF-8: a stray continuation byte, an encoded surrogate, an overlong form, a cut sequence, beyond U+10FFFF', () => {
    for (const bad of [[0x80], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe4, 0xb8], [0xf4, 0x90, 0x80, 0x80], [0xff]]) {
      expect(validUtf8(bytes('ok ', bad))).toBeUndefined();
    }
  });

  it('gives what a fatal TextDecoder gives, on 200,000 strings of edge-case sequences', () => {
    // A fixed generator (an LCG): the same strings every run.
    let seed = 1;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const atoms = [[0x41], [0x0a], [0xef, 0xbb, 0xbf], [0xe4, 0xb8, 0xad], [0xf0, 0x9f, 0x98, 0x80], [0xc3, 0xa9], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe4, 0xb8], [0x80], [0xff], [0xf4, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xef, 0xbf, 0xbf], [0xed, 0x9f, 0xbf], [0xee, 0x80, 0x80]];
    let differ = 0;
    let valid = 0;
    for (let k = 0; k < 200_000; k++) {
      const parts: number[] = [];
      const length = 1 + Math.floor(random() * 8);
      for (let j = 0; j < length; j++) parts.push(...atoms[Math.floor(random() * atoms.length)]!);
      const b = Uint8Array.from(parts);
      const want = viaTextDecoder(b);
      if (want !== undefined) valid++;
      if (validUtf8(b) !== want) differ++;
    }
    expect(differ).toBe(0);
    // Both kinds were tried.
    expect(valid).toBeGreaterThan(20_000);
    expect(valid).toBeLessThan(180_000);
  });

  it('reads a view into a larger buffer by its own bytes only', () => {
    const whole = bytes('xx芯片yy');
    expect(validUtf8(whole.subarray(2, 8))).toBe('芯片');
  });

  it('repairs invalid UTF-8 as browsers do, and says how many sequences it replaced', () => {
    expect(decodeFile(bytes('a', [0xe4, 0xb8], 'b', [0xff], '\r\nc'))).toEqual({ text: 'a\uFFFDb\uFFFD\nc', repaired: 'invalid UTF-8: 2 byte sequences replaced with U+FFFD' });
    expect(decodeFile(bytes([0xef, 0xbb, 0xbf], '标题\r\n正文\r'))).toEqual({ text: '标题\n正文\n' });
  });
});
