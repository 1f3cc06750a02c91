/**
 * Fork ⇄ parent comparison (issue 7): B is the parent branch — same scenario, strategy and
 * seed, the parent's own full action log — and the fork's faults are NOT mirrored to it (the
 * branches differ on purpose), while a strategy comparison still mirrors them. A deleted
 * parent is reported in words, and nothing is opened.
 */
import { describe, expect, it, vi } from 'vitest';
import { branchOpenOptions, faultsToMirror, mirrorsFaults, syncSteps, type BranchSpec } from '../../src-renderer/lib/compare/compare.svelte';
import { branchPlan, compareWithParent, registerBranchActions } from '../../src-renderer/lib/compare/branch-compare';
import { buildActions } from '../../src-renderer/lib/app-actions';
import { registerSessionActions } from '../../src-renderer/lib/sessions/session-actions';
import type { Comparison } from '../../src-renderer/lib/compare/compare.svelte';
import type { RunState } from '../../src-renderer/lib/run-state.svelte';
import type { SessionState } from '../../src-renderer/lib/sessions/session-state.svelte';
import type { UiState } from '../../src-renderer/lib/ui-state.svelte';
import type { FaultAction } from '../../src-shared/actions/fault-actions';
import type { LoggedAction } from '../../src-shared/session/schema';
import type { SessionData } from '../../src-shared/session';
import type { TimelineRecord } from '../../src-shared/timeline/records';

const CUT: FaultAction = { do: 'partition', groups: [['apac'], ['us-east', 'eu-west']] };
const logged = (at_ms: number): LoggedAction => ({ at_ms, action: CUT, source: 'user' });

function session(over: Partial<SessionData>): SessionData {
  return {
    id: 'p',
    name: 'NT-1 · async-cp · lecture',
    scenario: 'nt1-log-replication',
    strategy: 'async-cp',
    seed: 42,
    until_ms: 1_800_000,
    parameters: {},
    actions: [],
    t_ms: 0,
    digest: '',
    horizon_ms: 0,
    notes: '',
    exercise: { answers: [], scores: {} },
    thumbnail: '',
    created_at: 0,
    updated_at: 0,
    forked_from: null,
    deleted_at: null,
    ...over,
  } as SessionData;
}

const userCut = (seq: number, t_ms: number): TimelineRecord => ({ seq, t_ms, kind: 'fault', action: CUT, source: 'user', text: 'isolate apac' });

describe('B as the parent branch', () => {
  const spec: BranchSpec = { strategy: 'async-cp', seed: 42, until_ms: 1_800_000, actions: [logged(12_000)], labelA: 'this branch (fork at 7.0 s)', labelB: 'parent' };

  it('opens with the parent’s own log, strategy and seed', () => {
    expect(branchOpenOptions(spec)).toEqual({ strategy: 'async-cp', seed: 42, until_ms: 1_800_000, actions: [logged(12_000)] });
  });

  it('the fork’s new cut is not applied to the parent; a strategy comparison still mirrors it', () => {
    const frame = { reset: false, records: [userCut(1, 7000)] };
    expect(mirrorsFaults('branches')).toBe(false);
    expect(faultsToMirror(frame, 7000, 'branches')).toEqual([]);
    expect(faultsToMirror(frame, 7000, 'strategies').map((r) => r.t_ms)).toEqual([7000]);
    expect(faultsToMirror(frame, 7000).map((r) => r.t_ms)).toEqual([7000]);
  });

  it('B follows A’s clock whatever the kind (lockstep is the same)', () => {
    expect(syncSteps({ playing: false, speed: 1, t_ms: 37_000, reset: false }, { playing: true, speed: 1, t_ms: 36_900 })).toEqual([{ do: 'pause' }, { do: 'seek', t_ms: 37_000 }]);
  });
});

