/**
 * The mode service: one state machine per scope, driven by the scenario's transitions,
 * whose triggers are predicates over evidence (DESIGN §3). Every change is a timeline
 * record that cites the evidence which satisfied the trigger.
 */
import type { Predicate } from '../../../src-shared/scenario/predicate';
import { describePredicate } from '../../../src-shared/scenario/predicate';
import type { ScenarioSpec } from '../../../src-shared/scenario/types';
import type { Topology } from '../network';
import { recentEvidence, recentGauge, streakKey, type EvidenceIndexState } from './evidence-index';

export interface ModeScopeState {
  mode: string;
  entered_ms: number;
  /** Since when each `for` predicate (keyed by transition index and path) has held. */
  holding: Record<string, number>;
}

export type ModeServiceState = Record<string, ModeScopeState>;

export interface ModeChange {
  scope: string;
  from: string;
  to: string;
  evidence: number[];
  reason: string;
}

interface Verdict {
  ok: boolean;
  evidence: number[];
  /** The part of the predicate that made it true, in words (for `any`, the alternative that fired). */
  reason?: string;
}

export function initialModes(spec: ScenarioSpec): ModeServiceState {
  const s: ModeServiceState = {};
  for (const g of spec.groups) s[g.id] = { mode: spec.initial_mode, entered_ms: 0, holding: {} };
  return s;
}

export class ModeService {
  constructor(
    private readonly spec: ScenarioSpec,
    private readonly topo: Topology,
  ) {}

  private quorum(ev: EvidenceIndexState, scope: string, of: 'groups' | 'group-nodes', n: number): { held: boolean; lost: number[]; seen: number[] } {
    const peers = of === 'groups' ? this.topo.groups.filter((g) => g !== scope) : (this.topo.nodesOf.get(scope) ?? []);
    const total = of === 'groups' ? peers.length + 1 : peers.length;
    let reachable = of === 'groups' ? 1 : 0;
    const lost: number[] = [];
    const seen: number[] = [];
    for (const p of peers) {
      const st = ev.streaks[streakKey(scope, p)];
      if (st && st.misses >= n) lost.push(...st.missSeqs.slice(-n));
      else {
        reachable += 1;
        if (st?.lastSeenSeq != null) seen.push(st.lastSeenSeq);
      }
    }
    return { held: reachable >= Math.floor(total / 2) + 1, lost, seen };
  }

  private evaluate(p: Predicate, ev: EvidenceIndexState, scope: string, st: ModeScopeState, now: number, key: string): Verdict {
    if ('all' in p) {
      const parts = p.all.map((x, i) => this.evaluate(x, ev, scope, st, now, `${key}.${i}`));
      // A reason is only read from a verdict that holds: do not build it for the others (hot path).
      if (!parts.every((x) => x.ok)) return { ok: false, evidence: parts.flatMap((x) => x.evidence) };
      return { ok: true, evidence: parts.flatMap((x) => x.evidence), reason: parts.map((x, i) => x.reason ?? describePredicate(p.all[i]!)).join(' and ') };
    }
    if ('any' in p) {
      const parts = p.any.map((x, i) => this.evaluate(x, ev, scope, st, now, `${key}.${i}`));
      const i = parts.findIndex((x) => x.ok);
      return i === -1 ? { ok: false, evidence: [] } : { ...parts[i]!, reason: parts[i]!.reason ?? describePredicate(p.any[i]!) };
    }
    if ('not' in p) {
      const inner = this.evaluate(p.not, ev, scope, st, now, `${key}.n`);
      return { ok: !inner.ok, evidence: [] };
    }
    if ('quorum_lost' in p) {
      const q = this.quorum(ev, scope, p.quorum_lost.of, p.quorum_lost.misses_in_a_row);
      return { ok: !q.held, evidence: q.lost };
    }
    if ('quorum_held' in p) {
      const q = this.quorum(ev, scope, p.quorum_held.of, p.quorum_held.misses_in_a_row);
      return { ok: q.held, evidence: q.seen };
    }
    if ('seen' in p) {
      const since = p.since_entry ? st.entered_ms : p.within_ms !== undefined ? now - p.within_ms : -Infinity;
      const list = recentEvidence(ev, scope, p.seen);
      for (let i = list.length - 1; i >= 0; i--) {
        const r = list[i]!;
        if (r.t_ms < since) break;
        if (p.detail && !Object.entries(p.detail).every(([k, v]) => r.detail?.[k] === v)) continue;
        return { ok: true, evidence: [r.seq] };
      }
      return { ok: false, evidence: [] };
    }
    if ('gauge' in p) {
      // Gauges are reported through evidence of type 'probe' with detail {gauge, value}.
      const list = recentGauge(ev, scope, p.gauge);
      for (let i = list.length - 1; i >= 0; i--) {
        const r = list[i]!;
        if (p.since_entry && r.t_ms <= st.entered_ms) break;
        const v = Number(r.detail?.value);
        const ok =
          p.op === '>' ? v > p.value : p.op === '>=' ? v >= p.value : p.op === '<' ? v < p.value : p.op === '<=' ? v <= p.value : p.op === '==' ? v === p.value : v !== p.value;
        return { ok, evidence: ok ? [r.seq] : [] };
      }
      return { ok: false, evidence: [] };
    }
    // for_ms: the inner predicate must have held continuously since `holding[key]`.
    const inner = this.evaluate(p.hold, ev, scope, st, now, `${key}.h`);
    if (!inner.ok) {
      delete st.holding[key];
      return { ok: false, evidence: [] };
    }
    const since = (st.holding[key] ??= now);
    return { ok: now - since >= p.for_ms, evidence: inner.evidence };
  }

  /**
   * Evaluates the transitions out of the scope's current mode in file order and takes
   * the first that fires. Returns the change, if any (the caller records it).
   */
  step(state: ModeServiceState, ev: EvidenceIndexState, scope: string, now: number): ModeChange | null {
    const st = state[scope];
    if (!st) return null;
    for (let i = 0; i < this.spec.transitions.length; i++) {
      const t = this.spec.transitions[i]!;
      if (!t.from.includes(st.mode) || t.to === st.mode) continue;
      const v = this.evaluate(t.when, ev, scope, st, now, `t${i}`);
      if (!v.ok) continue;
      const change: ModeChange = {
        scope,
        from: st.mode,
        to: t.to,
        evidence: [...new Set(v.evidence)].sort((a, b) => a - b),
        reason: v.reason ?? describePredicate(t.when),
      };
      st.mode = t.to;
      st.entered_ms = now;
      st.holding = {};
      return change;
    }
    return null;
  }
}
