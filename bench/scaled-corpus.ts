import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

// The real corpus at the real archive's size: the check builds a real archive
// of ~39,000 articles (175 MB, ~10,000 tags), and real articles cost more to render
// than the synthetic ones (links, images, emphasis, raw HTML), so the bench builds
// one made of the corpus's 2,074 too. Each article is copied 19 times, but those over
// 64 KB (18 of them, half the corpus's bytes) 5 times only: the corpus leans to long
// articles, and 19 copies of all would be 313 MB, twice the real archive. Each copy
// has a source link (and so an id) of its own, and one tag in eight, picked by a hash
// of its name, is renamed per copy, so that tags are many, as in the real archive,
// and each tag's articles are not 19 copies of the same ones. Deterministic: the
// same corpus makes the same archive.

export interface ScaledCorpus {
  dir: string;
  articles: number;
  bytes: number;
}

/** Copies of every article, the long ones fewer (see above). */
export const COPIES = 19;
export const LONG_COPIES = 5;
const LONG = 64 * 1024;

export async function scaleCorpus(corpus: string, dir: string): Promise<ScaledCorpus> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let articles = 0;
  let bytes = 0;
  const names = (await readdir(corpus)).filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md').sort();
  for (const name of names) {
    const text = await readFile(path.join(corpus, name), 'utf8');
    const copies = Buffer.byteLength(text) > LONG ? LONG_COPIES : COPIES;
    for (let k = 0; k < copies; k++) {
      let copy = text.replace(/gnews\.org\/articles\/(\d+)/g, (_m, n: string) => `gnews.org/articles/${k}0${n}`);
      if (k) copy = copy.replace(/\[\[zh:([^\]]+)\]\]/g, (m, tag: string) => (createHash('sha256').update(tag).digest()[0]! % 8 === 0 ? `[[zh:${tag}${k}]]` : m));
      await writeFile(path.join(dir, `${k}0${name}`), copy);
      articles++;
      bytes += Buffer.byteLength(copy);
    }
  }
  return { dir, articles, bytes };
}
