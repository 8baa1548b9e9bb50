import { spawn } from 'node:child_process';

/**
 * When each path under an archive folder was first committed, as of one commit: what
 * the build cache keeps from build to build.
 */
export interface GitDates {
  /** The archive folder (absolute) these paths are relative to. */
  dir: string;
  /**
   * The commit the dates are complete up to: every path added in its history is in
   * `dates`. '' outside a repository (or before its first commit): no dates at all.
   */
  commit: string;
  /** Path → epoch ms of the oldest commit that added it (committer time). */
  /** A Map: an object of 40,000 paths is a slow dictionary to fill, read and copy. */
  dates: ReadonlyMap<string, number>;
  /**
   * Read from a shallow clone: a path first committed before its oldest fetched
   * commit is dated by that commit. Such dates are never complete (commit ''), so
   * that they are read again, and right, once the history is fetched.
   */
  shallow?: boolean;
}

/**
 * The first-commit dates of `dir` as of `commit` (its HEAD, see headCommit), from
 * what an earlier build knew, reading no more history than it must:
 * - `known` is of this folder and this commit: it stands, and git is not run;
 * - `known` is of an ancestor of `commit`: only the commits since are read
 *   (`git log known..commit`), so a build after one new commit reads one commit,
 *   where reading the whole history for one new file took ~2 s on an archive of
 *   40,000 files in 2,000 commits (git compares every commit's tree of the folder);
 * - otherwise (no cache, another folder, HEAD moved other than forward, a shallow
 *   clone): the whole history, in one pass (one process per file would take
 *   minutes on 39,000 files).
 * Every commit reachable from `commit` that adds a path is read exactly once either
 * way (`--full-history`: git's default simplification would follow one parent of a
 * merge, and which one depends on what the range starts from), and each path keeps
 * its oldest date, so both give the same dates as a build without the cache. When
 * git fails, the dates are incomplete (commit ''), and the next build reads the
 * history again. `signal` stops git.
 */
export async function datesAt(dir: string, commit: string, known?: GitDates, signal?: AbortSignal): Promise<GitDates> {
  const none: GitDates = { dir, commit: '', dates: new Map() };
  if (!commit) return none;
  if (known && known.dir === dir && known.commit === commit) return known;
  const [shallow, ancestor] = await Promise.all([
    run('git', ['-C', dir, 'rev-parse', '--is-shallow-repository'], signal).then((r) => r.stdout.trim() === 'true'),
    known && known.dir === dir && known.commit ? run('git', ['-C', dir, 'merge-base', '--is-ancestor', known.commit, commit], signal).then((r) => r.status === 0) : false,
  ]);
  // In a shallow clone the range may cross its boundary: only the whole (short) history is read, and flagged.
  if (ancestor && !shallow) {
    const added = await addedIn(dir, `${known!.commit}..${commit}`, signal);
    if (!added) return none;
    if (!added.size) return { dir, commit, dates: known!.dates };
    const dates = new Map(known!.dates);
    for (const [file, when] of added) {
      const earlier = dates.get(file);
      if (earlier === undefined || when < earlier) dates.set(file, when);
    }
    return { dir, commit, dates };
  }
  const added = await addedIn(dir, commit, signal);
  if (!added) return none;
  if (shallow) return { dir, commit: '', dates: added, shallow: true };
  return { dir, commit, dates: added };
}

/** Each path added under `dir` by the commits of `range`, with the oldest such commit's time; undefined when git fails. */
async function addedIn(dir: string, range: string, signal?: AbortSignal): Promise<Map<string, number> | undefined> {
  // -z: names as they are (without it git quotes a name holding `"`, `\`, a tab or a
  // newline, which then matches no file). Each commit is `\x01<time>\0`, then its
  // names, each ended by NUL, the first after a newline.
  const log = await run(
    'git',
    ['-C', dir, 'log', '-z', '--full-history', '--diff-filter=A', '--no-renames', '--relative', '--name-only', '--format=%x01%ct', range, '--', '.'],
    signal,
  );
  if (log.status !== 0) return undefined;
  const dates = new Map<string, number>();
  let when = 0;
  let first = false;
  for (const field of log.stdout.split('\0')) {
    if (field.startsWith('\x01')) {
      when = Number(field.slice(1)) * 1000;
      first = true;
      continue;
    }
    const file = first && field.startsWith('\n') ? field.slice(1) : field;
    first = false;
    if (!file) continue;
    // The log runs newest first; a file added, removed and added again keeps its first date.
    const known = dates.get(file);
    if (known === undefined || when < known) dates.set(file, when);
  }
  return dates;
}

/** A command's exit status and standard output (git missing, or stopped by `signal`: status -1). */
function run(command: string, args: string[], signal?: AbortSignal): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], signal });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve({ status: -1, stdout: '' }));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

/**
 * The commit checked out in the archive's repository ('' outside one): new commits
 * can date files. Asynchronous, so that git runs while the archive is listed.
 */
export async function headCommit(dir: string): Promise<string> {
  const head = await run('git', ['-C', dir, 'rev-parse', 'HEAD']);
  return head.status === 0 ? head.stdout.trim() : '';
}
