/**
 * The central config store: issues signed versions (one Ed25519 signature per version),
 * sends them to the hubs (hierarchical, hybrid, gossip) or pushes them to every edge
 * itself (push), retries, probes edges, tracks hub heartbeats, and verifies the hubs'
 * signed attestations — the inputs of the propagation proof (./proof.ts).
 */
import { attestMessage, configMessage, hashHex, sign, verify } from './crypto';
import { attempt, ingestDirect } from './delivery';
import { attestDigest, CHUNK_MS } from './hubs';
import { delay, layout, type Ctx } from './params';
import { prove } from './proof';
import type { Attestation, CdnState } from './state';

export function storeTimers(s: CdnState, ctx: Ctx): void {
  const store = layout(ctx).store;
  const next = s.p.firstChangeMs + (s.nextChange - 2) * s.p.changeIntervalMs;
  ctx.setTimer(store, Math.max(0, next - ctx.now_ms), 'change');
  ctx.setTimer(store, s.p.hbMs, 'hb-check');
  ctx.setTimer(store, s.p.probeMs * (0.5 + 0.5 * ctx.rng.next()), 'probe');
  ctx.setTimer(store, 250, 'ingest');
  if (s.p.strategy === 'push' || s.p.strategy === 'hybrid') ctx.setTimer(store, s.p.retryMs, 'retry');
}

export function issueVersion(s: CdnState, ctx: Ctx): void {
  const L = layout(ctx);
  const v = s.nextChange++;
  const change = s.p.changes[(v - 2) % s.p.changes.length]!;
  const hash = hashHex(`${change.kind}|v${v}`);
  const msg = configMessage(v, hash, change.critical);
  const sig = sign(s.storeKey.sk, msg);
  s.latest = v;
  s.onLatest = 0;
  s.curve = [0];
  s.curveVersion = v;
  for (const rp of s.region) {
    rp.provenLatest = 0;
    rp.quorumAt_ms = null;
  }
  const evidence = ctx.evidence('version', 'store', L.store, { detail: { version: v, change: change.kind, critical: change.critical, hash, signature: 'ed25519' } });
  s.versions.push({ v, kind: change.kind, critical: change.critical, issued_ms: ctx.now_ms, hash, msg, sig, landed: 0, t99_ms: null, t100_ms: null, evidence });
  if (s.p.strategy === 'push') ctx.setTimer(L.store, 0, 'push-chunk', { v, next: 0 });
  else for (let r = 0; r < L.regions.length; r++) sendConfig(s, ctx, r);
  // The customer's schedule: first_change_ms + k × change_interval_ms (kept across a store restart).
  ctx.setTimer(L.store, Math.max(0, s.p.firstChangeMs + (s.nextChange - 2) * s.p.changeIntervalMs - ctx.now_ms), 'change');
}

export function sendConfig(s: CdnState, ctx: Ctx, r: number): void {
  const L = layout(ctx);
  const V = s.versions[s.latest - 1]!;
  s.region[r]!.configSent_ms = ctx.now_ms;
  ctx.send(L.store, L.hubs[r]!, 'config', { v: V.v, hash: V.hash, critical: V.critical, sig: V.sig });
}

/** Push: the store's fan-out, round-robin across regions, CHUNK_MS at a time. */
export function pushChunk(s: CdnState, ctx: Ctx, data: { v: number; next: number }): void {
  if (data.v !== s.latest) return;
  const L = layout(ctx);
  const R = L.regions.length;
  const n = Math.max(1, Math.round((s.p.pushRate * CHUNK_MS) / 1000));
  const end = Math.min(s.N, data.next + n);
  for (let i = data.next; i < end; i++) {
    const e = (i % R) * s.E + Math.floor(i / R);
    attempt(s, ctx, L.store, e, data.v, s.p.interLat, s.p.interJit);
  }
  if (end < s.N) ctx.setTimer(L.store, CHUNK_MS, 'push-chunk', { v: data.v, next: end });
}

/** Push: retry every edge not yet proven; hybrid: bypass the hub for edges unproven after bypass_after_ms. */
export function storeRetry(s: CdnState, ctx: Ctx): void {
  const L = layout(ctx);
  const V = s.versions[s.latest - 1]!;
  const wait = s.p.strategy === 'push' ? s.p.retryMs + s.N / s.p.pushRate * 1000 : s.p.bypassAfterMs;
  if (s.latest > 1 && ctx.now_ms - V.issued_ms >= wait) {
    for (let r = 0; r < L.regions.length; r++) {
      if (s.region[r]!.provenLatest >= s.E) continue;
      for (let e = r * s.E; e < (r + 1) * s.E; e++) {
        if (s.proven[e]! >= s.latest || s.silent[e] === 1) continue;
        attempt(s, ctx, L.store, e, s.latest, s.p.interLat, s.p.interJit);
      }
    }
  }
  ctx.setTimer(L.store, s.p.retryMs, 'retry');
}

