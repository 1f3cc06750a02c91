/**
 * The G-vector order and its meet (DESIGN §2).
 *
 * Each component is an *ordinal sum*: a chain of strength levels, and inside a level a
 * small lattice of labels. Labelled levels (Fresh, Idem, Auth) order label sets by
 * reverse inclusion — more labels is lower, meet is set union — so composing two paths
 * keeps every piece of evidence/key/principal (DESIGN: "keep both"). BS(δ) levels are
 * ordered by δ (larger is weaker); two BS with the same δ are tied by their symbol
 * names (any symbol < another symbol by name < no symbol), so a composition keeps the
 * scenario's name for the bound that limited it. This makes meet a true lattice meet
 * (commutative, associative, idempotent) on exact values, and `a ⊑ b ⇔ meet(a,b) = a`.
 *
 * Unbound symbols (BS(δ_repl) parsed without a table) cannot be compared with any other
 * bound; doing so throws a GVectorError instead of guessing.
 */
import { formatRecency } from './format';
import { authLabelsStrength, canonicalLabels, sameLabels, unionLabels } from './labels';
import {
  COMPONENTS,
  GVectorError,
  ORDERS,
  SCOPES,
  VISIBILITIES,
  type AuthG,
  type ComponentName,
  type GVector,
  type Idempotence,
  type Recency,
} from './types';

const RECENCY_LEVEL = { EO: 0, BS: 1, Fresh: 2 } as const;

/** Canonical form of a hand-built value: sorted labels, BS(∞) → EO. Validates as it goes. */
export function normalizeRecency(r: Recency): Recency {
  switch (r.kind) {
    case 'EO':
      return { kind: 'EO' };
    case 'Fresh':
      return { kind: 'Fresh', evidence: canonicalLabels(r.evidence) };
    case 'BS': {
      const d = r.delta_ms;
      if (d === Infinity) return { kind: 'EO' };
      if (d !== null && !(d >= 0 && Number.isFinite(d))) {
        throw new GVectorError('Recency', JSON.stringify(r), `BS bound must be a duration ≥ 0 in ms, got ${d}`);
      }
      if (d === null && r.symbol === undefined) {
        throw new GVectorError('Recency', JSON.stringify(r), 'BS has neither a bound nor a symbol');
      }
      return r.symbol === undefined ? { kind: 'BS', delta_ms: d } : { kind: 'BS', delta_ms: d, symbol: r.symbol };
    }
  }
}

function normalizeIdem(i: Idempotence): Idempotence {
  return i.kind === 'None' ? { kind: 'None' } : { kind: 'Idem', keys: canonicalLabels(i.keys) };
}

function normalizeAuth(a: AuthG): AuthG {
  return a.kind === 'Unauth' ? { kind: 'Unauth' } : { kind: 'Auth', labels: canonicalLabels(a.labels) };
}

function checkChain(name: 'Scope' | 'Order' | 'Visibility', values: readonly string[], v: string): void {
  if (!values.includes(v)) throw new GVectorError(name, String(v), `expected one of ${values.join(', ')}`, String(v));
}

export function normalizeGVector(g: GVector): GVector {
  checkChain('Scope', SCOPES, g.scope);
  checkChain('Order', ORDERS, g.order);
  checkChain('Visibility', VISIBILITIES, g.visibility);
  return {
    scope: g.scope,
    order: g.order,
    visibility: g.visibility,
    recency: normalizeRecency(g.recency),
    idempotence: normalizeIdem(g.idempotence),
    auth: normalizeAuth(g.auth),
  };
}

/** Auth strength level: 0 Unauth, 1 token-like or bare Auth, 2 signature-like. */
export function authStrength(a: AuthG): 0 | 1 | 2 {
  return a.kind === 'Unauth' ? 0 : authLabelsStrength(a.labels);
}

/** Throws unless two BS bounds can be compared (both bound, or the same unbound symbol). */
function comparableBS(a: Recency & { kind: 'BS' }, b: Recency & { kind: 'BS' }): boolean {
  if (a.delta_ms !== null && b.delta_ms !== null) return true;
  if (a.delta_ms === null && b.delta_ms === null && a.symbol === b.symbol) return false; // identical
  const unbound = a.delta_ms === null ? a : b;
  throw new GVectorError(
    'Recency',
    `${formatRecency(a)} vs ${formatRecency(b)}`,
    `cannot compare ${formatRecency(a)} with ${formatRecency(b)}: symbol "${unbound.symbol}" is unbound — bind it with the scenario's symbols (parse option \`symbols\`)`,
  );
}

function meetRecency(x: Recency, y: Recency): Recency {
  const a = normalizeRecency(x);
  const b = normalizeRecency(y);
  if (a.kind !== b.kind) return RECENCY_LEVEL[a.kind] < RECENCY_LEVEL[b.kind] ? a : b;
  if (a.kind === 'Fresh' && b.kind === 'Fresh') return { kind: 'Fresh', evidence: unionLabels(a.evidence, b.evidence) };
  if (a.kind === 'BS' && b.kind === 'BS') {
    if (!comparableBS(a, b)) return a;
    if (a.delta_ms! !== b.delta_ms!) return a.delta_ms! > b.delta_ms! ? a : b;
    // Tie on δ: keep a symbol over none, and the smaller symbol name over a larger one.
    if (a.symbol === undefined) return b;
    if (b.symbol === undefined) return a;
    return a.symbol <= b.symbol ? a : b;
  }
  return a; // both EO
}

function meetIdem(x: Idempotence, y: Idempotence): Idempotence {
  if (x.kind === 'None' || y.kind === 'None') return { kind: 'None' };
  return { kind: 'Idem', keys: unionLabels(x.keys, y.keys) };
}

