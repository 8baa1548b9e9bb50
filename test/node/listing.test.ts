import { mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, listArticles } from '../../src/archive/discover.js';
import { listFiles, plainPattern, readListing, writeListing, type ListingRecord } from '../../src/archive/listing.js';
import { cachedBuilds, digest, makeArchive, testConfig } from './helpers.js';

// The archive's file list is taken from the last build's while none of its folders
// changed (archive/listing.ts): a file added, deleted or renamed anywhere is seen.

/** A clock 10 s ahead: the folders just made count as settled. */
const later = () => Date.now() + 10_000;
const PATTERN = '**/*.md';
const remember = { code: 'code-1' };

/**
 * Give folders a time of their own after a change: on a file system whose clock
 * ticks coarsely (Linux before 6.13 stamps from a 1–10 ms tick) two changes a
 * moment apart may leave a folder's times as they were, which is what the 3 s
 * guard (bypassed here by the clock ahead) is for in real builds.
 */
let tick = 0;
function retime(dir: string, ...folders: string[]): void {
  const when = new Date(Date.UTC(2020, 0, 1) + ++tick * 1000);
  for (const folder of folders) utimesSync(path.join(dir, folder), when, when);
}

async function archive(): Promise<string> {
  return makeArchive({ 'a.md': '# A\n', 'sub/b.md': '# B\n', 'sub/deeper/c.md': '# C\n', 'sub/notes.txt': 'x', '.drafts/d.md': '# D\n' });
}

