import { describe, expect, it } from 'vitest';
import { checkJson, checkXml, checkXmlFragment, SelfCheckError } from '../../src/feeds/selfcheck.js';

// The build's last line of defence (selfcheck.ts) must refuse what readers' strict
// XML parsers refuse. fast-xml-parser's validator, used before, let through a
// control character, `&#0;`, a `<` in an attribute and an unbound prefix. (A
// fragment's line and column count the 154 characters of its wrapper.)

const failure = (run: () => void): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SelfCheckError);
    return (error as Error).message;
  }
  throw new Error('no failure');
};

describe('the self-check', () => {
  it('passes a feed skeleton and RSS and Atom fragments with their namespaces', () => {
    expect(() => checkXml('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel><atom:link href="https://x/rss.xml" rel="self"/></channel>\n</rss>\n', 'a skeleton')).not.toThrow();
    expect(() => checkXmlFragment('<item><title>A &amp; B &#x1F600; &lt;b&gt;</title><dc:creator>作者</dc:creator><content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded></item>\n<item><title>C</title></item>', 'two items')).not.toThrow();
    expect(() => checkXmlFragment('<entry><title type="html">&lt;b&gt;</title><link rel="alternate" href="https://x/?a=1&amp;b=2"/></entry>', 'an entry')).not.toThrow();
  });

  it('refuses, with where and why, each thing a strict reader refuses', () => {
    const cases: [string, string][] = [
      ['<item><title>a\u0001b</title></item>', '1:167: disallowed character'],
      ['<item><title>&#0;</title></item>', '1:169: malformed character entity'],
      ['<item><title>&nbsp;</title></item>', '1:171: undefined entity'],
      ['<item><link href="a<b"/></item>', '1:172: disallowed character'],
      ['<item><media:content url="x"/></item>', '1:182: unbound namespace prefix: "media"'],
      ['<item><title>x</item>', '1:173: unexpected close tag'],
    ];
    for (const [fragment, why] of cases) {
      expect(failure(() => checkXmlFragment(fragment, 'the RSS item of a.md'))).toBe(`Self-check failed: the RSS item of a.md is not well-formed XML (${why}). This is a feedwright bug.`);
    }
    expect(failure(() => checkXml('<rss></rss><rss/>', 'rss.xml'))).toBe('Self-check failed: rss.xml is not well-formed XML (1:16: documents may contain only one root). This is a feedwright bug.');
  });

  it('refuses JSON that does not parse', () => {
    expect(() => checkJson('{"items":[]}', 'feed.json')).not.toThrow();
    expect(failure(() => checkJson('{"items":[,]}', 'feed.json'))).toMatch(/^Self-check failed: feed\.json is not valid JSON \(.+\)\. This is a feedwright bug\.$/);
  });
});
