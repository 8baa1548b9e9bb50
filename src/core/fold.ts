// How two spellings of a tag are compared. The generator folds Traditional to
// Simplified Chinese too (with OpenCC); the worker cannot carry OpenCC's
// dictionaries, so the generator writes every spelling it knows, folded this way.

/**
 * NFKC folds compatibility forms (full-width `ＡＩ` → `AI`, NFD → composed);
 * lower-casing folds ASCII case (and other bicameral scripts).
 */
export function foldWidthAndCase(tag: string): string {
  return tag.normalize('NFKC').toLowerCase().trim();
}
