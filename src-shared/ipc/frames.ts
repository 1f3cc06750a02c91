/**
 * What the main-process host streams to the renderer while a run plays: one Frame per
 * animation tick, carrying the state to draw and the timeline records that are new
 * since the previous frame. Drawing is a pure function of the latest frame plus the
 * accumulated records, so a dropped frame costs nothing but smoothness.
 */
import type { ComponentName } from '../gvector';
import type { TimelineRecord } from '../timeline/records';
import type { ScenarioSpec } from '../scenario/types';
import type { NodesDelta } from './node-delta';

export interface NodeView {
  id: string;
  group: string;
  up: boolean;
  /** Protocol role for drawing, e.g. 'leader', 'follower', 'candidate'. */
  role: string;
  byzantine: boolean;
}

export interface LinkView {
  /** Group ids (or node ids for node-level links). */
  a: string;
  b: string;
  state: 'up' | 'cut' | 'lossy';
  latency_ms: number;
  loss: number;
}

export interface MessageView {
  id: number;
  from: string;
  to: string;
  kind: string;
  sent_ms: number;
  arrive_ms: number;
}

export interface ScopeView {
  id: string;
  mode: string;
  observed: string;
  claimed: string;
  /** Components where observed is weaker than claimed (a broken claim). */
  weaker: ComponentName[];
  /** Why each component has its observed value (one line each), for tooltips. */
  basis: Partial<Record<ComponentName, string>>;
}

export type MetricValue = number | string | boolean | null | { [k: string]: MetricValue } | MetricValue[];

export interface Frame {
  run_id: string;
  t_ms: number;
  until_ms: number;
  playing: boolean;
  speed: number;
  strategy: string;
  nodes: NodeView[];
  /**
   * On the wire only (./node-delta.ts): when set, `nodes` may hold just the records that
   * changed since this subscriber's previous frame of the run. The renderer decodes it
   * away before anything else sees the frame.
   */
  nodes_delta?: NodesDelta;
  links: LinkView[];
  messages: MessageView[];
  scopes: ScopeView[];
  /** Records appended since the previous frame sent to this subscriber. */
  records: TimelineRecord[];
  /** True when `records` restarts the timeline (after open, seek or strategy change). */
  reset: boolean;
  metrics: Record<string, MetricValue>;
  /** Scenario-specific drawing data from the model (positions, walls, orbits…). */
  extras: Record<string, MetricValue>;
  requirements: { id: string; text: string; value: number | null; met: boolean | null }[];
  digest: string;
  /** Set when the run stopped because of an error in the model. */
  error?: string;
}

export interface RunDescription {
  run_id: string;
  scenario: ScenarioSpec;
  strategy: string;
  seed: number;
}
