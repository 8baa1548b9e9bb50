import type { BuildResult } from './build.js';

/** Cloudflare Workers static assets limits (Free plan: 20,000 files; Paid: 100,000; 25 MiB a file). */
export const FREE_FILES = 20_000;
export const PAID_FILES = 100_000;
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** The few lines every build ends with. */
export function summary(r: BuildResult, out: string, seconds: number): string {
  const lines: string[] = [];
  const skipped = r.problems.filter((p) => p.level === 'skipped');
  const warnings = r.problems.filter((p) => p.level === 'warning');
  if (r.unchanged) lines.push(`Nothing changed since the last build: ${out}/ is up to date (what it said then follows).`);
  lines.push(
    `Read ${r.found} article files: ${r.published} published, ${skipped.length} skipped, ${r.drafts} drafts, ${r.future} dated in the future.`,
  );
  const ds = r.dateSources;
  lines.push(`Dates: ${ds['front-matter']} from front matter, ${ds.stamp} from stamps, ${ds.git} from first commit, ${ds.mtime} from file time.`);
  if (r.shallowGit) {
    lines.push(
      'Warning: the archive is a shallow git clone: an article first committed before its oldest fetched commit is dated by that commit. Fetch the whole history (`git fetch --unshallow`; `fetch-depth: 0` with actions/checkout) for their real dates.',
    );
  }
  lines.push(`Tags: ${r.tags} (${r.tagFeeds} with feeds); topics: ${r.topics}; feeds: ${r.feeds}.`);
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  const b = r.bytesByFormat;
  lines.push(
    `Parsed ${r.parsed} files (${r.found - r.parsed} unchanged, from the cache); rendered ${r.articlesRendered} articles (${r.itemsReused} feed items taken from the last build's feeds) and ${r.rendered} feeds and pages (${r.kept} unchanged, kept).`,
  );
  lines.push(
    `${out}/ holds ${r.files} files, ${mb(r.bytes)} (RSS ${mb(b.rss)}, Atom ${mb(b.atom)}, JSON ${mb(b.json)}, HTML ${mb(b.html)}, other ${mb(b.other)}); ${r.written} written to disk this build, in ${seconds.toFixed(1)} s.`,
  );
  if (r.files > PAID_FILES) {
    lines.push(`Warning: ${r.files} files exceed the Workers static assets limit of ${PAID_FILES} (Paid plan): set articlePages to false or raise minTagArticles.`);
  } else if (r.files > FREE_FILES) {
    lines.push(`Warning: ${r.files} files exceed the Workers Free plan's ${FREE_FILES}-file asset limit (Paid allows ${PAID_FILES}): set articlePages to false or raise minTagArticles to shrink it.`);
  } else {
    lines.push(`Workers static assets: ${r.files} of ${FREE_FILES} files (Free plan).`);
  }
  if (r.largest.bytes > MAX_FILE_BYTES) {
    lines.push(`Warning: ${r.largest.path} is ${mb(r.largest.bytes)}, over the Workers limit of 25 MiB a file: lower tagItems or items, or set tagFeedContent to "summary".`);
  }
  if (skipped.length) lines.push('Skipped:', ...skipped.map((p) => `  ${p.file}: ${p.reason}`));
  if (warnings.length) {
    const shown = warnings.slice(0, 50);
    lines.push('Warnings:', ...shown.map((p) => `  ${p.file}: ${p.reason}`));
    if (warnings.length > shown.length) lines.push(`  … and ${warnings.length - shown.length} more (use --report FILE for all).`);
  }
  return lines.join('\n');
}

