import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digest, FIXTURES, listFiles, tempDir } from './helpers.js';

// The worker threads (src/threads) only run from the bundle, so these tests run the
// real command. Whatever reads and renders, the output must be the same bytes.

const ROOT = path.resolve(import.meta.dirname, '../..');

function cli(threads: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/feedwright.mjs', '--timings', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FEEDWRIGHT_THREADS: threads },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}


describe('worker threads', () => {
  const cases = [
    { name: 'the fixture archive', archive: 'archive', config: path.join(FIXTURES, 'feedwright.config.json') },
    { name: 'the hostile archive', archive: 'hostile', config: undefined },
  ];
  for (const c of cases) {
    it(`give the same bytes and the same report as one thread: ${c.name}`, async () => {
      const dir = await tempDir();
      let config = c.config;
      if (!config) {
        config = path.join(dir, 'config.json');
        writeFileSync(config, JSON.stringify({ title: 'T', siteUrl: 'https://feeds.example.org', maxFileBytes: 1500, topics: [{ slug: 'ai', title: 'AI', keywords: ['AI'] }] }));
      }
      const run = (threads: string, name: string) => {
        const r = cli(threads, '--archive', path.join(FIXTURES, c.archive), '--out', path.join(dir, name), '--config', config, '--no-cache', '--report', path.join(dir, `${name}.json`));
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        return r.stdout;
      };
      expect(run('2', 'two')).toContain('; 2 worker threads.');
      expect(run('0', 'one')).not.toContain('worker threads');
      const [two, one] = await Promise.all([digest(path.join(dir, 'two')), digest(path.join(dir, 'one'))]);
      expect(Object.keys(two).length).toBeGreaterThan(20);
      expect(two).toEqual(one);
      expect(readFileSync(path.join(dir, 'two.json'), 'utf8')).toBe(readFileSync(path.join(dir, 'one.json'), 'utf8'));
    }, 60_000);
  }

  it('fill the cache, and a rebuild after an edit equals a full build on one thread', async () => {
    const dir = await tempDir();
    const archive = path.join(dir, 'archive');
    cpSync(path.join(FIXTURES, 'archive'), archive, { recursive: true });
    const config = path.join(FIXTURES, 'feedwright.config.json');
    const cached = ['--archive', archive, '--out', path.join(dir, 'dist'), '--config', config, '--cache', path.join(dir, 'cache')];
    expect(cli('2', ...cached).code).toBe(0);
    const files = (await listFiles(archive)).filter((f) => f.endsWith('.md') && !/readme/i.test(f)).sort();
    const edited = path.join(archive, files[0]!);
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}\n\nAn added paragraph about AI chips.\n`);
    const rebuild = cli('2', ...cached);
    expect(rebuild.code).toBe(0);
    expect(rebuild.stdout).toContain('Parsed 1 files');
    expect(rebuild.stdout).toContain('; 2 worker threads.');
    expect(cli('0', '--archive', archive, '--out', path.join(dir, 'full'), '--config', config, '--no-cache').code).toBe(0);
    expect(await digest(path.join(dir, 'dist'))).toEqual(await digest(path.join(dir, 'full')));
    // The threads assembled the first build's feeds: the rebuild finds as many items of
    // unchanged articles in them as in the feeds one thread assembled.
    const reused = (stdout: string) => Number(/\((\d+) feed items taken from the last build's feeds\)/.exec(stdout)?.[1]);
    const alone = path.join(dir, 'alone');
    const aloneArgs = ['--archive', alone, '--out', path.join(dir, 'alone-dist'), '--config', config, '--cache', path.join(dir, 'alone-cache')];
    cpSync(path.join(FIXTURES, 'archive'), alone, { recursive: true });
    expect(cli('0', ...aloneArgs).code).toBe(0);
    writeFileSync(path.join(alone, files[0]!), readFileSync(edited, 'utf8'));
    const aloneRebuild = cli('0', ...aloneArgs);
    expect(reused(rebuild.stdout)).toBe(reused(aloneRebuild.stdout));
    expect(reused(rebuild.stdout)).toBeGreaterThan(10);

    // That build hard-linked what did not change from the generation served before it;
    // the next one writes there (on the threads) and must replace those files, never
    // write through the links into the generation being served meanwhile.
    const served = path.join(dir, readlinkSync(path.join(dir, 'dist')));
    const servedBefore = await digest(served);
    // Another article: its feeds and page were linked, not written, by the last build.
    const other = path.join(archive, files[1]!);
    writeFileSync(other, `${readFileSync(other, 'utf8')}\n\nAn added paragraph about the economy.\n`);
    const again = cli('2', ...cached);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('; 2 worker threads.');
    expect(await digest(served)).toEqual(servedBefore);
    expect(cli('0', '--archive', archive, '--out', path.join(dir, 'full2'), '--config', config, '--no-cache').code).toBe(0);
    expect(await digest(path.join(dir, 'dist'))).toEqual(await digest(path.join(dir, 'full2')));
  }, 60_000);

  it('refuse a FEEDWRIGHT_THREADS that is not a number, in one sentence', async () => {
    const dir = await tempDir();
    const r = cli('two', '--archive', path.join(FIXTURES, 'archive'), '--out', path.join(dir, 'dist'), '--config', path.join(FIXTURES, 'feedwright.config.json'), '--no-cache');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('FEEDWRIGHT_THREADS must be a whole number of threads (0 for none), not "two".\n');
  });
});
