/**
 * FT-2 town meeting (DEMOS.md FT-2): three counters disagree by 3% → Degraded, and an
 * audit sample decides with its confidence interval; a malicious counter → Floor, the
 * median still holds; two malicious counters → the median declares the wrong outcome
 * (safety and validity violated), re-votes cannot help, the audit and the committed
 * ballots catch them. Seed 4 is the demo seed. Also: the analysis panel's figures over
 * seeds and the report's analysis section.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateFaultScript } from '../../src-shared/actions/validate';
import { parseGVector } from '../../src-shared/gvector';
import { parseScenarioText } from '../../src-shared/scenario/load';
import type { EvidenceRecord, InvariantRecord, ModeRecord, TimelineRecord } from '../../src-shared/timeline/records';
import type { ModelDefinition } from '../../src-main/engine/model-api';
import { townMeetingModel } from '../../src-main/engine/models/town-meeting';
import { buildTopology } from '../../src-main/engine/network';
import { Simulation } from '../../src-main/engine/simulation';
import { analyseRun } from '../../src-main/analysis/run-analysis';
import { segmentsText } from '../../src-shared/analysis/template';
import { buildReport } from '../../src-main/report/build-report';
import { renderMarkdown } from '../../src-main/report/render-markdown';
import { renderHtml } from '../../src-main/report/render-html';

const model = townMeetingModel as unknown as ModelDefinition<unknown>;
const ft2 = parseScenarioText(readFileSync('scenarios/ft2-town-meeting.yaml', 'utf8'), 'scenarios/ft2-town-meeting.yaml');
const ONE = readFileSync('scenarios/scripts/ft2-malicious-counter.yaml', 'utf8');
const TWO = readFileSync('scenarios/scripts/ft2-two-malicious.yaml', 'utf8');
const SEED = 4;

function actions(text: string) {
  const t = buildTopology(ft2);
  return validateFaultScript(parseYaml(text), { nodes: new Set(t.nodes), groups: new Set(t.groups), byzantineBehaviors: ['rig'] });
}

function run(strategy: string, script?: string, until_ms = 300_000, seed = SEED): Simulation {
  const sim = new Simulation(ft2, model, { strategy, seed, actions: script ? actions(script) : [] });
  sim.runUntil(until_ms);
  return sim;
}

type Metrics = {
  counter_disagreement_pct: number;
  disagreement_by_section_pct: Record<string, number>;
  declared: { outcome: string; method: string; certified: boolean; contested: boolean; yes: number; no: number };
  true_tally: { outcome: string; yes: number; no: number };
  wrong_outcome: number;
  decision_ms: number;
  rounds: number;
  audit_ci: { n: number; low: number; high: number; confidence: number; decision: string } | null;
  commitments: { posted: number; late: number; failed: number; verified: number } | null;
  excluded_counters: string[];
  malicious_counters: number;
};
const metrics = (sim: Simulation) => sim.metrics() as unknown as Metrics;
const modesOf = (sim: Simulation, scope: string) => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope);
const entered = (sim: Simulation, scope: string) => modesOf(sim, scope).map((m) => m.to);
const evidence = (sim: Simulation, type: string, scope = 'meeting') => sim.timeline.filter((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === type && r.scope === scope);
const violations = (sim: Simulation, id: string) => sim.timeline.filter((r): r is InvariantRecord => r.kind === 'invariant' && r.invariant === id);
const cited = (sim: Simulation, seqs: number[]): TimelineRecord[] => seqs.map((s) => sim.timeline[s]!);
const finalMode = (sim: Simulation, scope: string) => sim.scopeViews().find((s) => s.id === scope)!.mode;

describe('FT-2 scenario file', () => {
  it('declares the seed: FT-2, four strategies, the modes by disagreement with claimed G-vectors, safety/validity/liveness invariants, five answered questions', () => {
    expect(ft2.test).toBe('FT-2');
    expect(ft2.model).toBe('town-meeting');
    expect(ft2.view).toBe('meeting-hall');
    expect(ft2.strategies.map((s) => s.id)).toEqual(['median', 'revote', 'audit', 'commit']);
    expect(ft2.parameters.counters).toBe(3);
    expect(ft2.groups.find((g) => g.id === 'counters')!.nodes).toHaveLength(7);
    expect(ft2.groups.filter((g) => ['front', 'middle', 'back'].includes(g.id)).reduce((a, g) => a + g.nodes.length, 0)).toBe(500);
    expect(ft2.modes.map((m) => m.id)).toEqual(['Target', 'Degraded', 'Floor', 'Recovery']);
    for (const m of ft2.modes) expect(() => parseGVector(m.claim, { symbols: ft2.symbols })).not.toThrow();
    expect(ft2.strategies.find((s) => s.id === 'commit')!.claims.Target).toBe('⟨Global, Lx, SER, Fresh(commitment), Idem(resident), Auth(signed_commitment)⟩');
    expect(ft2.invariants.map((i) => [i.id, i.kind])).toEqual([
      ['correct-outcome', 'safety'],
      ['validity', 'safety'],
      ['decision-deadline', 'liveness'],
    ]);
    expect(ft2.questions).toHaveLength(5);
    expect(ft2.analysis!.answers.map((a) => a.question)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('FT-2 honest counters (seed 4)', () => {
  const sim = run('median');
  const m = metrics(sim);

  it('three counters disagree by 3%: the meeting goes Degraded, citing the chair’s disagreement gauge and the tallies', () => {
    expect(m.counter_disagreement_pct).toBe(3);
    expect(entered(sim, 'meeting')).toEqual(['Degraded']);
    const change = modesOf(sim, 'meeting')[0]!;
    const probe = cited(sim, change.evidence).find((r) => r.kind === 'evidence' && r.type === 'probe') as EvidenceRecord;
    expect(probe.detail).toMatchObject({ gauge: 'counter_disagreement_pct', value: 3, counters: 3 });
    const tallies = cited(sim, probe.detail!.tallies as number[]);
    expect(tallies.map((r) => (r as EvidenceRecord).type)).toEqual(['tally', 'tally', 'tally']);
    // Back rows are where hands are missed: the back section is worse than the front.
    expect(m.disagreement_by_section_pct.back).toBeGreaterThan(m.disagreement_by_section_pct.front);
    expect(finalMode(sim, 'back')).toBe('Floor');
  });

  it('the median declares the true majority; no invariant is violated', () => {
    expect(m.declared.outcome).toBe(m.true_tally.outcome);
    expect(m.wrong_outcome).toBe(0);
    expect(sim.violations()).toEqual({ 'correct-outcome': 0, validity: 0, 'decision-deadline': 0 });
    // Degraded: everyone counted, the median decides (Causal), tallies differ (SI).
    const obs = sim.scopeViews().find((s) => s.id === 'meeting')!.observed;
    expect(obs).toMatch(/^⟨\w+, Causal, SI, BS\(\d+s\), None, Auth\(counter\)⟩$/);
  });

  it('the audit decides with the confidence shown: a sample whose 99% interval clears 50%', () => {
    const a = run('audit');
    const am = metrics(a);
    expect(am.declared).toMatchObject({ outcome: am.true_tally.outcome, certified: true, method: 'median, confirmed by audit' });
    expect(am.audit_ci!.confidence).toBe(0.99);
    expect(am.audit_ci!.low).toBeGreaterThan(0.5);
    const samples = evidence(a, 'audit-sample');
    expect(samples.length).toBeGreaterThan(1); // escalated from 50
    expect(samples.at(-1)!.detail).toMatchObject({ decision: 'yes', n: am.audit_ci!.n });
    expect(a.scopeViews().find((s) => s.id === 'meeting')!.observed).toMatch(/Idem\(resident\), Auth\(audit\)⟩$/);
  });

  it('is deterministic: the same seed gives the same digest', () => {
    expect(run('median').digest()).toBe(sim.digest());
    expect(run('median', undefined, 300_000, 5).digest()).not.toBe(sim.digest());
  });
});

describe('FT-2 one malicious counter (seed 4)', () => {
  it('median: Floor (disagreement above 5%), and the median still declares the true majority', () => {
    const sim = run('median', ONE);
    const m = metrics(sim);
    expect(m.malicious_counters).toBe(1);
    expect(m.counter_disagreement_pct).toBeGreaterThan(5);
    expect(entered(sim, 'meeting')).toEqual(['Floor']);
    expect(m.declared.outcome).toBe(m.true_tally.outcome);
    expect(sim.violations()['correct-outcome']).toBe(0);
    expect(sim.violations().validity).toBe(0);
    expect(sim.scopeViews().find((s) => s.id === 'meeting')!.observed).toMatch(/Unauth⟩$/);
  });

  it('re-vote: the liar disagrees every time — Floor, Recovery, Floor… three votes, then a contested median, three times slower', () => {
    const sim = run('revote', ONE);
    const m = metrics(sim);
    expect(m.rounds).toBe(3);
    expect(entered(sim, 'meeting')).toEqual(['Floor', 'Recovery', 'Floor', 'Recovery', 'Floor']);
    const recovery = modesOf(sim, 'meeting')[1]!;
    expect(cited(sim, recovery.evidence).map((r) => (r as EvidenceRecord).type)).toEqual(['version']);
    expect(m.declared).toMatchObject({ outcome: m.true_tally.outcome, contested: true, method: 'median after 3 votes' });
    expect(m.decision_ms).toBeGreaterThan(3 * metrics(run('median', ONE)).decision_ms);
  });

  it('committed ballots: the rigged tally fails the check against the board, the counter is accused and excluded: Target', () => {
    const sim = run('commit', ONE);
    const m = metrics(sim);
    expect(m.commitments).toMatchObject({ failed: 1, verified: 2 });
    expect(evidence(sim, 'sig-failed', 'counters')).toHaveLength(1);
    expect(evidence(sim, 'accusation', 'meeting')[0]!.peer).toBe('counter-a');
    expect(m.excluded_counters).toEqual(['counter-a']);
    expect(entered(sim, 'meeting')).toEqual(['Floor', 'Recovery', 'Target']);
    expect(m.declared).toMatchObject({ outcome: m.true_tally.outcome, certified: true });
    // Residents who missed the board's deadline are not counted: Scope Range (a broken Global claim).
    expect(m.commitments!.late).toBeGreaterThan(0);
    const meeting = sim.scopeViews().find((s) => s.id === 'meeting')!;
    expect(meeting.observed).toBe('⟨Range, Lx, SER, Fresh(commitment), Idem(resident), Auth(signed_commitment)⟩');
    expect(meeting.weaker).toEqual(['scope']);
  });
});

describe('FT-2 two malicious counters (seed 4)', () => {
  it('median: the liars own the median — the wrong outcome is declared; safety and validity are violated with evidence', () => {
    const sim = run('median', TWO);
    const m = metrics(sim);
    expect(m.declared.outcome).not.toBe(m.true_tally.outcome);
    expect(m.wrong_outcome).toBe(1);
    const [v] = violations(sim, 'correct-outcome');
    expect(v!.text).toMatch(/Declared "no" but the residents' true majority is "yes"/);
    const kinds = cited(sim, v!.evidence).map((r) => (r as EvidenceRecord).type);
    expect(kinds).toContain('quorum-cert');
    expect(kinds.filter((k) => k === 'tally')).toHaveLength(3);
    expect(violations(sim, 'validity')[0]!.text).toMatch(/every honest counter's tally shows "yes"/);
  });

  it('audit: the sample overturns the count and both liars are accused and excluded', () => {
    const sim = run('audit', TWO);
    const m = metrics(sim);
    expect(m.declared).toMatchObject({ outcome: m.true_tally.outcome, certified: true, method: 'audit overturned the count' });
    expect(m.excluded_counters).toEqual(['counter-a', 'counter-b']);
    expect(entered(sim, 'meeting')).toEqual(['Floor', 'Recovery', 'Target']);
    expect(sim.violations()).toEqual({ 'correct-outcome': 0, validity: 0, 'decision-deadline': 0 });
  });
});

describe('FT-2 analysis: safety as a probability over seeds', () => {
  it('replays the run’s faults per strategy: with two liars the median fails often, the audit and the ballots do not; answers are bound to the run', async () => {
    const sim = run('median', TWO, 120_000);
    const view = (await analyseRun(sim, { seeds: 8 }))!;
    expect(view.seeds).toBe(8);
    const f = view.figures as { per_strategy: Record<string, { wrong_outcome_rate: number; seeds: number }>; wrong_outcome_pct: Record<string, string> };
    expect(Object.keys(f.per_strategy)).toEqual(['median', 'revote', 'audit', 'commit']);
    expect(f.per_strategy.median!.wrong_outcome_rate).toBeGreaterThan(0.5);
    expect(f.per_strategy.audit!.wrong_outcome_rate).toBe(0);
    expect(f.per_strategy.commit!.wrong_outcome_rate).toBe(0);
    expect(view.answers).toHaveLength(5);
    const q1 = view.answers[0]!;
    expect(q1.segments.find((s) => s.ref === 'mode.meeting')!.text).toBe('Floor');
    expect(q1.segments.find((s) => s.ref === 'metric.malicious_counters')!.text).toBe('2');
    const q2 = view.answers[1]!;
    expect(q2.segments.find((s) => s.ref === 'invariant.correct-outcome')).toMatchObject({ text: 'VIOLATED (1×)', tone: 'bad' });
    expect(segmentsText(view.answers[2]!.segments)).toContain(`the median declares the wrong outcome in ${f.wrong_outcome_pct.median}`);
    // Cached per action log: the second call does not recompute.
    expect((await analyseRun(sim, { seeds: 8 }))!.compute_ms).toBe(0);
  });

  it('the panel does not wait for the sweep: run figures at once, “computing…” for the figures over seeds', async () => {
    const sim = run('audit', ONE, 60_000);
    const first = (await analyseRun(sim, { seeds: 2, wait: false }))!;
    expect(first.pending).toBe(true);
    const q3 = first.answers[2]!;
    expect(q3.segments.find((s) => s.ref === 'figure.wrong_outcome_pct.median')!.text).toBe('computing…');
    expect(first.answers[0]!.segments.find((s) => s.ref === 'metric.malicious_counters')!.text).toBe('1');
    const done = (await analyseRun(sim, { seeds: 2 }))!;
    expect(done.pending).toBe(false);
    expect(done.answers[2]!.segments.find((s) => s.ref === 'figure.wrong_outcome_pct.median')!.text).toMatch(/^\d+\.\d%$/);
  });

  it('the report carries the analysis (JSON, Markdown, HTML)', async () => {
    const sim = run('median', ONE, 120_000);
    const report = buildReport(sim, sim.now_ms);
    report.analysis = (await analyseRun(sim, { seeds: 3 }))!;
    expect(report.analysis.answers).toHaveLength(5);
    const md = renderMarkdown(report);
    expect(md).toContain('## Analysis — FT-2');
    expect(md).toContain('**Floor**');
    const html = renderHtml(report);
    expect(html).toContain('<h2>Analysis — FT-2</h2>');
    expect(html).toMatch(/<mark class="bound bad" title="mode\.meeting">Floor<\/mark>/);
  });
});
