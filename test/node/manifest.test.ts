import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import type { FeedSpec } from '../../src/core/types.js';
import { fileHash, type WrittenFile } from '../../src/site/output.js';
import { buildManifest, manifestFile, type ManifestInput } from '../../src/site/manifest.js';
import { makeArchive, tempDir, testConfig } from './helpers.js';

// manifest.json is made whole by a build without the last one's, and otherwise spliced
// from it (site/manifest.ts): the bytes must be the same either way.

const NOON = Date.UTC(2024, 2, 3, 12, 0, 0);

function spec(kind: FeedSpec['kind'], slug: string, title: string, updated = NOON): FeedSpec {
  const dir = kind === 'main' ? '' : `${kind === 'tag' ? 'tags' : 'topics'}/${slug}`;
  return { kind, slug, title, description: '', dir, pageUrl: `https://feeds.example.org/${dir}`, content: 'full', articles: [], updated };
}

/** Each feed file of `specs`, with a hash made from its path and `salt` (and a size from its path's length). */
function written(specs: FeedSpec[], salt: Record<string, string> = {}): Map<string, WrittenFile> {
  const files = new Map<string, WrittenFile>();
  for (const s of specs) {
    for (const name of ['rss.xml', 'atom.xml', 'feed.json']) {
      const path = s.dir ? `${s.dir}/${name}` : name;
      files.set(path, { hash: createHash('sha256').update(path + (salt[path] ?? '')).digest('hex').slice(0, 32), bytes: 1000 + path.length });
    }
  }
  return files;
}

function input(specs: FeedSpec[], salt: Record<string, string> = {}): ManifestInput {
  return {
    config: testConfig({ title: 'Feeds "quoted" 新闻' }),
    articles: 7,
    specs,
    written: written(specs, salt),
    tags: specs.filter((s) => s.kind === 'tag').map((s) => ({ name: s.title, slug: s.slug, aliases: [], count: 3 })),
    topics: [],
    itemsOf: (s) => (s.kind === 'main' ? 50 : 20),
  };
}

const whole = (i: ManifestInput) => `${JSON.stringify(buildManifest(i))}\n`;
const text = (parts: Uint8Array[]) => Buffer.concat(parts).toString('utf8');

const SPECS = [spec('main', '', 'Main'), spec('tag', '芯片', '芯片'), spec('tag', 'a"b', 'x},{"path":"y'), spec('tag', 'back\\slash', 'Back')];

