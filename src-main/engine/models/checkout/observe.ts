/**
 * Observed G-vectors per scope, derived from what the protocol measured:
 *   Scope/Order   — the service still hears its coordinator (saga, 2PC) or its log (ES):
 *                   missed heartbeats for 3 rounds (or a dead process) ⇒ Local / None;
 *   Visibility    — the strategy's isolation while it holds; an orphaned payment found by
 *                   reconciliation (a charge without an order) ⇒ Fractured until repaired;
 *   Recency       — 2PC: Fresh(coordinator_log) while every YES-voter has its decision;
 *                   a participant blocked past decision_timeout_ms ⇒ EO (with blocked_ms);
 *   Idempotence   — Idem(key) while the provider dedups by key (citing an observed replay);
 *                   None once a retry reached the provider under a fresh key or a customer
 *                   was charged twice.
 */
import type { ComponentObservation, ScopeObservation } from '../../model-api';
import { alive, gaugeOf, gaugeSeq, type Ctx, type S } from './common';
import { blockedAt } from './twopc';
import { NODES, SCOPE_OF, SERVICES } from './state';

const NODE_OF: Record<string, string> = Object.fromEntries(Object.entries(SCOPE_OF).map(([n, g]) => [g, n]));
const SCOPES = ['Local', 'Transaction', 'Range', 'Global'];
const ORDERS = ['None', 'Causal', 'Lx', 'SS'];
const VIS = ['Fractured', 'RA', 'SI', 'SER'];

function base(s: S): { scope: string; order: string; vis: string; key: string } {
  if (s.strategy === 'saga') return { scope: 'Transaction', order: 'Causal', vis: 'SI', key: 'saga_id' };
  if (s.strategy === '2pc') return { scope: 'Transaction', order: 'SS', vis: 'SER', key: 'tx_id' };
  return { scope: 'Global', order: 'Causal', vis: 'RA', key: 'event_id' };
}

function idem(s: S, k: string): ComponentObservation {
  const p = s.provider;
  if (p.lastDoubleEv !== null) return { value: 'None', basis: `the provider charged one order twice (${s.stats.doubleCharges} extra charge(s))`, evidence: [p.lastDoubleEv] };
  if (p.lastFreshRetryEv !== null) return { value: 'None', basis: 'a retried charge reached the provider under a fresh key: nothing can recognise it as a retry', evidence: [p.lastFreshRetryEv] };
  if (!s.idem) return { value: `Idem(${k})`, basis: 'no retry has reached the provider yet (charges carry no idempotency key)' };
  if (p.lastDedupEv !== null) return { value: `Idem(${k})`, basis: `the provider replayed ${s.stats.dedups} charge(s) by idempotency key instead of charging again`, evidence: [p.lastDedupEv] };
  return { value: `Idem(${k})`, basis: 'every charge carries an idempotency key; no replay needed yet' };
}

function serviceObs(s: S, ctx: Ctx, scope: string): ScopeObservation {
  const b = base(s);
  const node = NODE_OF[scope]!;
  const upstream = s.strategy === 'es' ? 'the event log' : s.strategy === 'saga' ? 'the orchestrator' : 'the coordinator';
  let sc = b.scope;
  let order = b.order;
  let vis = b.vis;
  let basis = s.strategy === 'es' ? 'consuming the event log from its committed offset' : `steps coordinated by ${upstream} (heard within the last heartbeat)`;
  let scEv: number[] = [];
  const missed = (s.missStreak[node] ?? 0) >= 3;
  const selfDown = !alive(s, ctx, node);
  const upDown = s.strategy !== 'es' ? !alive(s, ctx, NODES.coord) : !alive(s, ctx, NODES.log);
  if (selfDown) {
    sc = 'Local';
    order = 'None';
    vis = 'Fractured';
    basis = 'the process is down: nothing it holds can be coordinated';
    scEv = s.crashEv[node] !== undefined && s.emuDown[node] !== undefined ? [s.crashEv[node]!] : [];
  } else if (missed && (node !== NODES.provider)) {
    sc = 'Local';
    order = 'None';
    vis = 'Fractured';
    basis = `no word from ${upstream} for ${s.missStreak[node]} heartbeat rounds: only local decisions possible`;
    scEv = s.missEv[node] ?? [];
  }
  let visBasis = `follows from order ${order}`;
  let visEv = scEv;
  if (!selfDown && (scope === 'order' || scope === 'payment') && gaugeOf(s, scope, 'orphans_open') > 0) {
    vis = 'Fractured';
    visBasis = `reconciliation found ${gaugeOf(s, scope, 'orphans_open')} charge(s) without a live order: customers see a charge and no order`;
    visEv = gaugeSeq(s, scope, 'orphans_open');
  }
  let rec: ComponentObservation = { value: 'EO', basis: s.strategy === 'es' ? `consumers converge eventually (lag ${gaugeOf(s, scope, 'consumer_lag')} events)` : 'steps commit asynchronously; no staleness bound is evidenced', evidence: s.strategy === 'es' ? gaugeSeq(s, scope, 'consumer_lag') : [] };
  if (s.strategy === '2pc' && !selfDown) {
    const bl = blockedAt(s, ctx, node);
    rec =
      bl.inDoubt > 0
        ? { value: 'EO', basis: `${bl.inDoubt} transaction(s) voted YES and wait for the decision (${Math.round(bl.blocked / 1000)}s): the coordinator log is unreachable`, evidence: gaugeSeq(s, scope, 'blocked_ms') }
        : upDown
          ? { value: 'EO', basis: 'the coordinator is down: its log cannot be read', evidence: scEv }
          : { value: 'Fresh(coordinator_log)', basis: 'every decision this service applied came from the coordinator log' };
  }
  return {
    scope: { value: sc, basis, evidence: scEv },
    order: { value: order, basis, evidence: scEv },
    visibility: { value: vis, basis: visBasis, evidence: visEv },
    recency: rec,
    idempotence: idem(s, b.key),
    auth: { value: 'Auth', basis: 'service-to-service calls are authenticated' },
  };
}

