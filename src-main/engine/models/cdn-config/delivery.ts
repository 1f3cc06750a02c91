/**
 * Per-edge physics: a delivery attempt that reached an edge becomes one `land` timer on
 * the edge's node (lost if the edge crashes first); landing verifies the store's
 * signature, applies the version (never backwards) and acknowledges it — to the edge's
 * hub when the hub answers, directly to the store when it does not, or later.
 */
import { record } from '../../histogram';
import { verify } from './crypto';
import { delay, layout, type Ctx } from './params';
import { prove } from './proof';
import type { CdnState } from './state';

function applyTime(s: CdnState, ctx: Ctx, e: number): number {
  const base = s.p.applyMs * (0.5 + ctx.rng.next());
  return s.slow[e] ? base + s.p.slowApplyMs * (0.5 + ctx.rng.next()) : base;
}

/** One delivery of version v that physically reaches edge e after transfer_ms. */
export function deliver(s: CdnState, ctx: Ctx, e: number, v: number, transfer_ms: number): boolean {
  if (s.dead[e]) return false;
  if (s.landVer[e] >= v || s.ver[e] >= v) {
    s.duplicates += 1;
    return false;
  }
  s.landVer[e] = v;
  ctx.setTimer(layout(ctx).edgeNode[e]!, transfer_ms + applyTime(s, ctx, e), 'land', v);
  return true;
}

/** A delivery attempt over a link from `from` to edge e: reachability (ground truth), loss, latency. */
export function attempt(s: CdnState, ctx: Ctx, from: string, e: number, v: number, lat: number, jit: number): 'sent' | 'lost' | 'dup' {
  if (s.ver[e] >= v || s.landVer[e] >= v) {
    s.duplicates += 1;
    return 'dup';
  }
  if (s.dead[e] || !ctx.linkUp(from, layout(ctx).edgeNode[e]!) || ctx.rng.chance(s.p.edgeLoss)) return 'lost';
  return deliver(s, ctx, e, v, delay(ctx, lat, jit)) ? 'sent' : 'dup';
}

export function land(s: CdnState, ctx: Ctx, e: number, v: number): void {
  const L = layout(ctx);
  if (v <= s.ver[e]!) {
    s.duplicates += 1;
    return;
  }
  const V = s.versions[v - 1];
  if (!V) {
    ctx.violation('config-coherence', `${L.edgeNode[e]} received v${v}, which the store never issued`, []);
    return;
  }
  s.sigChecks += 1;
  const r = L.regionOfEdge[e]!;
  const rp = s.region[r]!;
  if (!verify(s.storeKey.pk, V.msg, V.sig)) {
    ctx.evidence('sig-failed', L.regions[r]!, L.edgeNode[e]!, { detail: { version: v } });
    return;
  }
  if (rp.sigVersion < v && (s.p.strategy === 'push' || s.p.strategy === 'gossip' || !ctx.isUp(L.hubs[r]!))) {
    // Edges verify the store's signature themselves (no hub in the path): the first in a region is the evidence.
    rp.sigVersion = v;
    rp.sigEvidence = ctx.evidence('sig-verified', L.regions[r]!, L.edgeNode[e]!, { detail: { version: v, signer: 'config-store', by: 'edge' } });
  }
  const prev = s.ver[e]!;
  s.ver[e] = v;
  s.gotMs[e] = ctx.now_ms;
  record(s.propagation, Math.max(0.1, ctx.now_ms - V.issued_ms));
  for (let w = prev + 1; w <= v; w++) {
    const W = s.versions[w - 1]!;
    W.landed += 1;
    if (W.t99_ms === null && W.landed >= Math.ceil(0.99 * s.N)) W.t99_ms = ctx.now_ms - W.issued_ms;
    if (W.t100_ms === null && W.landed >= s.N) W.t100_ms = ctx.now_ms - W.issued_ms;
  }
  if (v >= s.latest && prev < s.latest) s.onLatest += 1;
  sendAck(s, ctx, e, v);
}

/** The edge acknowledges version v: to its hub, else directly to the store, else retries later. */
export function sendAck(s: CdnState, ctx: Ctx, e: number, v: number): void {
  const L = layout(ctx);
  const r = L.regionOfEdge[e]!;
  const node = L.edgeNode[e]!;
  const hub = L.hubs[r]!;
  if (ctx.isUp(hub) && ctx.linkUp(node, hub)) {
    const q = s.hub[r]!.pending;
    q.e.push(e);
    q.v.push(v);
    q.at.push(ctx.now_ms + delay(ctx, s.p.intraLat, s.p.intraJit));
    s.ackOwed[e] = 0;
  } else if (ctx.isUp(L.store) && ctx.linkUp(node, L.store)) {
    const q = s.directAcks;
    q.e.push(e);
    q.v.push(v);
    q.at.push(ctx.now_ms + delay(ctx, s.p.interLat, s.p.interJit));
    s.ackOwed[e] = 0;
  } else {
    const owed = s.ackOwed[e]!;
    s.ackOwed[e] = Math.max(owed, v);
    if (owed === 0) ctx.setTimer(node, 2 * s.p.retryMs, 'ack-retry');
  }
}

export function ackRetry(s: CdnState, ctx: Ctx, e: number): void {
  const v = s.ackOwed[e]!;
  if (v === 0) return;
  s.ackOwed[e] = 0;
  sendAck(s, ctx, e, Math.max(v, s.ver[e]!));
}

/** The store ingests direct acks that have arrived (channel-authenticated, unsigned). */
export function ingestDirect(s: CdnState, ctx: Ctx): void {
  const q = s.directAcks;
  if (q.e.length === 0) return;
  const keep: typeof q = { e: [], v: [], at: [] };
  const L = layout(ctx);
  for (let i = 0; i < q.e.length; i++) {
    if (q.at[i]! > ctx.now_ms) {
      keep.e.push(q.e[i]!);
      keep.v.push(q.v[i]!);
      keep.at.push(q.at[i]!);
      continue;
    }
    const e = q.e[i]!;
    const r = L.regionOfEdge[e]!;
    s.region[r]!.lastHeard_ms = ctx.now_ms;
    prove(s, ctx, e, q.v[i]!, 2);
  }
  s.directAcks = keep;
}
