import * as fs from 'node:fs';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { statArticles } from '../../src/archive/discover.js';
import { tempDir } from './helpers.js';

// This thread's stat(2) watched, and a switch that keeps threads from starting: the
// stats come from the other thread when asked, and from here when it cannot start,
// the same either way.
const threads = vi.hoisted(() => ({ fail: false }));
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return { ...real, statSync: vi.fn(real.statSync) };
});
vi.mock('node:worker_threads', async (original) => {
  const real = await original<typeof import('node:worker_threads')>();
  class Worker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      if (threads.fail) throw new Error('no threads here');
      super(...args);
    }
  }
  return { ...real, default: { ...real, Worker }, Worker };
});

const stat = vi.mocked(fs.statSync);
const COUNT = 1000;
let dir: string;
const files = Array.from({ length: COUNT }, (_, i) => `f${String(i).padStart(4, '0')}.md`);

beforeAll(async () => {
  dir = await tempDir();
  // File i has i bytes and the time 2024-01-01 plus i seconds and 999 ms; every seventh is missing.
  // One after another: 857 files at once can exceed a low limit of open files.
  for (const [i, file] of files.entries()) {
    if (i % 7 === 3) continue;
    await fs.promises.writeFile(path.join(dir, file), 'x'.repeat(i));
    const time = new Date(Date.UTC(2024, 0, 1) + i * 1000 + 999);
    await utimes(path.join(dir, file), time, time);
  }
});

it('stats on the other thread when asked, and here when no thread can start, with the same answer', async () => {
  stat.mockClear();
  const onThread = await statArticles(dir, files, true);
  expect(stat.mock.calls.length).toBe(0);
  expect(onThread.length).toBe(857);
  expect(onThread[500]).toEqual({ file: 'f0583.md', absolute: path.join(dir, 'f0583.md'), bytes: 583, mtimeMs: Date.UTC(2024, 0, 1) + 583_999 });
  threads.fail = true;
  try {
    stat.mockClear();
    expect(await statArticles(dir, files, true)).toEqual(onThread);
    expect(stat.mock.calls.length).toBe(COUNT);
  } finally {
    threads.fail = false;
  }
  stat.mockClear();
  expect(await statArticles(dir, files, false)).toEqual(onThread);
  expect(stat.mock.calls.length).toBe(COUNT);
});
