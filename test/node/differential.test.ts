import { rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedBuilds, digest, makeArchive, testConfig } from './helpers.js';

// Random changes, each followed by a cached build that must give the very bytes a
// full --no-cache build of the archive as it now is gives. Seeded: the same sequence
// on every run and machine. Small limits (3 items a tag feed, 5 in the main feed)
// so that every change moves articles in and out of feeds, and spellings of one tag
// (中国 / 中國) so that a tag's canonical name and slug change with the counts.

const NOW = Date.UTC(2026, 0, 1);
const SPARSE_SEEDS = (process.env.DIFFERENTIAL_SEEDS ?? '5,6').split(',').map(Number);
const TAGS = ['中国', '中國', '美国', '经济', 'AI', '芯片', '台湾', '香港'];

/** mulberry32: a small seeded generator, enough to pick changes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Doc {
  title: string;
  /** Day of 2025 (1–365), beyond it in the future, or undefined: no date in the file. */
  day?: number;
  tags: string[];
  /** Tags named by wiki links in the body instead of the front matter. */
  wiki: string[];
  id?: string;
  draft: boolean;
  /** In the archive's own format (title line, stamp line, source link) rather than front matter. */
  stamped: boolean;
  body: string;
}

function text(d: Doc): string {
  const wiki = d.wiki.map((t) => `[[zh:${t}]]`).join('和');
  if (d.stamped && d.day !== undefined && !d.id && !d.draft && !d.tags.length) {
    const date = new Date(Date.UTC(2025, 0, d.day, 9, 30));
    const stamp = `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} 9:30 AM UTC 作者`;
    return `###  [:house:返回](README.md)\r\n---\r\n\r\n\r\n## ${d.title}\r\n\`${stamp}\` [轉載自GNews](https://gnews.org/articles/${d.day})\r\n\r\n${d.body}${wiki}\r\n`;
  }
  const lines = ['---', `title: "${d.title}"`];
  if (d.day !== undefined) lines.push(`date: ${new Date(Date.UTC(2025, 0, d.day, 12)).toISOString()}`);
  if (d.tags.length) lines.push(`tags: [${d.tags.join(', ')}]`);
  if (d.id) lines.push(`id: ${d.id}`);
  if (d.draft) lines.push('draft: true');
  lines.push('---', '', `${d.body}${wiki}`, '');
  return lines.join('\n');
}

describe('incremental builds against full builds, where an unchanged file shows something new', () => {
  // An article whose file did not change, in no feed that changed (one item a feed),
  // whose page must change all the same: its id, a tag's name or a tag's link moved
  // because of other files.
  const doc = (title: string, day: number, extra = '') => `---\ntitle: "${title}"\ndate: 2025-01-${String(day).padStart(2, '0')}T12:00:00Z\n${extra}---\n\nbody ${title}\n`;
  const cases: [string, Record<string, unknown>, Record<string, string>, [string, string | undefined][]][] = [
    // b.md wants the id a.md has; a.md goes, and b.md's page is articles/x.html.
    ['an id freed by an article deleted', {}, { 'a.md': doc('A', 1, 'id: x\n'), 'b.md': doc('B', 2, 'id: x\n'), 'c.md': doc('C', 20) }, [['a.md', undefined]]],
    // Foo is the name while it is the most used spelling; two more foo and the older pages show foo.
    ['a tag renamed by articles added', {}, { 'p.md': doc('P', 1, 'tags: [Foo]\n'), 'q.md': doc('Q', 2, 'tags: [Foo]\n'), 'r.md': doc('R', 3, 'tags: [foo]\n') }, [
      ['s.md', doc('S', 4, 'tags: [foo]\n')],
      ['t.md', doc('T', 5, 'tags: [foo]\n')],
    ]],
    // A third article gives Bar its page (minTagArticles 3): the older pages link it.
    ['a tag given its page by an article added', { minTagArticles: 3 }, { 'p.md': doc('P', 1, 'tags: [Bar]\n'), 'q.md': doc('Q', 2, 'tags: [Bar]\n') }, [['r.md', doc('R', 3, 'tags: [Bar]\n')]]],
    // "a b" takes the slug a-b while it is alone; "a-b" comes and both slugs move to readable-plus-hash.
    ['a slug moved by a tag that collides with it', {}, { 'p.md': doc('P', 1, 'tags: [a b]\n'), 'q.md': doc('Q', 2, 'tags: [a b]\n'), 's.md': doc('S', 9) }, [['r.md', doc('R', 3, 'tags: [a-b]\n')]]],
  ];
  for (const [name, overrides, files, steps] of cases) {
    it(`keeps no stale page: ${name}`, async () => {
      const archive = await makeArchive(files);
      const { out, run, full } = await cachedBuilds(archive, testConfig({ items: 1, tagItems: 1, ...overrides }), NOW);
      await run();
      for (const [file, content] of steps) {
        if (content === undefined) await rm(path.join(archive, file));
        else await writeFile(path.join(archive, file), content);
        expect((await run()).fromPlan, file).toBe(true);
        expect(await digest(out), file).toEqual(await full());
      }
      // The build after, with nothing changed, stands on what that one left: the same bytes.
      expect((await run()).unchanged).toBe(true);
      expect(await digest(out)).toEqual(await full());
    });
  }
});

