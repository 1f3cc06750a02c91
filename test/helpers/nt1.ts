import { readFileSync } from 'node:fs';
import { loadScenarioDir, parseFaultScript } from '../../src-main/scenarios/scenario-store';
import { Simulation } from '../../src-main/engine/simulation';
import { getModel } from '../../src-main/engine/models';
import type { ScenarioSpec } from '../../src-shared/scenario/types';

export const store = loadScenarioDir('scenarios');
export const nt1: ScenarioSpec = store.get('nt1-log-replication');

export function script(text: string) {
  return parseFaultScript(text, nt1);
}

export const CUT_APAC = readFileSync('scenarios/scripts/nt1-cut-apac.yaml', 'utf8');

export function runNt1(opts: { strategy?: string; seed?: number; script?: string; until_ms: number }): Simulation {
  const sim = new Simulation(nt1, getModel(nt1.model), {
    strategy: opts.strategy,
    seed: opts.seed ?? 1,
    actions: opts.script ? script(opts.script) : [],
  });
  sim.runUntil(opts.until_ms);
  return sim;
}
