/**
 * FT-3 supply chain (DEMOS.md FT-3): the supplier goes silent — every acknowledgement asks
 * for another (Two Generals), the assembler's confidence mode drops, and escrow versus
 * contract changes whether the customer commitment is made; a lying supplier ("shipped"
 * without a pickup) is caught by escrow and the ledger, while the contract pays the $5M
 * penalty. Seed 1 is the demo seed. Also: the analysis panel and the demo preset.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateFaultScript } from '../../src-shared/actions/validate';
import { parseGVector } from '../../src-shared/gvector';
import { parseScenarioText } from '../../src-shared/scenario/load';
import type { EvidenceRecord, InvariantRecord, ModeRecord, TimelineRecord } from '../../src-shared/timeline/records';
import type { ModelDefinition } from '../../src-main/engine/model-api';
import { supplyChainModel } from '../../src-main/engine/models/supply-chain';
import { getModel } from '../../src-main/engine/models';
import { buildTopology } from '../../src-main/engine/network';
import { Simulation } from '../../src-main/engine/simulation';
import { analyseRun } from '../../src-main/analysis/run-analysis';
import { segmentsText } from '../../src-shared/analysis/template';
import { loadScenarioDir } from '../../src-main/scenarios/scenario-store';
import { loadDemoDir } from '../../src-main/scenarios/demo-store';
import { runDemo } from '../../src-main/scenarios/demo-run';

const model = supplyChainModel as unknown as ModelDefinition<unknown>;
const ft3 = parseScenarioText(readFileSync('scenarios/ft3-supply-chain.yaml', 'utf8'), 'scenarios/ft3-supply-chain.yaml');
const SILENT = readFileSync('scenarios/scripts/ft3-supplier-silent.yaml', 'utf8');
const LIAR = readFileSync('scenarios/scripts/ft3-false-shipped.yaml', 'utf8');
const TRACKING = readFileSync('scenarios/scripts/ft3-tracking-delayed.yaml', 'utf8');
const SEED = 1;
const UNTIL = 45_000; // day 45: past 15 March

function actions(text: string) {
  const t = buildTopology(ft3);
  return validateFaultScript(parseYaml(text), { nodes: new Set(t.nodes), groups: new Set(t.groups), byzantineBehaviors: ['false-shipped'] });
}

function run(strategy: string, script?: string, until_ms = UNTIL, seed = SEED): Simulation {
  const sim = new Simulation(ft3, model, { strategy, seed, actions: script ? actions(script) : [] });
  sim.runUntil(until_ms);
  return sim;
}

type Metrics = {
  customer_commitment_made: number | null;
  commitment: { made: boolean; day: number; basis: string; supply_confirmed: boolean } | null;
  commit_without_supply: number | null;
  penalty_usd: number;
  penalty_recovered_usd: number;
  lost_order_usd: number;
  net_cost_usd: number;
  acks_exchanged: number;
  ack_retries: number;
  ack_depth: number;
  certainty_reached: boolean;
  supplier_confidence: number;
  tracking_staleness_max_ms: number;
  false_claims_accepted: number;
  false_claims_detected: number;
  deposit_verified: boolean;
  lots: { delivered: number; verified: number; on_time: number; late: number };
};
const metrics = (sim: Simulation) => sim.metrics() as unknown as Metrics;
const modesOf = (sim: Simulation, scope: string) => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope);
const entered = (sim: Simulation, scope: string) => modesOf(sim, scope).map((m) => m.to);
const evidence = (sim: Simulation, type: string, scope = 'assembler') => sim.timeline.filter((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === type && r.scope === scope);
const violations = (sim: Simulation, id: string) => sim.timeline.filter((r): r is InvariantRecord => r.kind === 'invariant' && r.invariant === id);
const cited = (sim: Simulation, seqs: number[]): TimelineRecord[] => seqs.map((s) => sim.timeline[s]!);
const view = (sim: Simulation, scope = 'assembler') => sim.scopeViews().find((s) => s.id === scope)!;

describe('FT-3 scenario file', () => {
  it('declares the seed: FT-3, partners on the world map, three strategies, confidence modes with claims, invariants, five answered questions', () => {
    expect(ft3.id).toBe('ft3-supply-chain');
    expect(ft3.test).toBe('FT-3');
    expect(getModel(ft3.model)).toBe(model);
    expect(ft3.view).toBe('world-map');
    expect(ft3.groups.map((g) => g.id)).toEqual(['supplier', 'assembler', 'logistics', 'customer', 'escrow']);
    for (const g of ft3.groups) expect(g.location).toHaveLength(2);
    expect(ft3.strategies.map((s) => s.id)).toEqual(['contract', 'escrow', 'ledger']);
    expect(ft3.modes.map((m) => m.id)).toEqual(['Target', 'Degraded', 'Floor', 'Recovery', 'Byzantine']);
    for (const m of ft3.modes) expect(() => parseGVector(m.claim, { symbols: ft3.symbols })).not.toThrow();
    for (const s of ft3.strategies) for (const c of Object.values(s.claims ?? {})) expect(() => parseGVector(c, { symbols: ft3.symbols })).not.toThrow();
    expect(ft3.invariants.map((i) => [i.id, i.kind])).toEqual([
      ['commit-with-confirmed-supply', 'safety'],
      ['no-false-claim', 'safety'],
      ['customer-deadline', 'liveness'],
    ]);
    expect(ft3.questions).toHaveLength(5);
    expect(ft3.analysis!.answers.map((a) => a.question)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('FT-3 no faults (seed 1)', () => {
  const sims = Object.fromEntries(['contract', 'escrow', 'ledger'].map((s) => [s, run(s)]));

  it('every strategy commits on day 19 and delivers by 15 March; no invariant is violated', () => {
    for (const [id, sim] of Object.entries(sims)) {
      const m = metrics(sim);
      expect(m.commitment, id).toMatchObject({ made: true, day: 19, supply_confirmed: true });
      expect(m.penalty_usd, id).toBe(0);
      expect(sim.violations(), id).toEqual({ 'commit-with-confirmed-supply': 0, 'no-false-claim': 0, 'customer-deadline': 0 });
      expect(entered(sim, 'assembler'), id).toEqual([]);
    }
    expect(metrics(sims.escrow!).lots.verified).toBe(4);
    expect(metrics(sims.contract!).lots.verified).toBe(0);
  });

  it('Two Generals: dozens of acks, each answering the previous, and certainty is never reached', () => {
    const sim = sims.contract!;
    const m = metrics(sim);
    expect(m.acks_exchanged).toBeGreaterThan(20);
    expect(m.certainty_reached).toBe(false);
    const acks = [...evidence(sim, 'ack', 'assembler'), ...evidence(sim, 'ack', 'supplier')].sort((a, b) => a.seq - b.seq);
    const depths = acks.map((a) => a.detail!.depth as number);
    expect(depths.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(depths).toEqual([...depths].sort((a, b) => a - b));
    expect(acks.every((a) => a.detail!.certain === false)).toBe(true);
    expect(m.ack_retries).toBeGreaterThan(0); // the channel is lossy
  });

  it('G-vectors: the contract is the supplier’s word (Auth(contract)); escrow and ledger verify signed scans', () => {
    expect(view(sims.contract!).observed).toMatch(/^⟨Global, Causal, Fractured, BS\(\ds\), None, Auth\(contract\)⟩$/);
    expect(view(sims.escrow!).observed).toMatch(/Idem\(lot\), Auth\(signed_scan\)⟩$/);
    expect(view(sims.ledger!).observed).toMatch(/^⟨Global, Lx, SI, .*Auth\(signed_scan\)⟩$/);
  });

  it('is deterministic: the same seed gives the same digest', () => {
    expect(run('contract').digest()).toBe(sims.contract!.digest());
    expect(run('contract', undefined, UNTIL, 2).digest()).not.toBe(sims.contract!.digest());
  });
});

describe('FT-3 the supplier goes silent on day 16 (seed 1)', () => {
  const contract = run('contract', SILENT);
  const escrow = run('escrow', SILENT);
  const ledger = run('ledger', SILENT);

  it('the assembler’s confidence drops: Target → Degraded → Floor, citing the confidence gauge fed by missed status reports', () => {
    for (const sim of [contract, escrow, ledger]) expect(entered(sim, 'assembler')).toEqual(['Degraded', 'Floor']);
    const change = modesOf(contract, 'assembler')[0]!;
    const probe = cited(contract, change.evidence).find((r) => r.kind === 'evidence' && r.type === 'probe') as EvidenceRecord;
    expect(probe.detail).toMatchObject({ gauge: 'supplier_confidence' });
    expect(probe.detail!.value as number).toBeLessThan(80);
    const missed = cited(contract, probe.detail!.cites as number[])[0] as EvidenceRecord;
    expect(missed).toMatchObject({ type: 'heartbeat-missed', peer: 'supplier' });
    expect(metrics(contract).supplier_confidence).toBeLessThan(50);
  });

  it('every ack asks for another: the assembler resends its last ack into the silence', () => {
    const quiet = evidence(contract, 'ack', 'assembler').filter((a) => a.t_ms > 16_600); // nothing after the last message in flight
    expect(quiet).toHaveLength(0);
    expect(metrics(contract).ack_retries).toBeGreaterThan(metrics(run('contract')).ack_retries);
    expect(metrics(contract).certainty_reached).toBe(false);
  });

  it('contract: commits on the supplier’s word (Degraded), misses 15 March and pays $5M that it cannot recover; safety violated', () => {
    const m = metrics(contract);
    expect(m.commitment).toMatchObject({ made: true, day: 19, supply_confirmed: false });
    expect(m.commitment!.basis).toMatch(/Degraded/);
    expect(m.penalty_usd).toBe(5_000_000);
    expect(m.penalty_recovered_usd).toBe(0);
    expect(m.net_cost_usd).toBe(5_000_000);
    const [v] = violations(contract, 'commit-with-confirmed-supply');
    expect(v!.text).toMatch(/supplier is silent/);
    expect(cited(contract, v!.evidence).map((r) => (r as EvidenceRecord).type)).toContain('ack');
    expect(violations(contract, 'customer-deadline')).toHaveLength(1);
  });

  it('escrow and ledger: lot 3 has no signed pickup scan on day 19, so the commitment is not made — no penalty, the deposit covers the lost margin', () => {
    for (const sim of [escrow, ledger]) {
      const m = metrics(sim);
      expect(m.commitment).toMatchObject({ made: false, day: 19 });
      expect(m.commitment!.basis).toMatch(/lot\(s\) 3 due to ship but not verified/);
      expect(m.penalty_usd).toBe(0);
      expect(m.lost_order_usd).toBe(1_500_000);
      expect(m.penalty_recovered_usd).toBe(1_500_000);
      expect(m.net_cost_usd).toBe(0);
      expect(sim.violations()).toEqual({ 'commit-with-confirmed-supply': 0, 'no-false-claim': 0, 'customer-deadline': 0 });
      expect(evidence(sim, 'write-refused', 'customer')).toHaveLength(1);
    }
  });

  it('observed G-vector: Scope Range and Recency EO once the supplier has been silent for days', () => {
    expect(view(contract).observed).toBe('⟨Range, Causal, Fractured, EO, None, Unauth⟩');
  });
});

describe('FT-3 a lying supplier: "shipped" claims without a pickup (seed 1)', () => {
  it('contract: the false claims count as supply, the assembler commits, pays the $5M penalty, and the supplier disputes it', () => {
    const sim = run('contract', LIAR);
    const m = metrics(sim);
    expect(m.false_claims_accepted).toBeGreaterThan(0);
    expect(m.false_claims_detected).toBe(0);
    expect(m.commitment).toMatchObject({ made: true, supply_confirmed: false });
    expect(m.penalty_usd).toBe(5_000_000);
    expect(m.penalty_recovered_usd).toBe(0);
    expect(violations(sim, 'no-false-claim')).toHaveLength(1);
    expect(violations(sim, 'commit-with-confirmed-supply')).toHaveLength(1);
    expect(violations(sim, 'customer-deadline')).toHaveLength(1);
    expect(evidence(sim, 'write-refused').some((e) => e.detail!.penalty_disputed === true)).toBe(true);
    expect(entered(sim, 'assembler')).not.toContain('Byzantine');
  });

  for (const strategy of ['escrow', 'ledger']) {
    it(`${strategy}: the claim fails verification against logistics' scan — accusation, Byzantine, no commitment, no penalty`, () => {
      const sim = run(strategy, LIAR);
      const m = metrics(sim);
      expect(m.false_claims_detected).toBeGreaterThan(0);
      expect(m.false_claims_accepted).toBe(0);
      expect(evidence(sim, 'sig-failed').length).toBeGreaterThan(0);
      const acc = evidence(sim, 'accusation')[0]!;
      expect(acc.peer).toBe('supplier');
      expect(entered(sim, 'assembler')).toEqual(['Byzantine']);
      expect(cited(sim, modesOf(sim, 'assembler')[0]!.evidence).map((r) => (r as EvidenceRecord).type)).toEqual(['accusation']);
      expect(m.commitment).toMatchObject({ made: false });
      expect(m.penalty_usd).toBe(0);
      expect(sim.violations()).toEqual({ 'commit-with-confirmed-supply': 0, 'no-false-claim': 0, 'customer-deadline': 0 });
      expect(view(sim).observed).toMatch(/, Unauth⟩$/);
    });
  }
});

describe('FT-3 tracking delayed and lossy (seed 1)', () => {
  it('tracking staleness grows past two days: the requirement is missed and Recency weakens', () => {
    const base = metrics(run('escrow'));
    const sim = run('escrow', TRACKING, 25_000);
    const m = metrics(sim);
    expect(base.tracking_staleness_max_ms).toBeLessThanOrEqual(2000);
    expect(m.tracking_staleness_max_ms).toBeGreaterThan(3000);
    expect(sim.requirementViews().find((q) => q.id === 'tracking-fresh')!.met).toBe(false);
    const gvecs = sim.timeline.filter((r) => r.kind === 'gvector' && (r as unknown as { scope: string }).scope === 'assembler');
    expect(gvecs.map((g) => (g as unknown as { observed: string }).observed).some((o) => /, BS\(3s\), Idem\(lot\)/.test(o))).toBe(true);
    expect(gvecs.length).toBeLessThan(80); // Recency moves by whole days, not every tick
  });
});

describe('FT-3 analysis: the five questions bound to the run', () => {
  it('replays the run’s faults per strategy: with a silent supplier the contract commits without confirmed supply, escrow and ledger never do', async () => {
    const sim = run('contract', SILENT);
    const v = (await analyseRun(sim, { seeds: 3 }))!;
    const f = v.figures as { per_strategy: Record<string, { unconfirmed_commit_rate: number; penalty_rate: number; certainty_reached: number }>; unconfirmed_commit_pct: Record<string, string> };
    expect(Object.keys(f.per_strategy)).toEqual(['contract', 'escrow', 'ledger']);
    expect(f.per_strategy.contract!.unconfirmed_commit_rate).toBe(1);
    expect(f.per_strategy.contract!.penalty_rate).toBe(1);
    expect(f.per_strategy.escrow!.unconfirmed_commit_rate).toBe(0);
    expect(f.per_strategy.ledger!.penalty_rate).toBe(0);
    expect(v.answers).toHaveLength(5);
    const q1 = v.answers[0]!;
    expect(q1.segments.find((s) => s.ref === 'metric.certainty_reached')!.text).toBe('no');
    expect(Number(q1.segments.find((s) => s.ref === 'metric.acks_exchanged')!.text)).toBeGreaterThan(20);
    expect(v.answers[1]!.segments.find((s) => s.ref === 'invariant.commit-with-confirmed-supply')).toMatchObject({ text: 'VIOLATED (1×)', tone: 'bad' });
    expect(segmentsText(v.answers[2]!.segments)).toContain(`without confirmed supply in ${f.unconfirmed_commit_pct.contract}`);
    expect(segmentsText(v.answers[3]!.segments)).toMatch(/went Target → Degraded → Floor/);
    expect(segmentsText(v.answers[4]!.segments)).not.toContain('missing');
  });
});

describe('FT-3 demo preset (DEMOS.md FT-3)', () => {
  const store = loadScenarioDir('scenarios');
  const demos = loadDemoDir('scenarios/demos', store.scenarios);
  const demo = demos.demos.find((d) => d.id === 'ft3-supply-chain');

  it('loads without errors', () => {
    expect(demos.errors.filter((e) => e.file.startsWith('ft3'))).toEqual([]);
    expect(demo).toBeDefined();
  });

  it('the supplier goes silent: acks stop being answered, confidence drops, the contract commits and pays; escrow does not commit', () => {
    const steps: { mode: string; m: Metrics; strategy: string; modes: string[] }[] = [];
    runDemo(demo!, store.get(demo!.scenario), ({ sim }) =>
      steps.push({ mode: view(sim).mode, m: metrics(sim), strategy: sim.strategy.id, modes: entered(sim, 'assembler') }),
    );
    expect(steps[0]).toMatchObject({ mode: 'Target', strategy: 'contract' });
    expect(steps[0]!.m.acks_exchanged).toBeGreaterThan(20);
    expect(steps[1]!.mode).toBe('Degraded');
    expect(steps[1]!.m.customer_commitment_made).toBe(1);
    expect(steps[1]!.m.ack_retries).toBeGreaterThan(steps[0]!.m.ack_retries);
    expect(steps[2]!.mode).toBe('Floor');
    expect(steps[2]!.m.penalty_usd).toBe(5_000_000);
    expect(steps[3]).toMatchObject({ strategy: 'escrow', mode: 'Floor' });
    expect(steps[3]!.m.customer_commitment_made).toBe(0);
    expect(steps[3]!.m.penalty_usd).toBe(0);
  });
});
