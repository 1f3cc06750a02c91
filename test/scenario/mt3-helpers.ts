/** Shared set-up for the MT-3 scenario tests (CDN configuration propagation). */
import { readFileSync } from 'node:fs';
import { loadScenarioDir, parseFaultScript } from '../../src-main/scenarios/scenario-store';
import { Simulation } from '../../src-main/engine/simulation';
import { getModel } from '../../src-main/engine/models';
import type { ScenarioSpec } from '../../src-shared/scenario/types';

export const mt3: ScenarioSpec = loadScenarioDir('scenarios').get('mt3-cdn-config');

export const PARTITION_EU_WEST = readFileSync('scenarios/scripts/mt3-partition-region.yaml', 'utf8');
export const KILL_EU_WEST_HUB = readFileSync('scenarios/scripts/mt3-kill-hub.yaml', 'utf8');
export const KILL_EDGES = readFileSync('scenarios/scripts/mt3-kill-edges.yaml', 'utf8');

export function mt3Sim(opts: { strategy: string; seed?: number; script?: string; params?: ScenarioSpec['parameters'] }): Simulation {
  const spec = opts.params ? { ...mt3, parameters: { ...mt3.parameters, ...opts.params } } : mt3;
  return new Simulation(spec, getModel(mt3.model), {
    strategy: opts.strategy,
    seed: opts.seed ?? 1,
    actions: opts.script ? parseFaultScript(opts.script, mt3) : [],
  });
}

export interface Proof {
  version: number;
  proven: number;
  unproven: number;
  cannot_prove: number;
  proven_by: Record<string, number>;
  cannot_prove_regions: string[];
  cannot_prove_edges: string[];
  statement: string;
}

export interface Routing {
  policy: string;
  blocked_edges: number;
  warned_edges: number;
  serving_edges: number;
  requests_blocked: number;
  requests_warned: number;
}

export const propagation = (sim: Simulation) => sim.metrics().propagation_ms as { p50: number; p99: number; p999: number; max: number; count: number };
export const proof = (sim: Simulation) => sim.metrics().proof as unknown as Proof;
export const routing = (sim: Simulation) => sim.metrics().routing as unknown as Routing;
export const coverage = (sim: Simulation) => sim.metrics().coverage as number;
export const modeOf = (sim: Simulation, scope: string) => sim.scopeViews().find((s) => s.id === scope)!.mode;
export const modePath = (sim: Simulation, scope: string) => sim.timeline.filter((r) => r.kind === 'mode' && r.scope === scope).map((r) => (r.kind === 'mode' ? r.to : ''));

/** Codes in extras.edge_codes: 3 × proof (0 PROVEN, 1 UNPROVEN, 2 CANNOT PROVE) + truth (0 latest, 1 stale, 2 down). */
export function edgeCodes(sim: Simulation): string {
  return sim.viewExtras().edge_codes as string;
}

export const REGIONS = ['us-east', 'us-west', 'sa-east', 'eu-west', 'eu-central', 'af-south', 'me-central', 'ap-south', 'ap-northeast', 'ap-southeast'];
