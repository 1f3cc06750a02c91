/**
 * NT-2 demo 3: 40% packet loss under interference. The coordinator is killed while the
 * whole mesh loses 40% of its frames on every hop (scenario parameter interference_loss,
 * the seed's figure). Randomized timeouts converge faster than the fixed-timeout failure
 * detector (mean over 5 seeds), whose candidates split the votes and retry; loss makes
 * every election cost more radio frames (retransmissions) and battery.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateFaultScript } from '../../src-shared/actions/validate';
import { parseScenarioText } from '../../src-shared/scenario/load';
import type { EvidenceRecord } from '../../src-shared/timeline/records';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import type { ModelDefinition } from '../../src-main/engine/model-api';
import { iotElectionModel } from '../../src-main/engine/models/iot-election';
import { buildTopology } from '../../src-main/engine/network';
import { Simulation } from '../../src-main/engine/simulation';

const model = iotElectionModel as unknown as ModelDefinition<unknown>;
const nt2 = parseScenarioText(readFileSync('scenarios/nt2-iot-election.yaml', 'utf8'), 'scenarios/nt2-iot-election.yaml');
const KILL = readFileSync('scenarios/scripts/nt2-kill-leader.yaml', 'utf8');
const INTERFERENCE = readFileSync('scenarios/scripts/nt2-interference.yaml', 'utf8');
const SEEDS = [1, 2, 3, 4, 5];

const withParams = (params: Record<string, number>): ScenarioSpec => ({ ...nt2, parameters: { ...nt2.parameters, ...params } });

function run(o: { strategy: string; seed?: number; script?: string; until_ms: number; spec?: ScenarioSpec }): Simulation {
  const spec = o.spec ?? nt2;
  const t = buildTopology(spec);
  const actions = o.script ? validateFaultScript(parseYaml(o.script), { nodes: new Set(t.nodes), groups: new Set(t.groups) }) : [];
  const sim = new Simulation(spec, model, { strategy: o.strategy, seed: o.seed ?? 1, actions });
  sim.runUntil(o.until_ms);
  return sim;
}

type Metrics = { election_ms: number[]; messages_per_election: number; battery_used_mAh: { total: number }; elections: { attempts: number; completed: number; failed_attempts: number } };
const metrics = (sim: Simulation) => sim.metrics() as unknown as Metrics;
const evidence = (sim: Simulation, type: string) => sim.timeline.filter((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === type);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const LOSSY = withParams({ interference_loss: 0.4 });

/** The election that the kill caused: no election may have completed before the kill. */
function killElection(sim: Simulation): number {
  const before = evidence(sim, 'quorum-cert').filter((c) => c.detail!.adopted === false && c.t_ms > 0 && c.t_ms < 20_000);
  expect(before).toEqual([]);
  return metrics(sim).election_ms[0]!;
}

describe('NT-2 under 40% loss on every hop: randomized vs fixed timeouts (5 seeds)', () => {
  const randomized = SEEDS.map((seed) => run({ strategy: 'randomized', seed, script: KILL, until_ms: 140_000, spec: LOSSY }));
  const fixed = SEEDS.map((seed) => run({ strategy: 'timeout', seed, script: KILL, until_ms: 140_000, spec: LOSSY }));

  it('randomized timeouts converge faster than the plain timeout detector (mean election time)', () => {
    const r = mean(randomized.map(killElection));
    const f = mean(fixed.map(killElection));
    expect(r).toBeLessThan(1_000);
    expect(f).toBeGreaterThan(5 * r);
    // Every randomized election certifies a coordinator well inside the 60 s requirement.
    for (const sim of randomized) expect(sim.requirementViews().find((q) => q.id === 'failover-60s')!.met).toBe(true);
  });

  it('the fixed-timeout candidates collide: split votes (quorum-failed, cited) and retries in new terms', () => {
    const failed = fixed.flatMap((sim) => evidence(sim, 'quorum-failed'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => Number(f.detail!.votes) < Number(f.detail!.needed))).toBe(true);
    const attempts = fixed.reduce((a, sim) => a + metrics(sim).elections.attempts, 0);
    const completed = fixed.reduce((a, sim) => a + metrics(sim).elections.completed, 0);
    expect(attempts).toBeGreaterThan(completed + 10);
  });

  it('safety holds under loss for both: at most one coordinator per term', () => {
    for (const sim of [...randomized, ...fixed]) expect(sim.violations()['one-coordinator-per-term']).toBe(0);
  });
});

describe('NT-2 what loss costs', () => {
  it('an election over a lossy mesh needs more radio frames (retransmissions) and more battery', () => {
    const clean = SEEDS.map((seed) => run({ strategy: 'randomized', seed, script: KILL, until_ms: 100_000 }));
    const lossy = SEEDS.map((seed) => run({ strategy: 'randomized', seed, script: KILL, until_ms: 100_000, spec: LOSSY }));
    const frames = (sims: Simulation[]) => mean(sims.map((s) => metrics(s).messages_per_election));
    const battery = (sims: Simulation[]) => mean(sims.map((s) => metrics(s).battery_used_mAh.total));
    expect(frames(lossy)).toBeGreaterThan(1.5 * frames(clean));
    expect(battery(lossy)).toBeGreaterThan(battery(clean));
  });

  it('missed heartbeats under loss make sensors suspect a live coordinator (false suspicions)', () => {
    // Without any crash: over 10 minutes some sensor misses 3+ heartbeat floods in a row.
    const sims = [1, 2, 3].map((seed) => run({ strategy: 'timeout', seed, until_ms: 600_000, spec: LOSSY }));
    const suspicions = sims.flatMap((s) => evidence(s, 'version').filter((v) => v.detail!.cause === 'heartbeat timeout'));
    expect(suspicions.length).toBeGreaterThan(0);
    for (const s of sims) expect(s.violations()['one-coordinator-per-term']).toBe(0);
  });
});

describe('NT-2 interference script (40% on the hops across zone boundaries, 10 s → 100 s)', () => {
  it('applies as set-link faults; the fixed detector splits votes where randomized elects at once', () => {
    const r = run({ strategy: 'randomized', script: INTERFERENCE, until_ms: 120_000 });
    const f = run({ strategy: 'timeout', script: INTERFERENCE, until_ms: 120_000 });
    const faults = r.timeline.filter((x) => x.kind === 'fault');
    expect(faults.filter((x) => x.kind === 'fault' && x.action.do === 'set-link')).toHaveLength(8);
    expect(faults.some((x) => x.kind === 'fault' && x.action.do === 'kill')).toBe(true);
    expect(metrics(r).election_ms).toHaveLength(1);
    expect(metrics(r).election_ms[0]).toBeLessThan(1_000);
    expect(evidence(f, 'quorum-failed').length).toBeGreaterThan(0);
    expect(metrics(f).election_ms[0]).toBeGreaterThan(10 * metrics(r).election_ms[0]!);
  });
});
