/**
 * Real Ed25519 signatures (@noble/curves) with keys derived from the run's seeded PRNG,
 * so a run replays exactly (Ed25519 signing is deterministic).
 *
 * Cost discipline (DESIGN §7): the store signs ONCE per config version; a hub signs one
 * aggregated attestation (all of its edges' acks) at most every `attest_ms`. Edges and
 * hubs verify the same (key, message, signature) triple, so verification results are
 * memoised process-wide: the first verifier pays the CPU, the others get the same
 * answer. That changes nothing in the simulation, only the wall time.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Rng } from '../../rng';

export interface KeyPair {
  sk: string;
  pk: string;
}

export function hashHex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, 32);
}

/** sha-256 (128-bit prefix) over a slice of a Uint16Array (an attestation's ack vector). */
export function hashU16(a: Uint16Array, from: number, to: number): string {
  const view = new Uint8Array(a.buffer, a.byteOffset + from * 2, (to - from) * 2);
  return bytesToHex(sha256(view)).slice(0, 32);
}

export function deriveKey(rng: Rng, label: string): KeyPair {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(rng.int(0, 0xffffffff));
  const sk = sha256(utf8ToBytes(`${label}|${words.join(',')}`));
  return { sk: bytesToHex(sk), pk: bytesToHex(ed25519.getPublicKey(sk)) };
}

export function sign(skHex: string, message: string): string {
  return bytesToHex(ed25519.sign(utf8ToBytes(message), hexToBytes(skHex)));
}

const MEMO_MAX = 20_000;
const memo = new Map<string, { pk: string; message: string; ok: boolean }>();

export function verify(pkHex: string, message: string, sigHex: string): boolean {
  const hit = memo.get(sigHex);
  if (hit !== undefined && hit.pk === pkHex && hit.message === message) return hit.ok;
  let ok = false;
  try {
    ok = /^[0-9a-f]{128}$/.test(sigHex) && ed25519.verify(hexToBytes(sigHex), utf8ToBytes(message), hexToBytes(pkHex));
  } catch {
    ok = false;
  }
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(sigHex, { pk: pkHex, message, ok });
  return ok;
}

/** The canonical text a version's signature covers. */
export function configMessage(v: number, hash: string, critical: boolean): string {
  return `cdn-config|v${v}|${hash}|${critical ? 'critical' : 'normal'}`;
}

export function attestMessage(region: string, seq: number, version: number, digest: string): string {
  return `cdn-attest|${region}|${seq}|v${version}|${digest}`;
}
