import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

// The real corpus at the real archive's size: the check builds a real archive
// of ~39,000 articles (175 MB, ~10,000 tags), and real articles cost more to render
// than the synthetic ones (links, images, emphasis, raw HTML), so the bench builds
// one made of the corpus's 2,074 too. Each article is copied 19 times, but those over
// 64 KB (18 of them, half the corpus's bytes) 5 times only: the corpus leans to long
// articles, and 19 copies of all would be 313 MB, twice the real archive. A copy is
// `c<k>-<name>` (its id comes from that name), its source link gets `-copy<k>` (no two
// files share one, as in the archive), and one tag in eight, picked by a hash of its
// name, is renamed per copy, so that tags are many, as in the real archive, and each
// tag's articles are not 19 copies of the same ones. Deterministic, modification times
// included: half the corpus has no date in the file and is dated by them.

export interface ScaledCorpus {
  dir: string;
  articles: number;
  bytes: number;
}

/** Copies of every article, the long ones fewer (see above), for the shared corpus's 2,074. */
export const COPIES = 19;
export const LONG_COPIES = 5;
/** The real archive's size, which the copies aim at. */
export const REAL_ARCHIVE_ARTICLES = 39_000;

/**
 * How many copies bring a corpus of `articles` to the real archive's size: 19 and 5 for
 * the shared corpus; for another (`npm run bench -- --corpus DIR`) as many as its size
 * asks, the long ones in the same proportion; 1 (no copies: it is built as it is) for
 * a corpus that is the real archive's size already, or larger. `articles` counts every
 * article, in subfolders too; only those of the corpus's own folder are copied.
 */
export function copiesFor(articles: number): { copies: number; long: number } {
  const copies = Math.min(COPIES, Math.max(1, Math.round(REAL_ARCHIVE_ARTICLES / Math.max(1, articles))));
  return { copies, long: Math.max(1, Math.round((copies * LONG_COPIES) / COPIES)) };
}

const LONG = 64 * 1024;
/** The first file's modification time: 2023-01-01T00:00:00Z, in seconds. */
const EPOCH = Date.UTC(2023, 0, 1) / 1000;

export async function scaleCorpus(corpus: string, dir: string, { copies: many, long: few } = { copies: COPIES, long: LONG_COPIES }): Promise<ScaledCorpus> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let articles = 0;
  let bytes = 0;
  const names = (await readdir(corpus)).filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md').sort();
  for (const [n, name] of names.entries()) {
    const text = await readFile(path.join(corpus, name), 'utf8');
    const copies = Buffer.byteLength(text) > LONG ? few : many;
    for (let k = 0; k < copies; k++) {
      let copy = text;
      if (k) {
        copy = copy.replace(/(gnews\.org\/(?:articles|zh-hans)\/\d+)/g, `$1-copy${k}`);
        copy = copy.replace(/\[\[zh:([^\]]+)\]\]/g, (m, tag: string) => (createHash('sha256').update(tag).digest()[0]! % 8 === 0 ? `[[zh:${tag}${k}]]` : m));
      }
      const file = path.join(dir, `c${k}-${name}`);
      await writeFile(file, copy);
      // An hour apart by name, a second apart by copy (seconds since the epoch).
      const time = EPOCH + n * 3600 + k;
      await utimes(file, time, time);
      articles++;
      bytes += Buffer.byteLength(copy);
    }
  }
  return { dir, articles, bytes };
}
