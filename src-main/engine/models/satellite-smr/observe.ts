/**
 * Observed G-vectors, derived from what the protocol measured (DESIGN §2):
 *   Scope      — ground contact (direct, or relayed by a satellite in contact) + a quorum,
 *                minus excluded satellites;
 *   Order/Vis. — consensus running (a quorum of non-excluded satellites);
 *   Recency    — measured uplink lag in contact; the age of the freshest ground word out of it;
 *   Idem       — ground sequence numbers dedupe retransmissions;
 *   Auth       — BFT: the signatures verified for the last executed command (ground key →
 *                ECDSA, satellite quorum → ECDSA_satellite); crash-tolerant: Unauth (the
 *                leader's word is not verified).
 */
import { formatDuration, meet, parseGVector, formatGVector, type GVector } from '../../../../src-shared/gvector';
import type { ComponentObservation, ScopeObservation } from '../../model-api';
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import { ladder, localClock, num, P, quorumSize, shortHex, str, type Ctx } from './context';
import type { Sat, SmrState } from './state';

const bsText = new Map<number, string>();

/** `BS(bound)` for a measured staleness, rounded up on the ladder (texts cached: called every tick). */
function bs(ms: number): string {
  const b = ladder(Math.max(0, ms));
  let t = bsText.get(b);
  if (t === undefined) {
    t = `BS(${formatDuration(b)})`;
    bsText.set(b, t);
  }
  return t;
}

