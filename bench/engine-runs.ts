/**
 * Headless engine runs for the benchmarks: load a scenario from scenarios/, build a
 * Simulation and run it for some simulated time, measuring wall and CPU time. Runs are
 * done in chunks of simulated time (equivalent to one runUntil: events, ticks and
 * actions fire by simulated time only) so that a wall-clock cap can stop a run that
 * would blow the whole benchmark's time, and so that the queue size can be sampled.
 */
import { join } from 'node:path';
import { Simulation } from '../src-main/engine/simulation';
import { getModel } from '../src-main/engine/models';
import { loadScenarioDir } from '../src-main/scenarios/scenario-store';
import type { ScenarioSpec } from '../src-shared/scenario/types';
import { REPO_ROOT } from './util';

export const NT1 = 'nt1-log-replication';

let specs: Map<string, ScenarioSpec> | null = null;

export function scenario(id: string): ScenarioSpec | null {
  if (!specs) specs = new Map(loadScenarioDir(join(REPO_ROOT, 'scenarios')).scenarios.map((s) => [s.id, s]));
  return specs.get(id) ?? null;
}

export type AnyModel = ReturnType<typeof getModel>;

export function makeSim(spec: ScenarioSpec, strategy: string, seed = 1, model: AnyModel = getModel(spec.model)): Simulation {
  return new Simulation(spec, model, { strategy, seed });
}

/** The engine's event-queue length (a private field: read for measurement only). */
export function queueSize(sim: Simulation): number {
  return (sim as unknown as { queue: { size: number } }).queue.size;
}

export interface EngineRun {
  scenario: string;
  strategy: string;
  /** Simulated ms actually reached (less than asked when the wall cap stopped it). */
  sim_ms: number;
  asked_ms: number;
  complete: boolean;
  events: number;
  wall_ms: number;
  cpu_ms: number;
  events_per_s: number;
  records: number;
  checkpoints: number;
  error: string | null;
  queue?: { median: number; p95: number; max: number };
}

export interface RunOptions {
  seed?: number;
  /** Stop (incomplete) once this much wall time has passed. */
  cap_wall_ms?: number;
  /** Simulated ms per runUntil call. */
  chunk_ms?: number;
  /** Sample the queue length after every chunk. */
  sampleQueue?: boolean;
  /** Run this model instead of the scenario's (e.g. the no-op model of noop-model.ts). */
  model?: AnyModel;
}

export function runEngine(spec: ScenarioSpec, strategy: string, until_ms: number, opts: RunOptions = {}): EngineRun & { sim: Simulation } {
  const chunk = opts.chunk_ms ?? 10_000;
  const cap = opts.cap_wall_ms ?? Infinity;
  const samples: number[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const sim = makeSim(spec, strategy, opts.seed ?? 1, opts.model);
  let t = 0;
  while (t < until_ms && !sim.error) {
    t = Math.min(until_ms, t + chunk);
    sim.runUntil(t);
    if (opts.sampleQueue) samples.push(queueSize(sim));
    if (performance.now() - t0 > cap) break;
  }
  const wall_ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const run: EngineRun & { sim: Simulation } = {
    sim,
    scenario: spec.id,
    strategy,
    sim_ms: sim.now_ms,
    asked_ms: until_ms,
    complete: sim.now_ms >= until_ms,
    events: sim.eventCount,
    wall_ms,
    cpu_ms: (c.user + c.system) / 1000,
    events_per_s: (sim.eventCount / wall_ms) * 1000,
    records: sim.timeline.length,
    checkpoints: sim.checkpointCount,
    error: sim.error,
  };
  if (samples.length > 0) {
    const s = [...samples].sort((a, b) => a - b);
    run.queue = { median: s[s.length >> 1]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!, max: s[s.length - 1]! };
  }
  return run;
}

/** Drops the Simulation so that the caller keeps only figures (lets the heap be collected). */
export function figures(r: EngineRun & { sim?: Simulation }): EngineRun {
  const { sim: _sim, ...rest } = r;
  return rest;
}
