/**
 * Regional hubs: heartbeat the store, collect their edges' acks and send the store ONE
 * signed aggregated attestation (the ack vector of all 500 edges plus the edges it finds
 * silent) when the region is complete, or at most every attest_ms while it is not.
 * Hierarchical / hybrid: a hub verifies the store's signature and pushes to its edges at
 * hub_push_rate_per_s, retrying the silent ones. Gossip: a hub seeds a random edge.
 */
import { attestMessage, hashHex, hashU16, sign } from './crypto';
import { attempt } from './delivery';
import { layout, type Ctx } from './params';
import type { Attestation, CdnState } from './state';

export const CHUNK_MS = 100;

export function hubTimers(s: CdnState, ctx: Ctx, r: number): void {
  const hub = layout(ctx).hubs[r]!;
  ctx.setTimer(hub, s.p.hbMs * (0.2 + 0.8 * ctx.rng.next()), 'hb');
  ctx.setTimer(hub, 250 * ctx.rng.next(), 'attest');
  if (s.p.strategy !== 'push') ctx.setTimer(hub, s.p.retryMs, 'hub-retry');
}

export function attestDigest(acked: ArrayLike<number>, silent: number[]): string {
  const a = acked instanceof Uint16Array ? acked : Uint16Array.from(acked);
  return hashHex(`${hashU16(a, 0, a.length)}|${silent.join(',')}`);
}

export function hubAttest(s: CdnState, ctx: Ctx, r: number): void {
  const L = layout(ctx);
  const h = s.hub[r]!;
  const now = ctx.now_ms;
  const q = h.pending;
  let arrived = false;
  if (q.e.length > 0) {
    const keep: typeof q = { e: [], v: [], at: [] };
    for (let i = 0; i < q.e.length; i++) {
      if (q.at[i]! > now) {
        keep.e.push(q.e[i]!);
        keep.v.push(q.v[i]!);
        keep.at.push(q.at[i]!);
        continue;
      }
      const e = q.e[i]!;
      const v = q.v[i]!;
      if (v > s.hubAcked[e]!) {
        arrived = true;
        s.hubAcked[e] = v;
        if (!h.dirty) h.dirtySince_ms = now;
        h.dirty = true;
        if (v > h.maxSeen) h.maxSeen = v;
      }
    }
    h.pending = keep;
  }
  if (arrived || h.dirty || s.deadCount[r]! > 0 || h.silentKey !== '') scanRegion(s, ctx, r);
  if (h.unconfirmed && now - h.lastSent_ms >= s.p.attestMs) {
    h.lastSent_ms = now;
    ctx.send(L.hubs[r]!, L.store, 'attest', h.unconfirmed);
  }
  ctx.setTimer(L.hubs[r]!, 250, 'attest');
}

/** Ack completeness, silent edges, and whether to sign a new attestation now. */
function scanRegion(s: CdnState, ctx: Ctx, r: number): void {
  const L = layout(ctx);
  const h = s.hub[r]!;
  const now = ctx.now_ms;
  const target = Math.max(h.ver, h.maxSeen);
  const silent: number[] = [];
  let complete = true;
  let acked = 0;
  const base = r * s.E;
  for (let k = 0; k < s.E; k++) {
    const e = base + k;
    // Keepalive: the hub notices an edge that stopped answering (crashed or cut off).
    if (s.dead[e] && now - s.deadSince[e]! >= s.p.suspectMs) silent.push(k);
    else if (s.hubAcked[e]! < target) complete = false;
    else acked += 1;
  }
  // Attest as soon as 99% of the answering edges acknowledged (the quorum the Recency bound is about).
  const quorum = h.quorumVer < target && acked >= 0.99 * (s.E - silent.length);
  if (quorum) h.quorumVer = target;
  const silentKey = silent.join(',');
  if (silentKey !== h.silentKey) {
    h.silentKey = silentKey;
    if (!h.dirty) h.dirtySince_ms = now;
    h.dirty = true;
  }
  if (h.dirty && target > 0 && (complete || quorum || now - h.dirtySince_ms >= s.p.attestMs)) {
    h.dirty = false;
    h.lastAttest_ms = now;
    h.attestSeq += 1;
    const acked = s.hubAcked.slice(base, base + s.E);
    const digest = attestDigest(s.hubAcked.subarray(base, base + s.E), silent);
    const sig = sign(s.hubKeys[r]!.sk, attestMessage(L.regions[r]!, h.attestSeq, target, digest));
    s.attestations += 1;
    h.unconfirmed = { region: r, seq: h.attestSeq, version: target, acked, silent, sig };
    h.lastSent_ms = -Infinity;
  }
}

