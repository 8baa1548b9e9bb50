import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { BuildCache, NextMap, type FileEntry } from '../../src/archive/cache.js';
import { decodeDelta, decodeIndex, encodeIndex, type IndexFile } from '../../src/archive/index-file.js';
import type { ArticleMade } from '../../src/site/item-reuse.js';
import { tempDir } from './helpers.js';

// The cache index in columns (index-file.ts) must give back the entries parsing made,
// field for field: a date of 0 lost as falsy, or a tag list shifted by one file, would
// make the next build render from wrong data. Absent fields come back as undefined,
// as parsing leaves them (read.ts), so that every entry has one shape.

const full: FileEntry = {
  size: 2418,
  mtimeMs: 1796016362338.5,
  hash: 'c8bdad1bcf06dda2bac872c371b94360faa5ceb0b2c77559ce9800888e3eea24',
  topics: [0, 2],
  problems: [['warning', 'dated 2031-01-01T00:00:00.000Z, in the future']],
  raw: {
    file: 'a/one.md',
    title: '芯片 news',
    date: Date.UTC(2021, 9, 27, 8, 30),
    dateSource: 'stamp',
    updated: Date.UTC(2021, 9, 28),
    authors: ['NFSC_Deutsch', 'Ann'],
    tags: ['芯片', 'AI', '晶片'],
    source: 'https://gnews.org/zh-hans/1153222/',
    id: 'custom-id',
    draft: true,
    lang: 'en',
    summary: 'A summary.',
  },
};
const bare: FileEntry = { size: 10, mtimeMs: 1, hash: 'ab', topics: [], problems: [], raw: { file: 'b.md', title: 'Two', authors: [], tags: [], draft: false } };
const skipped: FileEntry = { size: 0, mtimeMs: 2, hash: '', topics: [], problems: [['skipped', 'is empty']] };
const last: FileEntry = { size: 5, mtimeMs: 3, hash: 'cd', topics: [1], problems: [], raw: { file: 'c.md', title: 'Three', authors: ['Bo'], tags: ['AI'], draft: false, date: 0 } };

const index: IndexFile = {
  id: 'i1',
  renderKey: 'k1',
  files: new Map([
    ['a/one.md', full],
    ['b.md', bare],
    ['empty.md', skipped],
    ['c.md', last],
  ]),
  outputs: new Map([
    ['rss.xml', { key: 'rss:abc', hash: '0123', bytes: 1234, modified: 1700000000000 }],
    ['tags/芯片/index.html', { key: '', hash: '4567', bytes: 0, modified: 0 }],
  ]),
  gitDates: { dir: '/archive', commit: 'c0ffee', dates: new Map(Object.entries({ 'b.md': 1600000000000 })) },
  folds: new Map([
    ['f:芯片', '芯片'],
    ['s:晶片', '晶片'],
  ]),
  made: new Map([
    [
      'a/one.md',
      {
        fingerprint: 'f1',
        summary: '芯片 summary',
        items: [
          { key: 'rss:full', rel: 'tags/芯片/rss.xml', offset: 1024, length: 3000, digest: '0123456789abcdef' },
          { key: 'atom:full@1635000000000', rel: 'atom.xml', offset: 7, length: 5, digest: 'fedcba9876543210' },
        ],
      },
    ],
    ['c.md', { fingerprint: 'f3', summary: 'Three', items: [{ key: 'json:summary', rel: 'tags/芯片/feed.json', offset: 0, length: 1, digest: '00' }] }],
    ['b.md', { fingerprint: 'f2', summary: '', items: [] }],
  ]),
};

/** An entry as parsing makes it: a decoded article's title and tags are getters (see index-file.ts CachedMeta), here own fields. */
function plain(entry: FileEntry | undefined): FileEntry | undefined {
  return entry?.raw ? { ...entry, raw: { ...entry.raw, title: entry.raw.title, tags: entry.raw.tags } } : entry;
}
const plainFiles = (files: ReadonlyMap<string, FileEntry>) => new Map([...files].map(([k, v]) => [k, plain(v)!]));
/** Item records as the build made them: a decoded one reads its fields from the columns when asked (see index-file.ts DecodedMade). */
const plainMade = (made: ReadonlyMap<string, ArticleMade>) => new Map([...made].map(([k, m]) => [k, { fingerprint: m.fingerprint, summary: m.summary, items: m.items }]));

