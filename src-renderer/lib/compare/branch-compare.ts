/**
 * Fork ⇄ parent comparison (issue 7: "What if I had cut it 5 s earlier?"). A forked session
 * opens as A and the session it was forked from runs beside it as B — same scenario, seed
 * and strategy, but the parent's own full action log and no fault mirroring — in lockstep
 * (compare.svelte.ts). The pure part (what B is, how the sides are named, what to say when
 * the parent is gone) is separate from the wiring so it can be tested without a host.
 */
import type { ActionRegistry } from '../actions';
import type { SessionData } from '../../../src-shared/session';
import type { BranchSpec, Comparison } from './compare.svelte';
import type { SessionState } from '../sessions/session-state.svelte';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export type BranchPlan = { ok: true; spec: BranchSpec } | { ok: false; message: string };

/** What B is for the open session `fork`, given its parent as the library has it (undefined: not there). */
export function branchPlan(fork: Pick<SessionData, 'scenario' | 'forked_from'> | null, parent: SessionData | undefined): BranchPlan {
  const from = fork?.forked_from;
  if (!fork || !from) return { ok: false, message: 'This session is not a fork, so it has no parent branch to compare with. Use “Fork here” (F) first.' };
  if (!parent)
    return {
      ok: false,
      message: `The parent of this fork (forked at ${secs(from.t_ms)}) has been deleted from the library, so there is no parent branch to compare with. The fork itself is unaffected.`,
    };
  if (parent.scenario !== fork.scenario) return { ok: false, message: `The parent of this fork is a session of another scenario (${parent.scenario}): the branches cannot be compared.` };
  return {
    ok: true,
    spec: {
      strategy: parent.strategy,
      seed: parent.seed,
      until_ms: parent.until_ms,
      actions: parent.actions,
      labelA: `this branch (fork at ${secs(from.t_ms)})`,
      labelB: 'parent',
      titleB: parent.name,
    },
  };
}

/** Opens the open fork's parent beside it as B; says why not (e.g. the parent was deleted) otherwise. */
export async function compareWithParent(sessions: Pick<SessionState, 'current' | 'repo' | 'lab'>, compare: Pick<Comparison, 'startBranch'>): Promise<boolean> {
  const cur = sessions.current;
  const id = cur?.forked_from?.id;
  const parent = id ? await sessions.repo.get(id).catch(() => undefined) : undefined;
  const plan = branchPlan(cur, parent);
  if (!plan.ok) {
    sessions.lab.notify(plan.message);
    return false;
  }
  return compare.startBranch(plan.spec);
}

/**
 * "Compare with the parent branch" (Ctrl+F: F is "Fork here"; Ctrl+B compares strategies).
 * Toggles: while the branches are compared it stops (the fork stays open).
 */
export function registerBranchActions(reg: ActionRegistry, sessions: SessionState, compare: Comparison): ActionRegistry {
  const comparingBranches = () => compare.active && compare.kind === 'branches';
  reg.register({
    id: 'compare-parent',
    get label() {
      return comparingBranches() ? 'Stop comparing with the parent branch' : 'Compare with the parent branch (this fork beside the session it was forked from, one clock)';
    },
    keys: ['Ctrl+f'],
    group: 'Session',
    enabled: () => sessions.lab.run !== null && !compare.starting && (comparingBranches() || Boolean(sessions.current?.forked_from)),
    run: () => {
      if (comparingBranches()) return compare.stop();
      void compareWithParent(sessions, compare);
    },
  });
  return reg;
}
