import { readFile } from 'node:fs/promises';
import type { Config } from '../core/types.js';
import { ConfigError, parseConfig } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'feedwright.config.json';

export async function loadConfig(file: string, overrides: { siteUrl?: string } = {}): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`Config ${file} cannot be read (${code === 'ENOENT' ? 'no such file' : code ?? String(error)}).`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config ${file} is not valid JSON: ${(error as Error).message}.`);
  }
  if (overrides.siteUrl !== undefined && raw && typeof raw === 'object') {
    (raw as Record<string, unknown>).siteUrl = overrides.siteUrl;
  }
  return parseConfig(raw, file);
}
