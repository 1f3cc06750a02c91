import { describe, expect, it } from 'vitest';
import { ModeService, initialModes } from '../../src-main/engine/services/modes';
import { emptyEvidenceIndex, indexEvidence } from '../../src-main/engine/services/evidence-index';
import type { EvidenceRecord, EvidenceType } from '../../src-shared/timeline/records';
import type { Predicate } from '../../src-shared/scenario/predicate';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import { buildTopology } from '../../src-main/engine/network';

/** A three-group scenario whose only transition is the predicate under test. */
function specWith(when: Predicate): ScenarioSpec {
  const link = { latency_ms: 1, jitter_ms: 0, loss: 0 };
  return {
    id: 't', title: 't', test: 'T', distance: 'near', impossibility: [], summary: '', model: 'm', view: 'v',
    groups: ['a', 'b', 'c'].map((g) => ({ id: g, label: g, nodes: [`${g}1`, `${g}2`, `${g}3`] })),
    network: { intra_group: link, inter_group: link, pairs: [] },
    parameters: {}, symbols: {},
    strategies: [{ id: 's', label: 's', description: '', params: {}, claims: {} }],
    default_strategy: 's', initial_mode: 'Target',
    modes: [
      { id: 'Target', label: 'Target', description: '', claim: '⟨Global, SS, SER, EO, Idem, Auth⟩', severity: 0 },
      { id: 'Degraded', label: 'Degraded', description: '', claim: '⟨Local, None, Fractured, EO, Idem, Auth⟩', severity: 1 },
    ],
    transitions: [{ from: ['Target'], to: 'Degraded', when }],
    invariants: [], requirements: [], questions: [],
  };
}

function harness(when: Predicate) {
  const spec = specWith(when);
  const svc = new ModeService(spec, buildTopology(spec));
  const modes = initialModes(spec);
  const ev = emptyEvidenceIndex();
  let seq = 0;
  const add = (t_ms: number, type: EvidenceType, scope: string, peer?: string, detail?: EvidenceRecord['detail']) => {
    const rec: EvidenceRecord = { seq: seq++, t_ms, kind: 'evidence', type, scope, node: `${scope}1`, ...(peer ? { peer } : {}), ...(detail ? { detail } : {}) };
    indexEvidence(ev, rec);
    return rec.seq;
  };
  const step = (scope: string, t: number) => svc.step(modes, ev, scope, t);
  return { add, step, modes };
}

describe('mode triggers are predicates over evidence', () => {
  it('quorum_lost needs N missed rounds from enough peers, and cites exactly those records', () => {
    const h = harness({ quorum_lost: { of: 'groups', misses_in_a_row: 3 } });
    const cited: number[] = [];
    for (let round = 1; round <= 3; round++) {
      cited.push(h.add(round * 10, 'heartbeat-missed', 'a', 'b', { round }));
      expect(h.step('a', round * 10)).toBeNull(); // one lost peer of two: a still has a majority
    }
    // Two observers missing c in the same round count once.
    h.add(11, 'heartbeat-missed', 'a', 'c', { round: 1 });
    h.add(11.5, 'heartbeat-missed', 'a', 'c', { round: 1 });
    h.add(21, 'heartbeat-missed', 'a', 'c', { round: 2 });
    expect(h.step('a', 21)).toBeNull();
    const last = h.add(31, 'heartbeat-missed', 'a', 'c', { round: 3 });
    const change = h.step('a', 31)!;
    expect(change).toMatchObject({ scope: 'a', from: 'Target', to: 'Degraded' });
    expect(change.evidence).toContain(last);
    expect(change.evidence).toEqual(expect.arrayContaining(cited));
    expect(change.evidence).toHaveLength(6);
  });

  it('a heartbeat seen resets the streak', () => {
    const h = harness({ quorum_lost: { of: 'groups', misses_in_a_row: 2 } });
    h.add(1, 'heartbeat-missed', 'a', 'b', { round: 1 });
    h.add(1, 'heartbeat-missed', 'a', 'c', { round: 1 });
    h.add(2, 'heartbeat-seen', 'a', 'b', { round: 2 });
    h.add(2, 'heartbeat-missed', 'a', 'c', { round: 2 });
    expect(h.step('a', 2)).toBeNull();
  });

  it('for_ms requires the inner predicate to hold continuously', () => {
    const h = harness({ for_ms: 60_000, hold: { seen: 'write-refused', within_ms: 5000 } });
    h.add(0, 'write-refused', 'b');
    expect(h.step('b', 0)).toBeNull();
    h.add(4000, 'write-refused', 'b');
    expect(h.step('b', 4000)).toBeNull();
    // A gap longer than the window breaks the hold: the clock restarts.
    expect(h.step('b', 9500)).toBeNull();
    for (let t = 10_000; t <= 69_000; t += 3000) {
      h.add(t, 'write-refused', 'b');
      expect(h.step('b', t)).toBeNull();
    }
    h.add(70_000, 'write-refused', 'b');
    expect(h.step('b', 70_000)?.to).toBe('Degraded');
  });

  it('gauge, all, any and not combine; since_entry ignores probes from before the mode', () => {
    const h = harness({
      all: [
        { gauge: 'lag_ms', op: '>', value: 500 },
        { any: [{ seen: 'lease-expiry' }, { seen: 'quorum-failed' }] },
        { not: { seen: 'catch-up', within_ms: 1000 } },
      ],
    });
    h.add(1, 'probe', 'c', undefined, { gauge: 'lag_ms', value: 900 });
    expect(h.step('c', 1)).toBeNull();
    h.add(2, 'catch-up', 'c');
    h.add(2, 'lease-expiry', 'c');
    expect(h.step('c', 2)).toBeNull(); // a catch-up was seen within 1 s
    const change = h.step('c', 3000)!;
    expect(change.to).toBe('Degraded');
    // The reason names the alternative of `any` that fired, not every alternative.
    expect(change.reason).toBe('lag_ms > 500 and lease-expiry seen and not (catch-up seen within 1000ms)');
    h.add(3001, 'probe', 'a', undefined, { gauge: 'lag_ms', value: 100 });
    expect(h.step('a', 3001)).toBeNull();
  });

  it('a busy gauge does not push another gauge out of sight', () => {
    const h = harness({ gauge: 'lag_ms', op: '>', value: 500 });
    h.add(0, 'probe', 'a', undefined, { gauge: 'lag_ms', value: 900 });
    for (let t = 1; t <= 100; t++) h.add(t, 'probe', 'a', undefined, { gauge: 'noise', value: t });
    expect(h.step('a', 100)?.to).toBe('Degraded');
  });
});
