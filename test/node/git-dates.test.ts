import { execFileSync } from 'node:child_process';
import { rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datesAt, headCommit, type GitDates } from '../../src/archive/git-dates.js';
import { build } from '../../src/build.js';
import { summary } from '../../src/summary.js';
import { makeArchive, read, tempDir, testConfig } from './helpers.js';

// An article with no date in the file is dated by its first commit, or failing
// that by its modification time; with the cache, a later build reads only the
// commits made since the last one, and none when there is no new commit.

const NOW = Date.UTC(2026, 0, 1);
const undated = (title: string) => `---\ntitle: ${title}\n---\n\nBody of ${title}.\n`;

function git(dir: string, args: string[], when?: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
  execFileSync('git', ['-C', dir, ...args], { env: when ? { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } : env, stdio: 'pipe' });
}

function commitOf(dir: string): string {
  return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
}

/** Write `name` as an undated article and commit it alone at `when`. */
async function commitNew(dir: string, name: string, when: string): Promise<void> {
  await writeFile(path.join(dir, name), undated(name));
  git(dir, ['add', '--', name]);
  git(dir, ['commit', '-qm', `add ${name}`], when);
}

/** A repository on branch main whose first commit adds a.md at T0, with a branch `side` there. */
async function repoWithSide(): Promise<string> {
  const dir = await makeArchive({});
  git(dir, ['init', '-q', '-b', 'main']);
  await commitNew(dir, 'a.md', T0);
  git(dir, ['branch', 'side']);
  return dir;
}

/** Check out `side`, run `work` there, and merge it into main with a merge commit at `when`. */
async function mergeSide(dir: string, when: string, work: () => Promise<void>): Promise<void> {
  git(dir, ['checkout', '-q', 'side']);
  await work();
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['merge', '-q', '--no-ff', '-m', 'merge side', 'side'], when);
}

const T0 = '2020-01-01T00:00:00Z';
const T1 = '2023-05-06T07:08:09Z';
const T2 = '2024-06-07T08:09:10Z';
const T3 = '2025-02-03T04:05:06Z';
const ms = (iso: string) => Date.parse(iso);

async function published(out: string): Promise<Record<string, string>> {
  const feed = JSON.parse(await read(out, 'feed.json')) as { items: { title: string; date_published: string }[] };
  return Object.fromEntries(feed.items.map((i) => [i.title, i.date_published]));
}

