/**
 * Observed G-vectors per scope, derived from the store's evidence (never from the
 * strategy's name): Scope from how much of the region is PROVEN on the latest version;
 * Recency from the measured version lag (time to 99% proven, or how long the latest
 * version has been pending; EO when the region is dark); Auth from verified signatures.
 */
import type { ScopeObservation } from '../../model-api';
import { quantizeBound } from '../../services/gvector-observer';
import { layout, type Ctx } from './params';
import { regionDark } from './proof';
import type { CdnState } from './state';

/**
 * The engine asks every tick for every scope; the answer changes only when its inputs do,
 * so it is memoised on a compact key of those inputs (a pure function: replay-safe).
 */
const memo = new WeakMap<object, Map<string, { key: string; obs: ScopeObservation }>>();

export function observeScope(s: CdnState, ctx: Ctx, scope: string): ScopeObservation {
  const L = layout(ctx);
  const r = L.regions.indexOf(scope);
  const V = s.versions[s.latest - 1]!;
  const pendingS = Math.round((ctx.now_ms - V.issued_ms) / 100);
  let key: string;
  if (r < 0) {
    let proven = 0;
    for (const rp of s.region) proven += rp.provenLatest;
    key = `${s.latest}|${proven}|${proven >= 0.99 * s.N ? V.t99_ms : pendingS}|${s.storeGauges.gaugeSeq.ack_fraction}|${s.monotonicReported}|${s.attestations}`;
  } else {
    const rp = s.region[r]!;
    const dark = regionDark(s, ctx, r);
    const quorum = rp.provenLatest >= 0.99 * s.E;
    key =
      `${s.latest}|${rp.provenLatest}|${dark ? Math.round((ctx.now_ms - rp.lastHeard_ms) / 1000) : -1}|${quorum ? rp.t99_ms : pendingS}|` +
      `${rp.sigVersion}|${rp.ackEvidence}|${rp.gaugeSeq.ack_fraction}|${rp.gaugeSeq.version_lag_ms}|${rp.missSeqs.join(',')}|${s.monotonicReported}`;
  }
  let perSim = memo.get(s.region);
  if (!perSim) {
    perSim = new Map();
    memo.set(s.region, perSim);
  }
  const hit = perSim.get(scope);
  if (hit && hit.key === key) return hit.obs;
  const obs = computeObservation(s, ctx, scope);
  perSim.set(scope, { key, obs });
  return obs;
}

/** A change still in flight counts as coordinated (Global, bounded) for twice the last measured time to 99% (at least 2 s). */
function window(prevT99: number): number {
  return Math.max(2000, 2 * prevT99);
}

