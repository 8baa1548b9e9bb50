import { describe, expect, it } from 'vitest';
import { differencesAmong, GenerationView } from '../../src/site/generation-view.js';

const live = new Map([
  ['index.html', 'h1'],
  ['rss.xml', 'h2'],
  ['tags/a/rss.xml', 'h3'],
]);

describe('the idle generation told from the live one', () => {
  it('answers as the live one but where the differences say otherwise', () => {
    const idle = new GenerationView(live, new Map<string, string | null>([
      ['rss.xml', 'old'],
      ['tags/a/rss.xml', null],
      ['tags/b/rss.xml', 'gone'],
    ]));
    expect([idle.get('index.html'), idle.get('rss.xml'), idle.get('tags/a/rss.xml'), idle.get('tags/b/rss.xml'), idle.get('nothing')]).toEqual(['h1', 'old', undefined, 'gone', undefined]);
    expect([idle.has('tags/a/rss.xml'), idle.has('tags/b/rss.xml')]).toEqual([false, true]);
    expect([...idle.keys()]).toEqual(['index.html', 'rss.xml', 'tags/b/rss.xml']);
    expect(idle.size).toBe(3);
  });

  it('records where two generations differ, and gives up past the limit', () => {
    const newer = new Map([
      ['index.html', 'h1'],
      ['rss.xml', 'new'],
      ['tags/c/rss.xml', 'h4'],
    ]);
    // Every path of both, the newer's first.
    const every = [...new Set([...newer.keys(), ...live.keys()])];
    const found = differencesAmong(live, newer, every, 10)!;
    expect(found).toEqual([
      ['rss.xml', 'h2'],
      ['tags/c/rss.xml', null],
      ['tags/a/rss.xml', 'h3'],
    ]);
    // Told from `newer` and what was found, the older one is itself again.
    const older = new GenerationView(newer, new Map(found));
    expect(Object.fromEntries([...older.keys()].map((rel) => [rel, older.get(rel)]))).toEqual(Object.fromEntries(live));
    expect(differencesAmong(live, newer, every, 2)).toBeUndefined();
  });

  it('looks only at the paths it is told can differ', () => {
    const newer = new Map([
      ['index.html', 'h1'],
      ['rss.xml', 'new'],
      ['tags/c/rss.xml', 'h4'],
    ]);
    // The same differences as looking at every path, in the order of `among`.
    expect(differencesAmong(live, newer, ['tags/a/rss.xml', 'index.html', 'rss.xml', 'tags/c/rss.xml'], 10)).toEqual([
      ['tags/a/rss.xml', 'h3'],
      ['rss.xml', 'h2'],
      ['tags/c/rss.xml', null],
    ]);
    // A path left out is taken as the same in both: rss.xml differs, but is not looked at.
    expect(differencesAmong(live, newer, ['index.html', 'tags/c/rss.xml'], 10)).toEqual([['tags/c/rss.xml', null]]);
    expect(differencesAmong(live, newer, ['tags/a/rss.xml', 'rss.xml', 'tags/c/rss.xml'], 2)).toBeUndefined();
  });
});
