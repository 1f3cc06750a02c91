/**
 * A/B comparison (issue 7): the open run (A) and a second run of the same scenario under
 * another strategy (B), on the same seed and the same action log, kept in lockstep:
 * B follows A's play / pause / speed, jumps to A's time when A seeks or pauses (so a
 * paused comparison is at exactly the same simulated time), and every fault the user
 * applies to A is applied to B. The diff (compare-diff.ts) reads both frames.
 *
 * B is an ordinary RunState with its own connection to the host: the host runs both.
 *
 * Two kinds (issue 7):
 * - 'strategies': B runs A's action log under another strategy; A's new faults are mirrored
 *   to B, so the only difference is the strategy.
 * - 'branches': B is the other branch of a fork — same scenario, strategy and seed, but B
 *   replays its own action log (the parent's) and nothing is mirrored: the branches differ
 *   on purpose (that is the "what if I had cut it 5 s earlier?").
 */
import type { LabApi } from '../../../src-shared/ipc/contract';
import type { Frame } from '../../../src-shared/ipc/frames';
import type { FaultRecord } from '../../../src-shared/timeline/records';
import type { LoggedAction } from '../../../src-shared/session/schema';
import { RunState, type RunEvent } from '../run-state.svelte';

/** Playing, B may trail or lead A by a frame or two; beyond this it is brought back. */
export const MAX_DRIFT_MS = 1500;

export interface CompareDeps {
  a: RunState;
  connect: () => Promise<LabApi>;
  /** Makes B (tests pass a stand-in). */
  makeRun?: () => RunState;
}

export type CompareKind = 'strategies' | 'branches';

/** B as the other branch of a fork: its own run, replayed from its own log. */
export interface BranchSpec {
  strategy: string;
  seed: number;
  until_ms: number;
  actions: LoggedAction[];
  /** How the two sides are named in the panel, e.g. "this branch (fork at 7.0 s)" / "parent". */
  labelA: string;
  labelB: string;
  /** A longer description of B (the parent session's name), for a tooltip. */
  titleB?: string;
}

/** Strategy comparisons replay A's faults on B; branches keep their own (they differ on purpose). */
export function mirrorsFaults(kind: CompareKind): boolean {
  return kind === 'strategies';
}

/** How B opens as the other branch: the branch's own log, strategy and seed (never A's). */
export function branchOpenOptions(spec: BranchSpec): { strategy: string; seed: number; until_ms: number; actions: LoggedAction[] } {
  return { strategy: spec.strategy, seed: spec.seed, until_ms: spec.until_ms, actions: spec.actions };
}

/** The user's faults in a frame of A, to be applied to B too (none from a reset: those are history). */
export function faultsToMirror(f: Pick<Frame, 'records' | 'reset'>, since_ms: number, kind: CompareKind = 'strategies'): FaultRecord[] {
  if (f.reset || !mirrorsFaults(kind)) return [];
  return (f.records ?? []).filter((r): r is FaultRecord => r.kind === 'fault' && r.source === 'user' && r.t_ms >= since_ms);
}

/** What B must do to follow A, given both states. Pure: the caller performs the steps in order. */
export type SyncStep = { do: 'pause' } | { do: 'play' } | { do: 'speed'; value: number } | { do: 'seek'; t_ms: number };

export function syncSteps(a: { playing: boolean; speed: number; t_ms: number; reset: boolean }, b: { playing: boolean; speed: number; t_ms: number }): SyncStep[] {
  const steps: SyncStep[] = [];
  if (b.speed !== a.speed) steps.push({ do: 'speed', value: a.speed });
  if (!a.playing) {
    if (b.playing) steps.push({ do: 'pause' });
    if (b.t_ms !== a.t_ms) steps.push({ do: 'seek', t_ms: a.t_ms });
    return steps;
  }
  if (a.reset || Math.abs(b.t_ms - a.t_ms) > MAX_DRIFT_MS) steps.push({ do: 'seek', t_ms: a.t_ms });
  if (!b.playing) steps.push({ do: 'play' });
  return steps;
}

export class Comparison {
  b = $state.raw<RunState | null>(null);
  starting = $state(false);
  /** What is being compared; set when B is open. */
  kind = $state<CompareKind>('strategies');
  /** Side names for a branch comparison (a strategy comparison names sides by strategy). */
  branch = $state.raw<Pick<BranchSpec, 'labelA' | 'labelB' | 'titleB'> | null>(null);

