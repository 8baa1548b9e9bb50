import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

// `npm run bench -- --git N`: the synthetic archive as a git repository, its
// articles added over N commits, as an archive kept in git is. A build then dates
// its undated articles (55 %) by their first commit, and the incremental steps
// commit each change before building, as one would before publishing.

/**
 * Who commits, fixed, so that the same seed gives the same history and the same
 * dates; and no global or system git config (a signing key, a hooks path), which
 * could make a commit fail or differ.
 */
const ENV = {
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.org',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.org',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const FIRST_COMMIT = Date.UTC(2021, 0, 1) / 1000;
const COMMIT_EVERY = 6 * 3600;

/**
 * Make `dir` a repository whose commits (`commits`, at most one a file) add `files`
 * in their order (an even share each, the rest of the folder's files with the last),
 * six hours apart from 2021-01-01, then pack it as a clone's is (`git log` over the
 * history reads packed trees faster). Written with git fast-import: 2,000 commits
 * of 40,000 files take about 40 s here with the packing, where one `git commit` each
 * takes many minutes. Returns how many commits, and the last one's time (s).
 */
export async function commitHistory(dir: string, files: readonly string[], others: readonly string[], commits: number): Promise<{ commits: number; last: number }> {
  git(dir, ['init', '-q']);
  const n = Math.max(1, Math.min(commits, files.length));
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, ...ENV } });
  const errors: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  const finished = new Promise<number | null>((resolve) => child.on('close', resolve));
  // A fast-import that stops reading (it failed) ends the writes: its own message is the error.
  let closed = false;
  void finished.then(() => (closed = true));
  child.stdin.on('error', () => {});
  const write = async (data: string | Buffer) => {
    if (closed) throw new Error(`git fast-import failed: ${Buffer.concat(errors).toString().trim()}`);
    if (!child.stdin.write(data)) await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), finished]);
  };
  let when = FIRST_COMMIT;
  for (let c = 0; c < n; c++) {
    const from = Math.floor((c * files.length) / n);
    const to = Math.floor(((c + 1) * files.length) / n);
    const batch = files.slice(from, to).concat(c === n - 1 ? others : []);
    when = FIRST_COMMIT + c * COMMIT_EVERY;
    const message = `Add ${batch.length} articles\n`;
    await write(`commit refs/heads/main\nmark :${c + 1}\ncommitter Bench <bench@example.org> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}`);
    if (c > 0) await write(`from :${c}\n`);
    for (const file of batch) {
      const bytes = await readFile(path.join(dir, file));
      await write(`M 100644 inline ${file}\ndata ${bytes.length}\n`);
      await write(bytes);
      await write('\n');
    }
    await write('\n');
  }
  await write('done\n');
  child.stdin.end();
  if ((await finished) !== 0) throw new Error(`git fast-import failed: ${Buffer.concat(errors).toString().trim()}`);
  git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  // The index, for the incremental steps' commits (the files on disk are already these).
  git(dir, ['reset', '-q']);
  git(dir, ['gc', '-q']);
  return { commits: n, last: when };
}

/** Commit the change to `file` (added, edited or deleted) at `when` (s). */
export function commitChange(dir: string, file: string, message: string, when: number): void {
  git(dir, ['add', '-A', '--', file]);
  git(dir, ['commit', '-q', '-m', message], when);
}

function git(dir: string, args: string[], when?: number): void {
  const date = when === undefined ? {} : { GIT_AUTHOR_DATE: `@${when} +0000`, GIT_COMMITTER_DATE: `@${when} +0000` };
  const r = spawnSync('git', ['-C', dir, ...args], { env: { ...process.env, ...ENV, ...date }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}