describe('which parent, and what to say when there is none', () => {
  const fork = session({ id: 'f', forked_from: { id: 'p', t_ms: 7000 }, actions: [logged(7000)] });

  it('the parent’s full log, strategy and seed; sides named by branch', () => {
    const parent = session({ strategy: 'async-ap', seed: 9, actions: [logged(12_000)] });
    const plan = branchPlan(fork, parent);
    expect(plan).toEqual({
      ok: true,
      spec: { strategy: 'async-ap', seed: 9, until_ms: 1_800_000, actions: [logged(12_000)], labelA: 'this branch (fork at 7.0 s)', labelB: 'parent', titleB: 'NT-1 · async-cp · lecture' },
    });
  });

  it('not a fork, or the parent deleted: a sentence, not a failure', () => {
    expect(branchPlan(session({}), undefined)).toMatchObject({ ok: false, message: expect.stringMatching(/not a fork/) });
    expect(branchPlan(fork, undefined)).toMatchObject({ ok: false, message: expect.stringMatching(/parent of this fork \(forked at 7\.0 s\) has been deleted/) });
  });

  it('compareWithParent tells the user and opens nothing when the parent is gone', async () => {
    const notify = vi.fn();
    const startBranch = vi.fn(async () => true);
    const sessions = { current: fork, repo: { get: vi.fn(async () => undefined) }, lab: { notify } };
    expect(await compareWithParent(sessions as never, { startBranch })).toBe(false);
    expect(sessions.repo.get).toHaveBeenCalledWith('p');
    expect(startBranch).not.toHaveBeenCalled();
    expect(notify).toHaveBeenCalledWith(expect.stringMatching(/deleted/));
  });
});

describe('the actions', () => {
  function setup(current: SessionData | null) {
    const lab = { run: { run_id: 'run-1' }, scenario: { id: 'nt1-log-replication', groups: [], strategies: [] }, strategy: 'async-cp', t_ms: 0, notify: vi.fn() } as unknown as RunState;
    const ui = { help: false, selectedSeq: null, theme: 'auto', cycleTheme: vi.fn() } as unknown as UiState;
    const parent = session({ actions: [logged(12_000)] });
    const sessions = {
      lab,
      current,
      persisted: true,
      panel: null,
      deleted: null,
      repo: { get: vi.fn(async (id: string) => (id === parent.id ? parent : undefined)) },
      target: () => null,
      forkHere: vi.fn(async () => {
        sessions.current = session({ id: 'f', forked_from: { id: 'p', t_ms: 7000 } });
        return true;
      }),
    };
    const compare = { active: false, kind: 'strategies', starting: false, stop: vi.fn(), startBranch: vi.fn(async () => true) };
    const reg = registerSessionActions(buildActions(lab, ui), sessions as unknown as SessionState);
    reg.register({ id: 'compare', label: 'Compare A/B', keys: ['Ctrl+b'], group: 'Run', run: () => {} });
    registerBranchActions(reg, sessions as unknown as SessionState, compare as unknown as Comparison);
    return { reg, sessions, compare };
  }

  it('“Compare with the parent branch” has a key of its own and is offered only for a fork', () => {
    const { reg } = setup(session({}));
    expect(reg.get('compare-parent')?.keys).toEqual(['Ctrl+f']);
    expect(reg.forKey('Ctrl+f')).toBeUndefined();
    expect(setup(session({ forked_from: { id: 'p', t_ms: 7000 } })).reg.forKey('Ctrl+f')?.id).toBe('compare-parent');
  });

  it('“Fork here” opens the fork beside its parent', async () => {
    const { reg, sessions, compare } = setup(session({}));
    expect(reg.run('fork-here')).toBe(true);
    await vi.waitFor(() => expect(compare.startBranch).toHaveBeenCalled());
    expect(sessions.forkHere).toHaveBeenCalled();
    expect(compare.startBranch).toHaveBeenCalledWith(expect.objectContaining({ actions: [logged(12_000)], labelA: 'this branch (fork at 7.0 s)', labelB: 'parent' }));
  });

  it('while the branches are compared the same key stops it (the fork stays open)', () => {
    const { reg, compare } = setup(session({ forked_from: { id: 'p', t_ms: 7000 } }));
    Object.assign(compare, { active: true, kind: 'branches' });
    expect(reg.get('compare-parent')?.label).toMatch(/^Stop comparing/);
    reg.run('compare-parent');
    expect(compare.stop).toHaveBeenCalled();
    expect(compare.startBranch).not.toHaveBeenCalled();
  });
});
