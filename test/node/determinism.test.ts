import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digest, FIXTURES, tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** sha256 of every file in a folder, by relative path. */

/** Run the real CLI, as a user would, under a given TZ. */
function cli(out: string, tz: string): void {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', '--archive', path.join(FIXTURES, 'archive'), '--out', out, '--config', path.join(FIXTURES, 'feedwright.config.json'), '--quiet'],
    { cwd: ROOT, env: { ...process.env, TZ: tz }, stdio: 'pipe' },
  );
}

describe('determinism', () => {
  it('gives byte-identical output across runs and time zones', async () => {
    const base = await tempDir();
    const runs = ['Asia/Shanghai', 'America/Los_Angeles', 'UTC', 'UTC'].map((tz, i) => ({ tz, out: path.join(base, `dist-${i}`) }));
    for (const run of runs) cli(run.out, run.tz);
    const [first, ...rest] = await Promise.all(runs.map((r) => digest(r.out)));
    expect(Object.keys(first!).length).toBeGreaterThan(100);
    for (const other of rest) expect(other).toEqual(first);
  }, 60_000);
});
