import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInto, FIXTURES, makeArchive, SHARED, testConfig } from './helpers.js';

// The W3C Feed Validation Service's own code, run locally (../shared/tools/w3c-validate).
// It needs a copy of github.com/w3c/feedvalidator at $FEEDVALIDATOR and Debian's
// python3-lxml, python3-html5lib and python3-rdflib; without them this is skipped.
const TOOL = path.join(SHARED, 'tools/w3c-validate');
const validator = process.env.FEEDVALIDATOR;
const available = Boolean(validator && existsSync(TOOL) && existsSync(path.join(validator, 'src/feedvalidator')));
if (!available) console.info('W3C validator test skipped: set FEEDVALIDATOR to a copy of github.com/w3c/feedvalidator (and have ../shared/tools/w3c-validate).');

describe.skipIf(!available)('W3C Feed Validation Service', () => {
  let out: string;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const name of readdirSync(path.join(FIXTURES, 'archive'))) files[name] = readFileSync(path.join(FIXTURES, 'archive', name), 'utf8');
    const config = JSON.parse(readFileSync(path.join(FIXTURES, 'feedwright.config.json'), 'utf8'));
    ({ out } = await buildInto(await makeArchive(files), testConfig({ topics: config.topics })));
  });

  it('finds no error and no warning in the main, tag and topic feeds', () => {
    const site = 'https://feeds.example.org';
    const targets = ['', 'tags/芯片/', 'tags/ai/', 'tags/中国/', 'topics/ai/', 'topics/芯片/'].flatMap((dir) =>
      ['rss.xml', 'atom.xml'].map((file) => `${path.join(out, dir, file)}=${site}/${dir.split('/').filter(Boolean).map(encodeURIComponent).map((s) => `${s}/`).join('')}${file}`),
    );
    const output = execFileSync(TOOL, ['--warnings', ...targets], { env: { ...process.env, FEEDVALIDATOR: validator }, encoding: 'utf8' });
    expect(output.trim().split('\n').at(-1)).toBe(`${targets.length} feeds, 0 errors, 0 warnings`);
  }, 120_000);
});
