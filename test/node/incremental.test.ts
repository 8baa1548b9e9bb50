import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, readFile, readlink, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { build } from '../../src/build.js';
import { bucketOf } from '../../src/core/bucket.js';
import { Output, readState, stateFile } from '../../src/site/output.js';
import { cachedBuilds, digest, FIXTURES, listFiles, makeArchive, tempDir, testConfig } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NOW = Date.UTC(2026, 0, 1);


function article(n: number, tags: string[]): string {
  return `---\ntitle: Article ${n}\ndate: 2024-01-${String(n).padStart(2, '0')}T00:00:00Z\ntags: [${tags.join(', ')}]\n---\n\nBody of article ${n} about ${tags.join(' and ')}.\n`;
}

/** A two-article archive, and where a cached build of it goes. */
async function twoArticles() {
  const archive = await makeArchive({ 'a1.md': article(1, ['芯片']), 'a2.md': article(2, ['美国']) });
  const base = await tempDir();
  return { archive, out: path.join(base, 'dist'), cacheDir: path.join(base, 'cache'), config: testConfig() };
}

/**
 * `count` dated articles named `<prefix>NNN.md` in 40 tags, cached builds of them and a
 * full build to compare with, and the paths the output writes (not keeps) that `watched`
 * picks, noted in `made` until `spy` is restored.
 */
async function watchedArchive(prefix: string, count: number, watched: (rel: string) => boolean) {
  const files: Record<string, string> = {};
  for (let n = 1; n <= count; n++) files[`${prefix}${String(n).padStart(3, '0')}.md`] = `---\ntitle: ${prefix.toUpperCase()} ${n}\ndate: 2023-0${1 + (n % 9)}-1${n % 10}T00:00:00Z\ntags: [t${n % 40}]\n---\n\nBody ${n}.\n`;
  const archive = await makeArchive(files);
  const base = await tempDir();
  const out = path.join(base, 'dist');
  const config = testConfig();
  const run = () => build({ archiveDir: archive, outDir: out, config, cacheDir: path.join(base, 'cache'), now: NOW });
  const full = async () => {
    const fresh = path.join(await tempDir(), 'dist');
    await build({ archiveDir: archive, outDir: fresh, config, now: NOW });
    return digest(fresh);
  };
  const made: string[] = [];
  const write = Output.prototype.write;
  const spy = vi.spyOn(Output.prototype, 'write').mockImplementation(function (this: Output, rel, content) {
    if (watched(rel)) made.push(rel);
    return write.call(this, rel, content);
  });
  return { files, archive, out, run, full, made, spy };
}

