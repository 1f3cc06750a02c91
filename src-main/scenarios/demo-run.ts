/**
 * Plays a demo preset headless, step by step, exactly as the presenter does in the app: a
 * strategy switch replays the same seed and action log under the new strategy to the same
 * time (Simulation.underStrategy, as the app's switch does), the step's actions are applied at the current time,
 * then the run advances `run_for`. Used by the scenario tests that hold each preset to the
 * story DEMOS.md promises, and by `lab demo`.
 */
import type { DemoPreset } from '../../src-shared/demo/demo';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import { getModel } from '../engine/models';
import { Simulation } from '../engine/simulation';

export interface DemoStepResult {
  step: number;
  title: string;
  start_ms: number;
  end_ms: number;
  sim: Simulation;
}

/** Runs the demo; `onStep` sees the simulation at the end of every step (before the next one mutates it). */
export function runDemo(demo: DemoPreset, spec: ScenarioSpec, onStep: (r: DemoStepResult) => void = () => {}): Simulation {
  if (spec.id !== demo.scenario) throw new Error(`demo ${demo.id} is for ${demo.scenario}, not ${spec.id}`);
  let sim = new Simulation(spec, getModel(spec.model), { strategy: demo.strategy, seed: demo.seed, actions: [] });
  demo.steps.forEach((step, i) => {
    const start_ms = sim.now_ms;
    if (step.strategy && step.strategy !== sim.strategy.id) sim = sim.underStrategy(step.strategy);
    for (const a of step.actions) sim.act(a);
    if (step.run_for_ms > 0) sim.runUntil(start_ms + step.run_for_ms);
    onStep({ step: i + 1, title: step.title, start_ms, end_ms: sim.now_ms, sim });
  });
  return sim;
}
