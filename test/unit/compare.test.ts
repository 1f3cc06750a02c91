/**
 * A/B comparison (issue 7): B follows A's clock exactly when paused and within a frame or
 * two while playing; the user's faults on A are mirrored to B (never the replayed history);
 * the diff marks which run is stronger per G-vector component.
 */
import { describe, expect, it } from 'vitest';
import { faultsToMirror, MAX_DRIFT_MS, syncSteps } from '../../src-renderer/lib/compare/compare.svelte';
import { invariantDiffs, requirementDiffs, scopeDiffs } from '../../src-renderer/lib/compare/compare-diff';
import type { Frame, ScopeView } from '../../src-shared/ipc/frames';
import type { TimelineRecord } from '../../src-shared/timeline/records';

const A = (over: Partial<{ playing: boolean; speed: number; t_ms: number; reset: boolean }> = {}) => ({ playing: true, speed: 1, t_ms: 10_000, reset: false, ...over });
const B = (over: Partial<{ playing: boolean; speed: number; t_ms: number }> = {}) => ({ playing: true, speed: 1, t_ms: 10_000, ...over });

describe('lockstep', () => {
  it('in step: nothing to do', () => {
    expect(syncSteps(A(), B({ t_ms: 10_000 + MAX_DRIFT_MS }))).toEqual([]);
  });
  it('A paused: B pauses and jumps to exactly A’s time', () => {
    expect(syncSteps(A({ playing: false, t_ms: 12_345 }), B({ t_ms: 12_400 }))).toEqual([{ do: 'pause' }, { do: 'seek', t_ms: 12_345 }]);
    expect(syncSteps(A({ playing: false }), B({ playing: false }))).toEqual([]);
  });
  it('A plays at ×10: B takes the speed, catches up when it drifts, and plays', () => {
    expect(syncSteps(A({ speed: 10, t_ms: 30_000 }), B({ playing: false, t_ms: 20_000 }))).toEqual([{ do: 'speed', value: 10 }, { do: 'seek', t_ms: 30_000 }, { do: 'play' }]);
  });
  it('A seeked (a reset frame): B seeks too, even within the drift allowance', () => {
    expect(syncSteps(A({ reset: true, t_ms: 5000 }), B({ t_ms: 5100 }))).toEqual([{ do: 'seek', t_ms: 5000 }]);
  });
});

describe('mirrored faults', () => {
  const fault = (seq: number, t_ms: number, source: 'user' | 'script'): TimelineRecord => ({ seq, t_ms, kind: 'fault', action: { do: 'heal-all' }, source, text: 'heal all links' });
  it('only the user’s new faults, never a reset frame’s history or a script’s', () => {
    const f = { reset: false, records: [fault(1, 4000, 'user'), fault(2, 9000, 'user'), fault(3, 9000, 'script')] };
    expect(faultsToMirror(f, 5000).map((r) => r.seq)).toEqual([2]);
    expect(faultsToMirror({ ...f, reset: true }, 0)).toEqual([]);
  });
});

describe('the diff', () => {
  const scope = (id: string, mode: string, observed: string): ScopeView => ({ id, mode, observed, claimed: observed, weaker: [], basis: {} });
  const frame = (scopes: ScopeView[], requirements: Frame['requirements'] = []): Frame =>
    ({ run_id: 'r', t_ms: 0, until_ms: 0, playing: false, speed: 1, strategy: 's', nodes: [], links: [], messages: [], scopes, records: [], reset: false, metrics: {}, extras: {}, requirements, digest: '' }) as Frame;

  it('CP (A) vs AP (B) under a cut: apac Degraded in both, B keeps more Scope, Order and Visibility; us-east the same', () => {
    const a = frame([scope('apac', 'Degraded', '⟨Local, None, Fractured, EO, Idem, Auth⟩'), scope('us-east', 'Target', '⟨Global, SS, SER, BS(500ms), Idem, Auth⟩')]);
    const b = frame([scope('apac', 'Degraded', '⟨Range, Causal, RA, EO, Idem, Auth⟩'), scope('us-east', 'Target', '⟨Global, SS, SER, BS(500ms), Idem, Auth⟩')]);
    const [apac, us] = scopeDiffs(a, b);
    expect(apac!.components.filter((c) => c.a !== c.b).map((c) => [c.component, Math.sign(c.stronger)])).toEqual([
      ['scope', -1],
      ['order', -1],
      ['visibility', -1],
    ]);
    expect(us!.components.every((c) => c.a === c.b && c.stronger === 0)).toBe(true);
  });

  it('requirements and invariant violations side by side', () => {
    const a = frame([], [{ id: 'lat', text: 'p99 < 100 ms', value: 350, met: false }]);
    const b = frame([], [{ id: 'lat', text: 'p99 < 100 ms', value: 72, met: true }]);
    expect(requirementDiffs(a, b)).toEqual([{ id: 'lat', text: 'p99 < 100 ms', a: { value: 350, met: false }, b: { value: 72, met: true } }]);
    const v = (seq: number): TimelineRecord => ({ seq, t_ms: 0, kind: 'invariant', invariant: 'one-per-term', status: 'violated', text: 'x', evidence: [] });
    expect(invariantDiffs([{ id: 'one-per-term', name: 'One coordinator per term' }], [], [v(1), v(2)])).toEqual([{ id: 'one-per-term', name: 'One coordinator per term', a: 0, b: 2 }]);
  });
});
