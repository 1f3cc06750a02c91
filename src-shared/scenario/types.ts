/**
 * A scenario as the engine and the UI see it after loading and validating the file in
 * scenarios/ (see ./schema.ts for the file format and ./load.ts for parsing).
 * Durations in the file are strings ("250ms"); here they are numbers in ms.
 */
import type { Predicate } from './predicate';
import type { AnalysisSpec } from '../analysis/types';

export type TransferDistance = 'near' | 'medium' | 'far';
export type ParamValue = number | string | boolean;

export interface GroupSpec {
  id: string;
  label: string;
  /** [longitude, latitude] for map views; [x, y] in 0..1 for floor-plan views. */
  location?: [number, number];
  nodes: string[];
}

export interface LinkSpec {
  latency_ms: number;
  jitter_ms: number;
  loss: number;
}

export interface NetworkSpec {
  intra_group: LinkSpec;
  inter_group: LinkSpec;
  /** Overrides for specific group pairs. */
  pairs: { between: [string, string]; link: LinkSpec }[];
}

export interface StrategySpec {
  id: string;
  label: string;
  description: string;
  params: Record<string, ParamValue>;
  /** Mode id → claimed G-vector text, overriding the mode's default claim. */
  claims: Record<string, string>;
}

export interface ModeSpec {
  id: string;
  label: string;
  description: string;
  /** The claimed G-vector in this mode (notation text), unless a strategy overrides it. */
  claim: string;
  /** 0 = Target … 3 = Floor; drives colour and ordering in views. */
  severity: number;
}

export interface TransitionSpec {
  from: string[];
  to: string;
  when: Predicate;
}

export interface InvariantSpec {
  id: string;
  name: string;
  kind: 'safety' | 'liveness';
  description: string;
}

export interface ScenarioSpec {
  id: string;
  title: string;
  test: string;
  distance: TransferDistance;
  impossibility: string[];
  summary: string;
  /** Which engine model implements the protocol (src-main/engine/models). */
  model: string;
  view: string;
  groups: GroupSpec[];
  network: NetworkSpec;
  /** Model knobs; units in names (heartbeat_interval_ms). */
  parameters: Record<string, ParamValue>;
  /** Symbols used inside G-vectors, e.g. δ_repl → 500 (ms). */
  symbols: Record<string, number>;
  strategies: StrategySpec[];
  default_strategy: string;
  initial_mode: string;
  modes: ModeSpec[];
  transitions: TransitionSpec[];
  invariants: InvariantSpec[];
  /** Requirements shown as met/missed, e.g. write_latency_p99_ms < 100. */
  requirements: { id: string; text: string; metric: string; op: '<' | '<=' | '>' | '>=' | '=='; value: number }[];
  questions: string[];
  /** Path composition: a client's request, link hops, fixed hops (src-shared/gvector/path.ts). */
  composition?: CompositionSpec;
  /** The analysis panel's answers (optional; src-shared/analysis/types.ts). */
  analysis?: AnalysisSpec;
}

export interface CompositionSpec {
  /** What a client is called, e.g. "client" (the hop's label is `<client> (<group label>)`). */
  client: string;
  /** The G-vector a client request asks for, e.g. ⟨Global, SS, SER, Fresh(φ), Idem, Auth⟩. */
  request: string;
  /** A hop between two groups while their link is up; its Recency is the link's latency. */
  link: string;
  /** How the hop between groups is called, e.g. "gateway" (default "link"). */
  gateway: string;
  /** How the target group's hop is called, e.g. "replica". */
  replica: string;
  /** Fixed hops behind the replica, e.g. storage. */
  tail: { id: string; label: string; g: string }[];
}

/** What lists a scenario in the library and in `lab scenarios`. */
export interface ScenarioSummary {
  id: string;
  title: string;
  test: string;
  distance: TransferDistance;
  impossibility: string[];
  strategies: { id: string; label: string }[];
}

export function summarize(s: ScenarioSpec): ScenarioSummary {
  return {
    id: s.id,
    title: s.title,
    test: s.test,
    distance: s.distance,
    impossibility: s.impossibility,
    strategies: s.strategies.map((x) => ({ id: x.id, label: x.label })),
  };
}

export function claimFor(s: ScenarioSpec, strategyId: string, modeId: string): string {
  const strat = s.strategies.find((x) => x.id === strategyId);
  const mode = s.modes.find((m) => m.id === modeId);
  if (!mode) throw new Error(`unknown mode "${modeId}" in scenario ${s.id}`);
  return strat?.claims[modeId] ?? mode.claim;
}
