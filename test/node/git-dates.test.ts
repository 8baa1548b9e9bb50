import { execFileSync } from 'node:child_process';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headCommit } from '../../src/archive/git-dates.js';
import { build } from '../../src/build.js';
import { makeArchive, read, tempDir, testConfig } from './helpers.js';

// An article with no date in the file is dated by its first commit, or failing
// that by its modification time; with the cache, a later build reads the history
// only for files it has not dated yet.

const NOW = Date.UTC(2026, 0, 1);
const undated = (title: string) => `---\ntitle: ${title}\n---\n\nBody of ${title}.\n`;

function git(dir: string, args: string[], when?: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
  execFileSync('git', ['-C', dir, ...args], { env: when ? { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } : env, stdio: 'pipe' });
}

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
});
