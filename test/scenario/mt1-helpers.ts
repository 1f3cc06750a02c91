/** Shared set-up for the MT-1 scenario tests (distributed cache invalidation). */
import { readFileSync } from 'node:fs';
import { loadScenarioDir, parseFaultScript } from '../../src-main/scenarios/scenario-store';
import { Simulation } from '../../src-main/engine/simulation';
import { getModel } from '../../src-main/engine/models';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import type { EvidenceRecord, ModeRecord } from '../../src-shared/timeline/records';

export const mt1: ScenarioSpec = loadScenarioDir('scenarios').get('mt1-cache-invalidation');

/** eu-west cut off from the primary and every other data centre at 30 s, healed at 150 s. */
export const PARTITION_EU_SHORT = readFileSync('scenarios/scripts/mt1-partition-eu-short.yaml', 'utf8');
/** The lecture demo: eu-west partitioned at 60 s for 30 minutes. */
export const PARTITION_EU_30MIN = readFileSync('scenarios/scripts/mt1-partition-eu.yaml', 'utf8');
/** The primary's site (database, queue, us-east) loses every other data centre from 30 s to 90 s. */
export const ISOLATE_PRIMARY = readFileSync('scenarios/scripts/mt1-isolate-primary.yaml', 'utf8');

export function mt1Sim(opts: { strategy: string; seed?: number; script?: string; params?: ScenarioSpec['parameters'] }): Simulation {
  const spec = opts.params ? { ...mt1, parameters: { ...mt1.parameters, ...opts.params } } : mt1;
  return new Simulation(spec, getModel(mt1.model), {
    strategy: opts.strategy,
    seed: opts.seed ?? 1,
    actions: opts.script ? parseFaultScript(opts.script, mt1) : [],
  });
}

export interface Pct {
  p50: number;
  p99: number;
  max: number;
}
import type { ServedRead } from '../../src-shared/views/served-read';
export type ReadMeta = ServedRead;
export interface DcView {
  id: string;
  mode: string;
  hit_rate: number;
  staleness_now_ms: number;
  served: number;
  refused: number;
  backlog: number;
  fenced: boolean;
  staleness_bound: string;
  last_stale_read: ReadMeta | null;
  last_refused_read: ReadMeta | null;
}

type M = Record<string, unknown>;
const m = (sim: Simulation) => sim.metrics() as unknown as M;
export const staleness = (sim: Simulation) => m(sim).staleness_ms as Record<string, Pct>;
export const stalenessAll = (sim: Simulation) => m(sim).staleness_all_ms as Pct & { count: number };
export const stalenessNow = (sim: Simulation) => m(sim).staleness_now_ms as Record<string, number>;
export const hitRate = (sim: Simulation) => m(sim).hit_rate as number;
export const writeLatency = (sim: Simulation) => m(sim).write_latency_ms as Pct & { acked: number; blocked: number; refused: number; committed: number };
export const dbLoad = (sim: Simulation) => m(sim).db_load as { reads_per_s: number; peak_reads_per_s: number; mean_reads_per_s: number; total_reads: number; polls: number };
export const cost = (sim: Simulation) =>
  m(sim).business_cost_usd as { refunds: number; lost_conversions: number; total: number; stale_views: number; refused_views: number };
export const availability = (sim: Simulation) => m(sim).availability as { reads: number; served: number; refused: number; refused_fraction: number };
export const invalidation = (sim: Simulation) =>
  m(sim).invalidation as { head: number; backlog_by_dc: Record<string, number>; replays: { dc: string; healed_ms: number; caught_up_ms: number; duration_ms: number; invalidations: number }[] };
export const dcView = (sim: Simulation, id: string) => (sim.viewExtras().dcs as unknown as DcView[]).find((d) => d.id === id)!;
export const recentReads = (sim: Simulation) => sim.viewExtras().recent_reads as unknown as ReadMeta[];
export const modeOf = (sim: Simulation, scope: string) => sim.scopeViews().find((s) => s.id === scope)!.mode;
export const modePath = (sim: Simulation, scope: string) => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope).map((r) => r.to);
export const modeRecords = (sim: Simulation, scope: string) => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope);
export const evidenceOf = (sim: Simulation, seq: number) => sim.timeline[seq] as EvidenceRecord;
export const noViolations = (sim: Simulation) => Object.values(sim.violations()).every((n) => n === 0);

export const DCS = [
  'us-east', 'us-central', 'us-west', 'ca-central', 'mx-central', 'sa-east', 'sa-west', 'eu-west', 'eu-southeast', 'eu-central',
  'eu-north', 'eu-south', 'me-central', 'af-south', 'ap-south', 'ap-southeast', 'ap-east', 'ap-northeast', 'ap-northeast-2', 'ap-southeast-2',
];
export const OTHER_DCS = DCS.filter((d) => d !== 'eu-west');
