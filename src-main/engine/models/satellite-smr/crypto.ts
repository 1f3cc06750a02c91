/**
 * Real signatures and hashes (@noble/curves secp256k1 ECDSA, @noble/hashes sha-256).
 *
 * Keys are derived from the run's seeded PRNG, so a run replays exactly (ECDSA here uses
 * RFC 6979 deterministic nonces: same key + message ⇒ same signature).
 *
 * CPU: a signature costs ~0.5 ms and a verification ~1.5 ms of real CPU. Each simulated
 * satellite verifies what it receives, but verification is a pure function of
 * (public key, message, signature), so its result is memoised process-wide: the first
 * satellite to check a signature pays the CPU, the others get the same answer. This
 * changes nothing in the simulation (the outcome is identical), only the wall time.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Rng } from '../../rng';
import type { Peak } from './state';

export function hashHex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** A 32-hex-character id (128 bits of sha-256): compact enough for histories in checkpoints. */
export function shortHash(text: string): string {
  return hashHex(text).slice(0, 32);
}

/** A secret key from the seeded PRNG (32 bytes, hashed; valid for secp256k1). */
export function deriveKey(rng: Rng, label: string): { sk: string; pk: string } {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(rng.int(0, 0xffffffff));
  let sk = sha256(utf8ToBytes(`${label}|${words.join(',')}`));
  while (!secp256k1.utils.isValidSecretKey(sk)) sk = sha256(sk);
  // Uncompressed public key: verifying then needs no square root to decode the point.
  return { sk: bytesToHex(sk), pk: bytesToHex(secp256k1.getPublicKey(sk, false)) };
}

const bytesCache = new Map<string, Uint8Array>();
function bytes(hex: string): Uint8Array {
  let b = bytesCache.get(hex);
  if (!b) {
    b = hexToBytes(hex);
    if (bytesCache.size > 64) bytesCache.clear();
    bytesCache.set(hex, b);
  }
  return b;
}

export function sign(skHex: string, message: string): string {
  return bytesToHex(secp256k1.sign(sha256(utf8ToBytes(message)), bytes(skHex), { prehash: false }));
}

const MEMO_MAX = 50_000;
const memo = new Map<string, boolean>();

export function verify(pkHex: string, message: string, sigHex: string): boolean {
  const key = `${pkHex}|${sigHex}|${message}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    ok = /^[0-9a-f]{128}$/.test(sigHex) && secp256k1.verify(bytes(sigHex), sha256(utf8ToBytes(message)), bytes(pkHex), { prehash: false });
  } catch {
    ok = false;
  }
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, ok);
  return ok;
}

// ---- Merkle tree over the command history --------------------------------------------------
//
// An incremental Merkle tree (Merkle mountain range): the peaks of the perfect subtrees
// over the leaves so far. Appending is O(log n); the root bags the peaks right to left.
// Leaf hash = H("leaf" ‖ index ‖ command id), node = H("node" ‖ left ‖ right).

export function leafHash(index: number, id: string): string {
  return shortHash(`leaf|${index}|${id}`);
}

export function appendPeak(peaks: Peak[], index: number, id: string): void {
  peaks.push({ h: 0, hash: leafHash(index, id) });
  while (peaks.length >= 2 && peaks[peaks.length - 1]!.h === peaks[peaks.length - 2]!.h) {
    const r = peaks.pop()!;
    const l = peaks.pop()!;
    peaks.push({ h: l.h + 1, hash: shortHash(`node|${l.hash}|${r.hash}`) });
  }
}

export function peaksOf(leaves: readonly string[]): Peak[] {
  const peaks: Peak[] = [];
  leaves.forEach((id, i) => appendPeak(peaks, i, id));
  return peaks;
}

export const EMPTY_ROOT = '0'.repeat(32);

export function rootOf(peaks: readonly Peak[]): string {
  if (peaks.length === 0) return EMPTY_ROOT;
  let acc = peaks[peaks.length - 1]!.hash;
  for (let i = peaks.length - 2; i >= 0; i--) acc = shortHash(`bag|${peaks[i]!.hash}|${acc}`);
  return acc;
}

export function merkleRoot(leaves: readonly string[]): string {
  return rootOf(peaksOf(leaves));
}

/** The first index at which two histories differ (within the shorter one), or null if one is a prefix of the other. */
export function firstDifference(a: readonly string[], b: readonly string[]): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return null;
}
