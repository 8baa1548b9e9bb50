import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { piece } from '../../src/feeds/items.js';
import { ItemReuse, type ArticleMade } from '../../src/site/item-reuse.js';
import { listFiles, makeArchive, tempDir, testConfig } from './helpers.js';

const NOW = Date.UTC(2026, 0, 1);

describe('feed items read back from the last build', () => {
  const feed = new TextEncoder().encode('<rss><item>one</item><item>two</item></rss>');
  const item = piece('<item>two</item>');
  const digest = createHash('sha256').update(item.buf).digest('hex').slice(0, 16);
  const previous = new Map<string, ArticleMade>([
    ['a.md', { fingerprint: 'fa', summary: 'Two.', items: [{ key: 'rss:full', rel: 'rss.xml', offset: 21, length: 16, digest }] }],
  ]);
  const reader = (rel: string, offset: number, length: number) => (rel === 'rss.xml' ? feed.slice(offset, offset + length) : undefined);

  it('gives the bytes back, with their sha256, when the article and the bytes are unchanged', () => {
    const reuse = new ItemReuse(previous, reader);
    const got = reuse.item('a.md', 'fa', 'rss:full')!;
    expect(new TextDecoder().decode(got.buf)).toBe('<item>two</item>');
    expect(Buffer.from(got.digest).toString('hex')).toBe(Buffer.from(item.digest).toString('hex'));
    expect(reuse.summary('a.md', 'fa')).toBe('Two.');
    expect(reuse.reused).toBe(1);
  });

  it('gives nothing for a changed article, another item, or bytes that are not what was recorded', () => {
    const reuse = new ItemReuse(previous, reader);
    expect(reuse.item('a.md', 'changed', 'rss:full')).toBeUndefined();
    expect(reuse.summary('a.md', 'changed')).toBeUndefined();
    expect(reuse.item('a.md', 'fa', 'atom:full')).toBeUndefined();
    const edited = new TextEncoder().encode('<rss><item>one</item><item>TWO</item></rss>');
    expect(new ItemReuse(previous, (_r, o, l) => edited.slice(o, o + l)).item('a.md', 'fa', 'rss:full')).toBeUndefined();
    expect(new ItemReuse(previous, () => undefined).item('a.md', 'fa', 'rss:full')).toBeUndefined();
    expect(reuse.reused).toBe(0);
  });

  it('hands on what this build recorded, and what it kept of the last build', () => {
    const reuse = new ItemReuse(previous, reader);
    reuse.record('b.md', 'fb', () => 'B.', 'rss:full', 'tags/x/rss.xml', 100, item);
    reuse.record('b.md', 'fb', () => 'B.', 'rss:full', 'rss.xml', 5, item);
    const kept = reuse.finish(
      new Map([
        ['a.md', 'fa'],
        ['b.md', 'fb'],
      ]),
      (rel) => rel === 'rss.xml',
    );
    expect([...kept.keys()]).toEqual(['b.md', 'a.md']);
    // The first place an item was written is the one remembered.
    expect(kept.get('b.md')!.items).toEqual([{ key: 'rss:full', rel: 'tags/x/rss.xml', offset: 100, length: 16, digest }]);
    expect(kept.get('a.md')!.summary).toBe('Two.');
    // Not when the feed was written again, nor when the article changed.
    expect(new ItemReuse(previous, reader).finish(new Map([['a.md', 'fa']]), () => false).size).toBe(0);
    expect(new ItemReuse(previous, reader).finish(new Map([['a.md', 'other']]), () => true).size).toBe(0);
  });
});

describe('an incremental build', () => {
  const article = (n: number, tags: string[], extra = '') =>
    `---\ntitle: Article ${n}\ndate: 2024-01-${String(n).padStart(2, '0')}T00:00:00Z\ntags: [${tags.join(', ')}]\n---\n\nBody of article ${n}.${extra}\n`;

  async function setUp() {
    const archive = await makeArchive({ 'a1.md': article(1, ['芯片']), 'a2.md': article(2, ['芯片', '美国']), 'a3.md': article(3, ['美国']), 'a4.md': article(4, ['中国']) });
    const base = await tempDir();
    const out = path.join(base, 'dist');
    const run = () => build({ archiveDir: archive, outDir: out, config: testConfig(), cacheDir: path.join(base, 'cache'), now: NOW });
    const full = async () => {
      const fresh = path.join(await tempDir(), 'dist');
      await build({ archiveDir: archive, outDir: fresh, config: testConfig(), now: NOW });
      return bytesOf(fresh);
    };
    return { archive, out, run, full };
  }

  async function bytesOf(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const rel of await listFiles(dir)) out[rel] = createHash('sha256').update(await readFile(path.join(dir, rel))).digest('hex');
    return out;
  }

  it('renders only the changed article: the others in its feeds come from the feeds the last build wrote', async () => {
    const { archive, out, run, full } = await setUp();
    expect((await run()).articlesRendered).toBe(4);
    await writeFile(path.join(archive, 'a2.md'), article(2, ['芯片', '美国'], ' Edited.'));
    const edited = await run();
    expect(edited.articlesRendered).toBe(1);
    // The main feed, 芯片 and 美国 are written again: a1, a3 and a4 read back, in RSS, Atom and JSON
    // (each once: a1's items in 芯片 are the same bytes as in the main feed).
    expect(edited.itemsReused).toBe(9);
    expect(await bytesOf(out)).toEqual(await full());
    // Again: what the edit wrote is where the next build finds it.
    await writeFile(path.join(archive, 'a1.md'), article(1, ['芯片'], ' Edited too.'));
    const again = await run();
    expect(again.articlesRendered).toBe(1);
    // a2 (written by the edit), a3 and a4, three formats each.
    expect(again.itemsReused).toBe(9);
    expect(await bytesOf(out)).toEqual(await full());
  });

  it('renders an item again when the feed it was in no longer holds those bytes', async () => {
    const { archive, out, run, full } = await setUp();
    await run();
    // Tampered by hand: the live main feed (where a3's RSS item was recorded) differs from what was.
    const live = path.join(out, 'rss.xml');
    const text = await readFile(live, 'utf8');
    await writeFile(live, text.replaceAll('Body of article 3', 'Body of article X'));
    await writeFile(path.join(archive, 'a2.md'), article(2, ['芯片', '美国'], ' Edited.'));
    const edited = await run();
    // a3's RSS item is rendered again (so a3 is); its Atom and JSON items, a1's and a4's are read back.
    expect(edited.articlesRendered).toBe(2);
    expect(edited.itemsReused).toBe(8);
    // The tampered file itself is what the next build rewrites: the output equals a full build.
    expect(await bytesOf(out)).toEqual(await full());
  });
});
