/**
 * MT-3 "Configuration propagation in an edge network" — the protocol model (state and
 * design: ./state.ts; the proof: ./proof.ts). Strategies: push (store → 5000 edges),
 * gossip (fan-out 3, 1 s rounds), hierarchical (store → 10 hubs → edges) and hybrid
 * (hierarchical + direct bypass). Evidence it records: version issued (store), signature
 * verified / failed (hubs, edges), signed hub attestations (`ack`), hub heartbeats
 * seen/missed, and gauges (`probe`: ack_fraction, version_lag_ms, probe_staleness_ms).
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import { gaugeThresholds } from '../../../../src-shared/scenario/predicate';
import { newHistogram, quantile } from '../../histogram';
import type { ModelDefinition } from '../../model-api';
import { configMessage, deriveKey, hashHex, sign } from './crypto';
import { ackRetry, land, sendAck } from './delivery';
import { gossipHandOver, gossipRound } from './gossip';
import { emptyHub, hubAttest, hubFanout, hubHeartbeat, hubReceive, hubRetry, hubTimers } from './hubs';
import { observeScope } from './observe';
import { layout, readParams } from './params';
import { checkPropagation, proofOf, proofSummary, recordGauges, regionDark, routeAndCheck } from './proof';
import type { Attestation, CdnState, RegionProof } from './state';
import {
  heartbeatCheck,
  issueVersion,
  onAttestation,
  onConfigAtHub,
  onHeartbeat,
  probeRound,
  pushChunk,
  storeIngest,
  storeRetry,
  storeTimers,
} from './store';
import { delay } from './params';

export type { CdnState } from './state';


function newRegion(): RegionProof {
  return {
    provenLatest: 0,
    lastHeard_ms: 0,
    hbLast_ms: 0,
    hbMisses: 0,
    missSeqs: [],
    t99_ms: null,
    quorumAt_ms: null,
    hubVer: 0,
    configSent_ms: -Infinity,
    lastAttestSeq: 0,
    ackEvidence: null,
    sigEvidence: null,
    sigVersion: 0,
    gaugeSeq: {},
    gaugeBand: {},
    gaugeMode: '',
    ackRecorded: 0,
    stallReported: 0,
    connectedSince_ms: null,
  };
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export const cdnConfigModel: ModelDefinition<CdnState> = {
  id: 'cdn-config',

  init(ctx) {
    const p = readParams(ctx);
    const L = layout(ctx);
    const R = L.regions.length;
    const E = L.E;
    const N = R * E;
    const storeKey = deriveKey(ctx.rng, 'config-store');
    const hubKeys = L.regions.map((r) => deriveKey(ctx.rng, `hub|${r}`));
    const hash = hashHex('baseline|v1');
    const msg = configMessage(1, hash, false);
    const slow = new Uint8Array(N);
    for (let e = 0; e < N; e++) slow[e] = ctx.rng.chance(p.slowFraction) ? 1 : 0;
    const s: CdnState = {
      p,
      R,
      E,
      N,
      regions: L.regions,
      hubs: L.hubs,
      storeKey,
      hubKeys,
      versions: [{ v: 1, kind: 'baseline', critical: false, issued_ms: 0, hash, msg, sig: sign(storeKey.sk, msg), landed: N, t99_ms: 0, t100_ms: 0, evidence: 0 }],
      latest: 1,
      nextChange: 2,
      ver: new Uint16Array(N).fill(1),
      landVer: new Uint16Array(N).fill(1),
      gotMs: new Float64Array(N),
      dead: new Uint8Array(N),
      deadCount: L.regions.map(() => 0),
      deadSince: new Float64Array(N),
      slow,
      ackOwed: new Uint16Array(N),
      hubAcked: new Uint16Array(N).fill(1),
      hub: L.regions.map(() => ({ ...emptyHub(), ver: 1, maxSeen: 1, quorumVer: 1 })),
      proven: new Uint16Array(N).fill(1),
      provenVia: new Uint8Array(N).fill(1),
      silent: new Uint8Array(N),
      directAcks: { e: [], v: [], at: [] },
      region: L.regions.map(() => ({ ...newRegion(), provenLatest: E, hubVer: 1, t99_ms: 0, quorumAt_ms: 0 })),
      storeGauges: { gaugeSeq: {}, gaugeBand: {}, gaugeMode: '' },
      gossipOwner: 0,
      gossipNext_ms: 0,
      propagation: newHistogram(),
      duplicates: 0,
      sigChecks: 0,
      attestations: 0,
      attestSigFailed: 0,
      onLatest: N,
      series: [],
      curve: [],
      curveVersion: 1,
      edgeSecondsBlocked: 0,
      edgeSecondsWarned: 0,
      lastRouting: { blocked: 0, warned: 0, serving: N },
      lastSample_ms: 0,
      monotonicReported: 0,
      coherenceReported: 0,
      criticalReported: 0,
    };
    return s;
  },

  start(s, ctx) {
    const L = layout(ctx);
    s.versions[0]!.evidence = ctx.evidence('version', 'store', L.store, { detail: { version: 1, change: 'baseline', critical: false, hash: s.versions[0]!.hash, signature: 'ed25519' } });
    L.regions.forEach((region, r) => {
      s.region[r]!.sigVersion = 1;
      s.region[r]!.sigEvidence = ctx.evidence('sig-verified', region, L.hubs[r]!, { detail: { version: 1, signer: 'config-store', by: 'hub' } });
      hubTimers(s, ctx, r);
    });
    storeTimers(s, ctx);
    if (s.p.strategy === 'gossip') {
      s.gossipNext_ms = s.p.gossipRoundMs * ctx.rng.next();
      ctx.setTimer(L.edgeNode[s.gossipOwner]!, s.gossipNext_ms, 'gossip');
    }
    recordGauges(s, ctx, gaugeThresholds(ctx.spec.transitions), true);
  },

  onTimer(s, ctx, node, name, data) {
    const L = layout(ctx);
    if (node === L.store) {
      switch (name) {
        case 'change':
          return issueVersion(s, ctx);
        case 'push-chunk':
          return pushChunk(s, ctx, data as { v: number; next: number });
        case 'retry':
          return storeRetry(s, ctx);
        case 'hb-check':
          return heartbeatCheck(s, ctx);
        case 'probe':
          return probeRound(s, ctx);
        case 'ingest':
          return storeIngest(s, ctx);
      }
      return;
    }
    const r = L.hubIndex.get(node);
    if (r !== undefined) {
      switch (name) {
        case 'hb':
          return hubHeartbeat(s, ctx, r);
        case 'attest':
          return hubAttest(s, ctx, r);
        case 'fanout':
          return hubFanout(s, ctx, r);
        case 'hub-retry':
          return hubRetry(s, ctx, r);
      }
      return;
    }
    const e = L.edgeIndex.get(node)!;
    switch (name) {
      case 'land':
        return land(s, ctx, e, data as number);
      case 'ack-retry':
        return ackRetry(s, ctx, e);
      case 'gossip':
        if (e === s.gossipOwner) gossipRound(s, ctx);
        return;
    }
  },

  onMessage(s, ctx, to, _from, kind, body) {
    const L = layout(ctx);
    if (to === L.store) {
      if (kind === 'hb') onHeartbeat(s, ctx, body as { region: number; ver: number });
      else if (kind === 'attest') onAttestation(s, ctx, body as Attestation);
      return;
    }
    const r = L.hubIndex.get(to);
    if (r === undefined) return;
    if (kind === 'config') {
      const b = body as { v: number; hash: string; critical: boolean; sig: string };
      if (onConfigAtHub(s, ctx, r, b)) hubReceive(s, ctx, r, b.v);
    } else if (kind === 'attest-ok') {
      const h = s.hub[r]!;
      if (h.unconfirmed?.seq === (body as { seq: number }).seq) h.unconfirmed = null;
    }
  },

  onCrash(s, ctx, node) {
    const L = layout(ctx);
    const e = L.edgeIndex.get(node);
    if (e !== undefined) {
      if (!s.dead[e]) s.deadCount[L.regionOfEdge[e]!]! += 1;
      s.dead[e] = 1;
      s.deadSince[e] = ctx.now_ms;
      s.landVer[e] = s.ver[e]!;
      s.ackOwed[e] = 0;
      if (s.p.strategy === 'gossip' && e === s.gossipOwner) gossipHandOver(s, ctx);
      return;
    }
    const r = L.hubIndex.get(node);
    if (r === undefined) return;
    // The hub's unattested acks die with it; their edges see the connection drop and ack the store directly.
    const q = s.hub[r]!.pending;
    for (let i = 0; i < q.e.length; i++) {
      const edge = q.e[i]!;
      if (s.dead[edge] || !ctx.linkUp(L.edgeNode[edge]!, L.store)) continue;
      s.directAcks.e.push(edge);
      s.directAcks.v.push(q.v[i]!);
      s.directAcks.at.push(ctx.now_ms + s.p.suspectMs + delay(ctx, s.p.interLat, s.p.interJit));
    }
    s.hub[r]!.pending = { e: [], v: [], at: [] };
  },

  onRestart(s, ctx, node) {
    const L = layout(ctx);
    if (node === L.store) {
      storeTimers(s, ctx);
      return;
    }
    const e = L.edgeIndex.get(node);
    if (e !== undefined) {
      if (s.dead[e]) s.deadCount[L.regionOfEdge[e]!]! -= 1;
      s.dead[e] = 0;
      s.deadSince[e] = 0;
      sendAck(s, ctx, e, s.ver[e]!); // re-announce what it runs
      return;
    }
    const r = L.hubIndex.get(node);
    if (r === undefined) return;
    const seq = s.hub[r]!.attestSeq;
    s.hub[r] = { ...emptyHub(), attestSeq: seq };
    s.hubAcked.fill(0, r * s.E, (r + 1) * s.E);
    hubTimers(s, ctx, r);
    // Its edges reconnect and re-announce their versions.
    for (let x = r * s.E; x < (r + 1) * s.E; x++) if (!s.dead[x]) sendAck(s, ctx, x, s.ver[x]!);
  },

  tick(s, ctx) {
    const L = layout(ctx);
    const now = ctx.now_ms;
    const V = s.versions[s.latest - 1]!;
    for (const rp of s.region) {
      if (s.latest > 1 && rp.quorumAt_ms === null && rp.provenLatest >= 0.99 * s.E) {
        rp.quorumAt_ms = now;
        rp.t99_ms = now - V.issued_ms;
      }
    }
    if (ctx.isUp(L.store)) recordGauges(s, ctx, gaugeThresholds(ctx.spec.transitions));
    const t = Math.round(now);
    if (t % 200 === 0 && s.curveVersion === s.latest && s.latest > 1 && s.curve.length <= 150) s.curve.push(s.onLatest);
    if (t % 1000 === 0 && t > s.lastSample_ms) {
      const dt = (t - s.lastSample_ms) / 1000;
      s.lastSample_ms = t;
      s.series.push(round4(s.onLatest / s.N));
      if (s.series.length > 1800) s.series.shift();
      routeAndCheck(s, ctx, dt);
      checkPropagation(s, ctx);
    }
  },

  leader(_s, ctx) {
    const store = layout(ctx).store;
    return ctx.isUp(store) ? store : undefined;
  },

  roles(s, ctx) {
    const L = layout(ctx);
    const roles: Record<string, string> = { [L.store]: 'store' };
    for (const h of L.hubs) roles[h] = 'hub';
    for (let e = 0; e < s.N; e++) roles[L.edgeNode[e]!] = s.ver[e]! >= s.latest ? 'edge' : 'edge-stale';
    return roles;
  },

  observe(s, ctx, scope) {
    return observeScope(s, ctx, scope);
  },

  metrics(s, ctx) {
    const h = s.propagation;
    const proof = proofSummary(s, ctx);
    const V = s.versions[s.latest - 1]!;
    const critical = s.p.routing === 'always-block' || (s.p.routing === 'by-criticality' && V.critical);
    const m: Record<string, MetricValue> = {
      propagation_ms: { p50: round1(quantile(h, 50)), p99: round1(quantile(h, 99)), p999: round1(quantile(h, 99.9)), max: round1(h.n ? h.max : null), count: h.n },
      coverage: round4(s.onLatest / s.N),
      latest_version: { version: V.v, change: V.kind, critical: V.critical, issued_ms: V.issued_ms, edges_on_it: s.onLatest, t99_ms: round1(V.t99_ms), t100_ms: round1(V.t100_ms) },
      proof: { ...proof },
      routing: {
        policy: s.p.routing,
        stale_edges_now: critical ? 'blocked (CP)' : 'served with X-Config-Staleness warning (AP)',
        blocked_edges: s.lastRouting.blocked,
        warned_edges: s.lastRouting.warned,
        serving_edges: s.lastRouting.serving,
        edge_seconds_blocked: Math.round(s.edgeSecondsBlocked),
        edge_seconds_warned: Math.round(s.edgeSecondsWarned),
        requests_blocked: Math.round(s.edgeSecondsBlocked * s.p.requestsPerEdge),
        requests_warned: Math.round(s.edgeSecondsWarned * s.p.requestsPerEdge),
      },
      coverage_series: { start_ms: 1000, step_ms: 1000, values: [...s.series] },
      coverage_curve: { version: s.curveVersion, step_ms: 200, edges: [...s.curve] },
      versions: s.versions.slice(-12).map((x) => ({ version: x.v, change: x.kind, critical: x.critical, issued_ms: x.issued_ms, t99_ms: round1(x.t99_ms), t100_ms: round1(x.t100_ms) })),
      signatures: { versions_signed: s.versions.length, attestations_signed: s.attestations, attestation_failures: s.attestSigFailed, edge_and_hub_verifications: s.sigChecks },
      duplicates_dropped: s.duplicates,
    };
    return m;
  },

  viewExtras(s, ctx) {
    const L = layout(ctx);
    const dark = L.regions.map((_, r) => regionDark(s, ctx, r));
    // One character per edge, clustered by hub (500 per region, in order):
    // code = 3 × proof (0 PROVEN, 1 UNPROVEN, 2 CANNOT PROVE) + truth (0 on latest, 1 stale, 2 down).
    const codes: string[] = [];
    const vers: string[] = [];
    const hubs: MetricValue[] = [];
    for (let r = 0; r < L.regions.length; r++) {
      const counts = [0, 0, 0];
      const truth = [0, 0, 0];
      const perVersion: Record<string, number> = {};
      for (let e = r * s.E; e < (r + 1) * s.E; e++) {
        const pr = proofOf(s, ctx, e, dark);
        const tr = s.dead[e] ? 2 : s.ver[e]! >= s.latest ? 0 : 1;
        counts[pr]! += 1;
        truth[tr]! += 1;
        const key = `v${s.ver[e]}`;
        perVersion[key] = (perVersion[key] ?? 0) + 1;
        codes.push(String.fromCharCode(48 + pr * 3 + tr));
        vers.push(String.fromCharCode(48 + Math.min(s.ver[e]!, 74)));
      }
      hubs.push({
        region: L.regions[r]!,
        hub: L.hubs[r]!,
        hub_up: ctx.isUp(L.hubs[r]!),
        dark: dark[r]!,
        proven: counts[0]!,
        unproven: counts[1]!,
        cannot_prove: counts[2]!,
        on_latest: truth[0]!,
        stale: truth[1]!,
        down: truth[2]!,
        versions: perVersion,
      });
    }
    return {
      latest_version: s.latest,
      hubs,
      edges_per_hub: s.E,
      edge_codes: codes.join(''),
      // The version each edge enforces (ground truth), one character per edge: code − 48 (capped at 74).
      edge_versions: vers.join(''),
      edge_code_legend: '3 × proof (0 PROVEN, 1 UNPROVEN, 2 CANNOT PROVE) + truth (0 on latest, 1 stale, 2 down); 500 per hub in hub order',
    };
  },
};
