import { describe, expect, it } from 'vitest';
import { hasNonXmlChars, stripNonXmlChars } from '../../src/core/xmlchars.js';

describe('characters XML 1.0 forbids or discourages', () => {
  it('finds a lone surrogate however it stands, and lets pairs (emoji) through', () => {
    expect(hasNonXmlChars('芯片 😀 text\ttab\r\n')).toBe(false);
    expect(hasNonXmlChars('😀 a\uD800')).toBe(true);
    expect(hasNonXmlChars('\uDC00😀')).toBe(true);
    expect(hasNonXmlChars('😀\uDE00')).toBe(true);
    expect(hasNonXmlChars('x\u0085')).toBe(true);
    expect(hasNonXmlChars('\uFFFF')).toBe(true);
  });

  it('strips exactly those characters', () => {
    expect(stripNonXmlChars('😀 a\uDC00b\uD83Dc 😀')).toBe('😀 abc 😀');
    expect(stripNonXmlChars('\u0000a\u0008b\u000Bc\u007Fd\u009Fe\uFFFEf\tg\nh')).toBe('abcdef\tg\nh');
    const clean = '芯片 😀';
    expect(stripNonXmlChars(clean)).toBe(clean);
  });
});