function hubObs(s: S, ctx: Ctx, scope: string): ScopeObservation {
  const b = base(s);
  const node = NODE_OF[scope]!;
  const used = (scope === 'coordinator' && s.strategy !== 'es') || (scope === 'log' && s.strategy === 'es') || scope === 'provider';
  const down = !alive(s, ctx, node);
  const sc = down && used ? 'Local' : b.scope;
  const order = down && used ? 'None' : b.order;
  const vis = down && used ? 'Fractured' : b.vis;
  const basis = !used ? `not used by this strategy` : down ? 'down: it coordinates nothing' : scope === 'provider' ? 'external: charges by idempotency key, called through the payment service' : scope === 'log' ? 'the single source of truth: every event in one order' : 'holds the durable log of every checkout in flight';
  const rec: ComponentObservation =
    s.strategy === '2pc' && !down && alive(s, ctx, NODES.coord)
      ? { value: 'Fresh(coordinator_log)', basis: scope === 'coordinator' ? 'decides from its own durable log' : scope === 'provider' ? 'captures only what the coordinator log committed' : 'not used by this strategy' }
      : { value: 'EO', basis: scope === 'log' ? `worst consumer lag ${gaugeOf(s, 'log', 'consumer_lag')} events` : 'no staleness bound evidenced', evidence: scope === 'log' ? gaugeSeq(s, 'log', 'consumer_lag') : [] };
  const downEv = down && s.crashEv[node] !== undefined && s.emuDown[node] !== undefined ? [s.crashEv[node]!] : [];
  return {
    scope: { value: sc, basis, evidence: downEv },
    order: { value: order, basis, evidence: downEv },
    visibility: { value: vis, basis, evidence: downEv },
    recency: rec,
    idempotence: idem(s, b.key),
    auth: { value: 'Auth', basis: scope === 'provider' ? 'API key per request' : 'service-to-service calls are authenticated' },
  };
}

/** The customer's end-to-end view: the weakest link among the three services. */
function storefrontObs(s: S, ctx: Ctx): ScopeObservation {
  const parts = SERVICES.map((n) => ({ n, o: serviceObs(s, ctx, SCOPE_OF[n]!) }));
  const weakest = (c: 'scope' | 'order' | 'visibility', chain: string[]): ComponentObservation => {
    let best = parts[0]!;
    for (const p of parts) if (chain.indexOf(p.o[c].value) < chain.indexOf(best.o[c].value)) best = p;
    return { ...best.o[c], basis: `${SCOPE_OF[best.n]}: ${best.o[c].basis}` };
  };
  const rec = parts.find((p) => p.o.recency.value === 'EO') ?? parts[0]!;
  return {
    scope: weakest('scope', SCOPES),
    order: weakest('order', ORDERS),
    visibility: weakest('visibility', VIS),
    recency: { ...rec.o.recency, basis: `${SCOPE_OF[rec.n]}: ${rec.o.recency.basis}` },
    idempotence: parts[2]!.o.idempotence,
    auth: { value: 'Auth', basis: 'customers are logged in' },
  };
}

export function observeScope(s: S, ctx: Ctx, scope: string): ScopeObservation {
  if (scope === 'storefront') return storefrontObs(s, ctx);
  if (scope === 'order' || scope === 'inventory' || scope === 'payment') return serviceObs(s, ctx, scope);
  return hubObs(s, ctx, scope);
}
