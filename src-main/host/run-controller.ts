/**
 * One open run in the host: a Simulation plus playback. Simulated time is separate from
 * playback time (Runway): the host advances the simulation by `speed × wall time` on
 * each playback tick and streams a frame; pausing stops the clock, stepping advances it
 * by a fixed simulated amount, seeking jumps through the engine's checkpoints.
 */
import type { TimedAction } from '../../src-shared/actions/fault-actions';
import type { Frame, RunDescription } from '../../src-shared/ipc/frames';
import type { HistoryView } from '../../src-shared/history/types';
import type { RunLog } from '../../src-shared/ipc/contract';
import { effectiveParameters } from '../scenarios/action-log';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import type { TimelineRecord } from '../../src-shared/timeline/records';
import { getModel } from '../engine/models';
import { Simulation } from '../engine/simulation';

export const DEFAULT_UNTIL_MS = 30 * 60_000;
const MAX_RECORDS_PER_RESET = 5000;

export class RunController {
  sim: Simulation;
  playing = false;
  speed = 1;
  private sentRecords = 0;
  private needsReset = true;
  /** Bumped for every new Simulation (strategy switch, restart), so history versions never repeat. */
  private generation = 0;

  constructor(
    readonly run_id: string,
    readonly spec: ScenarioSpec,
    strategy: string,
    readonly seed: number,
    /** The log the run starts from (a fault script, or a session's action log with sources); Restart returns to it. */
    private readonly script: (TimedAction & { source?: 'script' | 'user' })[],
    readonly until_ms: number = DEFAULT_UNTIL_MS,
  ) {
    this.sim = this.build(strategy, script);
  }

  private build(strategy: string, actions: (TimedAction & { source?: 'script' | 'user' })[]): Simulation {
    const sim = new Simulation(this.spec, getModel(this.spec.model), { strategy, seed: this.seed, actions });
    sim.runUntil(0); // the t = 0 tick: observed G-vectors exist before the first Play
    this.generation += 1;
    return sim;
  }

  /** The client history view (lab:history); `view` is null when nothing changed since version `since`. */
  history(since?: number): { version: number; view: HistoryView | null } {
    const version = this.generation * 1_000_000_000 + this.sim.historyVersion;
    return { version, view: since === version ? null : this.sim.historyView() };
  }

  describe(): RunDescription {
    return { run_id: this.run_id, scenario: this.spec, strategy: this.sim.strategy.id, seed: this.seed };
  }

  /** Advances by simulated ms (bounded by until_ms); stops playing at the end or on error. */
  advance(sim_ms: number): void {
    const target = Math.min(this.until_ms, this.sim.now_ms + sim_ms);
    this.sim.runUntil(target);
    if (this.sim.now_ms >= this.until_ms || this.sim.error) this.playing = false;
  }

  seek(t_ms: number): void {
    this.sim.seek(Math.min(this.until_ms, Math.max(0, t_ms)));
    this.needsReset = true;
  }

  /** Same seed and action log under another strategy (A/B without leaving the run). */
  setStrategy(strategy: string): void {
    if (!this.spec.strategies.some((s) => s.id === strategy)) throw new Error(`unknown strategy "${strategy}"`);
    this.sim = this.sim.underStrategy(strategy);
    this.generation += 1;
    this.needsReset = true;
  }

  restart(): void {
    this.sim = this.build(this.sim.strategy.id, this.script);
    this.playing = false;
    this.needsReset = true;
  }

  act(action: unknown): string {
    return this.sim.act(action).text;
  }

  /** The action log and position: replaying `actions` to `t_ms` reproduces `digest`. */
  log(): RunLog {
    return {
      run_id: this.run_id,
      scenario: this.spec.id,
      strategy: this.sim.strategy.id,
      seed: this.seed,
      until_ms: this.until_ms,
      t_ms: this.sim.now_ms,
      digest: this.sim.digest(),
      actions: this.sim.actions.map(({ at_ms, action, source }) => ({ at_ms, action, source })),
      parameters: effectiveParameters(this.spec, this.sim.strategy.id),
    };
  }

  /** The next frame: state now, plus records not yet sent (all of them after a reset). */
  frame(): Frame {
    const all = this.sim.timeline;
    let records: TimelineRecord[];
    const reset = this.needsReset;
    if (reset) {
      records = all.slice(Math.max(0, all.length - MAX_RECORDS_PER_RESET));
      this.needsReset = false;
    } else {
      records = all.slice(this.sentRecords);
    }
    this.sentRecords = all.length;
    return {
      run_id: this.run_id,
      t_ms: this.sim.now_ms,
      until_ms: this.until_ms,
      playing: this.playing,
      speed: this.speed,
      strategy: this.sim.strategy.id,
      nodes: this.sim.nodeViews(),
      links: this.sim.networkLinks(),
      messages: this.sim.messageViews(),
      scopes: this.sim.scopeViews(),
      records,
      reset,
      metrics: this.sim.metrics(),
      extras: this.sim.viewExtras(),
      requirements: this.sim.requirementViews(),
      digest: this.sim.digest(),
      ...(this.sim.error ? { error: this.sim.error } : {}),
    };
  }
}