describe('dates from git', () => {
  it("know the archive's HEAD commit, and '' outside a repository", async () => {
    const archive = await makeArchive({ 'a.md': undated('A') });
    expect(await headCommit(archive)).toBe('');
    git(archive, ['init', '-q']);
    git(archive, ['add', 'a.md']);
    git(archive, ['commit', '-qm', 'add a'], '2023-05-06T07:08:09Z');
    const head = execFileSync('git', ['-C', archive, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(await headCommit(archive)).toBe(head);
  });

  it('date an undated article by its first commit, an uncommitted one by its file time', async () => {
    const archive = await makeArchive({ 'old.md': undated('Old') });
    git(archive, ['init', '-q']);
    git(archive, ['add', 'old.md']);
    git(archive, ['commit', '-qm', 'add old'], '2023-05-06T07:08:09Z');
    // Edited later: the first commit still dates it.
    await writeFile(path.join(archive, 'old.md'), undated('Old').replace('Body', 'New body'));
    git(archive, ['commit', '-qam', 'edit old'], '2024-06-07T08:09:10Z');
    await writeFile(path.join(archive, 'new.md'), undated('New'));
    await utimes(path.join(archive, 'new.md'), new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));

    const base = await tempDir();
    const out = path.join(base, 'dist');
    const result = await build({ archiveDir: archive, outDir: out, config: testConfig(), cacheDir: path.join(base, 'cache'), now: NOW });
    expect(result.dateSources).toEqual({ 'front-matter': 0, stamp: 0, git: 1, mtime: 1 });
    expect(await published(out)).toEqual({ Old: '2023-05-06T07:08:09Z', New: '2024-01-02T03:04:05Z' });

    // Committed now: the next build (a new commit is a change) dates it by that commit.
    git(archive, ['add', 'new.md']);
    git(archive, ['commit', '-qm', 'add new'], '2025-02-03T04:05:06Z');
    const again = await build({ archiveDir: archive, outDir: out, config: testConfig(), cacheDir: path.join(base, 'cache'), now: NOW });
    expect([again.unchanged, again.dateSources.git, again.dateSources.mtime]).toEqual([false, 2, 0]);
    expect(await published(out)).toEqual({ Old: '2023-05-06T07:08:09Z', New: '2025-02-03T04:05:06Z' });
  });

  it('read the whole history once, then only the commits since, and nothing when there is no new commit', async () => {
    const archive = await makeArchive({ 'a.md': undated('A'), 'b.md': undated('B') });
    git(archive, ['init', '-q']);
    git(archive, ['add', 'a.md']);
    git(archive, ['commit', '-qm', 'add a'], T1);
    git(archive, ['add', 'b.md']);
    git(archive, ['commit', '-qm', 'add b'], T2);
    const first = commitOf(archive);
    const whole = await datesAt(archive, first);
    expect(whole).toEqual({ dir: archive, commit: first, dates: new Map(Object.entries({ 'a.md': ms(T1), 'b.md': ms(T2) })) });

    // The same commit: what was known stands as it is (these dates are not git's: git was not asked).
    const known: GitDates = { dir: archive, commit: first, dates: new Map(Object.entries({ 'a.md': 1, 'b.md': 2 })) };
    expect(await datesAt(archive, first, known)).toBe(known);

    // One commit more, adding c.md and removing b.md: that commit only is read, onto what was known.
    await writeFile(path.join(archive, 'c.md'), undated('C'));
    git(archive, ['add', 'c.md']);
    git(archive, ['rm', '-q', 'b.md']);
    git(archive, ['commit', '-qm', 'add c, remove b'], T3);
    const second = commitOf(archive);
    expect(await datesAt(archive, second, known)).toEqual({ dir: archive, commit: second, dates: new Map(Object.entries({ 'a.md': 1, 'b.md': 2, 'c.md': ms(T3) })) });
    // b.md added again: the date known from before the new commits stays, the oldest.
    await writeFile(path.join(archive, 'b.md'), undated('B again'));
    git(archive, ['add', 'b.md']);
    git(archive, ['commit', '-qm', 'add b again'], '2026-01-01T00:00:00Z');
    const third = commitOf(archive);
    expect((await datesAt(archive, third, known)).dates).toEqual(new Map(Object.entries({ 'a.md': 1, 'b.md': 2, 'c.md': ms(T3) })));
    // and from the whole history, the same dates as git has them.
    expect((await datesAt(archive, third)).dates).toEqual(new Map(Object.entries({ 'a.md': ms(T1), 'b.md': ms(T2), 'c.md': ms(T3) })));

    // A commit that adds nothing: the known dates, the very same record.
    await writeFile(path.join(archive, 'a.md'), undated('A, edited'));
    git(archive, ['commit', '-qam', 'edit a'], '2026-02-01T00:00:00Z');
    const onThird: GitDates = { dir: archive, commit: third, dates: new Map(Object.entries({ 'a.md': 1 })) };
    expect((await datesAt(archive, commitOf(archive), onThird)).dates).toBe(onThird.dates);
  });

  it('read the whole history again when what was known is of a rewritten history or of another folder', async () => {
    const archive = await makeArchive({ 'a.md': undated('A') });
    git(archive, ['init', '-q']);
    git(archive, ['add', 'a.md']);
    git(archive, ['commit', '-qm', 'add a'], T1);
    const before = commitOf(archive);
    // The commit amended with another date: the old one is no ancestor of HEAD any more.
    git(archive, ['commit', '-q', '--amend', '-m', 'add a', '--date', T2], T2);
    const after = commitOf(archive);
    expect(after).not.toBe(before);
    const known: GitDates = { dir: archive, commit: before, dates: new Map(Object.entries({ 'a.md': ms(T1), 'gone.md': 5 })) };
    expect(await datesAt(archive, after, known)).toEqual({ dir: archive, commit: after, dates: new Map(Object.entries({ 'a.md': ms(T2) })) });
    expect(await datesAt(archive, after, { ...known, commit: after, dir: '/elsewhere' })).toEqual({ dir: archive, commit: after, dates: new Map(Object.entries({ 'a.md': ms(T2) })) });
  });

  it('have no dates outside a repository, whatever was known, and none when git fails', async () => {
    const plain = await makeArchive({ 'a.md': undated('A') });
    const none = await datesAt(plain, '');
    expect(none).toEqual({ dir: plain, commit: '', dates: new Map(Object.entries({})) });
    // A shallow clone's dates are kept with commit '': once the repository is gone, they are not used.
    expect(await datesAt(plain, '', { dir: plain, commit: '', dates: new Map(Object.entries({ 'a.md': 1 })), shallow: true })).toEqual(none);
    // A commit git does not know: nothing, and nothing marked complete (the next build asks again).
    expect(await datesAt(plain, 'f'.repeat(40))).toEqual({ dir: plain, commit: '', dates: new Map(Object.entries({})) });
  });

  it('give a cached build the dates a build without the cache gives, after new commits and a rewritten history', async () => {
    const archive = await makeArchive({ 'old.md': undated('Old') });
    git(archive, ['init', '-q']);
    git(archive, ['add', 'old.md']);
    git(archive, ['commit', '-qm', 'add old'], T1);
    const base = await tempDir();
    const cached = (out: string) => build({ archiveDir: archive, outDir: path.join(base, out), config: testConfig(), cacheDir: path.join(base, 'cache'), now: NOW });
    const uncached = async () => {
      const out = path.join(base, 'plain');
      await rm(out, { recursive: true, force: true });
      await build({ archiveDir: archive, outDir: out, config: testConfig(), now: NOW });
      return published(out);
    };
    await cached('dist');
    // Added and committed: the build after reads that commit.
    await writeFile(path.join(archive, 'new.md'), undated('New'));
    git(archive, ['add', 'new.md']);
    git(archive, ['commit', '-qm', 'add new'], T2);
    await cached('dist');
    expect(await published(path.join(base, 'dist'))).toEqual({ Old: T1, New: T2 });
    expect(await published(path.join(base, 'dist'))).toEqual(await uncached());
    // That commit amended to another date: the cached build reads the whole history again.
    git(archive, ['commit', '-q', '--amend', '-m', 'add new', '--date', T3], T3);
    const again = await cached('dist');
    expect(again.dateSources.git).toBe(2);
    expect(await published(path.join(base, 'dist'))).toEqual({ Old: T1, New: T3 });
    expect(await published(path.join(base, 'dist'))).toEqual(await uncached());
  });

  it('warn that a shallow clone dates older articles by its oldest commit, and date them right once the history is fetched', async () => {
    const origin = await makeArchive({ 'old.md': undated('Old') });
    git(origin, ['init', '-q']);
    git(origin, ['add', 'old.md']);
    git(origin, ['commit', '-qm', 'add old'], T1);
    await writeFile(path.join(origin, 'new.md'), undated('New'));
    git(origin, ['add', 'new.md']);
    git(origin, ['commit', '-qm', 'add new'], T2);
    const base = await tempDir();
    const clone = path.join(base, 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', pathToFileURL(origin).href, clone], { stdio: 'pipe' });
    const options = { archiveDir: clone, outDir: path.join(base, 'dist'), config: testConfig(), cacheDir: path.join(base, 'cache'), now: NOW };
    const first = await build(options);
    expect([first.shallowGit, first.dateSources.git]).toEqual([true, 2]);
    expect(await published(options.outDir)).toEqual({ Old: T2, New: T2 });
    expect(summary(first, 'dist', 1).split('\n')).toContain(
      'Warning: the archive is a shallow git clone: an article first committed before its oldest fetched commit is dated by that commit. Fetch the whole history (`git fetch --unshallow`; `fetch-depth: 0` with actions/checkout) for their real dates.',
    );
    // The whole history fetched: no file and not HEAD changed, and the next build dates Old by its first commit.
    git(clone, ['fetch', '-q', '--unshallow']);
    const second = await build(options);
    expect([second.unchanged, second.shallowGit, second.dateSources.git]).toEqual([false, false, 2]);
    expect(await published(options.outDir)).toEqual({ Old: T1, New: T2 });
    expect(summary(second, 'dist', 1)).not.toContain('shallow');
    // and then nothing changed, and it says so.
    expect((await build(options)).unchanged).toBe(true);
  });

  it("follow every parent of a merge, so that the dates do not depend on where the last build's commit was", async () => {
    // main adds x.md; a branch made before it picks the same change up later, adds y.md, and is merged.
    const archive = await repoWithSide();
    await commitNew(archive, 'x.md', T1);
    const known = await datesAt(archive, commitOf(archive));
    await mergeSide(archive, T3, async () => {
      git(archive, ['cherry-pick', 'main'], T2);
      await commitNew(archive, 'y.md', T2);
    });
    const head = commitOf(archive);
    const expected = new Map(Object.entries({ 'a.md': ms(T0), 'x.md': ms(T1), 'y.md': ms(T2) }));
    expect((await datesAt(archive, head, known)).dates).toEqual(expected);
    expect((await datesAt(archive, head)).dates).toEqual(expected);
  });

  it('date files whose names git would quote: a double quote, a backslash, a tab', async () => {
    const names = ['say "hi".md', 'back\\slash.md', 'tab\tname.md', ' spaced .md'];
    const archive = await makeArchive(Object.fromEntries(names.map((n) => [n, undated(n.trim())])));
    git(archive, ['init', '-q']);
    git(archive, ['add', '-A']);
    git(archive, ['commit', '-qm', 'add all'], T1);
    expect((await datesAt(archive, commitOf(archive))).dates).toEqual(new Map(names.map((n) => [n, ms(T1)])));
  });

  it('read the whole history, and flag it, when the repository has become shallow since the known commit', async () => {
    const origin = await repoWithSide();
    await commitNew(origin, 'c.md', T1);
    const base = await tempDir();
    const clone = path.join(base, 'clone');
    execFileSync('git', ['clone', '-q', pathToFileURL(origin).href, clone], { stdio: 'pipe' });
    const known = await datesAt(clone, commitOf(clone));
    expect(known.commit).toBe(commitOf(clone));
    // On the origin, a branch adds s.md and is merged; the clone fetches it two commits deep, which cuts the branch.
    await mergeSide(origin, T3, () => commitNew(origin, 's.md', T2));
    git(clone, ['fetch', '-q', '--depth=2', 'origin', 'main']);
    git(clone, ['merge', '-q', '--ff-only', 'FETCH_HEAD']);
    const after = await datesAt(clone, commitOf(clone), known);
    expect([after.commit, after.shallow]).toEqual(['', true]);
  });
});