describe('the archive listing', () => {
  it('is recorded with every folder but dot folders, and sorted', async () => {
    const dir = await archive();
    const { files, record } = await listFiles(dir, PATTERN, { remember, now: later });
    expect(files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
    expect(record!.dirs).toEqual(['', 'sub', 'sub/deeper']);
    expect(record!.files).toEqual(files);
    expect(record!.times.length).toBe(6);
  });

  it('is taken from the record while no folder changed, and walked again when one did', async () => {
    const dir = await archive();
    const { record } = await listFiles(dir, PATTERN, { remember, now: later });
    // A name planted in the record comes back: nothing was walked.
    const planted = { ...record!, files: [...record!.files, 'planted.md'] };
    expect((await listFiles(dir, PATTERN, { known: planted, remember })).files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md', 'planted.md']);
    // Another pattern, archive folder or version of the code, or no cache: walked.
    expect((await listFiles(dir, 'sub/*.md', { known: planted, remember })).files).toEqual(['sub/b.md']);
    expect((await listFiles(`${dir}/sub/..`, PATTERN, { known: planted, remember })).files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
    expect((await listFiles(dir, PATTERN, { known: planted, remember: { code: 'code-2' } })).files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
    expect((await listFiles(dir, PATTERN, { known: planted })).files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);

    const steps: [string, () => void, string[]][] = [
      ['a file added two folders down', () => (writeFileSync(path.join(dir, 'sub/deeper/e.md'), '# E\n'), retime(dir, 'sub/deeper')), ['a.md', 'sub/b.md', 'sub/deeper/c.md', 'sub/deeper/e.md']],
      ['a file deleted', () => (rmSync(path.join(dir, 'sub/b.md')), retime(dir, 'sub')), ['a.md', 'sub/deeper/c.md', 'sub/deeper/e.md']],
      ['a file renamed', () => (renameSync(path.join(dir, 'a.md'), path.join(dir, 'z.md')), retime(dir, '')), ['sub/deeper/c.md', 'sub/deeper/e.md', 'z.md']],
      ['a new folder with a file', () => (mkdirSync(path.join(dir, 'new')), writeFileSync(path.join(dir, 'new/f.md'), '# F\n'), retime(dir, '', 'new')), ['new/f.md', 'sub/deeper/c.md', 'sub/deeper/e.md', 'z.md']],
      ['a file in a folder that had none', () => (writeFileSync(path.join(dir, 'sub/g.md'), '# G\n'), retime(dir, 'sub')), ['new/f.md', 'sub/deeper/c.md', 'sub/deeper/e.md', 'sub/g.md', 'z.md']],
      ['a folder renamed', () => (renameSync(path.join(dir, 'new'), path.join(dir, 'newer')), retime(dir, '')), ['newer/f.md', 'sub/deeper/c.md', 'sub/deeper/e.md', 'sub/g.md', 'z.md']],
      ['a folder deleted', () => (rmSync(path.join(dir, 'sub/deeper'), { recursive: true }), retime(dir, 'sub')), ['newer/f.md', 'sub/g.md', 'z.md']],
    ];
    let known = record!;
    for (const [name, change, expected] of steps) {
      change();
      // The stale record with a planted name: had it been trusted, the name would show.
      const stale = { ...known, files: [...known.files, 'planted.md'] };
      const listed = await listFiles(dir, PATTERN, { known: stale, remember, now: later });
      expect(listed.files, name).toEqual(expected);
      known = listed.record!;
    }
  });

  it('hands back the record it walked past, and the articles count as changed only when they differ from it: not for a file of another kind or a README.md, nor without a record it can compare with', async () => {
    const dir = await archive();
    const { record } = await listFiles(dir, PATTERN, { remember, now: later });
    const changed = async (known: ListingRecord | undefined, code = remember) => (await listArticles(dir, PATTERN, { known, remember: code, now: later })).changed;
    expect(await listFiles(dir, PATTERN, { known: record, remember, now: later })).toEqual({ files: ['a.md', 'sub/b.md', 'sub/deeper/c.md'], remembered: true });
    // A folder changed, but only by a file the pattern does not match, or by a README.md: walked, the same articles.
    writeFileSync(path.join(dir, 'sub/more.txt'), 'x');
    retime(dir, 'sub');
    const other = await listFiles(dir, PATTERN, { known: record, remember, now: later });
    expect([other.files, other.remembered, other.previous, other.record !== undefined]).toEqual([['a.md', 'sub/b.md', 'sub/deeper/c.md'], undefined, ['a.md', 'sub/b.md', 'sub/deeper/c.md'], true]);
    expect(await changed(record)).toBe(false);
    writeFileSync(path.join(dir, 'sub/README.md'), '# Index\n');
    retime(dir, 'sub');
    expect(await changed(other.record)).toBe(false);
    rmSync(path.join(dir, 'sub/README.md'));
    writeFileSync(path.join(dir, 'sub/e.md'), '# E\n');
    retime(dir, 'sub');
    const added = await listFiles(dir, PATTERN, { known: other.record, remember, now: later });
    expect([added.files, added.previous]).toEqual([['a.md', 'sub/b.md', 'sub/deeper/c.md', 'sub/e.md'], ['a.md', 'sub/b.md', 'sub/deeper/c.md']]);
    expect(await changed(other.record)).toBe(true);
    // A rename keeps the count, not the names.
    renameSync(path.join(dir, 'sub/e.md'), path.join(dir, 'sub/f.md'));
    retime(dir, 'sub');
    expect(await changed(added.record)).toBe(true);
    renameSync(path.join(dir, 'sub/f.md'), path.join(dir, 'sub/e.md'));
    retime(dir, 'sub');
    // Through fast-glob's walk too (a symbolic link in the archive).
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'link'));
    expect((await listFiles(dir, PATTERN, { known: other.record, remember, now: later })).previous).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
    expect(await changed(other.record)).toBe(true);
    rmSync(path.join(dir, 'link'));
    // No record, or one of another version of the code: nothing to compare with.
    writeFileSync(path.join(dir, 'f.md'), '# F\n');
    retime(dir, '');
    expect((await listFiles(dir, PATTERN, { remember, now: later })).previous).toBeUndefined();
    expect(await changed(undefined)).toBe(false);
    expect((await listFiles(dir, PATTERN, { known: other.record, remember: { code: 'code-2' }, now: later })).previous).toBeUndefined();
    expect(await changed(other.record, { code: 'code-2' })).toBe(false);
    expect((await listFiles(dir, PATTERN, { known: other.record, now: later })).previous).toBeUndefined();
  });

  it('is not recorded when a folder changed moments ago, a symbolic link is in the archive, or the pattern is not plain', async () => {
    const dir = await archive();
    expect((await listFiles(dir, PATTERN, { remember })).record).toBeUndefined();
    expect((await listFiles(dir, PATTERN, { remember, now: later })).record).toBeDefined();
    // Patterns that can reach a dot folder (or leave the archive) are walked every time.
    for (const pattern of ['.drafts/*.md', '!(sub)/**/*.md', '[.]drafts/*.md', '@(.drafts)/*.md', '{a,.drafts}/*.md', '**/.*/*.md', '../x/*.md', '/abs/*.md', 'C:/x/*.md', '\\.drafts/*.md', 'sub//*.md', '**//*.md']) {
      expect(plainPattern(pattern), pattern).toBe(false);
      expect((await listFiles(dir, pattern, { remember, now: later })).record, pattern).toBeUndefined();
    }
    for (const pattern of ['**/*.md', 'sub/**/*.md', '{a,sub}/*.md', '**/*.{md,markdown}', '文章/**/*.md']) expect(plainPattern(pattern), pattern).toBe(true);
    // fast-glob does enter a dot folder for an extglob: what the walk finds there is listed.
    writeFileSync(path.join(dir, '.drafts/e.md'), '# E\n');
    expect((await listFiles(dir, '!(sub)/*.md', { remember, now: later })).files).toEqual(['.drafts/d.md', '.drafts/e.md']);
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'link'));
    expect((await listFiles(dir, PATTERN, { remember, now: later })).record).toBeUndefined();
    // Without `remember` (no cache), nothing is recorded at all.
    rmSync(path.join(dir, 'link'));
    expect((await listFiles(dir, PATTERN, { now: later })).record).toBeUndefined();
  });

  it('lists in its one walk what fast-glob lists, for every plain pattern', async () => {
    const dir = await makeArchive({
      'a.md': '# A\n',
      'b.markdown': '# B\n',
      '.hidden.md': '# hidden\n',
      'notes.txt': 'x',
      'sub/c.md': '# C\n',
      'sub/.d.md': '# D\n',
      'sub/deeper/e.md': '# E\n',
      'sub/deeper/f.MD': '# F\n',
      '.drafts/g.md': '# G\n',
      'node_modules/pkg/h.md': '# H\n',
      'sub/node_modules/i.md': '# I\n',
      '文章/甲.md': '# 甲\n',
      'a.md.bak/j.md': '# J\n',
    });
    for (const pattern of ['**/*.md', '*.md', 'sub/**/*.md', 'sub/*.md', '**/*.{md,markdown}', '{a,sub}/*.md', '文章/**/*.md', '**/deeper/*', 'missing/**/*.md']) {
      expect(plainPattern(pattern), pattern).toBe(true);
      const walked = await listFiles(dir, pattern, { remember, now: later });
      // Recorded: the listing came from the one walk, not from fast-glob.
      expect(walked.record, pattern).toBeDefined();
      // Without `remember`, fast-glob lists.
      expect(walked.files, pattern).toEqual((await listFiles(dir, pattern)).files);
    }
    expect((await listFiles(dir, '**/*.md', { remember, now: later })).files).toEqual(['a.md', 'a.md.bak/j.md', 'sub/c.md', 'sub/deeper/e.md', '文章/甲.md']);
    // A base folder there only in another case: fast-glob opens it as the pattern spells it (which a
    // file system that ignores case allows), so it walks, and nothing is recorded.
    const cased = await makeArchive({ 'Upper/x.md': '# X\n' });
    const other = await listFiles(cased, 'upper/*.md', { remember, now: later });
    expect(other.record).toBeUndefined();
    expect(other.files).toEqual((await listFiles(cased, 'upper/*.md')).files);
    // The same for a name in another Unicode normal form (é composed in the folder, decomposed in the pattern).
    const formed = await makeArchive({ ['caf\u00e9/x.md']: '# X\n' });
    expect((await listFiles(formed, 'cafe\u0301/*.md', { remember, now: later })).record).toBeUndefined();
    const same = await listFiles(cased, 'Upper/*.md', { remember, now: later });
    expect([same.files, same.record?.files]).toEqual([['Upper/x.md'], ['Upper/x.md']]);
  });

  it("gives each file's absolute path as path.join() would, however the folder is written", async () => {
    const dir = await archive();
    for (const form of [dir, `${dir}/`, `${dir}/sub/..`, path.relative(process.cwd(), dir)]) {
      const { sources } = await discover(form, PATTERN);
      expect(sources.map((s) => s.file)).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
      expect(sources.map((s) => s.absolute)).toEqual(sources.map((s) => path.join(form, s.file)));
      expect(sources[1]!.bytes).toBe(4);
    }
  });

  it('serves a cached build while the folders are as recorded, and a file added is seen', async () => {
    const dir = await archive();
    const { out, cacheDir, run, full } = await cachedBuilds(dir, testConfig());
    expect((await run()).found).toBe(3);
    // The folders were made just now: nothing recorded yet.
    expect(await readListing(cacheDir)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    await run();
    const record = (await readListing(cacheDir))!;
    expect(record.files).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);

    // An edit in place changes no folder: the record serves, and the file's time tells the edit.
    writeFileSync(path.join(dir, 'a.md'), '# A, edited\n');
    expect((await run()).parsed).toBe(1);
    expect(await digest(out)).toEqual(await full());
    // The record is trusted: one taken out of it is not listed (shown by doctoring it).
    await writeListing(cacheDir, { ...record, files: ['a.md', 'sub/deeper/c.md'] });
    expect((await run()).found).toBe(2);

    // A file added: its folder's times moved, and the archive is walked again.
    writeFileSync(path.join(dir, 'sub/deeper/e.md'), '# E\n\nNew.\n');
    expect((await run()).found).toBe(4);
    expect(await digest(out)).toEqual(await full());
  }, 30_000);
});