describe('incremental builds', () => {
  it('give the same bytes as a full build after an edit, an addition and a deletion', async () => {
    const archive = await makeArchive({ 'a1.md': article(1, ['芯片', 'AI']), 'a2.md': article(2, ['美国']), 'a3.md': article(3, ['芯片']), 'a4.md': article(4, ['中国']) });
    const config = testConfig({ topics: [{ slug: 'ai', title: 'AI', tags: ['AI'], keywords: ['AI'] }] });
    const { base, out, run: incremental, full } = await cachedBuilds(archive, config, NOW);

    expect((await incremental()).parsed).toBe(4);
    // The first build leaves the other generation a hard-linked copy of itself, complete.
    const live = await readlink(out);
    const other = path.join(base, '.dist.gen', live.endsWith('0') ? '1' : '0');
    const liveFiles = await listFiles(path.join(base, live));
    expect(await listFiles(other)).toEqual(liveFiles);
    for (const rel of liveFiles) expect((await stat(path.join(other, rel))).ino).toBe((await stat(path.join(base, live, rel))).ino);
    const otherState = (await readState(path.dirname(other), path.basename(other)))!;
    expect(otherState.complete).toBe(true);
    expect([...otherState.files.keys()].sort()).toEqual([...liveFiles].sort());
    const again = await incremental();
    expect(again.parsed).toBe(0);
    expect(await digest(out)).toEqual(await full());

    await writeFile(path.join(archive, 'a2.md'), article(2, ['美国', '经济']));
    // This build writes into the linked copy while the first generation is served.
    const firstServed = path.join(base, await readlink(out));
    const firstBefore = await digest(firstServed);
    const edited = await incremental();
    expect(await digest(firstServed)).toEqual(firstBefore);
    expect(edited.parsed).toBe(1);
    // The idle generation is that linked copy: what did not change is kept as it is,
    // and of what was rendered again (18, and 4 files of _meta) only what differs is written.
    expect([edited.rendered, edited.kept, edited.written, edited.files]).toEqual([18, 19, 19, 41]);
    expect(await digest(out)).toEqual(await full());

    // The next build writes into the generation that shares files with the one just
    // served: it must replace them, never write through the links.
    const served = path.join(base, await readlink(out));
    const servedBefore = await digest(served);
    await writeFile(path.join(archive, 'a5.md'), article(5, ['AI']));
    expect((await incremental()).parsed).toBe(1);
    expect(await digest(out)).toEqual(await full());
    expect(await digest(served)).toEqual(servedBefore);

    await rm(path.join(archive, 'a3.md'));
    const deleted = await incremental();
    expect(deleted.parsed).toBe(0);
    expect(await digest(out)).toEqual(await full());

    // Unchanged again: the last build's output stands; nothing is read, rendered or written.
    const still = await incremental();
    expect([still.unchanged, still.parsed, still.rendered, still.written]).toEqual([true, 0, 0, 0]);
    expect([still.published, still.files, still.kept]).toEqual([deleted.published, deleted.files, deleted.rendered + deleted.kept]);
    expect(still.manifest).toEqual(deleted.manifest);
    expect(await digest(out)).toEqual(await full());
  }, 60_000);

  it("make again only the worker lookup's buckets whose lines changed, across an edit, an addition and a deletion", async () => {
    // 1,400 articles: ~1,570 paths in seven buckets; an edit to an old article changes a few lines.
    const { files, archive, out, run, full, made, spy } = await watchedArchive('b', 1400, (rel) => rel.startsWith('_meta/paths/'));
    try {
      await run();
      const buckets = (await listFiles(out)).filter((rel) => rel.startsWith('_meta/paths/'));
      expect(buckets).toHaveLength(7);
      // An untagged article newer than all changes the tag index's Last-Modified and not its
      // bytes: named so that nothing else that changes with it shares the tag index's bucket.
      const alone = bucketOf('/tags/index.html', 7);
      const changing = ['/rss.xml', '/atom.xml', '/feed.json', '/index.html', '/opml.xml', '/manifest.json'];
      expect(changing.map((p) => bucketOf(p, 7))).not.toContain(alone);
      let newest = 1401;
      while (bucketOf(`/articles/b${newest}.html`, 7) === alone) newest++;
      const steps: [string, () => Promise<void>][] = [
        ['an edit to an old article', () => writeFile(path.join(archive, 'b007.md'), files['b007.md']!.replace('Body 7.', 'Body 7, edited.'))],
        ['an untagged article newer than all', () => writeFile(path.join(archive, `b${newest}.md`), '---\ntitle: Newest\ndate: 2024-06-01T00:00:00Z\n---\n\nBody.\n')],
        ['a deletion', () => rm(path.join(archive, 'b100.md'))],
      ];
      for (const [step, change] of steps) {
        const before = await digest(out);
        await change();
        made.length = 0;
        await run();
        const remade = [...made].sort();
        const after = await digest(out);
        expect(after, step).toEqual(await full());
        // Made again: exactly the buckets whose bytes changed, and not all of them after the edit.
        expect(remade, step).toEqual(buckets.filter((rel) => after[rel] !== before[rel]));
        if (step === 'an edit to an old article') expect(remade.length).toBeLessThan(buckets.length);
      }
    } finally {
      spy.mockRestore();
    }
  }, 120_000);

  it('keep the OPML, the tag lookup and the tag list while no tag changes', async () => {
    // 700 articles in 40 tags: four lookup buckets; each step's output is a full build's.
    const { files, archive, out, run, full, made, spy } = await watchedArchive('c', 700, (rel) => rel.startsWith('_meta/tags/') || rel === '_meta/tagnames.json' || rel === 'opml.xml');
    try {
      await run();
      const tagFiles = (await listFiles(out)).filter((rel) => rel.startsWith('_meta/tags/')).sort();
      expect(tagFiles).toEqual(['_meta/tags/000.json', '_meta/tags/001.json', '_meta/tags/002.json', '_meta/tags/003.json']);
      const steps: [string, () => Promise<void>, string[]][] = [
        ['an edit to an old article that keeps its tag', () => writeFile(path.join(archive, 'c007.md'), files['c007.md']!.replace('Body 7.', 'Body 7, edited.')), []],
        ['a new tag on an old article', () => writeFile(path.join(archive, 'c008.md'), files['c008.md']!.replace('tags: [t8]', 'tags: [t8, 新标签]')), [...tagFiles, '_meta/tagnames.json', 'opml.xml']],
        // The OPML says nothing of the newest article (no dateModified): kept.
        ['an untagged article newer than all', () => writeFile(path.join(archive, 'c999.md'), '---\ntitle: Newest\ndate: 2024-06-01T00:00:00Z\n---\n\nBody.\n'), []],
        // Its tag, t1, already the first of the most used, gains a count and keeps its place.
        ['a tagged article newer than all', () => writeFile(path.join(archive, 'c998.md'), files['c001.md']!.replace(/^date: .*$/m, 'date: 2024-06-02T00:00:00Z')), ['_meta/tagnames.json']],
        // t9 (18 articles, behind t1 with 19 now) passes t10…t19 by name and t2…t20: the tags' order changes, but
        // neither the lookup (made in the order of the tags' keys) nor the OPML (which lists them by name).
        ['an article that moves its tag up', () => writeFile(path.join(archive, 'c997.md'), files['c009.md']!), ['_meta/tagnames.json']],
        ['the newest deleted again', () => rm(path.join(archive, 'c999.md')), []],
      ];
      for (const [step, change, expected] of steps) {
        await change();
        made.length = 0;
        await run();
        expect([...made].sort(), step).toEqual([...expected].sort());
        expect(await digest(out), step).toEqual(await full());
      }
    } finally {
      spy.mockRestore();
    }
  }, 120_000);

  it('follow a renamed file whose title is its file name', async () => {
    // No title line: the title is the file name. With an `id` and a date that a rename keeps,
    // only the path says that its items and page changed.
    const archive = await makeArchive({
      'drafts/2021-img.md': '---\nid: fixed\ndate: 2024-05-01T00:00:00Z\n---\n\n![](https://example.org/a.png)\n\nSome text.\n',
      'a1.md': article(1, ['芯片']),
    });
    const base = await tempDir();
    const out = path.join(base, 'dist');
    const config = testConfig();
    const run = () => build({ archiveDir: archive, outDir: out, config, cacheDir: path.join(base, 'cache'), now: NOW });
    await run();
    expect(await readFile(path.join(out, 'rss.xml'), 'utf8')).toContain('<title>2021-img</title>');
    await rename(path.join(archive, 'drafts', '2021-img.md'), path.join(archive, 'drafts', '2021-photo.md'));
    await run();
    expect(await readFile(path.join(out, 'rss.xml'), 'utf8')).toContain('<title>2021-photo</title>');
    const fresh = path.join(await tempDir(), 'dist');
    await build({ archiveDir: archive, outDir: fresh, config, now: NOW });
    expect(await digest(out)).toEqual(await digest(fresh));
  });

  it("remake an unchanged article's page when one of its tags gains or loses a page (minTagArticles)", async () => {
    // 芯片 and 经济 have one article each, below minTagArticles: a1's page names 芯片
    // without a link and a2's wiki link to 经济 stays a word. A third article gives
    // both a page: both pages change though neither file did; deleting that article
    // takes the pages away again.
    const archive = await makeArchive({
      'a1.md': article(1, ['芯片']),
      'a2.md': '---\ntitle: Article 2\ndate: 2024-01-02T00:00:00Z\ntags: [美国]\n---\n\nA word on [[zh:经济]] and trade.\n',
    });
    const { out, run, full } = await cachedBuilds(archive, testConfig({ wikiLinks: 'link', minTagArticles: 2 }), NOW);
    const page = (id: string) => readFile(path.join(out, 'articles', `${id}.html`), 'utf8');
    const tagLink = '<a href="../../tags/%E8%8A%AF%E7%89%87/">芯片</a>';
    const wikiLink = '<a href="https://feeds.example.org/tags/%E7%BB%8F%E6%B5%8E/" rel="noopener noreferrer">经济</a>';
    await run();
    expect(await page('a1')).toContain('<li><span>芯片</span></li>');
    expect(await page('a2')).toContain('<p>A word on 经济 and trade.</p>');

    await writeFile(path.join(archive, 'a3.md'), article(3, ['芯片', '经济']));
    expect((await run()).parsed).toBe(1);
    expect(await page('a1')).toContain(tagLink);
    expect(await page('a2')).toContain(`<p>A word on ${wikiLink} and trade.</p>`);
    expect(await digest(out)).toEqual(await full());

    await rm(path.join(archive, 'a3.md'));
    await run();
    expect(await page('a1')).toContain('<li><span>芯片</span></li>');
    expect(await page('a2')).toContain('<p>A word on 经济 and trade.</p>');
    expect(await digest(out)).toEqual(await full());
  });

  it('skip a build only when nothing it depends on changed', async () => {
    const { archive, out, cacheDir, config } = await twoArticles();
    const at = (now: number, c = config) => build({ archiveDir: archive, outDir: out, config: c, cacheDir, now });
    expect((await at(NOW)).unchanged).toBe(false);
    expect((await at(NOW)).unchanged).toBe(true);

    // The same bytes with a new modification time: looked at again, not parsed again.
    const a1 = path.join(archive, 'a1.md');
    await utimes(a1, new Date(NOW), new Date(NOW + 5000));
    const touched = await at(NOW);
    expect([touched.unchanged, touched.parsed]).toEqual([false, 0]);
    expect((await at(NOW)).unchanged).toBe(true);

    // Another config.
    expect((await at(NOW, testConfig({ items: 7 }))).unchanged).toBe(false);
    expect((await at(NOW)).unchanged).toBe(false);

    // An article held back as dated in the future is published once its time comes.
    await writeFile(path.join(archive, 'a3.md'), `---\ntitle: Later\ndate: ${new Date(NOW + 48 * 3_600_000).toISOString()}\n---\n\nSoon.\n`);
    expect((await at(NOW)).future).toBe(1);
    expect((await at(NOW + 3_600_000)).unchanged).toBe(true);
    const due = await at(NOW + 72 * 3_600_000);
    expect([due.unchanged, due.future, due.published]).toEqual([false, 0, 3]);

    // The output folder damaged: its manifest gone.
    await rm(path.join(out, 'manifest.json'));
    expect((await at(NOW + 72 * 3_600_000)).unchanged).toBe(false);
    expect((await at(NOW + 72 * 3_600_000)).unchanged).toBe(true);

    // The output folder rebuilt by someone else (here a --no-cache build).
    await build({ archiveDir: archive, outDir: out, config, now: NOW + 72 * 3_600_000 });
    expect((await at(NOW + 72 * 3_600_000)).unchanged).toBe(false);
    expect((await at(NOW + 72 * 3_600_000)).unchanged).toBe(true);
  }, 60_000);

  it('take what the live generation holds from the cache while it is as the last build left it, and read its state otherwise', async () => {
    const { archive, out, cacheDir, config } = await twoArticles();
    const run = () => build({ archiveDir: archive, outDir: out, config, cacheDir, now: NOW });
    const root = path.join(path.dirname(out), '.dist.gen');
    /**
     * Empty the idle generation (every file kept must then be linked from the live
     * one), fill the live one's state file with zeros, at its size, and edit a1.md.
     * `stampTellsIt`: the stamp is told the doctored state file is the one the last
     * build left (its size and time), as when only the cache is believed.
     */
    const doctor = async (stampTellsIt: boolean, tags: string[]) => {
      const live = path.basename(await readlink(out));
      const other = live === '0' ? '1' : '0';
      await rm(path.join(root, other), { recursive: true, force: true });
      await rm(stateFile(root, other), { force: true });
      const file = stateFile(root, live);
      await writeFile(file, Buffer.alloc((await stat(file)).size));
      if (stampTellsIt) {
        const stampFile = path.join(cacheDir, 'last-build.json');
        const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as { state: number[] };
        const info = await stat(file);
        stamp.state.splice(0, 2, info.size, info.mtimeMs);
        await writeFile(stampFile, JSON.stringify(stamp));
      }
      await writeFile(path.join(archive, 'a1.md'), article(1, tags));
    };
    const full = async () => {
      const fresh = path.join(await tempDir(), 'dist');
      await build({ archiveDir: archive, outDir: fresh, config, now: NOW });
      return digest(fresh);
    };
    await run();

    // The cache's record stands for the live generation: what did not change is linked from it.
    await doctor(true, ['芯片', '中国']);
    const trusted = await run();
    expect([trusted.parsed, trusted.rendered, trusted.kept]).toEqual([1, 18, 5]);
    expect(await digest(out)).toEqual(await full());

    // A state file the stamp does not know is read: unreadable, nothing can be kept.
    await doctor(false, ['芯片']);
    const unknown = await run();
    expect([unknown.parsed, unknown.rendered, unknown.kept]).toEqual([2, 19, 0]);
    expect(await digest(out)).toEqual(await full());
  }, 60_000);

  it('take what the idle generation holds from the live one and the stamp while its state file is as the last build left it', async () => {
    const { archive, out, cacheDir, config } = await twoArticles();
    const run = () => build({ archiveDir: archive, outDir: out, config, cacheDir, now: NOW });
    const root = path.join(path.dirname(out), '.dist.gen');
    const stampFile = path.join(cacheDir, 'last-build.json');
    const full = async () => {
      const fresh = path.join(await tempDir(), 'dist');
      await build({ archiveDir: archive, outDir: fresh, config, now: NOW });
      return digest(fresh);
    };
    /** Fill the idle generation's state file with zeros, at its size; `stampTellsIt`: the stamp is told it is the file the last build left. */
    const doctor = async (stampTellsIt: boolean) => {
      const idle = path.basename(await readlink(out)) === '0' ? '1' : '0';
      const file = stateFile(root, idle);
      await writeFile(file, Buffer.alloc((await stat(file)).size));
      const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as { idle?: { slot: string; state: number[]; differs: unknown[] } };
      expect(stamp.idle?.slot).toBe(idle);
      if (stampTellsIt) {
        const info = await stat(file);
        stamp.idle!.state = [info.size, info.mtimeMs, info.ino];
        await writeFile(stampFile, JSON.stringify(stamp));
      }
    };
    await run();
    // The first build's linked copy is the live generation, file for file.
    expect((JSON.parse(await readFile(stampFile, 'utf8')) as { idle: { differs: unknown[] } }).idle.differs).toEqual([]);
    await writeFile(path.join(archive, 'a1.md'), article(1, ['芯片', '中国']));
    await run();
    const { idle } = JSON.parse(await readFile(stampFile, 'utf8')) as { idle: { differs: [string, string | null][] } };
    // The idle generation lacks the new tag's files and holds the older a1 page, index and lookup.
    expect(idle.differs.filter(([, hash]) => hash === null).map(([rel]) => rel).sort()).toEqual([
      'tags/中国/atom.xml',
      'tags/中国/feed.json',
      'tags/中国/index.html',
      'tags/中国/rss.xml',
    ]);

    // Believed: a file rendered again as the idle generation holds it is not written.
    await doctor(true);
    await writeFile(path.join(archive, 'a1.md'), article(1, ['芯片']));
    const viewed = await run();
    expect([viewed.parsed, viewed.rendered, viewed.kept, viewed.written]).toEqual([1, 14, 5, 0]);
    expect(await digest(out)).toEqual(await full());

    // Not known to the stamp: the state file is read, unreadable, and every file rendered is written.
    await doctor(false);
    await writeFile(path.join(archive, 'a1.md'), article(1, ['芯片', '中国']));
    const read = await run();
    expect([read.parsed, read.rendered, read.kept, read.written]).toEqual([1, 18, 5, 22]);
    expect(await digest(out)).toEqual(await full());
  }, 60_000);

  it.each([
    ['its index and delta lost', ['index.v8', 'index-delta.v8']],
    ['its delta lost', ['index-delta.v8']],
  ])('know neither generation from the cache with %s since the last build', async (_, lost) => {
    // Enough articles for one edit to be saved as a delta against the index.
    const files: Record<string, string> = {};
    const dated = (n: number, tags: string[]) => `---\ntitle: Article ${n}\ndate: ${new Date(Date.UTC(2024, 0, 1, n)).toISOString()}\ntags: [${tags.join(', ')}]\n---\n\nBody ${n}.\n`;
    for (let n = 1; n <= 150; n++) files[`a${n}.md`] = dated(n, [`t${n % 10}`]);
    const archive = await makeArchive(files);
    const config = testConfig();
    const { out, cacheDir, run, full } = await cachedBuilds(archive, config, NOW);
    await run();
    await writeFile(path.join(archive, 'a1.md'), dated(1, ['t1', 'extra']));
    await run();
    await writeFile(path.join(archive, 'a1.md'), dated(1, ['t1', 'other']));
    await run();
    expect((await listFiles(cacheDir)).filter((f) => f.startsWith('index'))).toEqual(['index-delta.v8', 'index.v8']);
    for (const name of lost) await rm(path.join(cacheDir, name));
    // The cache now tells of an older build than the one the generations hold: it must not be believed.
    await writeFile(path.join(archive, 'a1.md'), dated(1, ['t1']));
    await rm(path.join(archive, 'a2.md'));
    await run();
    expect(await digest(out)).toEqual(await full());
  }, 60_000);

  it('render a file again when the live generation lost it by hand, instead of linking it', async () => {
    const { archive, out, cacheDir, config } = await twoArticles();
    const run = () => build({ archiveDir: archive, outDir: out, config, cacheDir, now: NOW });
    await run();
    // As after a first build whose linked copy failed: the next build's idle
    // generation is empty, and it would link this page from the live one.
    const live = await readlink(out);
    const other = live.endsWith('0') ? '1' : '0';
    await rm(path.join(path.dirname(out), '.dist.gen', other), { recursive: true, force: true });
    await rm(stateFile(path.join(path.dirname(out), '.dist.gen'), other), { force: true });
    await rm(path.join(out, 'tags', '美国', 'index.html'));
    await writeFile(path.join(archive, 'a1.md'), article(1, ['芯片', '中国']));
    const next = await run();
    expect(next.unchanged).toBe(false);
    const fresh = path.join(await tempDir(), 'dist');
    await build({ archiveDir: archive, outDir: fresh, config, now: NOW });
    expect(await digest(out)).toEqual(await digest(fresh));
  }, 60_000);
});

