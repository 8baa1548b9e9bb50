import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { listArticles, statArticles, statOnThread, type SourceFile } from '../../src/archive/discover.js';
import { BuildCache } from '../../src/archive/cache.js';
import { readColumns } from '../../src/archive/index-file.js';
import { build } from '../../src/build.js';
import { cachedBuilds, digest, makeArchive, tempDir, testConfig } from './helpers.js';

// The build's own calls are watched (the real function runs).
vi.mock('../../src/archive/discover.js', async (original) => {
  const real = await original<typeof import('../../src/archive/discover.js')>();
  return { ...real, statArticles: vi.fn(real.statArticles) };
});
vi.mock('../../src/archive/index-file.js', async (original) => {
  const real = await original<typeof import('../../src/archive/index-file.js')>();
  return { ...real, readColumns: vi.fn(real.readColumns) };
});

const NOW = Date.UTC(2026, 0, 1);

function article(n: number, tags: string[]): string {
  return `---\ntitle: Article ${n}\ndate: 2024-01-${String(n).padStart(2, '0')}T00:00:00Z\ntags: [${tags.join(', ')}]\n---\n\nBody of article ${n}.\n`;
}

async function archive(): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'sub', '芯片'), { recursive: true });
  await writeFile(path.join(dir, 'a.md'), 'a\n');
  await writeFile(path.join(dir, 'sub', 'b.md'), 'bb\n');
  await writeFile(path.join(dir, 'sub', '芯片', 'c d.md'), '芯片\n');
  await writeFile(path.join(dir, 'README.md'), 'index\n');
  await utimes(path.join(dir, 'a.md'), new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
  return dir;
}

