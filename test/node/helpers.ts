import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll } from 'vitest';
import { build, type BuildResult } from '../../src/build.js';
import { parseConfig } from '../../src/config/schema.js';
import type { Config } from '../../src/core/types.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
export const SHARED = path.resolve(import.meta.dirname, '../../../shared');

/**
 * Why `xml` is not well-formed XML 1.0 with namespaces (saxes, strict, as readers'
 * parsers are), or undefined when it is. The tests' own check, not the build's.
 */
export function xmlError(xml: string): string | undefined {
  try {
    new SaxesParser({ xmlns: true }).write(xml).close();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A config as a user would write it, with defaults filled in by the real schema. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return parseConfig({ title: 'Test Feeds', siteUrl: 'https://feeds.example.org', ...overrides }, 'test config');
}

/** Folders made by tempDir() in this test file, removed once its tests are done (a corpus build leaves ~400 MB). */
const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(prefix = 'feedwright-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Write `files` (relative path → text or bytes) into a fresh archive folder. */
export async function makeArchive(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir('feedwright-archive-');
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** Build an archive into a fresh folder with a fixed "now". */
export async function buildInto(
  archiveDir: string,
  config: Config = testConfig(),
  now = Date.UTC(2026, 0, 1),
): Promise<{ out: string; result: BuildResult }> {
  const out = path.join(await tempDir('feedwright-out-'), 'dist');
  const result = await build({ archiveDir, outDir: out, config, now });
  return { out, result };
}

export async function read(out: string, rel: string): Promise<string> {
  return readFile(path.join(out, rel), 'utf8');
}

/** Every file under `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The sha256 of every file under `dir`, by relative path: two outputs compare as wholes. */
export async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of await listFiles(dir)) out[rel] = createHash('sha256').update(await readFile(path.join(dir, rel))).digest('hex');
  return out;
}

/**
 * Cached builds of `archiveDir` into a folder of their own (`run`), and what a full
 * `--no-cache` build of the archive as it is now gives (`full`, digested): an
 * incremental build must equal it.
 */
export async function cachedBuilds(archiveDir: string, config: Config, now = Date.UTC(2026, 0, 1)) {
  const base = await tempDir();
  const out = path.join(base, 'dist');
  const cacheDir = path.join(base, 'cache');
  return {
    base,
    out,
    cacheDir,
    run: () => build({ archiveDir, outDir: out, config, cacheDir, now }),
    full: async () => {
      const fresh = path.join(await tempDir(), 'dist');
      await build({ archiveDir, outDir: fresh, config, now });
      return digest(fresh);
    },
  };
}