describe('the cache index file', () => {
  it('gives back every entry field for field, absent fields as undefined, every raw article of one shape', () => {
    const back = decodeIndex(encodeIndex(index))!;
    expect({ ...back, files: plainFiles(back.files), made: plainMade(back.made) }).toEqual(index);
    expect([...back.files.keys()]).toEqual(['a/one.md', 'b.md', 'empty.md', 'c.md']);
    expect(back.files.get('b.md')!.raw!.date).toBeUndefined();
    expect(back.files.get('c.md')!.raw!.date).toBe(0);
    // Its own fields are parsing's, in parsing's order, but the title and the tags (read from the columns when asked for).
    const fields = ['file', 'date', 'dateSource', 'updated', 'authors', 'source', 'id', 'draft', 'lang', 'summary'];
    for (const file of ['a/one.md', 'b.md', 'c.md']) expect(Object.keys(back.files.get(file)!.raw!)).toEqual(fields);
    expect(back.files.get('empty.md')!.raw).toBeUndefined();
  });

  it("tells an item record's fingerprint and whether its feeds were kept from the columns, and makes its items once", () => {
    const made = decodeIndex(encodeIndex(index))!.made;
    const one = made.get('a/one.md')!;
    expect([one.hasFingerprint!('f1'), one.hasFingerprint!('f'), one.hasFingerprint!('f1x'), one.hasFingerprint!(undefined), made.get('c.md')!.hasFingerprint!('f3')]).toEqual([true, false, false, false, true]);
    const asked: string[] = [];
    const kept = (rel: string) => (asked.push(rel), rel !== 'atom.xml');
    expect([one.everyRelKept!(kept), made.get('b.md')!.everyRelKept!(kept), made.get('c.md')!.everyRelKept!(kept)]).toEqual([false, true, true]);
    expect(asked).toEqual(['tags/芯片/rss.xml', 'atom.xml', 'tags/芯片/feed.json']);
    expect(one.items).toBe(one.items);
    expect([one.summary, made.get('b.md')!.summary, one.items[1]!.digest]).toEqual(['芯片 summary', '', 'fedcba9876543210']);
    // An empty fingerprint first, its cut empty: only '' is it.
    const empty = decodeIndex(encodeIndex({ ...index, made: new Map([['e.md', { fingerprint: '', summary: 's', items: [] }], ['f.md', { fingerprint: 'ff', summary: '', items: [] }]]) }))!.made;
    expect([empty.get('e.md')!.hasFingerprint!(''), empty.get('e.md')!.hasFingerprint!('f'), empty.get('f.md')!.hasFingerprint!('ff'), empty.get('f.md')!.hasFingerprint!('')]).toEqual([true, false, true, false]);
  });

  it("makes an article's title and tags when they are asked for, and a spread of it (a body added) has parsing's other fields", () => {
    const back = decodeIndex(encodeIndex(index))!.files;
    const raw = back.get('a/one.md')!.raw!;
    const tags = raw.tags;
    expect(tags).toEqual(['芯片', 'AI', '晶片']);
    expect(raw.tags).toBe(tags);
    expect([raw.title, back.get('b.md')!.raw!.title, back.get('c.md')!.raw!.title]).toEqual(['芯片 news', 'Two', 'Three']);
    const { tags: _, title: __, ...others } = full.raw!;
    expect({ ...raw, body: 'x' }).toEqual({ ...others, body: 'x' });
  });

  it("keeps each file's authors, tags and topics with it across files that have none", () => {
    const back = decodeIndex(encodeIndex(index))!;
    expect(back.files.get('a/one.md')!.raw!.tags).toEqual(['芯片', 'AI', '晶片']);
    expect(back.files.get('b.md')!.raw!.tags).toEqual([]);
    expect(back.files.get('c.md')!.raw!.tags).toEqual(['AI']);
    expect(back.files.get('c.md')!.raw!.authors).toEqual(['Bo']);
    expect(back.files.get('c.md')!.topics).toEqual([1]);
    expect(back.files.get('empty.md')!.problems).toEqual([['skipped', 'is empty']]);
  });

  it('gives articles with the same authors one frozen list, and keeps every list apart from the others', () => {
    const lists = [['Bo'], ['Bo', 'Ann'], ['Bo'], ['["Bo","Ann"]'], ['Bo', 'Ann'], ['Ann', 'Bo'], []];
    const files = new Map<string, FileEntry>(lists.map((authors, n) => [`x${n}.md`, { ...bare, raw: { ...bare.raw!, file: `x${n}.md`, authors } }]));
    const back = decodeIndex(encodeIndex({ ...index, files }))!;
    const got = lists.map((_, n) => back.files.get(`x${n}.md`)!.raw!.authors);
    expect(got).toEqual(lists);
    expect(got[2]).toBe(got[0]);
    expect(got[4]).toBe(got[1]);
    expect(got[3]).not.toBe(got[1]);
    expect(got[5]).not.toBe(got[1]);
    expect(Object.isFrozen(got[1])).toBe(true);
  });

  it('is not an index when the bytes are something else: an older JSON index, a torn file', () => {
    expect(decodeIndex(Buffer.from(JSON.stringify(index)))).toBeUndefined();
    const bytes = encodeIndex(index);
    expect(decodeIndex(bytes.subarray(0, bytes.length >> 1))).toBeUndefined();
  });

  it('is no cache when a file of the right format cannot be decoded, index or delta', async () => {
    const dir = await tempDir('feedwright-index-');
    const cache = await BuildCache.open(dir, 'k1');
    cache.nextFiles.set('b.md', bare);
    await cache.save();
    // A delta of the right format whose columns are broken: the index alone stands.
    await writeFile(path.join(dir, 'index-delta.v8'), v8.serialize({ format: 'feedwright-index-delta/3', base: 'x', id: 'y', changed: { format: 'feedwright-index/9' }, removed: {} }));
    expect(plainFiles((await BuildCache.open(dir, 'k1')).files)).toEqual(new Map([['b.md', bare]]));
    // An index likewise: nothing is cached, and nothing throws.
    await writeFile(path.join(dir, 'index.v8'), v8.serialize({ format: 'feedwright-index/9' }));
    const broken = await BuildCache.open(dir, 'k1');
    expect([broken.files.size, broken.loaded]).toEqual([0, undefined]);
  });

  it('is deserialized ahead once, taken by open(), and deserialized again by another open() of the same bytes', async () => {
    const dir = await tempDir('feedwright-index-');
    const cache = await BuildCache.open(dir, 'k1');
    cache.nextFiles.set('b.md', bare);
    const id = await cache.save();
    const bytes = BuildCache.prefetch(dir);
    BuildCache.deserialize(bytes);
    const ahead = bytes.columns;
    // Asked again: the same deserializing, not a second one.
    BuildCache.deserialize(bytes);
    expect(bytes.columns).toBe(ahead);
    const first = await BuildCache.open(dir, 'k1', bytes);
    // Taken, and let go: the entries hold what is needed of the columns.
    expect([plainFiles(first.files), first.loaded, bytes.columns]).toEqual([new Map([['b.md', bare]]), id, undefined]);
    const second = await BuildCache.open(dir, 'k1', bytes);
    expect([plainFiles(second.files), second.loaded]).toEqual([new Map([['b.md', bare]]), id]);
  });

  it('is what the cache saves, and an older JSON index beside it is removed', async () => {
    const dir = await tempDir('feedwright-index-');
    await writeFile(path.join(dir, 'index.json'), '{}');
    const cache = await BuildCache.open(dir, 'k1');
    expect(cache.files).toEqual(new Map());
    cache.nextFiles.set('b.md', bare);
    cache.nextOutputs.set('rss.xml', { key: 'rss:abc', hash: '0123', bytes: 1234, modified: 5 });
    await cache.save();
    expect((await readdir(dir)).sort()).toEqual(['index.v8']);
    const again = await BuildCache.open(dir, 'k1');
    expect(plainFiles(again.files)).toEqual(new Map([['b.md', bare]]));
    // Field for field (a decoded entry is a Decoded, see index-file.ts, with no other own field).
    expect(again.outputs).toEqual(new Map([['rss.xml', { key: 'rss:abc', hash: '0123', bytes: 1234, modified: 5 }]]));
    expect(Object.keys(again.outputs.get('rss.xml')!)).toEqual(['key', 'hash', 'bytes', 'modified']);
    // Another render key: nothing cached is used.
    expect((await BuildCache.open(dir, 'k2')).files).toEqual(new Map());
  });

  it('takes entries over into the next index without copying them, and holds the others as a Map would', async () => {
    const dir = await tempDir('feedwright-index-');
    const first = await BuildCache.open(dir, 'k1');
    for (const n of [1, 2, 3]) first.nextOutputs.set(`o${n}`, { key: `k${n}`, hash: `h${n}`, bytes: n, modified: n });
    await first.save();
    const cache = await BuildCache.open(dir, 'k1');
    const [o1, o2, o3] = ['o1', 'o2', 'o3'].map((rel) => cache.outputs.get(rel)!);
    const next = cache.nextOutputs;
    // Taken over: o2 and o1 as read; o3 not (yet); o4 new.
    next.set('o2', o2!).set('o1', o1!).set('o2', o2!);
    const o4 = { key: 'k4', hash: 'h4', bytes: 4, modified: 4 };
    next.set('o4', o4);
    expect([next.size, next.has('o1'), next.has('o3'), next.get('o2'), next.get('o3'), next.get('o4')]).toEqual([3, true, false, o2, undefined, o4]);
    // The current's order for the ones taken over, then the others as set.
    expect([...next.keys()]).toEqual(['o1', 'o2', 'o4']);
    expect([...next.values()]).toEqual([o1, o2, o4]);
    const seen: string[] = [];
    next.forEach((value, key) => seen.push(`${key}=${value.key}`));
    expect(seen).toEqual(['o1=k1', 'o2=k2', 'o4=k4']);
    expect(next.changed).toEqual(['o4']);
    expect(next.unset()).toEqual(['o3']);
    expect(['o1', 'o2', 'o3', 'o4'].map((rel) => next.holdsAsRead(rel))).toEqual([true, true, false, false]);
    // An entry set to something else is no longer taken over, and again when set back.
    const other = { ...o1!, key: 'k1b' };
    next.set('o1', other);
    expect([next.size, next.get('o1'), [...next.keys()], next.unset(), next.holdsAsRead('o1')]).toEqual([3, other, ['o2', 'o4', 'o1'], ['o3'], false]);
    next.set('o1', o1!);
    expect([next.size, next.get('o1'), [...next.keys()]]).toEqual([3, o1, ['o1', 'o2', 'o4']]);
    expect(next.changed).toEqual(['o4', 'o1']);
    expect([next.delete('o2'), next.delete('o2'), next.delete('o4'), next.size, [...next], next.unset()]).toEqual([true, false, true, 1, [['o1', o1]], ['o2', 'o3']]);
    // Cleared, it holds nothing, and what it took over is free for it to take again.
    next.set('o4', o4).clear();
    expect([next.size, [...next], next.unset(), next.has('o1')]).toEqual([0, [], ['o1', 'o2', 'o3'], false]);
    next.set('o1', o1!);
    expect([next.size, next.holdsAsRead('o1')]).toEqual([1, true]);
    // Another map over the same entries holds nothing of this one's, and what both hold each holds.
    const another = new NextMap(cache.outputs);
    expect([another.size, another.has('o1')]).toEqual([0, false]);
    another.set('o3', o3!).set('o1', o1!);
    expect([another.size, [...another.keys()], next.has('o3'), next.get('o1'), another.get('o1'), another.holdsAsRead('o1')]).toEqual([2, ['o3', 'o1'], false, o1, o1, true]);
    expect(another.changed).toEqual([]);
    // What is saved is what the map holds.
    await cache.save();
    expect([...(await BuildCache.open(dir, 'k1')).outputs.keys()]).toEqual(['o1']);
  });

  it('writes what changed since the index as a delta, and the whole index again once that is over a tenth', async () => {
    const dir = await tempDir('feedwright-index-');
    const entry = (n: number, file = `f${n}.md`): FileEntry => ({ size: n, mtimeMs: n, hash: `h${n}`, topics: [], problems: [], raw: { file, title: `T${n}`, authors: [], tags: ['t'], draft: false } });
    const first = await BuildCache.open(dir, 'k1');
    for (let n = 0; n < 30; n++) first.nextFiles.set(`f${n}.md`, entry(n));
    await first.save();
    const indexBytes = (await readFile(path.join(dir, 'index.v8'))).length;

    // One entry changed, one gone, the rest taken over as read: a delta, the index untouched.
    const second = await BuildCache.open(dir, 'k1');
    for (const [k, v] of second.files) if (k !== 'f3.md') second.nextFiles.set(k, v);
    second.nextFiles.set('f7.md', entry(70, 'f7.md'));
    second.gitDates = { dir: '/archive', commit: 'c1', dates: new Map(Object.entries({ 'f7.md': 5 })) };
    second.addFolds(new Map([['f:中國', '中国']]));
    await second.save();
    expect((await readdir(dir)).sort()).toEqual(['index-delta.v8', 'index.v8']);
    expect((await readFile(path.join(dir, 'index.v8'))).length).toBe(indexBytes);
    const third = await BuildCache.open(dir, 'k1');
    expect(third.files.size).toBe(29);
    expect(third.files.has('f3.md')).toBe(false);
    expect(plain(third.files.get('f7.md'))).toEqual(entry(70, 'f7.md'));
    expect(plain(third.files.get('f8.md'))).toEqual(entry(8));
    expect(third.gitDates).toEqual({ dir: '/archive', commit: 'c1', dates: new Map(Object.entries({ 'f7.md': 5 })) });
    expect([third.fold('f:中國'), third.fold('f:中国')]).toEqual(['中国', undefined]);
    // Git dates hold whatever the render key: after a change of code or config, nothing else is
    // used, OpenCC's conversions (the code's) included.
    const otherKey = await BuildCache.open(dir, 'k2');
    expect([otherKey.files.size, otherKey.gitDates, otherKey.fold('f:中國')]).toEqual([0, { dir: '/archive', commit: 'c1', dates: new Map(Object.entries({ 'f7.md': 5 })) }, undefined]);

    // The delta is against the index as written: it holds both changes again, and a new one.
    for (const [k, v] of third.files) third.nextFiles.set(k, v);
    third.nextFiles.set('f9.md', entry(90, 'f9.md'));
    await third.save();
    const fourth = await BuildCache.open(dir, 'k1');
    expect([fourth.files.has('f3.md'), fourth.files.get('f7.md')!.size, fourth.files.get('f9.md')!.size]).toEqual([false, 70, 90]);

    // Four more changed: over a tenth of the entries, the whole index is written and the delta goes.
    for (const [k, v] of fourth.files) fourth.nextFiles.set(k, v);
    for (const n of [1, 2, 4, 5]) fourth.nextFiles.set(`f${n}.md`, entry(n * 10, `f${n}.md`));
    await fourth.save();
    expect((await readdir(dir)).sort()).toEqual(['index.v8']);
    const fifth = await BuildCache.open(dir, 'k1');
    expect([fifth.files.size, fifth.files.get('f5.md')!.size, fifth.files.get('f9.md')!.size, fifth.files.has('f3.md')]).toEqual([29, 50, 90, false]);
    // The whole index holds the conversions the deltas added, and the git dates they carried.
    expect([fifth.fold('f:中國'), fifth.gitDates]).toEqual(['中国', { dir: '/archive', commit: 'c1', dates: new Map(Object.entries({ 'f7.md': 5 })) }]);

    // A delta written against another index (a crash between the two writes) is not applied.
    const sixth = await BuildCache.open(dir, 'k1');
    for (const [k, v] of sixth.files) sixth.nextFiles.set(k, v);
    sixth.nextFiles.set('f0.md', entry(1000, 'f0.md'));
    await sixth.save();
    const delta = await readFile(path.join(dir, 'index-delta.v8'));
    const other = await BuildCache.open(dir, 'k1');
    for (const [k, v] of other.files) other.nextFiles.set(k, v);
    for (const n of [10, 11, 12, 13]) other.nextFiles.set(`f${n}.md`, entry(n * 100, `f${n}.md`));
    other.nextFiles.set('f0.md', entry(2000, 'f0.md'));
    await other.save();
    expect((await readdir(dir)).sort()).toEqual(['index.v8']);
    await writeFile(path.join(dir, 'index-delta.v8'), delta);
    const after = await BuildCache.open(dir, 'k1');
    expect([after.files.get('f0.md')!.size, after.files.get('f10.md')!.size]).toEqual([2000, 1000]);
  });

  it('writes into a delta only the conversions the index lacks, and the git dates only when they are not the index\'s', async () => {
    const dir = await tempDir('feedwright-index-');
    const entry = (n: number): FileEntry => ({ size: n, mtimeMs: n, hash: `h${n}`, topics: [], problems: [], raw: { file: `f${n}.md`, title: `T${n}`, authors: [], tags: [], draft: false } });
    const dates = { dir: '/archive', commit: 'c1', dates: new Map(Object.entries({ 'f1.md': 5 })) };
    const first = await BuildCache.open(dir, 'k1');
    for (let n = 0; n < 30; n++) first.nextFiles.set(`f${n}.md`, entry(n));
    first.gitDates = dates;
    first.addFolds(new Map([['f:臺灣', '台湾']]));
    await first.save();
    const deltaOf = async () => v8.deserialize(await readFile(path.join(dir, 'index-delta.v8'))) as { changed: { folds: { keys: string[] }; gitDates: unknown }; gitDatesAsBase: boolean };

    // The index's git dates (the very object: no new commit) and a conversion it has, one it lacks.
    const second = await BuildCache.open(dir, 'k1');
    for (const [k, v] of second.files) second.nextFiles.set(k, v);
    second.nextFiles.set('f1.md', entry(100));
    second.addFolds(new Map([['f:臺灣', '台湾'], ['t:台湾', '臺灣']]));
    await second.save();
    expect(await deltaOf()).toMatchObject({ changed: { folds: { keys: ['t:台湾'] }, gitDates: undefined }, gitDatesAsBase: true });
    const third = await BuildCache.open(dir, 'k1');
    expect([third.fold('f:臺灣'), third.fold('t:台湾'), third.gitDates]).toEqual(['台湾', '臺灣', dates]);

    // New git dates (a new commit): the delta holds them, and the conversion it held before, again.
    for (const [k, v] of third.files) third.nextFiles.set(k, v);
    third.gitDates = { dir: '/archive', commit: 'c2', dates: new Map(Object.entries({ 'f1.md': 5, 'f2.md': 6 })) };
    await third.save();
    expect(await deltaOf()).toMatchObject({ changed: { folds: { keys: ['t:台湾'] }, gitDates: { commit: 'c2', names: ['f1.md', 'f2.md'] } }, gitDatesAsBase: false });
    const fourth = await BuildCache.open(dir, 'k1');
    expect([fourth.fold('t:台湾'), fourth.gitDates]).toEqual(['臺灣', third.gitDates]);
  });

  it('writes a delta over a delta against the index as written: entries removed and brought back, added and removed', async () => {
    const dir = await tempDir('feedwright-index-');
    const entry = (n: number, file = `f${n}.md`): FileEntry => ({ size: n, mtimeMs: n, hash: `h${n}`, topics: [], problems: [], raw: { file, title: `T${n}`, authors: [], tags: [], draft: false } });
    const sizes = (cache: BuildCache) => [...cache.files].map(([k, v]) => `${k}:${v.size}`).sort();
    const first = await BuildCache.open(dir, 'k1');
    for (let n = 0; n < 100; n++) first.nextFiles.set(`f${n}.md`, entry(n));
    await first.save();
    const indexBytes = await readFile(path.join(dir, 'index.v8'));
    // The first delta: f1 removed, f2 changed, new.md added.
    const second = await BuildCache.open(dir, 'k1');
    for (const [k, v] of second.files) if (k !== 'f1.md') second.nextFiles.set(k, v);
    second.nextFiles.set('f2.md', entry(200, 'f2.md'));
    second.nextFiles.set('new.md', entry(999, 'new.md'));
    await second.save();
    // The second, over it: f1 back, new.md gone again, f2 removed, f3 changed.
    const third = await BuildCache.open(dir, 'k1');
    expect(third.files.size).toBe(100);
    for (const [k, v] of third.files) if (k !== 'new.md' && k !== 'f2.md') third.nextFiles.set(k, v);
    third.nextFiles.set('f1.md', entry(1));
    third.nextFiles.set('f3.md', entry(300, 'f3.md'));
    await third.save();
    expect((await readdir(dir)).sort()).toEqual(['index-delta.v8', 'index.v8']);
    expect(await readFile(path.join(dir, 'index.v8'))).toEqual(indexBytes);
    // The delta names f1 (back, a new entry) and f3 as changed and f2 as removed; not new.md, which the index never had.
    const written = decodeDelta(await readFile(path.join(dir, 'index-delta.v8')))!;
    expect([[...written.changed.files.keys()].sort(), written.removed.files]).toEqual([['f1.md', 'f3.md'], ['f2.md']]);
    const fourth = await BuildCache.open(dir, 'k1');
    const expected = Array.from({ length: 100 }, (_, n) => n)
      .filter((n) => n !== 2)
      .map((n) => `f${n}.md:${n === 3 ? 300 : n}`)
      .sort();
    expect(sizes(fourth)).toEqual(expected);
    // Taken over as read, the same again: the delta names no change but what the index lacks.
    for (const [k, v] of fourth.files) fourth.nextFiles.set(k, v);
    await fourth.save();
    expect(sizes(await BuildCache.open(dir, 'k1'))).toEqual(expected);

    // A tenth is a tenth of the index as written, not as patched: ten files added (a
    // delta of ten, at the limit), then one more changed: eleven, over a tenth of
    // 100 (though not of the 110 patched), so the whole index is written.
    const other = await tempDir('feedwright-index-');
    const fresh = await BuildCache.open(other, 'k1');
    for (let n = 0; n < 100; n++) fresh.nextFiles.set(`f${n}.md`, entry(n));
    await fresh.save();
    const fifth = await BuildCache.open(other, 'k1');
    for (const [k, v] of fifth.files) fifth.nextFiles.set(k, v);
    for (let n = 100; n < 110; n++) fifth.nextFiles.set(`f${n}.md`, entry(n));
    await fifth.save();
    expect((await readdir(other)).sort()).toEqual(['index-delta.v8', 'index.v8']);
    const sixth = await BuildCache.open(other, 'k1');
    expect(sixth.files.size).toBe(110);
    for (const [k, v] of sixth.files) sixth.nextFiles.set(k, v);
    sixth.nextFiles.set('f0.md', entry(1000, 'f0.md'));
    await sixth.save();
    expect((await readdir(other)).sort()).toEqual(['index.v8']);
    expect((await BuildCache.open(other, 'k1')).files.get('f0.md')!.size).toBe(1000);
  });
});
