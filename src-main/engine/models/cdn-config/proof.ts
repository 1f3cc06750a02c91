/**
 * The store's propagation proof (seed MT-3 §5): per edge, for the latest version,
 *   PROVEN        — a signed hub attestation, a direct ack or a probe answer says it runs it;
 *   UNPROVEN      — no ack yet, but nothing says we cannot get one (in flight, slow, retrying);
 *   CANNOT PROVE  — the evidence says we cannot get an answer: its region is dark (no
 *                   heartbeat, attestation, ack or probe answer for region_dark_ms), its
 *                   hub reports it silent, or a probe could not reach it. Crashed or
 *                   partitioned? In bounded time nobody can tell.
 * The store judges only from what it received; ground truth is used only by monitors.
 * Also here: the gauges behind the mode triggers, and CP-block / AP-warn routing.
 */
import { layout, type Ctx } from './params';
import type { CdnState, Version } from './state';

export const VIA = ['', 'signed attestation', 'direct ack', 'probe'] as const;

/** The store learns that edge e runs version v (via 1 attestation, 2 direct ack, 3 probe). */
export function prove(s: CdnState, ctx: Ctx, e: number, v: number, via: number): void {
  const cur = s.proven[e]!;
  if (v <= cur) {
    if (v === cur) s.silent[e] = 0;
    return;
  }
  const r = layout(ctx).regionOfEdge[e]!;
  if (cur < s.latest && v >= s.latest) s.region[r]!.provenLatest += 1;
  s.proven[e] = v;
  s.provenVia[e] = via;
  s.silent[e] = 0;
}

export function regionDark(s: CdnState, ctx: Ctx, r: number): boolean {
  return ctx.now_ms - s.region[r]!.lastHeard_ms >= s.p.darkMs;
}

export type ProofState = 0 | 1 | 2;

export function proofOf(s: CdnState, ctx: Ctx, e: number, dark: boolean[]): ProofState {
  if (s.proven[e]! >= s.latest) return 0;
  if (dark[layout(ctx).regionOfEdge[e]!] || s.silent[e]) return 2;
  return 1;
}

