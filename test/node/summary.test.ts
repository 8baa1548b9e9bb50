import { describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/build.js';
import { summary } from '../../src/summary.js';

const result = (over: Partial<BuildResult>): BuildResult =>
  ({
    found: 3,
    published: 2,
    drafts: 0,
    future: 0,
    problems: [{ file: 'bad.md', level: 'skipped', reason: 'empty file' }],
    dateSources: { 'front-matter': 1, stamp: 1, git: 0, mtime: 0 },
    tags: 4,
    tagFeeds: 4,
    topics: 1,
    feeds: 18,
    files: 30,
    bytes: 3 * 1048576,
    bytesByFormat: { rss: 1048576, atom: 1048576, json: 524288, html: 524288, other: 0 },
    parsed: 3,
    rendered: 25,
    kept: 0,
    articlesRendered: 2,
    itemsReused: 0,
    written: 30,
    largest: { path: 'rss.xml', bytes: 1048576 },
    timings: {},
    manifest: {} as BuildResult['manifest'],
    ...over,
  }) as BuildResult;

describe('the build summary', () => {
  it('says what was read, dated, written, and skipped', () => {
    expect(summary(result({}), 'dist', 1.25)).toBe(
      [
        'Read 3 article files: 2 published, 1 skipped, 0 drafts, 0 dated in the future.',
        'Dates: 1 from front matter, 1 from stamps, 0 from first commit, 0 from file time.',
        'Tags: 4 (4 with feeds); topics: 1; feeds: 18.',
        "Parsed 3 files (0 unchanged, from the cache); rendered 2 articles (0 feed items taken from the last build's feeds) and 25 feeds and pages (0 unchanged, kept).",
        'dist/ holds 30 files, 3.0 MB (RSS 1.0 MB, Atom 1.0 MB, JSON 0.5 MB, HTML 0.5 MB, other 0.0 MB); 30 written to disk this build, in 1.3 s.',
        'Workers static assets: 30 of 20000 files (Free plan).',
        'Skipped:',
        '  bad.md: empty file',
      ].join('\n'),
    );
  });

  it('warns against the Workers limits: files per plan and 25 MiB a file', () => {
    const big = summary(result({ files: 25_000, largest: { path: 'tags/ai/rss.xml', bytes: 30 * 1048576 } }), 'dist', 1);
    expect(big).toContain(
      "Warning: 25000 files exceed the Workers Free plan's 20000-file asset limit (Paid allows 100000): set articlePages to false or raise minTagArticles to shrink it.",
    );
    expect(big).toContain(
      'Warning: tags/ai/rss.xml is 30.0 MB, over the Workers limit of 25 MiB a file: lower tagItems or items, or set tagFeedContent to "summary".',
    );
    expect(summary(result({ files: 120_000 }), 'dist', 1)).toContain(
      'Warning: 120000 files exceed the Workers static assets limit of 100000 (Paid plan): set articlePages to false or raise minTagArticles.',
    );
  });
});