function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function mins(ms: number): string {
  return ms >= 60_000 ? `${Math.floor(ms / 6_000) / 10} min` : ms >= 1000 ? `${Math.floor(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}

export interface Contact {
  kind: 'direct' | 'relayed' | 'none';
  /** Staleness bound (ms): lag in contact, age of the freshest ground word otherwise. */
  bound: number;
  via: string | null;
}

/** How fresh a satellite's view of the ground is, and why. */
export function contactOf(s: SmrState, ctx: Ctx, me: Sat): Contact {
  if (me.contact) return { kind: 'direct', bound: me.lagSamples.length > 0 ? maxOf(me.lagSamples) : Math.max(0, localClock(s, ctx, me.id) - me.lastGroundTs), via: null };
  const misses = num(ctx, P.islMisses);
  let best: Contact | null = null;
  for (const [peer, lag] of Object.entries(me.peerContact)) {
    if (lag === null || (me.isl.miss[peer] ?? 0) >= misses || me.excluded.includes(peer)) continue;
    const bound = lag + (me.islLag[peer] ?? 0);
    if (!best || bound < best.bound) best = { kind: 'relayed', bound, via: peer };
  }
  if (best) return best;
  if (ctx.now_ms - me.wordAt <= num(ctx, P.contactTimeout)) return { kind: 'relayed', bound: me.wordLag, via: 'a ground-signed command relayed by the constellation' };
  const age = me.lastGroundTs > -Infinity ? localClock(s, ctx, me.id) - me.lastGroundTs : Infinity;
  return { kind: 'none', bound: age, via: null };
}

function aliveMembers(s: SmrState, ctx: Ctx, me: Sat): number {
  const misses = num(ctx, P.islMisses);
  return 1 + s.satIds.filter((p) => p !== me.id && !me.excluded.includes(p) && (me.isl.miss[p] ?? 0) < misses).length;
}

/** Honest satellites that have excluded this one. */
function excludedBy(s: SmrState, ctx: Ctx, me: Sat): string[] {
  const out: string[] = [];
  for (const id of s.satIds) {
    const o = s.sats[id]!;
    if (id !== me.id && o.excluded.length > 0 && !o.byz && o.excluded.includes(me.id) && ctx.isUp(id)) out.push(id);
  }
  return out;
}

export function observeSat(s: SmrState, ctx: Ctx, me: Sat): ScopeObservation {
  const up = ctx.isUp(me.id);
  const c = contactOf(s, ctx, me);
  const byOthers = excludedBy(s, ctx, me);
  const alive = aliveMembers(s, ctx, me);
  const quorum = up && me.quorumOk && alive >= quorumSize(s);
  const accEv = me.accusationEv === null ? [] : [me.accusationEv];
  const qEv = me.quorumEv === null ? [] : [me.quorumEv];
  const failEv = me.quorumFailedEv === null ? [] : [me.quorumFailedEv];
  let scope: ComponentObservation;
  if (!up) scope = { value: 'Local', basis: `${me.id} is down` };
  else if (byOthers.length > 0) scope = { value: 'Local', basis: `excluded by ${byOthers.join(', ')} (accusation certificate)`, evidence: accEv };
  else if (!quorum) scope = { value: 'Local', basis: `only ${alive} of ${quorumSize(s)} satellites needed for a quorum are reachable`, evidence: failEv };
  else if (me.excluded.length > 0) scope = { value: 'Range', basis: `consensus without excluded ${me.excluded.join(', ')}`, evidence: accEv };
  else if (c.kind === 'none') scope = { value: 'Range', basis: `satellites only: no ground word for ${mins(c.bound)}`, evidence: me.contactEv === null ? [] : [me.contactEv] };
  else scope = { value: 'Global', basis: c.kind === 'direct' ? 'in ground contact, consensus with a quorum' : `ground contact relayed by ${c.via}, consensus with a quorum`, evidence: qEv };
  const ordered = quorum && byOthers.length === 0;
  const order: ComponentObservation = ordered
    ? { value: 'SS', basis: s.protocol === 'bft' ? 'one slot at a time, 2f+1 signed votes per slot' : "one slot at a time, the leader's majority commit", evidence: qEv }
    : { value: 'None', basis: byOthers.length > 0 ? 'outside every honest quorum' : 'no quorum: nothing is ordered', evidence: byOthers.length > 0 ? accEv : failEv };
  let recency: ComponentObservation;
  if (!Number.isFinite(c.bound)) recency = { value: 'EO', basis: 'no ground word received yet' };
  else if (c.kind === 'direct') recency = { value: bs(c.bound), basis: `in ground contact: uplink lag ≤ ${Math.round(c.bound)}ms over the last ${me.lagSamples.length} ground words` };
  else if (c.kind === 'relayed') recency = { value: bs(c.bound), basis: `via ${c.via}: uplink + inter-satellite lag ≤ ${Math.round(c.bound)}ms` };
  else recency = { value: bs(c.bound), basis: `out of ground contact: freshest ground word ${mins(c.bound)} old (partition epoch ${me.epoch})`, evidence: me.stalenessEv === null ? [] : [me.stalenessEv] };
  const auth: ComponentObservation =
    s.protocol === 'cft'
      ? { value: 'Unauth', basis: "replicated entries are executed on the leader's word: no signature checked" }
      : { value: `Auth(${me.verifiedLabel})`, basis: me.verifiedLabel === 'ECDSA' ? 'ground ECDSA signature, certificate chain and 2f+1 vote signatures verified' : 'satellite ECDSA signatures (2f+1 quorum certificate) verified', evidence: me.verifiedEv === null ? [] : [me.verifiedEv] };
  return {
    scope,
    order,
    visibility: { value: ordered ? 'SER' : 'Fractured', basis: `follows from order ${order.value}`, evidence: order.evidence },
    recency,
    idempotence: { value: 'Idem(seq)', basis: `ground sequence numbers drop retransmitted commands (${me.dedup} duplicates dropped)` },
    auth,
  };
}

export function observeGround(s: SmrState, ctx: Ctx): ScopeObservation {
  const g = s.ground;
  const now = ctx.now_ms;
  const contact = g.contact;
  const lag = g.lagSamples.length > 0 ? maxOf(g.lagSamples) : Math.max(0, now - g.lastContact);
  const age = now - g.lastContact;
  const cEv = g.contactEv === null ? [] : [g.contactEv];
  const scope: ComponentObservation =
    g.excluded.length > 0
      ? { value: 'Range', basis: `the constellation without excluded ${g.excluded.join(', ')}`, evidence: g.accusationEv === null ? [] : [g.accusationEv] }
      : contact
        ? { value: 'Global', basis: 'in contact with the constellation', evidence: cEv }
        : { value: 'Range', basis: `out of contact: the constellation runs on its own (last heard ${mins(age)} ago)`, evidence: cEv };
  return {
    scope,
    order: { value: 'SS', basis: 'mission control numbers every command (ground sequence)' },
    visibility: { value: 'SER', basis: 'follows from order SS' },
    recency: contact
      ? { value: bs(lag), basis: `satellite reports arrive within ${Math.round(lag)}ms` }
      : { value: bs(age), basis: `last satellite report ${mins(age)} ago`, evidence: cEv },
    idempotence: { value: 'Idem(seq)', basis: 'ground sequence numbers' },
    auth:
      s.protocol === 'bft'
        ? { value: 'Auth(ECDSA)', basis: 'commands signed by certified station keys; satellite summaries signed', evidence: g.verifiedEv === null ? [] : [g.verifiedEv] }
        : { value: 'Unauth', basis: 'satellite reports and replication are unsigned' },
  };
}

export function vectorText(o: ScopeObservation): string {
  return `⟨${o.scope.value}, ${o.order.value}, ${o.visibility.value}, ${o.recency.value}, ${o.idempotence.value}, ${o.auth.value}⟩`;
}

/** A satellite's current guarantee (for check 7 and the routine/emergency decision). */
export function currentG(s: SmrState, ctx: Ctx, me: Sat): string {
  return vectorText(observeSat(s, ctx, me));
}

// ---- the ground → satellites path (seed NT-3 §5, DESIGN §2) -----------------------------------

/**
 * Claimed: meet of the seed's hops (scenario parameters). Observed: the same hops as
 * measured now — ground (atomic clock, signed commands), uplink (measured lag of the
 * satellite with the best contact), that satellite (GPS clock offset), the inter-satellite
 * hops (measured ISL lag) and the satellites they reach.
 */
export function pathComposition(s: SmrState, ctx: Ctx): Record<string, MetricValue> {
  const sym = { symbols: ctx.spec.symbols };
  const hop = (name: string) => parseGVector(str(ctx, name), sym);
  const claimedHops = [hop('hop_ground'), hop('hop_uplink'), hop('hop_satellite'), hop('hop_mesh'), hop('hop_satellite'), hop('hop_mesh'), hop('hop_satellite')];
  const claimed = formatGVector(meet(...claimedHops));
  const auth = s.protocol === 'bft' ? 'Auth(ECDSA)' : 'Unauth';
  const entry = s.satIds.map((id) => s.sats[id]!).filter((x) => ctx.isUp(x.id) && x.contact && x.lagSamples.length > 0);
  const hops: Record<string, MetricValue> = {};
  const parts: GVector[] = [];
  const add = (name: string, text: string) => {
    hops[name] = text;
    parts.push(parseGVector(text, sym));
  };
  add('ground', '⟨Global, SS, SER, Fresh(atomic_clock), Idem(seq), Auth(ECDSA)⟩');
  if (entry.length === 0) {
    add('uplink', `⟨Range, SS, SER, EO, Idem(seq), ${auth}⟩`);
  } else {
    const best = entry.reduce((a, b) => (Math.max(...a.lagSamples) <= Math.max(...b.lagSamples) ? a : b));
    add('uplink', `⟨Global, SS, SER, ${bs(Math.max(...best.lagSamples))}, Idem(seq), ${auth}⟩`);
    const others = s.satIds.filter((id) => id !== best.id && ctx.isUp(id)).slice(0, 2);
    add(best.id, satHop(s, ctx, best, auth));
    let prev = best;
    for (const id of others) {
      add(`mesh ${prev.id}→${id}`, `⟨Global, SS, SER, ${bs(prev.islLag[id] ?? Infinity)}, Idem(seq), ${auth}⟩`);
      prev = s.sats[id]!;
      add(id, satHop(s, ctx, prev, auth));
    }
  }
  const observed = formatGVector(meet(...parts));
  return { claimed, observed, hops };
}

function satHop(s: SmrState, ctx: Ctx, x: Sat, auth: string): string {
  const fresh = Math.abs(x.offset) <= num(ctx, P.gpsBound) ? 'Fresh(GPS_50ms)' : bs(Math.abs(x.offset));
  const order = x.quorumOk ? 'SS, SER' : 'None, Fractured';
  return `⟨Global, ${order}, ${fresh}, Idem(seq), ${auth}⟩`;
}

export function rootShort(h: string): string {
  return shortHex(h);
}