function computeObservation(s: CdnState, ctx: Ctx, scope: string): ScopeObservation {
  const L = layout(ctx);
  const r = L.regions.indexOf(scope);
  const V = s.versions[s.latest - 1]!;
  const monotonic = ctx.spec.invariants.length === 0 || s.monotonicReported === 0;
  const order = monotonic
    ? { value: 'Causal', basis: 'versions are applied in order and never go backward (monotonic-versions holds)', evidence: [V.evidence] }
    : { value: 'None', basis: 'an edge went back to an older version', evidence: [] };
  const idem = { value: 'Idem(version)', basis: 'edges drop duplicate deliveries by version number' };
  if (r < 0) {
    // The store: the global view of the proof.
    let proven = 0;
    let prev = 0;
    for (const rp of s.region) {
      proven += rp.provenLatest;
      prev = Math.max(prev, rp.t99_ms ?? 0);
    }
    const frac = s.latest <= 1 ? 1 : proven / s.N;
    const pending = ctx.now_ms - V.issued_ms;
    const global = frac >= 0.99 || s.latest <= 1;
    const inWindow = !global && pending < window(prev);
    const bound = Math.max(100, prev, global ? 0 : pending);
    const gseq = s.storeGauges.gaugeSeq;
    const pct = `${Math.round(frac * 1000) / 10}% of edges PROVEN on v${s.latest}`;
    return {
      scope: {
        value: global || inWindow ? 'Global' : 'Range',
        basis: inWindow ? `${pct}, in flight for ${Math.round(pending)} ms: within the measured propagation window` : pct,
        evidence: gseq.ack_fraction === undefined ? [] : [gseq.ack_fraction],
      },
      order,
      visibility: { value: 'RA', basis: 'a config version is applied atomically on each edge', evidence: [V.evidence] },
      recency: {
        value: `BS(${quantizeBound(bound)}ms)`,
        basis: s.latest <= 1 ? 'baseline config everywhere' : global ? `the slowest region proved 99% ${Math.round(bound)} ms after the change` : `v${s.latest} pending for ${Math.round(pending)} ms`,
        evidence: [V.evidence],
      },
      idempotence: idem,
      auth: { value: 'Auth(signature)', basis: `the store signs every version (Ed25519); ${s.attestations} hub attestations verified`, evidence: [V.evidence] },
    };
  }
  const rp = s.region[r]!;
  const dark = regionDark(s, ctx, r);
  const frac = s.latest <= 1 ? 1 : rp.provenLatest / s.E;
  const pending = ctx.now_ms - V.issued_ms;
  const quorum = frac >= 0.99;
  const gseq = rp.gaugeSeq;
  const ackEv = [rp.ackEvidence, gseq.ack_fraction].filter((x): x is number => x != null);
  let scopeObs: ScopeObservation['scope'];
  let recency: ScopeObservation['recency'];
  if (dark) {
    scopeObs = { value: 'Range', basis: `region dark for ${Math.round((ctx.now_ms - rp.lastHeard_ms) / 1000)} s: its edges run whatever they have`, evidence: rp.missSeqs };
    recency = { value: 'EO', basis: 'no heartbeat, attestation or probe answer: no staleness bound can be evidenced', evidence: rp.missSeqs };
  } else if (quorum || s.latest <= 1) {
    const bound = s.latest <= 1 ? 100 : Math.max(100, rp.t99_ms ?? pending);
    scopeObs = { value: 'Global', basis: `${Math.round(frac * 1000) / 10}% of edges PROVEN on v${s.latest} (signed attestations, acks, probes)`, evidence: ackEv };
    recency = { value: `BS(${quantizeBound(bound)}ms)`, basis: s.latest <= 1 ? 'baseline config' : `99% of the region proven ${Math.round(bound)} ms after v${s.latest} was issued`, evidence: ackEv };
  } else {
    const lagBound = Math.max(100, pending, rp.t99_ms ?? 0);
    const inWindow = pending < window(rp.t99_ms ?? 0);
    scopeObs = inWindow
      ? { value: 'Global', basis: `v${s.latest} in flight for ${Math.round(pending)} ms (${Math.round(frac * 1000) / 10}% proven): within the measured propagation window`, evidence: ackEv }
      : { value: 'Range', basis: `only ${Math.round(frac * 1000) / 10}% of edges PROVEN on v${s.latest} after ${Math.round(pending)} ms: edges disagree`, evidence: ackEv };
    recency = { value: `BS(${quantizeBound(lagBound)}ms)`, basis: `v${s.latest} pending for ${Math.round(pending)} ms (measured version lag)`, evidence: gseq.version_lag_ms === undefined ? [] : [gseq.version_lag_ms] };
  }
  const verified = rp.sigVersion > 0;
  return {
    scope: scopeObs,
    order,
    visibility: { value: 'RA', basis: 'a config version is applied atomically on each edge', evidence: [V.evidence] },
    recency,
    idempotence: idem,
    auth: verified
      ? { value: 'Auth(signature)', basis: `Ed25519 signature of v${rp.sigVersion} verified in the region`, evidence: rp.sigEvidence === null ? [] : [rp.sigEvidence] }
      : { value: 'Auth', basis: 'no signature verified in this region yet', evidence: [] },
  };
}
