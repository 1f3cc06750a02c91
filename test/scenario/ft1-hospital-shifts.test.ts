/**
 * FT-1 hospital shift handoff in a communication blackout: each strategy under the faults
 * that tell them apart — a nurse who does not show up (posted schedule → patients
 * unassigned until rounds; coordinator, buddy and hold → covered), the coordinator
 * unreachable (the coordinator strategy falls back to the posted schedule, the buddy system
 * does not care), a late buddy (double coverage refused at the bedside), partial
 * restoration of the phones (one ward back to Target, alerts by phone), a patient crisis.
 * Also: determinism (same seed ⇒ same digest), the demo preset (DEMOS.md FT-1), and the
 * analysis panel bound to the run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateFaultScript } from '../../src-shared/actions/validate';
import { parseGVector } from '../../src-shared/gvector';
import { parseScenarioText } from '../../src-shared/scenario/load';
import type { EvidenceRecord, InvariantRecord, ModeRecord } from '../../src-shared/timeline/records';
import type { ModelDefinition } from '../../src-main/engine/model-api';
import { hospitalShiftsModel } from '../../src-main/engine/models/hospital-shifts';
import { buildTopology } from '../../src-main/engine/network';
import { Simulation } from '../../src-main/engine/simulation';
import { analyseRun } from '../../src-main/analysis/run-analysis';
import { segmentsText } from '../../src-shared/analysis/template';
import { loadDemoDir } from '../../src-main/scenarios/demo-store';
import { runDemo } from '../../src-main/scenarios/demo-run';

const model = hospitalShiftsModel as unknown as ModelDefinition<unknown>;
const FILE = 'scenarios/ft1-hospital-shifts.yaml';
const ft1 = parseScenarioText(readFileSync(FILE, 'utf8'), FILE);
const script = (name: string) => readFileSync(`scenarios/scripts/${name}.yaml`, 'utf8');
const HOUR = 3_600_000;
const S = 1_200_000;

function actions(text: string) {
  const t = buildTopology(ft1);
  return validateFaultScript(parseYaml(text), { nodes: new Set(t.nodes), groups: new Set(t.groups), byzantineBehaviors: ['crisis'] });
}

function run(strategy: string, text?: string, until_ms = HOUR, seed = 1): Simulation {
  const sim = new Simulation(ft1, model, { strategy, seed, actions: text ? actions(text) : [] });
  sim.runUntil(until_ms);
  return sim;
}

type Metrics = {
  unassigned_patient_minutes: number;
  unassigned_now: number;
  max_unassigned: number;
  double_coverage: number;
  double_coverage_minutes: number;
  handoffs_signed: number;
  bedside_covers: number;
  bedside_conflicts: number;
  handoff_done_ms: number | null;
  alert_delivery_ms: { p50: number | null; p95: number | null; n: number };
  alerts: { raised: number; delivered: number; late: number };
  alerts_late: number;
  overtime_minutes: number;
  no_shows_detected: number;
  wards_phone_up: number;
  per_ward: Record<string, { phone_up: boolean; unassigned_now: number }>;
};
const metrics = (sim: Simulation) => sim.metrics() as unknown as Metrics;
const modes = (sim: Simulation, scope: string) => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope);
const entered = (sim: Simulation, scope: string) => modes(sim, scope).map((m) => m.to);
const evidence = (sim: Simulation, type: string, scope = 'medical') => sim.timeline.filter((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === type && r.scope === scope);
const violations = (sim: Simulation, id: string) => sim.timeline.filter((r): r is InvariantRecord => r.kind === 'invariant' && r.invariant === id);

describe('FT-1 scenario file', () => {
  it('declares the seed: FT-1, a 500-bed hospital, four strategies, the four modes with claims, safety + liveness invariants, five answered questions', () => {
    expect(ft1.id).toBe('ft1-hospital-shifts');
    expect(ft1.test).toBe('FT-1');
    expect(ft1.model).toBe('hospital-shifts');
    expect(ft1.strategies.map((s) => s.id)).toEqual(['posted', 'coordinator', 'buddy', 'hold']);
    expect(['icu', 'medical', 'surgical', 'family'].reduce((a, w) => a + (ft1.parameters[`beds_${w}`] as number), 0)).toBe(500);
    for (const g of ft1.groups) expect(g.location).toHaveLength(2);
    expect(ft1.modes.map((m) => m.id)).toEqual(['Target', 'Degraded', 'Floor', 'Recovery']);
    for (const m of ft1.modes) expect(() => parseGVector(m.claim, { symbols: ft1.symbols })).not.toThrow();
    expect(ft1.invariants.map((i) => [i.id, i.kind])).toEqual([
      ['one-nurse', 'safety'],
      ['alert-deadline', 'liveness'],
    ]);
    expect(ft1.questions).toHaveLength(5);
    expect(ft1.analysis!.answers.map((a) => a.question)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('FT-1 no faults', () => {
  const sim = run('posted');
  const m = metrics(sim);
  it('the blackout sends every ward to Degraded citing the dead dial tone; every bed is handed over with a sheet signed by both nurses', () => {
    for (const w of ['icu', 'medical', 'surgical', 'family']) {
      const first = modes(sim, w)[0]!;
      expect(first.to).toBe('Degraded');
      expect(first.t_ms).toBe(0);
      expect(sim.timeline[first.evidence[0]!]).toMatchObject({ type: 'probe', detail: { gauge: 'phone_up', value: 0 } });
    }
    expect(m.handoffs_signed).toBe(500);
    expect(m.unassigned_patient_minutes).toBe(0);
    expect(m.double_coverage).toBe(0);
    expect(violations(sim, 'one-nurse')).toHaveLength(0);
    const sheet = evidence(sim, 'handoff-sheet')[0]!;
    expect((sheet.detail!.signers as string[]).length).toBe(2);
    expect(m.alerts.delivered).toBe(m.alerts.raised);
  });
});

describe('FT-1 a nurse does not show up', () => {
  const posted = run('posted', script('ft1-no-show'));
  const coord = run('coordinator', script('ft1-no-show'));
  const buddy = run('buddy', script('ft1-no-show'));
  const hold = run('hold', script('ft1-no-show'));

  it('posted schedule: her six patients are unassigned from the outgoing nurse leaving until rounds cover them (safety flagged with evidence)', () => {
    const m = metrics(posted);
    expect(m.max_unassigned).toBe(6);
    expect(m.unassigned_patient_minutes).toBeGreaterThan(30);
    expect(m.bedside_covers).toBe(6);
    expect(m.unassigned_now).toBe(0);
    const v = violations(posted, 'one-nurse');
    expect(v).toHaveLength(6);
    expect(v[0]!.t_ms).toBe(S + 900_000);
    const cited = v[0]!.evidence.map((s) => posted.timeline[s]!) as EvidenceRecord[];
    expect(cited.some((r) => r.type === 'lease-expiry')).toBe(true);
    expect(cited.some((r) => r.type === 'heartbeat-missed' && r.peer === 'medical-i07')).toBe(true);
    expect(entered(posted, 'medical')).toContain('Floor');
    const covers = evidence(posted, 'handoff-sheet').filter((r) => r.detail!.cover === true);
    expect(covers).toHaveLength(6);
    expect(covers.every((r) => (r.detail!.signers as string[]).length === 1)).toBe(true);
  });

  it('coordinator, buddy and hold cover her patients: no gap, sheets signed by both nurses', () => {
    for (const sim of [coord, buddy, hold]) {
      const m = metrics(sim);
      expect(m.unassigned_patient_minutes).toBe(0);
      expect(m.handoffs_signed).toBe(500);
      expect(violations(sim, 'one-nurse')).toHaveLength(0);
    }
    expect(evidence(coord, 'heartbeat-missed').some((r) => r.node === 'medical-uc' && r.peer === 'medical-i07')).toBe(true);
    expect(evidence(buddy, 'heartbeat-missed').some((r) => r.node === 'medical-i08' && r.peer === 'medical-i07')).toBe(true);
    // The CP choice: the outgoing nurse stays until the beds are signed over.
    expect(metrics(hold).handoff_done_ms!).toBeGreaterThan(metrics(buddy).handoff_done_ms!);
    expect(entered(coord, 'medical')).toEqual(expect.arrayContaining(['Floor', 'Recovery']));
  });
});

describe('FT-1 coordinator unreachable', () => {
  const coord = run('coordinator', script('ft1-coordinator-down'));
  const buddy = run('buddy', script('ft1-coordinator-down'));

  it('coordinator strategy: nurses time out, fall back to the posted schedule, and the no-show is not covered until rounds; alerts routed to her are late', () => {
    const m = metrics(coord);
    expect(m.unassigned_patient_minutes).toBeGreaterThan(30);
    const fallbacks = evidence(coord, 'heartbeat-missed').filter((r) => r.peer === 'medical-uc');
    expect(fallbacks.length).toBeGreaterThanOrEqual(25);
    expect(entered(coord, 'medical')[1]).toBe('Floor');
    expect(metrics(coord).per_ward.icu!.unassigned_now).toBe(0);
  });

  it('buddy system: the coordinator is irrelevant; the buddy covers', () => {
    expect(metrics(buddy).unassigned_patient_minutes).toBe(0);
    expect(violations(buddy, 'one-nurse')).toHaveLength(0);
  });
});

describe('FT-1 late buddy', () => {
  const late = `actions:\n  - { at: 60s, do: kill, node: medical-i08 }\n  - { at: 1140s, do: restart, node: medical-i08 }\n`;
  it('buddy system: a buddy arriving after the deadline claims beds already taken over — double coverage, refused at the bedside by the sheet', () => {
    const sim = run('buddy', late);
    const m = metrics(sim);
    expect(m.double_coverage).toBeGreaterThan(0);
    expect(m.bedside_conflicts).toBeGreaterThan(0);
    expect(m.double_coverage_minutes).toBeLessThan(30);
    expect(violations(sim, 'one-nurse').some((v) => /double coverage/.test(v.text))).toBe(true);
    expect(evidence(sim, 'bedside').some((r) => r.detail!.conflict === true)).toBe(true);
  });
  it('coordinator: the late nurse checks in first and is told her beds were reassigned — no double coverage', () => {
    const sim = run('coordinator', late);
    expect(metrics(sim).double_coverage).toBe(0);
    expect(metrics(sim).unassigned_patient_minutes).toBe(0);
  });
});

describe('FT-1 partial restoration of communications', () => {
  const posted = run('posted', script('ft1-partial-restore'));
  const dark = run('posted');
  it('the medical wards go Degraded → Recovery → Target on the measured phone round trip; the other wards stay Degraded', () => {
    expect(entered(posted, 'medical')).toEqual(['Degraded', 'Recovery', 'Target']);
    const rec = modes(posted, 'medical')[1]!;
    expect(posted.timeline[rec.evidence[0]!]).toMatchObject({ type: 'probe', detail: { gauge: 'phone_up', value: 1 } });
    expect(entered(posted, 'icu')).toEqual(['Degraded']);
    expect(metrics(posted).wards_phone_up).toBe(1);
    expect(posted.scopeViews().find((s) => s.id === 'medical')!.observed).toMatch(/^⟨Global, Lx, SER, BS\(\d+s\)/);
  });
  it('medication changes from the pharmacy reach the medical nurses faster than in the dark', () => {
    const by = (sim: Simulation) => (sim.metrics() as { pharmacy_alert_delivery_ms: { mean_by_ward: Record<string, number | null> } }).pharmacy_alert_delivery_ms.mean_by_ward;
    expect(by(posted).medical).not.toBeNull();
    expect(by(posted).medical!).toBeLessThan(by(dark).medical!);
  });
});

describe('FT-1 patient crisis', () => {
  it('the nurse is pinned at the bedside: her handoffs wait, the new medication order still reaches the incoming nurse on the signed sheet', () => {
    const sim = run('posted', script('ft1-crisis'));
    const calm = run('posted');
    const m = metrics(sim);
    expect(m.alerts.raised).toBe(metrics(calm).alerts.raised + 1);
    expect(m.alerts.delivered).toBe(m.alerts.raised);
    expect(m.overtime_minutes).toBeGreaterThan(metrics(calm).overtime_minutes);
    expect(evidence(sim, 'probe', 'icu').some((r) => r.detail!.crisis === true)).toBe(true);
  });
});

describe('FT-1 determinism', () => {
  it('same seed ⇒ same digest; another seed ⇒ another digest', () => {
    const a = run('buddy', script('ft1-no-show'), 1_800_000, 7);
    const b = run('buddy', script('ft1-no-show'), 1_800_000, 7);
    const c = run('buddy', script('ft1-no-show'), 1_800_000, 8);
    expect(a.digest()).toBe(b.digest());
    expect(a.digest()).not.toBe(c.digest());
  });
});

describe('FT-1 demo preset (DEMOS.md FT-1)', () => {
  it('the posted schedule holds until a nurse does not show; her patients are unassigned until covered; buddy / coordinator / hold cover them; a phone line brings the medical wards back', () => {
    const demos = loadDemoDir('scenarios/demos', [ft1]);
    const demo = demos.demos.find((d) => d.id === 'ft1-lecture')!;
    expect(demo).toBeTruthy();
    const steps: { strategy: string; gap: number; now: number; covers: number; medical: string; office: string }[] = [];
    runDemo(demo, ft1, ({ sim }) => {
      const m = metrics(sim);
      const mode = (id: string) => sim.scopeViews().find((s) => s.id === id)!.mode;
      steps.push({ strategy: sim.strategy.id, gap: m.unassigned_patient_minutes, now: m.unassigned_now, covers: m.bedside_covers, medical: mode('medical'), office: mode('office') });
    });
    expect(steps[0]!.medical).toBe('Degraded');
    expect(steps[1]!).toMatchObject({ medical: 'Floor', now: 0 });
    expect(steps[2]!).toMatchObject({ now: 6, medical: 'Floor' });
    expect(steps[3]!.now).toBe(0);
    expect(steps[3]!.covers).toBe(6);
    expect(steps[3]!.gap).toBeGreaterThan(30);
    for (const i of [4, 5, 6]) expect(steps[i]!.gap).toBe(0);
    expect(steps[7]!.medical).toBe('Target');
  });
});

describe('FT-1 analysis panel', () => {
  it('binds the five answers to the run and to figures over seeds (the posted schedule leaves a gap, the others do not)', async () => {
    const sim = run('posted', script('ft1-no-show'));
    const view = (await analyseRun(sim, { seeds: 2 }))!;
    expect(view.answers).toHaveLength(5);
    const f = view.figures as { gap_pct: Record<string, string>; unassigned_minutes: Record<string, number> };
    expect(f.gap_pct.posted).toBe('100%');
    expect(f.gap_pct.buddy).toBe('0%');
    expect(f.gap_pct.hold).toBe('0%');
    expect(f.unassigned_minutes.posted).toBeGreaterThan(30);
    const q2 = segmentsText(view.answers[1]!.segments);
    expect(q2).toMatch(/VIOLATED \(6×\)/);
    expect(q2).not.toMatch(/\{/);
  });
});
