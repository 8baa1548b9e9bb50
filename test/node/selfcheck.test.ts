import { describe, expect, it } from 'vitest';
import { ATOM_NAMESPACES } from '../../src/feeds/atom.js';
import { RSS_NAMESPACES } from '../../src/feeds/rss.js';
import { checkJson, checkXml, checkXmlFragment, SelfCheckError, withoutLongText } from '../../src/feeds/selfcheck.js';

// The build's last line of defence (selfcheck.ts) must refuse what readers' strict
// XML parsers refuse. fast-xml-parser's validator, used before, let through a
// control character, `&#0;`, a `<` in an attribute and an unbound prefix.

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
  it('passes a feed skeleton, and RSS items and Atom entries inside what their feeds bind', () => {
    expect(() => checkXml('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel><atom:link href="https://x/rss.xml" rel="self"/></channel>\n</rss>\n', 'a skeleton')).not.toThrow();
    expect(() => checkXmlFragment('<item><title>A &amp; B &#x1F600; 😀 \uFFFD &lt;b&gt;</title><dc:creator>作者</dc:creator><content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded></item>\n<item><title>C</title></item>', RSS_NAMESPACES, 'two items')).not.toThrow();
    expect(() => checkXmlFragment('<entry><title type="html">&lt;b&gt;</title><link rel="alternate" href="https://x/?a=1&amp;b=2"/></entry>', ATOM_NAMESPACES, 'an entry')).not.toThrow();
  });

  it('refuses, with where (in the item) and why, each thing a strict reader refuses', () => {
    const cases: [string, string][] = [
      ['<item><title>a\u0001b</title></item>', '1:15: disallowed character'],
      ['<item><title>&#0;</title></item>', '1:17: malformed character entity'],
      ['<item><title>&nbsp;</title></item>', '1:19: undefined entity'],
      ['<item><link href="a<b"/></item>', '1:20: disallowed character'],
      ['<item><media:content url="x"/></item>', '1:30: unbound namespace prefix: "media"'],
      ['<item><title>x</item>', '1:21: unexpected close tag'],
    ];
    for (const [fragment, why] of cases) {
      expect(failure(() => checkXmlFragment(fragment, RSS_NAMESPACES, 'the RSS item of a.md'))).toBe(`Self-check failed: the RSS item of a.md is not well-formed XML (${why}). This is a feedwright bug.`);
    }
    // An Atom feed binds no dc: prefix: an entry using one would break the feed it is in.
    expect(failure(() => checkXmlFragment('<entry><dc:creator>x</dc:creator></entry>', ATOM_NAMESPACES, 'the Atom entry of a.md'))).toBe(
      'Self-check failed: the Atom entry of a.md is not well-formed XML (1:19: unbound namespace prefix: "dc"). This is a feedwright bug.',
    );
    expect(failure(() => checkXml('<rss></rss><rss/>', 'rss.xml'))).toBe('Self-check failed: rss.xml is not well-formed XML (1:16: documents may contain only one root). This is a feedwright bug.');
  });

  it('checks long runs of text (escaped HTML) as strictly, with the same where and why', () => {
    const long = '&lt;p&gt;芯片 😀 &amp; &quot;x&quot; &#39;y&#39;&lt;/p&gt;\n'.repeat(20);
    const item = (text: string) => `<item><title>T</title><content:encoded>${text}</content:encoded></item>`;
    expect(() => checkXmlFragment(item(long), RSS_NAMESPACES, 'a long item')).not.toThrow();
    expect(() => checkXmlFragment(item(`${long}&#x1F600;`), RSS_NAMESPACES, 'another reference')).not.toThrow();
    const at = 'Self-check failed: the RSS item of a.md is not well-formed XML';
    const cases: [string, string][] = [
      [item(`${long}\u0001`), '21:1: disallowed character'],
      [item(`${long}\uD800`), '21:25: unexpected close tag'],
      [item(`${long}&nbsp;`), '21:6: undefined entity'],
      [item(`${long}&#0;`), '21:4: malformed character entity'],
      [item(`${long}]]>`), '21:3: the string "]]>" is disallowed in char data'],
      [item(long).replace('<title>T</title>', '<title>T</titl>'), '1:21: unexpected close tag'],
      [`${item(long)}<link href="a<b"/>`, '21:39: disallowed character'],
    ];
    for (const [fragment, why] of cases) {
      expect(failure(() => checkXmlFragment(fragment, RSS_NAMESPACES, 'the RSS item of a.md'))).toBe(`${at} (${why}). This is a feedwright bug.`);
    }
  });

  it('leaves out of the parse only long runs of plain text between tags, and nothing from comments, CDATA or instructions', () => {
    const long = '&lt;p&gt;芯片 😀 &amp; &quot;x&quot; &#39;y&#39;&lt;/p&gt;\n'.repeat(20);
    expect(withoutLongText(`<item><title>T</title><content:encoded>${long}</content:encoded><category>${'c'.repeat(300)}</category></item>`)).toBe(
      '<item><title>T</title><content:encoded></content:encoded><category></category></item>',
    );
    // Short runs, a `>` or another reference in the run: left to the parser.
    expect(withoutLongText(`<item><title>${'t'.repeat(255)}</title></item>`)).toBeUndefined();
    expect(withoutLongText(`<item><title>${'t'.repeat(256)}</title></item>`)).toBe('<item><title></title></item>');
    expect(withoutLongText(`<item><title>${'t'.repeat(300)}&#x1F600;</title></item>`)).toBeUndefined();
    expect(withoutLongText(`<item><title>a>${'t'.repeat(300)}</title></item>`)).toBe('<item><title>a></title></item>');
    // In a comment a `>` ends no tag: cutting `x…x--` out of this one would hide its `--`.
    const comment = `<a/><!-- a>${'x'.repeat(300)}--<b -->`;
    expect(withoutLongText(comment)).toBeUndefined();
    expect(withoutLongText(`<a><![CDATA[ >${'x'.repeat(300)}]]></a>`)).toBeUndefined();
    expect(withoutLongText(`<a><?pi >${'x'.repeat(300)}?></a>`)).toBeUndefined();
    expect(failure(() => checkXmlFragment(comment, RSS_NAMESPACES, 'x'))).toBe('Self-check failed: x is not well-formed XML (1:314: malformed comment). This is a feedwright bug.');
    // Many a `>` in text (allowed there): still accepted.
    expect(() => checkXmlFragment(`<a>${'x>'.repeat(20_000)}</a>`, RSS_NAMESPACES, 'x')).not.toThrow();
  });

  it('refuses JSON that does not parse', () => {
    expect(() => checkJson('{"items":[]}', 'feed.json')).not.toThrow();
    expect(failure(() => checkJson('{"items":[,]}', 'feed.json'))).toMatch(/^Self-check failed: feed\.json is not valid JSON \(.+\)\. This is a feedwright bug\.$/);
  });
});
