/**
 * The contract between the engine and a scenario's protocol model. A model is a set of
 * handlers over its own plain-data state (so checkpoints can clone it); it talks to the
 * world only through ModelContext: messages, timers, evidence, invariant violations.
 * Modes, claims and observed G-vectors are NOT decided by the model: the engine's
 * services derive them from the evidence the model records and the measurements it
 * reports in observe().
 */
import type { ComponentName } from '../../src-shared/gvector';
import type { MetricValue } from '../../src-shared/ipc/frames';
import type { ParamValue, ScenarioSpec, StrategySpec } from '../../src-shared/scenario/types';
import type { EvidenceType } from '../../src-shared/timeline/records';
import type { Topology } from './network';
import type { Rng } from './rng';
import type { CompletionStatus, HistoryInput, RegValue } from './services/history';

export type EvidenceDetail = Record<string, string | number | boolean | string[] | number[]>;

export interface ModelContext {
  readonly now_ms: number;
  readonly spec: ScenarioSpec;
  readonly strategy: StrategySpec;
  readonly topo: Topology;
  readonly rng: Rng;
  /** Scenario parameters overlaid with the strategy's params. */
  param<T extends ParamValue>(name: string): T;
  /** Sends a message; it may be lost to a cut, a partition or link loss. */
  send(from: string, to: string, kind: string, body: unknown): void;
  /** Fires onTimer(node, name, data) after delay_ms of the node's local clock, unless the node crashes first. */
  setTimer(node: string, delay_ms: number, name: string, data?: unknown): void;
  isUp(node: string): boolean;
  /** The node's local clock (simulated time skewed by any clock-drift fault). */
  clock(node: string): number;
  /** Ground truth for monitors (not for protocol decisions): is the link between two nodes up? */
  linkUp(a: string, b: string): boolean;
  /** Records an evidence item on the timeline; returns its seq for citing. */
  evidence(type: EvidenceType, scope: string, node: string, extra?: { peer?: string; detail?: EvidenceDetail }): number;
  /** Records an invariant violation with the evidence behind it. */
  violation(invariant: string, text: string, evidence: number[]): void;
  /** The current mode of a scope (decided by the engine's mode service). */
  modeOf(scope: string): string;
  /**
   * Client history (services/history.ts): records the invocation of a client operation on the
   * register `key` and returns its op id. `input` is `{ f: 'read' }` or `{ f: 'write', value }`
   * (values unique per key). The client's scope is `scope`, else the client's group (a node
   * id, a group id, or `group/…`). The engine checks the history for linearizability and
   * derives the observed Order from the verdicts.
   */
  invoke(client: string, key: string, input: HistoryInput, scope?: string): number;
  /** Completes an operation: `ok` (reads: with the value read), `fail` (no effect), `info` (indeterminate). */
  complete(opId: number, status: CompletionStatus, output?: RegValue): void;
}

export interface ComponentObservation {
  /** The component in G-vector notation, e.g. 'Global', 'BS(200ms)'. */
  value: string;
  /** Why, in one line: the evidence or measurement it was derived from. */
  basis: string;
  evidence?: number[];
}

export type ScopeObservation = Record<ComponentName, ComponentObservation>;

/**
 * What a model's optional `analysis()` gets: the run being analysed and a way to replay
 * its scenario and action log headlessly with another strategy or seed (for
 * probabilities over seeds). Built by src-main/analysis/run-analysis.ts.
 */
export interface AnalysisContext {
  spec: ScenarioSpec;
  strategy: string;
  seed: number;
  t_ms: number;
  metrics: Record<string, MetricValue>;
  violations: Record<string, number>;
  /** Seeds to sweep (the scenario's `analysis.seeds`). */
  seeds: number;
  /** Simulated ms each replay runs (the scenario's `analysis.horizon`). */
  horizon_ms: number;
  /**
   * Replays the run's scenario and action log with this strategy and seed, deterministic;
   * stops early once `done(metrics)` holds (checked every 10 simulated seconds).
   */
  replay(o: { strategy: string; seed: number; until_ms?: number; done?: (metrics: Record<string, MetricValue>) => boolean }): ReplayResult;
  /** Yields to the host's event loop (call between replays: a sweep must not freeze the UI). */
  pause(): Promise<void>;
}

export interface ReplayResult {
  metrics: Record<string, MetricValue>;
  violations: Record<string, number>;
  /** Per scope, the modes entered in order (the initial mode first). */
  modes: Record<string, string[]>;
}

export interface ModelDefinition<S = unknown> {
  id: string;
  byzantineBehaviors?: readonly string[];
  init(ctx: ModelContext): S;
  start(state: S, ctx: ModelContext): void;
  onMessage(state: S, ctx: ModelContext, to: string, from: string, kind: string, body: unknown): void;
  onTimer(state: S, ctx: ModelContext, node: string, name: string, data: unknown): void;
  onCrash?(state: S, ctx: ModelContext, node: string): void;
  onRestart?(state: S, ctx: ModelContext, node: string): void;
  onByzantine?(state: S, ctx: ModelContext, node: string, behavior: string): void;
  /** Called every engine tick (tick_ms) for periodic checks. */
  tick?(state: S, ctx: ModelContext): void;
  /** Resolves the `@leader` selector. */
  leader(state: S, ctx: ModelContext): string | undefined;
  /** Measurements per scope from which the engine derives the observed G-vector. */
  observe(state: S, ctx: ModelContext, scope: string): ScopeObservation;
  roles(state: S, ctx: ModelContext): Record<string, string>;
  /** Scenario-specific drawing data (positions, walls, orbits…) sent with each frame. Plain JSON. */
  viewExtras?(state: S, ctx: ModelContext): Record<string, MetricValue>;
  metrics(state: S, ctx: ModelContext): Record<string, MetricValue>;
  /** Figures for the analysis panel (`{figure.<path>}` in the scenario's `analysis` answers), e.g. rates over seeds. */
  analysis?(a: AnalysisContext): Promise<Record<string, MetricValue>>;
}
