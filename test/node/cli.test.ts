import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The real command, as `npm run build -- …` runs it. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/feedwright.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the build command', () => {
  it('reports problems, writes them as JSON with --report, and fails only with --strict', async () => {
    const dir = await tempDir();
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ title: 'T', siteUrl: 'https://feeds.example.org', maxFileBytes: 1500 }));
    const report = path.join(dir, 'report.json');
    const args = ['--archive', path.join(FIXTURES, 'hostile'), '--out', path.join(dir, 'dist'), '--config', config, '--no-cache'];
    const lenient = cli(...args, '--report', report);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('Read 20 article files: 14 published, 5 skipped, 0 drafts, 1 dated in the future.');
    expect(lenient.stdout).toContain('  empty.md: empty file');
    const problems = JSON.parse(readFileSync(report, 'utf8')).problems as { file: string; level: string; reason: string }[];
    expect(problems.filter((p) => p.level === 'skipped').map((p) => p.file)).toEqual(['bad-yaml.md', 'binary.md', 'empty.md', 'nothing.md', 'oversized.md']);
    const strict = cli(...args, '--strict', '--quiet');
    expect(strict.code).toBe(1);
    expect(strict.stderr.trim()).toBe(`--strict: ${problems.length} problems reported; failing the build.`);
  }, 60_000);

  it('stops on a bad config with one sentence and exit code 2', async () => {
    const dir = await tempDir();
    const config = path.join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ title: 'T', siteUrl: 'not a url', items: -1 }));
    const run = cli('--archive', path.join(FIXTURES, 'archive'), '--out', path.join(dir, 'dist'), '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(new RegExp(`^Config ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is invalid: siteUrl: must be an absolute http\\(s\\) URL; items: number must be greater than 0\\.$`));
  }, 60_000);

  it('stops on an unwritable output folder with one sentence and exit code 1', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions: make the output path's parent a file instead.
      const dir = await tempDir();
      writeFileSync(path.join(dir, 'file'), 'x');
      const run = cli('--archive', path.join(FIXTURES, 'archive'), '--out', path.join(dir, 'file', 'dist'), '--config', path.join(FIXTURES, 'feedwright.config.json'), '--no-cache');
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(/^Cannot write the output folder .*file\/dist: ENOTDIR .*\.$/);
      return;
    }
    const dir = await tempDir();
    mkdirSync(path.join(dir, 'locked'));
    chmodSync(path.join(dir, 'locked'), 0o500);
    const run = cli('--archive', path.join(FIXTURES, 'archive'), '--out', path.join(dir, 'locked', 'dist'), '--config', path.join(FIXTURES, 'feedwright.config.json'), '--no-cache');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Cannot write the output folder .*: EACCES/);
  }, 60_000);

  it('refuses an output folder that would hold the archive', async () => {
    const run = cli('--archive', path.join(FIXTURES, 'archive'), '--out', FIXTURES, '--config', path.join(FIXTURES, 'feedwright.config.json'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`The output folder ${FIXTURES} would contain the archive ${path.join(FIXTURES, 'archive')}; choose another --out.`);
  }, 60_000);
});
