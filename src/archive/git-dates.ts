import { spawn } from 'node:child_process';

/**
 * When each file under `dir` was first committed, in epoch ms, from ONE `git log`
 * pass over the whole archive (one process per file would take minutes on 39,000
 * files). Returns an empty map when `dir` is not inside a git work tree. Runs in a
 * child process the build does not wait for until it needs the dates, so a long
 * history is read while the articles are.
 */
export async function firstCommitDates(dir: string, only?: readonly string[]): Promise<Map<string, number>> {
  const dates = new Map<string, number>();
  const inside = await run('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree']);
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') return dates;
  const log = await run(
    'git',
    // `only`: a few files an incremental build has not dated yet, instead of the whole archive.
    ['-C', dir, '-c', 'core.quotepath=off', 'log', '--diff-filter=A', '--no-renames', '--relative', '--name-only', '--format=%x01%ct', '--', ...(only?.length ? only.map((f) => `:(literal)${f}`) : ['.'])],
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

/** A command's exit status and standard output (git missing: status -1). */
function run(command: string, args: string[]): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
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
