import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/archive/report.js';
import { assignIds } from '../../src/articles/ids.js';
import { buildInto, makeArchive, testConfig } from './helpers.js';

// An article's page is the file `articles/<id>.html`: with the 5 bytes of `.html`,
// an id must fit in 250 bytes of UTF-8 for the name to fit in 255.
const bytes = (text: string) => Buffer.byteLength(text);

describe('ids that name a file', () => {
  it('keeps an id of up to 250 bytes, and shortens a longer one to readable text plus a hash', () => {
    const report = new Report();
    const ids = assignIds(
      [
        { file: `${'中'.repeat(83)}.md`, id: undefined, source: undefined },
        { file: `${'中'.repeat(84)}.md`, id: undefined, source: undefined },
        { file: 'b.md', id: '中'.repeat(85), source: undefined },
      ],
      report,
    );
    expect(ids).toEqual(['中'.repeat(83), `${'中'.repeat(60)}-2745e680`, `${'中'.repeat(60)}-6c11337d`]);
    expect(ids.map(bytes)).toEqual([249, 189, 189]);
    expect(report.problems).toEqual([]);
  });

  it('keeps a repeated long id within 250 bytes too', () => {
    const report = new Report();
    const ids = assignIds(
      [
        { file: 'a.md', id: '中'.repeat(83), source: undefined },
        { file: 'b.md', id: '中'.repeat(83), source: undefined },
      ],
      report,
    );
    expect(ids).toEqual(['中'.repeat(83), `${'中'.repeat(80)}-11dd481a`]);
    expect(bytes(ids[1]!)).toBe(249);
    expect(report.problems.map((p) => `${p.file}: ${p.reason}`)).toEqual([`b.md: id "${'中'.repeat(83)}" is already used by a.md; published as "${ids[1]}"`]);
  });

  it('takes a plain lower-case id as it is, and makes every other one so', () => {
    const report = new Report();
    const ids = assignIds(
      [
        { file: 'news/1000020.md', id: undefined, source: undefined },
        { file: 'a.md', id: 'plain-id_2', source: undefined },
        { file: 'b.md', id: 'Mixed Case', source: undefined },
        { file: 'c.md', id: ' padded ', source: undefined },
        { file: 'd.md', id: 'x'.repeat(100), source: undefined },
        { file: 'e.md', id: 'y'.repeat(101), source: undefined },
        { file: 'f.md', id: '-dash-first', source: undefined },
        { file: 'g.md', id: 'PLAIN-ID_2', source: undefined },
      ],
      report,
    );
    expect(ids).toEqual(['news-1000020', 'plain-id_2', 'mixed-case', 'padded', 'x'.repeat(100), `${'y'.repeat(60)}-20b7e545`, 'dash-first-d5ae8cc6', 'plain-id_2-1f16afc9']);
    expect(report.problems.map((p) => `${p.file}: ${p.reason}`)).toEqual(['g.md: id "PLAIN-ID_2" is already used by a.md; published as "plain-id_2-1f16afc9"']);
  });

  it('builds an article whose file name is as long as a name can be', async () => {
    // 84 CJK letters and `.md`: 255 bytes, the longest file name; its page's name would be 257.
    const name = `${'中'.repeat(84)}.md`;
    const archive = await makeArchive({ [name]: '---\ntitle: Long name\ndate: 2024-01-01T00:00:00Z\n---\n\nBody.\n' });
    const { out, result } = await buildInto(archive, testConfig());
    expect(result.published).toBe(1);
    expect(await readdir(path.join(out, 'articles'))).toEqual([`${'中'.repeat(60)}-2745e680.html`]);
  });
});
