import { spawnSync } from 'node:child_process';

/**
 * When each file under `dir` was first committed, in epoch ms, from ONE `git log`
 * pass over the whole archive (one process per file would take minutes on 39,000
 * files). Returns an empty map when `dir` is not inside a git work tree.
 */
export function firstCommitDates(dir: string, only?: readonly string[]): Map<string, number> {
  const dates = new Map<string, number>();
  const inside = spawnSync('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' });
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') return dates;
  const log = spawnSync(
    'git',
    // `only`: a few files an incremental build has not dated yet, instead of the whole archive.
    ['-C', dir, '-c', 'core.quotepath=off', 'log', '--diff-filter=A', '--no-renames', '--relative', '--name-only', '--format=%x01%ct', '--', ...(only?.length ? only.map((f) => `:(literal)${f}`) : ['.'])],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (log.status !== 0) return dates;
  let when = 0;
  for (const line of log.stdout.split('\n')) {
    if (line.startsWith('\x01')) {
      when = Number(line.slice(1)) * 1000;
    } else if (line) {
      // The log runs newest first; a file added, removed and added again keeps its first date.
      const known = dates.get(line);
      if (known === undefined || when < known) dates.set(line, when);
    }
  }
  return dates;
}

/** The commit checked out in the archive's repository ('' outside one): new commits can date files. */
export function headCommit(dir: string): string {
  const head = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  return head.status === 0 ? head.stdout.trim() : '';
}
