/**
 * Find the G-vectors written in a prose/markdown text (the seed, scenario notes).
 *
 * A G-vector is recognised by its shape, not by being valid: an opening bracket
 * (⟨ 〈 < ‹), optional spaces, a Scope keyword, optional spaces, a comma, then anything
 * up to the next closing bracket on the same line. Requiring "Scope keyword + comma"
 * skips code like `<Vote>` or `Result<(), RejectReason>`, yet still catches malformed
 * vectors (odd spacing, a missing component), so that a test parsing every match fails
 * on them instead of silently dropping them.
 */
const GVECTOR_SHAPE = /[⟨〈<‹][ \t]*(?:Local|Transaction|Range|Global)[ \t]*,[^⟨⟩〈〉<>‹›\n]*[⟩〉>›]/giu;

/** Every G-vector-shaped substring, in order of appearance, trimmed, duplicates kept. */
export function extractGVectors(text: string): string[] {
  return [...text.matchAll(GVECTOR_SHAPE)].map((m) => m[0].trim());
}