export function heartbeatCheck(s: CdnState, ctx: Ctx): void {
  const L = layout(ctx);
  const round = Math.round(ctx.now_ms / s.p.hbMs);
  for (let r = 0; r < L.regions.length; r++) {
    const rp = s.region[r]!;
    if (ctx.now_ms - rp.hbLast_ms <= 1.5 * s.p.hbMs) {
      if (rp.hbMisses > 0) ctx.evidence('heartbeat-seen', L.regions[r]!, L.store, { peer: L.hubs[r]!, detail: { round } });
      rp.hbMisses = 0;
      rp.missSeqs = [];
    } else {
      rp.hbMisses += 1;
      const seq = ctx.evidence('heartbeat-missed', L.regions[r]!, L.store, { peer: L.hubs[r]!, detail: { round, in_a_row: rp.hbMisses } });
      rp.missSeqs = [...rp.missSeqs, seq].slice(-s.p.hbMisses);
    }
  }
  ctx.setTimer(L.store, s.p.hbMs, 'hb-check');
}

/** External verification: probe random edges of every region (seed: synthetic requests from 1.2.3.4). */
export function probeRound(s: CdnState, ctx: Ctx): void {
  const L = layout(ctx);
  for (let r = 0; r < L.regions.length; r++) {
    for (let i = 0; i < s.p.probeSample; i++) {
      const e = r * s.E + ctx.rng.int(0, s.E - 1);
      if (!s.dead[e] && ctx.linkUp(L.store, L.edgeNode[e]!)) {
        s.region[r]!.lastHeard_ms = ctx.now_ms;
        if (s.silent[e] === 2) s.silent[e] = 0;
        if (s.ver[e]! > 0) prove(s, ctx, e, s.ver[e]!, 3);
      } else if (s.proven[e]! < s.latest) s.silent[e] = 2;
    }
  }
  ctx.setTimer(L.store, s.p.probeMs, 'probe');
}

export function storeIngest(s: CdnState, ctx: Ctx): void {
  ingestDirect(s, ctx);
  ctx.setTimer(layout(ctx).store, 250, 'ingest');
}

export function onHeartbeat(s: CdnState, ctx: Ctx, body: { region: number; ver: number }): void {
  const rp = s.region[body.region]!;
  rp.hbLast_ms = ctx.now_ms;
  rp.lastHeard_ms = ctx.now_ms;
  rp.hubVer = body.ver;
  if (s.p.strategy !== 'push' && body.ver < s.latest && ctx.now_ms - rp.configSent_ms >= 2 * s.p.retryMs) sendConfig(s, ctx, body.region);
}

export function onAttestation(s: CdnState, ctx: Ctx, a: Attestation): void {
  const L = layout(ctx);
  const r = a.region;
  const rp = s.region[r]!;
  const region = L.regions[r]!;
  if (a.seq <= rp.lastAttestSeq) return; // a resend of one already counted
  const ok = verify(s.hubKeys[r]!.pk, attestMessage(region, a.seq, a.version, attestDigest(a.acked, a.silent)), a.sig);
  if (!ok) {
    s.attestSigFailed += 1;
    ctx.evidence('sig-failed', region, L.store, { peer: L.hubs[r]!, detail: { attestation: a.seq } });
    return;
  }
  rp.lastAttestSeq = a.seq;
  rp.lastHeard_ms = ctx.now_ms;
  const base = r * s.E;
  for (let k = 0; k < s.E; k++) {
    const e = base + k;
    if (a.acked[k]! > 0) prove(s, ctx, e, a.acked[k]!, 1);
    if (s.silent[e] === 1) s.silent[e] = 0;
  }
  for (const k of a.silent) if (s.proven[base + k]! < s.latest) s.silent[base + k] = 1;
  let acked = 0;
  for (let k = 0; k < s.E; k++) if (a.acked[k]! >= a.version) acked += 1;
  rp.ackEvidence = ctx.evidence('ack', region, L.hubs[r]!, {
    detail: { version: a.version, acked, of: s.E, silent: a.silent.length, attestation: a.seq, signature: 'ed25519 verified' },
  });
  ctx.send(L.store, L.hubs[r]!, 'attest-ok', { seq: a.seq });
}

export function onConfigAtHub(s: CdnState, ctx: Ctx, r: number, body: { v: number; hash: string; critical: boolean; sig: string }): boolean {
  const L = layout(ctx);
  s.sigChecks += 1;
  const rp = s.region[r]!;
  if (!verify(s.storeKey.pk, configMessage(body.v, body.hash, body.critical), body.sig)) {
    ctx.evidence('sig-failed', L.regions[r]!, L.hubs[r]!, { detail: { version: body.v } });
    return false;
  }
  if (rp.sigVersion < body.v) {
    rp.sigVersion = body.v;
    rp.sigEvidence = ctx.evidence('sig-verified', L.regions[r]!, L.hubs[r]!, { detail: { version: body.v, signer: 'config-store', by: 'hub' } });
  }
  return true;
}

export { delay };
