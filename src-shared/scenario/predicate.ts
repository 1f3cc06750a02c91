/**
 * Mode triggers are predicates over evidence (DESIGN §3), written as data in the
 * scenario file and evaluated by the engine's mode service. They never mention wall
 * clocks or scripted times: only evidence records and gauges the model measured.
 *
 *   quorum_lost / quorum_held  — peers (other groups, or nodes of the own group) whose
 *                                last `misses_in_a_row` heartbeats were all missed count
 *                                as unreachable; quorum = a strict majority incl. self.
 *   seen                       — an evidence record of a type (optionally with detail
 *                                fields) for this scope within a window or since the
 *                                mode was entered.
 *   gauge                      — a number the model measures per scope (e.g. lag_ms).
 *   for                        — the inner predicate has held continuously this long.
 */
import type { EvidenceType } from '../timeline/records';

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface QuorumSpec {
  /** `groups`: other groups of the scenario; `group-nodes`: the nodes of this scope. */
  of: 'groups' | 'group-nodes';
  misses_in_a_row: number;
}

export type Predicate =
  | { all: Predicate[] }
  | { any: Predicate[] }
  | { not: Predicate }
  | { quorum_lost: QuorumSpec }
  | { quorum_held: QuorumSpec }
  | { seen: EvidenceType; within_ms?: number; since_entry?: boolean; detail?: Record<string, string | number | boolean> }
  | { gauge: string; op: Comparison; value: number; since_entry?: boolean }
  | { for_ms: number; hold: Predicate };

export function describePredicate(p: Predicate): string {
  if ('all' in p) return p.all.map(describePredicate).join(' and ');
  if ('any' in p) return p.any.map(describePredicate).join(' or ');
  if ('not' in p) return `not (${describePredicate(p.not)})`;
  if ('quorum_lost' in p) {
    const q = p.quorum_lost;
    return `${q.of === 'groups' ? 'global' : 'local'} quorum lost (${q.misses_in_a_row} heartbeats missed in a row)`;
  }
  if ('quorum_held' in p) return `${p.quorum_held.of === 'groups' ? 'global' : 'local'} quorum reachable again`;
  if ('seen' in p) return `${p.seen} seen${p.since_entry ? ' since entering the mode' : p.within_ms ? ` within ${p.within_ms}ms` : ''}`;
  if ('gauge' in p) return `${p.gauge} ${p.op} ${p.value}`;
  return `${describePredicate(p.hold)} for ${p.for_ms / 1000}s`;
}

const thresholdCache = new WeakMap<readonly { when: Predicate }[], Record<string, number[]>>();

/**
 * Every value each gauge is compared with anywhere in these transitions (e.g.
 * supplier_confidence → [50, 80]). A model that reports a gauge as evidence only when it
 * crosses one of them keeps the timeline small. Cached per transitions list.
 */
export function gaugeThresholds(transitions: readonly { when: Predicate }[]): Record<string, number[]> {
  const cached = thresholdCache.get(transitions);
  if (cached) return cached;
  const out: Record<string, number[]> = {};
  const walk = (p: Predicate): void => {
    if ('all' in p) p.all.forEach(walk);
    else if ('any' in p) p.any.forEach(walk);
    else if ('not' in p) walk(p.not);
    else if ('hold' in p) walk(p.hold);
    else if ('gauge' in p) (out[p.gauge] ??= []).push(p.value);
  };
  for (const t of transitions) walk(t.when);
  thresholdCache.set(transitions, out);
  return out;
}
