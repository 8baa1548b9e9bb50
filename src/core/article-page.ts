// Where an article's page is stored in the output. Its URL is `/articles/<id>/`
// (the items' guid, which never changes), but the file is `articles/<id>.html`,
// not `articles/<id>/index.html`: a folder per article is 40,000 more inodes and
// directory blocks at 40,000 articles, and creating them took a full build ~5 s
// of system time on ext4 (two threads contending for the `articles/` folder). The
// worker serves the one from the other (`html_handling = "none"` serves files as
// named); an id is letters, digits, `_` and `-` (see articles/ids.ts), so a URL
// segment with a dot is never one, and the file's own name is never a page URL.

/** The output path of the page of the article `id` (served at `/articles/<id>/`). */
export function articlePageFile(id: string): string {
  return `articles/${id}.html`;
}