describe('incremental builds against full builds, over random changes', () => {
  // Seeds 1–3 with a few items a feed; the others with one, and tags given a page from two articles on:
  // most articles are then in no feed, and what their pages show moves with other files.
  // Seed 7 loses the last build's plan before every build: the cache's other path, which
  // counts every article's tags from the index (read from its columns when asked for).
  const runs: [number, Record<string, unknown>, ('without the plan' | '')?][] = [
    [1, { items: 5, tagItems: 3 }],
    [2, { items: 5, tagItems: 3 }],
    [3, { items: 5, tagItems: 3 }],
    [7, { items: 5, tagItems: 3 }, 'without the plan'],
    ...SPARSE_SEEDS.map((seed): [number, Record<string, unknown>] => [seed, { items: 1, tagItems: 1, minTagArticles: 2 }]),
  ];
  for (const [seed, limits, planless = ''] of runs) {
    it(`give the same bytes after each of 24 changes (seed ${seed}, ${JSON.stringify(limits)}) ${planless}`.trim(), async () => {
      const next = random(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
      const some = (n: number) => [...new Set(Array.from({ length: n }, () => pick(TAGS)))];
      const docs = new Map<string, Doc>();
      let made = 0;
      const fresh = (): Doc => ({
        title: `文章 ${++made} “quoted” & <b>`,
        day: next() < 0.3 ? undefined : 1 + Math.floor(next() * 360),
        tags: some(Math.floor(next() * 4)),
        wiki: next() < 0.3 ? some(2) : [],
        draft: false,
        stamped: next() < 0.3,
        body: `正文 ${made}：芯片与 AI 的新闻。`,
      });
      for (let i = 0; i < 10; i++) docs.set(`a${i}.md`, fresh());
      const archive = await makeArchive({});
      // File times: fixed, and a new one for each write (they date the undated articles).
      let clock = Date.UTC(2025, 5, 1) / 1000;
      const save = async (file: string) => {
        const abs = path.join(archive, file);
        await writeFile(abs, text(docs.get(file)!));
        clock += 3600;
        await utimes(abs, clock, clock);
      };
      for (const file of docs.keys()) await save(file);
      const config = testConfig({ ...limits, topics: [{ slug: 'ai', title: 'AI', tags: ['AI'], keywords: ['芯片'] }] });
      const { out, run: build, full, cacheDir } = await cachedBuilds(archive, config, NOW);
      const run = async () => {
        if (planless) await rm(path.join(cacheDir, 'plan.v8'), { force: true });
        return build();
      };
      await run();
      expect(await digest(out)).toEqual(await full());

      const changes: [string, (file: string, d: Doc) => Promise<void> | void][] = [
        ['body edited', (_f, d) => void (d.body += ' 更新。')],
        ['retitled', (_f, d) => void (d.title = `${d.title} 更新`)],
        ['tags changed', (_f, d) => void (d.tags = some(1 + Math.floor(next() * 3)))],
        ['wiki tag added', (_f, d) => void d.wiki.push(pick(TAGS))],
        ['redated', (_f, d) => void (d.day = 1 + Math.floor(next() * 360))],
        ['date removed', (_f, d) => void (d.day = undefined)],
        ['dated in the future', (_f, d) => void (d.day = 800)],
        ['made a draft, or published', (_f, d) => void (d.draft = !d.draft)],
        ['given the id of another', (_f, d) => void (d.id = 'same-id')],
        ['touched, not changed', () => {}],
      ];
      const log: string[] = [];
      /** Steps whose build did not start from the last build's plan (there always is one after the first). */
      const unplanned: string[] = [];
      for (let step = 0; step < 24; step++) {
        const roll = next();
        const files = [...docs.keys()].sort();
        if (roll < 0.15 || files.length < 4) {
          const file = `n${step}.md`;
          docs.set(file, fresh());
          await save(file);
          log.push(`added ${file}`);
        } else if (roll < 0.25) {
          const file = pick(files);
          docs.delete(file);
          await rm(path.join(archive, file));
          log.push(`deleted ${file}`);
        } else {
          const file = pick(files);
          const [what, change] = pick(changes);
          await change(file, docs.get(file)!);
          await save(file);
          log.push(`${file} ${what}`);
        }
        if (!(await run()).fromPlan) unplanned.push(log.at(-1)!);
        expect(await digest(out), log.join('; ')).toEqual(await full());
      }
      // The sequence did what it is for: articles came and went, and some were held back or drafts.
      expect(log.filter((l) => l.startsWith('added')).length, log.join('; ')).toBeGreaterThan(0);
      expect(log.filter((l) => l.startsWith('deleted')).length, log.join('; ')).toBeGreaterThan(0);
      // And every rebuild took the path this compares with a full build: the plan's, or (without it) the other.
      expect(unplanned).toEqual(planless ? log : []);
    }, 120_000);
  }
});
