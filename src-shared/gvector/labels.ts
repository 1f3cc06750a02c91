/**
 * Labels inside Fresh(...), Idem(...) and Auth(...): evidence, keys and principals.
 * They do not change a component's strength, except that Auth labels decide whether an
 * Auth is token-like or signature-like.
 */

/** Canonical label list: trimmed, inner whitespace collapsed, deduplicated, sorted by
 * code unit (not localeCompare, so the order is the same on every machine). */
export function canonicalLabels(labels: readonly string[]): string[] {
  const set = new Set(labels.map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l !== ''));
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Set union, canonical. This is the meet of two equal-strength labelled values. */
export function unionLabels(a: readonly string[], b: readonly string[]): string[] {
  return canonicalLabels([...a, ...b]);
}

export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Auth label classification.
 *
 * Rule: a label is *signature-like* when one of its segments (split on `_ - . / space`)
 * names a digital-signature scheme or signatures as such: ECDSA, EdDSA, Ed25519, Ed448,
 * DSA, RSA, Schnorr, BLS, sig, signature(s), signed. Everything else is *token-like*:
 * bearer tokens, sessions, channel authentication and shared-secret MACs (JWT, OAuth,
 * API keys, mTLS, HMAC, password…), which authenticate a caller or a channel but give
 * no per-message, third-party-verifiable proof — the property the seed's Byzantine
 * scenarios need.
 *
 * Seed sources (shared/seed/transfer-tests.md):
 * - l.111 `Auth(JWT)` (NT-1, a client bearer token) → token-like.
 * - l.892 "Digital signatures: ECDSA/Ed25519 signatures from ground station" and
 *   l.945 "Authenticated: ECDSA signatures verify ground station authority" → `Auth(ECDSA)`
 *   signature-like.
 * - l.999 "Auth: Satellite signatures (ground signature not available)" →
 *   `Auth(ECDSA_satellite)` signature-like (same level as ECDSA; a different principal).
 * - l.2802 "Auth: Signature prevents tampering" → `Auth(signature)` signature-like.
 * - mTLS does not occur in the seed; it is classed token-like by the rule above
 *   (it authenticates the channel, not each message).
 */
const SIGNATURE_SEGMENTS = new Set([
  'ecdsa',
  'eddsa',
  'ed25519',
  'ed448',
  'dsa',
  'rsa',
  'schnorr',
  'bls',
  'sig',
  'sigs',
  'signature',
  'signatures',
  'signed',
]);

export function isSignatureLabel(label: string): boolean {
  return label
    .toLowerCase()
    .split(/[_\-./\s]+/)
    .some((seg) => SIGNATURE_SEGMENTS.has(seg));
}

/** Auth levels: 0 Unauth, 1 token-like (incl. bare `Auth`), 2 signature-like. */
export type AuthStrength = 0 | 1 | 2;

/**
 * Strength of an Auth label set. Signature-like only if there is at least one label
 * and *every* label is signature-like: a mixed set such as `Auth(ECDSA, JWT)` is only as
 * strong as its weakest mechanism. (Meet never creates mixed sets — it only unions
 * labels of equal strength — so this matters only for hand-written input.)
 */
export function authLabelsStrength(labels: readonly string[]): 1 | 2 {
  return labels.length > 0 && labels.every(isSignatureLabel) ? 2 : 1;
}