describe('discovering the archive', () => {
  it('lists the articles sorted, without README.md; with no listing remembered, none changed that it knows of', async () => {
    const dir = await archive();
    const listed = await listArticles(dir, '**/*.md');
    expect(listed.articles).toEqual(['a.md', 'sub/b.md', 'sub/芯片/c d.md']);
    expect(listed.changed).toBe(false);
  });

  it('leaves out a README.md of any folder, in any case, and nothing else', async () => {
    const dir = await archive();
    for (const name of ['sub/ReadMe.md', 'sub/芯片/readme.md', 'xreadme.md', 'readme.md.md', 'sub/a-README.md']) await writeFile(path.join(dir, name), 'x\n');
    const listed = await listArticles(dir, '**/*.md');
    expect(listed.articles).toEqual(['a.md', 'readme.md.md', 'sub/a-README.md', 'sub/b.md', 'sub/芯片/c d.md', 'xreadme.md']);
  });

  it('stats on a thread of its own exactly as here: sizes, whole-millisecond times, paths, a file gone since the listing left out', async () => {
    const dir = await archive();
    const { articles } = await listArticles(dir, '**/*.md');
    await rm(path.join(dir, 'sub', 'b.md'));
    const here = await statArticles(dir, articles, false);
    const there = await statArticles(dir, articles, true);
    expect(there).toEqual(here);
    expect(there).toEqual([
      { file: 'a.md', absolute: path.join(dir, 'a.md'), bytes: 2, mtimeMs: Date.UTC(2024, 0, 2, 3, 4, 5) },
      { file: 'sub/芯片/c d.md', absolute: path.join(dir, 'sub', '芯片', 'c d.md'), bytes: 7, mtimeMs: expect.any(Number) },
    ]);
  });

  it('answers from the thread itself: size and time of each file in pairs, -1 for one not there', async () => {
    const dir = await archive();
    const stats = await statOnThread(`${dir}/`, ['a.md', 'gone.md', 'sub/芯片/c d.md']);
    expect(stats).toBeInstanceOf(Float64Array);
    expect([...stats]).toEqual([2, Date.UTC(2024, 0, 2, 3, 4, 5), -1, 0, 7, expect.any(Number)]);
  });

  it('fails on the thread, then here as before: a name too long to stat', async () => {
    const dir = await archive();
    const long = `${'x'.repeat(300)}.md`;
    await expect(statOnThread(`${dir}/`, [long])).rejects.toThrow(/ENAMETOOLONG/);
    await expect(statArticles(dir, [long], false)).rejects.toThrow(/ENAMETOOLONG/);
    await expect(statArticles(dir, [long], true)).rejects.toThrow(/ENAMETOOLONG/);
  });

  it('in a build with the cache, stats on a thread while the cache is deserialized (and decoded whole when a file was added or removed), here first after a build with nothing to do, with the same bytes; and here below the threshold', async () => {
    const archive = await makeArchive({ 'a1.md': article(1, ['芯片']), 'a2.md': article(2, ['美国']), 'sub/a3.md': article(3, ['芯片', '美国']) });
    const config = testConfig();
    const { out, cacheDir, full } = await cachedBuilds(archive, config, NOW);
    const stat = vi.mocked(statArticles);
    const realStat = stat.getMockImplementation()!;
    const columns = vi.mocked(readColumns);
    const open = vi.spyOn(BuildCache, 'open');
    const deserialize = vi.spyOn(BuildCache, 'deserialize');
    onTestFinished(() => {
      open.mockRestore();
      deserialize.mockRestore();
    });
    // Each build an hour after its files were written: the folders have settled, so the listing is remembered (see listing.ts).
    const run = async (statThreadFrom?: number) => {
      stat.mockClear();
      columns.mockClear();
      open.mockClear();
      deserialize.mockClear();
      // Whether the index was asked for before the stats came back (not after: they were taken side by side).
      let askedBeforeStats = false;
      stat.mockImplementationOnce((...args) =>
        realStat(...args).then((stats) => {
          askedBeforeStats = deserialize.mock.calls.length > 0;
          return stats;
        }),
      );
      const clock = vi.spyOn(Date, 'now').mockReturnValue(new Date().getTime() + 3_600_000);
      try {
        const result = await build({ archiveDir: archive, outDir: out, config, cacheDir, now: NOW, statThreadFrom });
        // How often the index was deserialized, and opened (its entries made).
        return { result, onThread: stat.mock.calls.map((call) => call[2]), decoded: [columns.mock.calls.length, open.mock.calls.length], askedBeforeStats };
      } finally {
        clock.mockRestore();
      }
    };
    // The first build: no listing remembered, on the thread all the same; no index yet to deserialize.
    const first = await run(1);
    expect([first.onThread, first.decoded, first.askedBeforeStats]).toEqual([[true], [0, 1], true]);
    // Nothing changed: the index deserialized meanwhile, its entries not made.
    const same = await run(1);
    expect([same.result.unchanged, same.result.published, same.onThread, same.decoded, same.askedBeforeStats]).toEqual([true, 3, [true], [1, 0], true]);
    // Nothing changed again, after a build that had nothing to do either: stat-ed here first, the index not even deserialized.
    const again = await run(1);
    expect([again.result.unchanged, again.onThread, again.decoded, again.askedBeforeStats]).toEqual([true, [false], [0, 0], false]);
    // An edit in place after such a build: stat-ed here, then the index read whole (an edit after an edit goes side by side: `edited` below).
    await writeFile(path.join(archive, 'a1.md'), article(1, ['芯片', '中国']));
    const afterQuiet = await run(1);
    expect([afterQuiet.result.parsed, afterQuiet.onThread, afterQuiet.decoded, afterQuiet.askedBeforeStats]).toEqual([1, [false], [1, 1], false]);
    expect(await digest(out)).toEqual(await full());
    // A file added: the index decoded whole while the thread stats.
    await writeFile(path.join(archive, 'sub', 'a4.md'), article(4, ['美国']));
    const added = await run(1);
    expect([added.result.parsed, added.result.published, added.onThread, added.decoded, added.askedBeforeStats]).toEqual([1, 4, [true], [1, 1], true]);
    expect(await digest(out)).toEqual(await full());
    // An edit in place changes no folder (a size of its own, so that no clock's granularity can hide it).
    await writeFile(path.join(archive, 'a2.md'), article(2, ['芯片', '美国']));
    const edited = await run(1);
    expect([edited.result.parsed, edited.result.published, edited.onThread, edited.decoded, edited.askedBeforeStats]).toEqual([1, 4, [true], [1, 1], true]);
    expect(await digest(out)).toEqual(await full());
    // A README.md comes: the listing changed, the articles did not (nothing to do).
    await writeFile(path.join(archive, 'sub', 'README.md'), '# Index\n');
    const readme = await run(1);
    expect([readme.result.unchanged, readme.onThread, readme.decoded]).toEqual([true, [true], [1, 0]]);
    await rm(path.join(archive, 'a1.md'));
    const removed = await run(1);
    expect([removed.result.parsed, removed.result.published, removed.onThread]).toEqual([0, 3, [true]]);
    expect(await digest(out)).toEqual(await full());
    // Below the threshold (4,096 articles by default): here.
    await writeFile(path.join(archive, 'a5.md'), article(5, ['芯片']));
    const small = await run();
    expect([small.result.published, small.onThread]).toEqual([4, [false]]);
    expect(await digest(out)).toEqual(await full());
    // Folder times not trusted (no listing kept): a build with nothing to do does not make the index's entries.
    const untrusting = { ...config, trustFolderTimes: false };
    await build({ archiveDir: archive, outDir: out, config: untrusting, cacheDir, now: NOW });
    open.mockClear();
    columns.mockClear();
    stat.mockClear();
    const nothing = await build({ archiveDir: archive, outDir: out, config: untrusting, cacheDir, now: NOW, statThreadFrom: 1 });
    expect([nothing.unchanged, stat.mock.calls.map((call) => call[2]), columns.mock.calls.length, open.mock.calls.length]).toEqual([true, [true], 1, 0]);
  });

  it('in a build, a failure to stat fails the build with that error, also when the listing is written meanwhile', async () => {
    const archive = await makeArchive({ 'a1.md': article(1, ['芯片']) });
    const base = await tempDir();
    // A promise the mock does not watch itself (it handles every Promise it returns): a thenable over a rejected one.
    vi.mocked(statArticles).mockImplementationOnce(() => {
      const failed = Promise.reject(new Error('EACCES: permission denied, stat a1.md'));
      return { then: failed.then.bind(failed), catch: failed.catch.bind(failed) } as unknown as Promise<SourceFile[]>;
    });
    // The listing an hour later: its folders settled, it is recorded, and written while the stats are out.
    const later = Date.now() + 3_600_000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    onTestFinished(() => vi.mocked(Date.now).mockRestore());
    // Until the build awaits the stats, their failure must not count as unhandled (plain Node would exit on it).
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    onTestFinished(() => void process.off('unhandledRejection', unhandled));
    await expect(build({ archiveDir: archive, outDir: path.join(base, 'dist'), config: testConfig(), cacheDir: path.join(base, 'cache'), now: NOW, statThreadFrom: 1 })).rejects.toThrow('EACCES: permission denied, stat a1.md');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).not.toHaveBeenCalled();
  });
});
