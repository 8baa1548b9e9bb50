// Where an article's page is stored in the output. Its URL is `/articles/<id>/`
// (the items' guid, which never changes), but the file is `articles/<id>.html`,
// not `articles/<id>/index.html`: a folder per article is 40,000 more inodes and
// directory blocks at 40,000 articles, and in a full build's profile each of the
// two threads spent ~5 s in mkdir(2) creating them (~0.3 s without). The
// worker serves the one from the other (`html_handling = "none"` serves files as
// named); an id is letters, digits, `_` and `-` (see articles/ids.ts), so a URL
// segment with a dot is never one, and the file's own name is never a page URL.

/** The output path of the page of the article `id` (served at `/articles/<id>/`). */
export function articlePageFile(id: string): string {
  return `articles/${id}.html`;
}