  #deps: CompareDeps;
  #unsubscribe: (() => void) | null = null;
  #since_ms = 0;
  /** B's commands run one after another, never interleaved. */
  #queue: Promise<unknown> = Promise.resolve();
  #pending = false;
  /**
   * A's time as of the newest frame heard. RunState presents frames once per animation
   * frame, after telling listeners, so `a.t_ms` can still be the previous frame's time here;
   * a paused step sends just one frame, and B must follow that one.
   */
  #aT: number | null = null;

  constructor(deps: CompareDeps) {
    this.#deps = deps;
  }

  get active(): boolean {
    return this.b !== null;
  }

  /** The strategies B may take: every other one of the scenario. */
  others(): { id: string; label: string }[] {
    const a = this.#deps.a;
    return (a.scenario?.strategies ?? []).filter((s) => s.id !== a.strategy).map((s) => ({ id: s.id, label: s.label }));
  }

  /** Compares A with the same scenario, seed and faults under `strategy`. */
  async start(strategy: string): Promise<boolean> {
    const a = this.#deps.a;
    const run = a.run;
    if (!run || !a.scenario || this.starting) return false;
    return this.#begin('strategies', async () => {
      const log = await a.request('lab:run-log', { run_id: run.run_id }, 'read the run log');
      if (!log.ok) {
        a.notify(log.message);
        return null;
      }
      return { strategy, seed: run.seed, actions: log.value.actions, what: `${a.scenario!.id} under ${strategy}` };
    });
  }

  /** Compares A (a fork) with the other branch: B replays `spec.actions`, nothing is mirrored. */
  async startBranch(spec: BranchSpec): Promise<boolean> {
    const a = this.#deps.a;
    if (!a.run || !a.scenario || this.starting) return false;
    const names = { labelA: spec.labelA, labelB: spec.labelB, ...(spec.titleB ? { titleB: spec.titleB } : {}) };
    const plan = { ...branchOpenOptions(spec), what: `the ${spec.labelB} branch` };
    return this.#begin('branches', async () => plan, names);
  }

  async #begin(
    kind: CompareKind,
    plan: () => Promise<{ strategy: string; seed: number; until_ms?: number; actions: LoggedAction[]; what: string } | null>,
    branch: Comparison['branch'] = null,
  ): Promise<boolean> {
    const a = this.#deps.a;
    const scenario = a.scenario!.id;
    this.stop();
    this.starting = true;
    try {
      if (a.playing) await a.togglePlay();
      const p = await plan();
      if (!p) return false;
      const b = this.#deps.makeRun?.() ?? new RunState();
      if (!(await b.connect(this.#deps.connect))) {
        a.notify('Compare: could not open a second connection to the host.');
        return false;
      }
      const ok = await b.open(scenario, { strategy: p.strategy, seed: p.seed, actions: p.actions, ...(p.until_ms ? { until_ms: p.until_ms } : {}) });
      if (!ok) {
        b.dispose();
        a.notify(`Compare: could not open ${p.what}.`);
        return false;
      }
      await b.seek(a.t_ms);
      this.#since_ms = a.t_ms;
      this.#aT = null;
      this.kind = kind;
      this.branch = branch;
      this.b = b;
      this.#unsubscribe = a.on((e) => this.#follow(e));
      return true;
    } finally {
      this.starting = false;
    }
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    const b = this.b;
    this.b = null;
    this.branch = null;
    if (b) {
      b.closeRun();
      b.dispose();
    }
  }

  #follow(e: RunEvent): void {
    const b = this.b;
    if (!b) return;
    if (e.type === 'opened') {
      // A opened another run (another scenario or session): the comparison is over.
      this.stop();
      return;
    }
    if (e.type !== 'frame') {
      this.#schedule();
      return;
    }
    for (const r of faultsToMirror(e.frame, this.#since_ms, this.kind)) {
      this.#since_ms = Math.max(this.#since_ms, r.t_ms);
      this.#queue = this.#queue.then(() => b.act(r.action));
    }
    if (e.frame.run_id === this.#deps.a.run?.run_id) this.#aT = e.frame.t_ms;
    if (e.frame.reset) this.#since_ms = e.frame.t_ms;
    this.#schedule(e.frame.reset);
  }

  /** One sync at a time: frames arrive faster than B can answer. */
  #schedule(reset = false): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#queue = this.#queue.then(async () => {
      this.#pending = false;
      const a = this.#deps.a;
      const b = this.b;
      if (!b) return;
      for (const s of syncSteps({ playing: a.playing, speed: a.speed, t_ms: this.#aT ?? a.t_ms, reset }, { playing: b.playing, speed: b.speed, t_ms: b.t_ms })) {
        if (s.do === 'pause' || s.do === 'play') await b.togglePlay();
        else if (s.do === 'speed') await b.setSpeed(s.value);
        else await b.seek(s.t_ms);
      }
    });
  }
}
