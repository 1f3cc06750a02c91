/**
 * Real Ed25519 signatures with keys derived from the run's seeded PRNG, so a run replays
 * exactly (Ed25519 signing is deterministic: RFC 8032).
 *
 * The arithmetic is Node's (OpenSSL) rather than a pure-JS curve: it produces the very
 * same bytes (same public keys, same signatures, same sha-256 digests — the run and its
 * digest are unchanged) at 30–100× less CPU, which is most of what MT-3's 600 s budget
 * run spent on signatures (the store verifies ~90 hub attestations, ~3 ms each in JS).
 *
 * Cost discipline (DESIGN §7): the store signs ONCE per config version; a hub signs one
 * aggregated attestation (all of its edges' acks) at most every `attest_ms`. Edges and
 * hubs verify the same (key, message, signature) triple, so verification results are
 * memoised process-wide: the first verifier pays the CPU, the others get the same
 * answer. That changes nothing in the simulation, only the wall time.
 */
import { createHash, createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import type { Rng } from '../../rng';

/** DER prefixes that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const privKeys = new Map<string, KeyObject>();
const pubKeys = new Map<string, KeyObject>();

function privateKey(skHex: string): KeyObject {
  let k = privKeys.get(skHex);
  if (!k) {
    k = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, Buffer.from(skHex, 'hex')]), format: 'der', type: 'pkcs8' });
    if (privKeys.size > 1000) privKeys.clear();
    privKeys.set(skHex, k);
  }
  return k;
}

function publicKey(pkHex: string): KeyObject {
  let k = pubKeys.get(pkHex);
  if (!k) {
    k = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(pkHex, 'hex')]), format: 'der', type: 'spki' });
    if (pubKeys.size > 1000) pubKeys.clear();
    pubKeys.set(pkHex, k);
  }
  return k;
}

export interface KeyPair {
  sk: string;
  pk: string;
}

export function hashHex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/** sha-256 (128-bit prefix) over a slice of a Uint16Array (an attestation's ack vector). */
export function hashU16(a: Uint16Array, from: number, to: number): string {
  const view = new Uint8Array(a.buffer, a.byteOffset + from * 2, (to - from) * 2);
  return createHash('sha256').update(view).digest('hex').slice(0, 32);
}

export function deriveKey(rng: Rng, label: string): KeyPair {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(rng.int(0, 0xffffffff));
  const sk = createHash('sha256').update(`${label}|${words.join(',')}`, 'utf8').digest('hex');
  const pk = createPublicKey(privateKey(sk)).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
  return { sk, pk: Buffer.from(pk).toString('hex') };
}

export function sign(skHex: string, message: string): string {
  return edSign(null, Buffer.from(message, 'utf8'), privateKey(skHex)).toString('hex');
}

const MEMO_MAX = 20_000;
const memo = new Map<string, { pk: string; message: string; ok: boolean }>();

export function verify(pkHex: string, message: string, sigHex: string): boolean {
  const hit = memo.get(sigHex);
  if (hit !== undefined && hit.pk === pkHex && hit.message === message) return hit.ok;
  let ok = false;
  try {
    ok = /^[0-9a-f]{128}$/.test(sigHex) && /^[0-9a-f]{64}$/.test(pkHex) && edVerify(null, Buffer.from(message, 'utf8'), publicKey(pkHex), Buffer.from(sigHex, 'hex'));
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