describe('atomic output', () => {
  it('leaves the previous complete output in place when a build is killed midway', async () => {
    // A build of the same fixture archive under another site URL changes every file,
    // so a mixed folder could not go unnoticed.
    const base = await tempDir();
    const archive = path.join(base, 'archive');
    await cp(path.join(FIXTURES, 'archive'), archive, { recursive: true });
    for (let i = 0; i < 400; i++) await writeFile(path.join(archive, `extra-${i}.md`), article((i % 28) + 1, [`tag${i % 50}`, '芯片']));
    const out = path.join(base, 'dist');
    const config = path.join(FIXTURES, 'feedwright.config.json');
    const run = (siteUrl: string, killAfterMs?: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['bin/feedwright.mjs', '--archive', archive, '--out', out, '--config', config, '--site-url', siteUrl, '--no-cache', '--quiet'], { cwd: ROOT, stdio: 'ignore' });
        const timer = killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    expect(await run('https://before.example.org')).toBe(0);
    const before = await digest(out);
    expect(readFileSync(path.join(out, 'rss.xml'), 'utf8')).toContain('https://before.example.org/');
    for (const delay of [300, 700, 1100]) {
      await run('https://after.example.org', delay);
      const now = await digest(out);
      const site = readFileSync(path.join(out, 'rss.xml'), 'utf8').includes('https://after.example.org/') ? 'after' : 'before';
      if (site === 'before') expect(now).toEqual(before);
      else expect(Object.values(now).length).toBe(Object.values(before).length);
      expect(await readlink(out)).toMatch(/^\.dist\.gen\/[01]$/);
    }
    // And a build that finishes replaces it whole.
    expect(await run('https://after.example.org')).toBe(0);
    const after = await digest(out);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after['rss.xml']).not.toBe(before['rss.xml']);
    expect(readFileSync(path.join(out, 'tags/芯片/atom.xml'), 'utf8')).toContain('https://after.example.org/');
  }, 60_000);
});