export interface ProofSummary {
  version: number;
  proven: number;
  unproven: number;
  cannot_prove: number;
  proven_by: Record<string, number>;
  cannot_prove_regions: string[];
  cannot_prove_edges: string[];
  statement: string;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function proofSummary(s: CdnState, ctx: Ctx): ProofSummary {
  const L = layout(ctx);
  const dark = L.regions.map((_, r) => regionDark(s, ctx, r));
  let proven = 0;
  let unproven = 0;
  let cannot = 0;
  const by = [0, 0, 0, 0];
  const silentEdges: string[] = [];
  let silentCount = 0;
  for (let e = 0; e < s.N; e++) {
    const st = proofOf(s, ctx, e, dark);
    if (st === 0) {
      proven += 1;
      by[s.provenVia[e]!]! += 1;
    } else if (st === 1) unproven += 1;
    else {
      cannot += 1;
      if (!dark[L.regionOfEdge[e]!]) {
        silentCount += 1;
        if (silentEdges.length < 20) silentEdges.push(L.edgeNode[e]!);
      }
    }
  }
  const darkRegions = L.regions.filter((_, r) => dark[r]);
  const reasons: string[] = [];
  for (const r of L.regions.keys()) {
    if (!dark[r]) continue;
    reasons.push(`${L.regions[r]} dark for ${Math.round((ctx.now_ms - s.region[r]!.lastHeard_ms) / 1000)} s`);
  }
  const hubSilent = L.regions.filter((_, r) => !dark[r] && s.region[r]!.hbMisses >= s.p.hbMisses);
  if (silentCount > 0) reasons.push(`${silentCount} edge${silentCount === 1 ? '' : 's'} silent: crashed or partitioned — cannot tell`);
  const viaText = [1, 2, 3].filter((i) => by[i]! > 0).map((i) => `${fmt(by[i]!)} ${VIA[i]}`);
  const statement =
    `v${s.latest}: ${fmt(proven)} edges PROVEN${viaText.length ? ` (${viaText.join(', ')})` : ''}, ` +
    `${fmt(unproven)} UNPROVEN (no ack yet${hubSilent.length && unproven ? `; hub silent in ${hubSilent.join(', ')}` : ''}), ${fmt(cannot)} CANNOT PROVE${reasons.length ? ` (${reasons.join('; ')})` : ''}` +
    (proven === s.N ? ' — all edges proven' : ` — cannot claim "all ${fmt(s.N)} edges enforce v${s.latest}"`);
  return {
    version: s.latest,
    proven,
    unproven,
    cannot_prove: cannot,
    proven_by: { signed_attestation: by[1]!, direct_ack: by[2]!, probe: by[3]! },
    cannot_prove_regions: darkRegions,
    cannot_prove_edges: silentEdges,
    statement,
  };
}

/** Is any version after `have` up to the latest security-critical? */
export function missesCritical(s: CdnState, have: number): boolean {
  for (let w = have + 1; w <= s.latest; w++) if (s.versions[w - 1]!.critical) return true;
  return false;
}

/**
 * Routing of stale (not PROVEN) edges by the traffic manager, from the proof: CP block for
 * security-critical changes, AP serve-with-warning otherwise (or forced by stale_routing).
 * Runs once a second; also checks the security invariant against ground truth.
 */
export function routeAndCheck(s: CdnState, ctx: Ctx, dt_s: number): void {
  const L = layout(ctx);
  let blocked = 0;
  let warned = 0;
  let serving = 0;
  let unsafe = 0;
  let firstUnsafe = -1;
  let provenAll = 0;
  let dead = 0;
  for (const rp of s.region) provenAll += rp.provenLatest;
  for (const d of s.deadCount) dead += d;
  if (provenAll === s.N && s.onLatest === s.N) {
    // Fast path: every edge proven and enforcing the latest version.
    s.lastRouting = { blocked: 0, warned: 0, serving: s.N - dead };
    return;
  }
  for (let e = 0; e < s.N; e++) {
    if (s.dead[e]) continue;
    const have = s.proven[e]!;
    let block = false;
    if (have < s.latest) {
      block = s.p.routing === 'always-block' || (s.p.routing === 'by-criticality' && missesCritical(s, have));
      if (block) blocked += 1;
      else warned += 1;
    } else serving += 1;
    if (!block && missesCritical(s, s.ver[e]!)) {
      unsafe += 1;
      if (firstUnsafe < 0) firstUnsafe = e;
    }
  }
  s.lastRouting = { blocked, warned, serving };
  s.edgeSecondsBlocked += blocked * dt_s;
  s.edgeSecondsWarned += warned * dt_s;
  if (unsafe > 0 && s.criticalReported < s.latest) {
    s.criticalReported = s.latest;
    ctx.violation(
      'critical-enforced',
      `${unsafe} edge(s) (e.g. ${L.edgeNode[firstUnsafe]}) serve traffic without a security-critical change (stale_routing ${s.p.routing})`,
      [],
    );
  }
}

/** Eventual propagation (ground truth): a live edge connected to the store still lacks a version issued over the deadline ago. */
export function checkPropagation(s: CdnState, ctx: Ctx): void {
  const L = layout(ctx);
  let due: Version | null = null;
  for (let i = s.versions.length - 1; i >= 1; i--) {
    if (s.versions[i]!.issued_ms <= ctx.now_ms - s.p.deadlineMs) {
      due = s.versions[i]!;
      break;
    }
  }
  for (let r = 0; r < L.regions.length; r++) {
    const rp = s.region[r]!;
    const rep = L.edgeNode[r * s.E]!;
    if (!ctx.isUp(L.store) || !ctx.linkUp(L.store, rep)) {
      rp.connectedSince_ms = null;
      continue;
    }
    rp.connectedSince_ms ??= ctx.now_ms;
    if (!due || rp.stallReported >= due.v) continue;
    if (ctx.now_ms - Math.max(rp.connectedSince_ms, due.issued_ms) < s.p.deadlineMs) continue;
    let missing = 0;
    for (let e = r * s.E; e < (r + 1) * s.E; e++) if (!s.dead[e] && s.ver[e]! < due.v) missing += 1;
    if (missing > 0) {
      rp.stallReported = due.v;
      ctx.violation(
        'eventual-propagation',
        `${L.regions[r]}: ${missing} live edge(s) still lack v${due.v} (${due.kind}), issued ${Math.round((ctx.now_ms - due.issued_ms) / 1000)} s ago while connected to the store`,
        [],
      );
    }
  }
}

// ---- gauges (probe evidence) for the mode triggers ------------------------------------------

// Order matters: lag and staleness first, so a recovering scope never sees a fresh ack_fraction next to a stale lag.
export const GAUGES = ['version_lag_ms', 'probe_staleness_ms', 'ack_fraction'] as const;


function band(x: number, ts: number[] | undefined): number {
  let b = 0;
  for (const t of ts ?? []) b += (x >= t ? 1 : 0) + (x > t ? 1 : 0);
  return b;
}

export function gaugeValues(s: CdnState, ctx: Ctx, r: number | null): Record<string, number> {
  const V = s.versions[s.latest - 1]!;
  if (r === null) {
    let proven = 0;
    for (const rp of s.region) proven += rp.provenLatest;
    const frac = s.latest <= 1 ? 1 : proven / s.N;
    return { ack_fraction: Math.floor(frac * 1000) / 1000, version_lag_ms: s.latest > 1 && frac < 0.99 ? Math.round(ctx.now_ms - V.issued_ms) : 0, probe_staleness_ms: 0 };
  }
  const rp = s.region[r]!;
  const frac = s.latest <= 1 ? 1 : rp.provenLatest / s.E;
  return {
    ack_fraction: Math.floor(frac * 1000) / 1000,
    version_lag_ms: s.latest > 1 && frac < 0.99 ? Math.round(ctx.now_ms - V.issued_ms) : 0,
    probe_staleness_ms: Math.max(0, Math.round(ctx.now_ms - rp.lastHeard_ms)),
  };
}

/** Records a scope's gauges when one crosses a threshold of the file, or after a mode change. */
export function recordGauges(s: CdnState, ctx: Ctx, thresholds: Record<string, number[]>, force = false): void {
  const L = layout(ctx);
  const scopes: (number | null)[] = [null, ...L.regions.map((_, r) => r)];
  for (const r of scopes) {
    const scope = r === null ? 'store' : L.regions[r]!;
    const rp = r === null ? s.storeGauges : s.region[r]!;
    const vals = gaugeValues(s, ctx, r);
    const mode = ctx.modeOf(scope);
    const modeChanged = rp.gaugeMode !== mode;
    rp.gaugeMode = mode;
    for (const g of GAUGES) {
      const b = band(vals[g]!, thresholds[g]);
      if (!force && !modeChanged && rp.gaugeBand[g] === b) continue;
      rp.gaugeBand[g] = b;
      rp.gaugeSeq[g] = ctx.evidence('probe', scope, L.store, { detail: { gauge: g, value: vals[g]! } });
    }
  }
}