export function hubHeartbeat(s: CdnState, ctx: Ctx, r: number): void {
  const L = layout(ctx);
  ctx.send(L.hubs[r]!, L.store, 'hb', { region: r, ver: s.hub[r]!.ver });
  ctx.setTimer(L.hubs[r]!, s.p.hbMs, 'hb');
}

/** The hub receives a signed config version from the store (already verified by the caller). */
export function hubReceive(s: CdnState, ctx: Ctx, r: number, v: number): void {
  const h = s.hub[r]!;
  if (v <= h.ver) return;
  h.ver = v;
  const hub = layout(ctx).hubs[r]!;
  if (s.p.strategy === 'gossip') {
    for (let i = 0; i < s.p.gossipSeeds; i++) seedRandom(s, ctx, r, v);
  } else if (s.p.strategy === 'hierarchical' || s.p.strategy === 'hybrid') {
    const restart = h.fanNext >= s.E || h.fanVer === 0;
    h.fanVer = v;
    h.fanNext = 0;
    if (restart) ctx.setTimer(hub, 0, 'fanout');
  }
}

function seedRandom(s: CdnState, ctx: Ctx, r: number, v: number): void {
  const e = r * s.E + ctx.rng.int(0, s.E - 1);
  attempt(s, ctx, layout(ctx).hubs[r]!, e, v, s.p.intraLat, s.p.intraJit);
}

export function hubFanout(s: CdnState, ctx: Ctx, r: number): void {
  const h = s.hub[r]!;
  const n = Math.max(1, Math.round((s.p.hubPushRate * CHUNK_MS) / 1000));
  const hub = layout(ctx).hubs[r]!;
  const end = Math.min(s.E, h.fanNext + n);
  for (let k = h.fanNext; k < end; k++) attempt(s, ctx, hub, r * s.E + k, h.fanVer, s.p.intraLat, s.p.intraJit);
  h.fanNext = end;
  if (end < s.E) ctx.setTimer(hub, CHUNK_MS, 'fanout');
}

export function hubRetry(s: CdnState, ctx: Ctx, r: number): void {
  const h = s.hub[r]!;
  const hub = layout(ctx).hubs[r]!;
  if (h.ver > 0) {
    if (s.p.strategy === 'gossip') {
      let any = false;
      for (let e = r * s.E; e < (r + 1) * s.E && !any; e++) any = s.hubAcked[e]! >= h.ver;
      if (!any) seedRandom(s, ctx, r, h.ver);
    } else {
      const upTo = h.fanVer === h.ver ? h.fanNext : s.E;
      for (let k = 0; k < upTo; k++) {
        const e = r * s.E + k;
        if (s.hubAcked[e]! >= h.ver) continue;
        if (s.dead[e] && ctx.now_ms - s.deadSince[e]! >= s.p.suspectMs) continue; // known silent
        attempt(s, ctx, hub, e, h.ver, s.p.intraLat, s.p.intraJit);
      }
    }
  }
  ctx.setTimer(hub, s.p.retryMs, 'hub-retry');
}

export function emptyHub(): CdnState['hub'][number] {
  return { ver: 0, fanVer: 0, fanNext: 0, pending: { e: [], v: [], at: [] }, maxSeen: 0, attestSeq: 0, lastAttest_ms: -Infinity, dirty: false, dirtySince_ms: 0, quorumVer: 0, silentKey: '', unconfirmed: null, lastSent_ms: -Infinity };
}

export type { Attestation };