describe('manifest.json', () => {
  it('made whole is JSON.stringify of the manifest, hashed as its bytes are', () => {
    const made = manifestFile(input(SPECS));
    expect(made.copied).toBe(0);
    expect(text(made.parts)).toBe(whole(input(SPECS)));
    expect(made.hash).toBe(fileHash(Buffer.concat(made.parts)));
    expect(text(made.parts).length).toBe(whole(input(SPECS)).length);
  });

  it('spliced from the last one, unchanged, copies every entry in one range', () => {
    const last = Buffer.concat(manifestFile(input(SPECS)).parts);
    const spliced = manifestFile(input(SPECS), last);
    expect(spliced.copied).toBe(12);
    expect(spliced.parts.length).toBe(3);
    expect(text(spliced.parts)).toBe(whole(input(SPECS)));
    expect(spliced.hash).toBe(fileHash(last));
  });

  it('copies entries whose paths and titles take two, three and four bytes a character', () => {
    const specs = [spec('main', '', 'Main'), spec('tag', 'café-😀', 'Ünïcode 😀 é'), spec('tag', '芯片', '芯片 𠀋')];
    const last = Buffer.concat(manifestFile(input(specs)).parts);
    const spliced = manifestFile(input(specs), last);
    expect(spliced.copied).toBe(9);
    expect(text(spliced.parts)).toBe(whole(input(specs)));
  });

  it('makes anew the entry of a feed that changed, and copies the rest', () => {
    const last = Buffer.concat(manifestFile(input(SPECS)).parts);
    const changed = input(SPECS, { 'tags/a"b/atom.xml': 'edited' });
    const spliced = manifestFile(changed, last);
    expect(spliced.copied).toBe(11);
    expect(text(spliced.parts)).toBe(whole(changed));
    expect(spliced.hash).toBe(fileHash(Buffer.from(whole(changed))));
  });

  it('finds entries by hash when feeds were added, removed and reordered', () => {
    const last = Buffer.concat(manifestFile(input(SPECS)).parts);
    const now = [SPECS[0]!, spec('tag', 'new', 'New'), SPECS[3]!, SPECS[1]!];
    const spliced = manifestFile(input(now), last);
    expect(spliced.copied).toBe(9);
    expect(text(spliced.parts)).toBe(whole(input(now)));
  });

  it('makes anew the entries of a feed whose date moved within its second (the RSS and JSON bytes stay the same)', () => {
    const last = Buffer.concat(manifestFile(input(SPECS)).parts);
    const now = [SPECS[0]!, spec('tag', '芯片', '芯片', NOON + 500), SPECS[2]!, SPECS[3]!];
    const spliced = manifestFile(input(now), last);
    expect(spliced.copied).toBe(9);
    expect(text(spliced.parts)).toContain('"updated":"2024-03-03T12:00:00.500Z"');
    expect(text(spliced.parts)).toBe(whole(input(now)));
  });

  it('makes anew the entries of a feed whose title changed where its bytes do not show it', () => {
    const last = Buffer.concat(manifestFile(input(SPECS)).parts);
    // A C1 control: no feed can carry it (feeds/xmlchars.ts), so the files' hashes stay as they were.
    const now = [SPECS[0]!, spec('tag', '芯片', '芯片\u0085'), SPECS[2]!, SPECS[3]!];
    const spliced = manifestFile(input(now), last);
    expect(spliced.copied).toBe(9);
    expect(text(spliced.parts)).toContain('"title":"芯片\u0085"');
    expect(text(spliced.parts)).toBe(whole(input(now)));
  });

  it('compares titles of one-, two-, three- and four-byte characters as written', () => {
    const titled = (title: string) => [SPECS[0]!, spec('tag', 'x', title), spec('tag', 'y', 'Ça 芯片 🚀')];
    const last = Buffer.concat(manifestFile(input(titled('🚀é'))).parts);
    expect(manifestFile(input(titled('🚀é')), last).copied).toBe(9);
    for (const title of ['🚁é', '🚀è', '🚀', '🚀é ', '\ud83d']) {
      const spliced = manifestFile(input(titled(title)), last);
      expect(spliced.copied).toBe(6);
      expect(text(spliced.parts)).toBe(whole(input(titled(title))));
    }
  });

  it('in a cached build is the bytes of a --no-cache build when only the site title changed, in characters the feeds drop or defuse', async () => {
    const article = (n: number) => `---\ntitle: A${n}\ndate: 2024-01-0${n}T00:00:00Z\ntags: [x]\n---\n\nBody ${n}.\n`;
    const archive = await makeArchive({ 'a1.md': article(1), 'a2.md': article(2) });
    const base = await tempDir();
    const out = path.join(base, 'dist');
    const cacheDir = path.join(base, 'cache');
    const now = Date.UTC(2026, 0, 1);
    for (const [before, after] of [['Blog', 'Blog\u0085'], ['\u2039b\u203aBlog', '<b>Blog']] as const) {
      await build({ archiveDir: archive, outDir: out, config: testConfig({ title: before }), cacheDir, now });
      await build({ archiveDir: archive, outDir: out, config: testConfig({ title: after }), cacheDir, now });
      const fresh = path.join(await tempDir(), 'dist');
      await build({ archiveDir: archive, outDir: fresh, config: testConfig({ title: after }), now });
      const manifest = await readFile(path.join(out, 'manifest.json'), 'utf8');
      expect(manifest).toBe(await readFile(path.join(fresh, 'manifest.json'), 'utf8'));
      expect(JSON.parse(manifest).feeds[0].title).toBe(after);
    }
  }, 60_000);

  it('is made whole when the last one is not a manifest, or only part of one', () => {
    const last = Buffer.concat(manifestFile(input(SPECS)).parts);
    for (const bytes of [Buffer.from('{"version":1}\n'), last.subarray(0, last.length >> 1), Buffer.alloc(0)]) {
      const spliced = manifestFile(input(SPECS), bytes);
      expect(spliced.copied).toBe(0);
      expect(text(spliced.parts)).toBe(whole(input(SPECS)));
    }
  });
});