function meetAuth(x: AuthG, y: AuthG): AuthG {
  const sx = authStrength(x);
  const sy = authStrength(y);
  if (sx !== sy) return normalizeAuth(sx < sy ? x : y);
  if (x.kind === 'Unauth' || y.kind === 'Unauth') return { kind: 'Unauth' };
  return { kind: 'Auth', labels: unionLabels(x.labels, y.labels) };
}

function minOf<T extends string>(values: readonly T[], a: T, b: T): T {
  return values.indexOf(a) <= values.indexOf(b) ? a : b;
}

function meet2(a: GVector, b: GVector): GVector {
  return {
    scope: minOf(SCOPES, a.scope, b.scope),
    order: minOf(ORDERS, a.order, b.order),
    visibility: minOf(VISIBILITIES, a.visibility, b.visibility),
    recency: meetRecency(a.recency, b.recency),
    idempotence: meetIdem(a.idempotence, b.idempotence),
    auth: meetAuth(a.auth, b.auth),
  };
}

/** ∧: composition along a path, the component-wise weakest link. Needs ≥ 1 argument;
 * the result is normalised (so meet(g) is the canonical form of g). */
export function meet(...gs: GVector[]): GVector {
  if (gs.length === 0) throw new GVectorError('structure', '', 'meet needs at least one G-vector');
  return gs.map(normalizeGVector).reduce(meet2);
}

function recencyEquals(a: Recency, b: Recency): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'Fresh' && b.kind === 'Fresh') return sameLabels(a.evidence, b.evidence);
  if (a.kind === 'BS' && b.kind === 'BS') return a.delta_ms === b.delta_ms && a.symbol === b.symbol;
  return true;
}

/** Exact equality of two normalised G-vectors (labels and symbol names included). */
export function gvectorEquals(x: GVector, y: GVector): boolean {
  const a = normalizeGVector(x);
  const b = normalizeGVector(y);
  return (
    a.scope === b.scope &&
    a.order === b.order &&
    a.visibility === b.visibility &&
    recencyEquals(a.recency, b.recency) &&
    a.idempotence.kind === b.idempotence.kind &&
    (a.idempotence.kind === 'None' || sameLabels(a.idempotence.keys, (b.idempotence as { keys: string[] }).keys)) &&
    a.auth.kind === b.auth.kind &&
    (a.auth.kind === 'Unauth' || sameLabels(a.auth.labels, (b.auth as { labels: string[] }).labels))
  );
}

/** a ⊑ b ⇔ meet(a, b) = a (exact: labels count, see the header). */
export function leq(a: GVector, b: GVector): boolean {
  return gvectorEquals(meet(a, b), a);
}

/**
 * Strength of one component on a number line, for charts and for deciding whether a
 * claim is broken. Larger = stronger; labels and symbol names do not count.
 * - Scope, Order, Visibility: index in the chain, 0..3.
 * - Recency: EO 0; BS(δ) 1 + 1/(1 + log10(1 + δ_ms)), i.e. in (1, 2], 2 at δ = 0 and
 *   falling towards 1 as δ grows; Fresh 3. An unbound BS(symbol) is drawn at 1.5
 *   (mid-band) — it is known to be some BS, not which.
 * - Idempotence: None 0, Idem 1.
 * - Auth: Unauth 0, token-like 1, signature-like 2.
 * Monotone: a ⊑ b implies componentRank(a, c) ≤ componentRank(b, c).
 */
export function componentRank(g: GVector, c: ComponentName): number {
  switch (c) {
    case 'scope':
      return SCOPES.indexOf(g.scope);
    case 'order':
      return ORDERS.indexOf(g.order);
    case 'visibility':
      return VISIBILITIES.indexOf(g.visibility);
    case 'recency': {
      const r = normalizeRecency(g.recency);
      if (r.kind === 'EO') return 0;
      if (r.kind === 'Fresh') return 3;
      return r.delta_ms === null ? 1.5 : 1 + 1 / (1 + Math.log10(1 + r.delta_ms));
    }
    case 'idempotence':
      return g.idempotence.kind === 'None' ? 0 : 1;
    case 'auth':
      return authStrength(g.auth);
  }
}

/**
 * Strength comparison of one component: negative if a is weaker than b, 0 if equally
 * strong, positive if stronger. Ignores labels and symbol names; throws (like meet) when
 * an unbound BS symbol meets a different bound.
 */
export function compareStrength(a: GVector, b: GVector, c: ComponentName): number {
  if (c === 'recency') {
    const x = normalizeRecency(a.recency);
    const y = normalizeRecency(b.recency);
    if (x.kind === 'BS' && y.kind === 'BS') {
      if (!comparableBS(x, y)) return 0;
      return y.delta_ms! - x.delta_ms!; // smaller δ is stronger
    }
    return RECENCY_LEVEL[x.kind] - RECENCY_LEVEL[y.kind];
  }
  return componentRank(a, c) - componentRank(b, c);
}

/**
 * Components where a claim is broken: the observed strength is below the claimed one.
 * This compares *strength* (componentRank / BS δ), not exact labels: observed
 * `Idem(event_id)` meets a claimed `Idem`, and `Fresh(heartbeat)` meets `Fresh(φ)`,
 * although they are not ⊒ in the exact lattice. Consistency with the order:
 * leq(claimed, observed) ⇒ weakerComponents(observed, claimed) is empty.
 */
export function weakerComponents(observed: GVector, claimed: GVector): ComponentName[] {
  return COMPONENTS.filter((c) => compareStrength(observed, claimed, c) < 0);
}
