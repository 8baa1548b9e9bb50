// One order for every list the build sorts by name (files, tags, spellings): by
// UTF-16 code unit, as `<` compares strings. Not localeCompare, whose order changes
// with the locale and the ICU data of the machine: output is the same everywhere.

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
