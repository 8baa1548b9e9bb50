import { describe, expect, it } from 'vitest';
import { archiveKey } from '../../src/archive/cache.js';

const files = [
  { file: '2024/a.md', bytes: 2_600, mtimeMs: 1_717_000_000_123 },
  { file: '2024/b.md', bytes: 812_000, mtimeMs: 1_717_000_050_000 },
];

describe('archiveKey, the digest of the archive as listed', () => {
  it('is the same for the same listing and commit', () => {
    expect(archiveKey('c0ffee', files)).toBe(archiveKey('c0ffee', files.map((f) => ({ ...f }))));
    expect(archiveKey('c0ffee', files)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the commit, a path, a size, a time, an added or a removed file', () => {
    const base = archiveKey('c0ffee', files);
    const variants = [
      archiveKey('c0ffef', files),
      archiveKey('c0ffee', [{ ...files[0]!, file: '2024/c.md' }, files[1]!]),
      archiveKey('c0ffee', [{ ...files[0]!, bytes: 2_601 }, files[1]!]),
      archiveKey('c0ffee', [files[0]!, { ...files[1]!, mtimeMs: 1_717_000_050_001 }]),
      archiveKey('c0ffee', [...files, { file: '2024/d.md', bytes: 0, mtimeMs: 0 }]),
      archiveKey('c0ffee', [files[0]!]),
    ];
    expect(new Set([base, ...variants]).size).toBe(7);
  });

  it('never lets a path run into the next one or into the commit', () => {
    const at = { bytes: 1, mtimeMs: 2 };
    expect(archiveKey('', [{ file: 'ab', ...at }, { file: 'c', ...at }])).not.toBe(archiveKey('', [{ file: 'a', ...at }, { file: 'bc', ...at }]));
    expect(archiveKey('h', [{ file: 'x', ...at }])).not.toBe(archiveKey('', [{ file: 'hx', ...at }]));
  });
});
