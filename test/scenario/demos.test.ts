/**
 * The built-in demo presets (scenarios/demos) held to the story DEMOS.md promises the
 * lecture hall: each is played headless exactly as presenter mode plays it (runDemo), and
 * after each step the engine's own evidence must show what the lecturer is about to say.
 * Nothing here is scripted per scenario: the presets only choose faults and strategies.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioDir } from '../../src-main/scenarios/scenario-store';
import { loadDemoDir } from '../../src-main/scenarios/demo-store';
import { runDemo, type DemoStepResult } from '../../src-main/scenarios/demo-run';
import type { Simulation } from '../../src-main/engine/simulation';
import type { ModeRecord } from '../../src-shared/timeline/records';

const store = loadScenarioDir('scenarios');
const demos = loadDemoDir('scenarios/demos', store.scenarios);

/** Plays a demo and keeps, per step, what the assertions need (the simulation keeps moving). */
function play(id: string, snap: (r: DemoStepResult) => unknown): unknown[] {
  const demo = demos.demos.find((d) => d.id === id);
  if (!demo) throw new Error(`no demo ${id}`);
  const out: unknown[] = [];
  runDemo(demo, store.get(demo.scenario), (r) => out.push(snap(r)));
  return out;
}

const mode = (sim: Simulation, scope: string) => sim.scopeViews().find((s) => s.id === scope)!;
const metric = (sim: Simulation, k: string) => (sim.metrics() as Record<string, unknown>)[k];
const modesSince = (sim: Simulation, t: number) => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.t_ms >= t);

describe('NT-1 lecture', () => {
  const steps = play('nt1-lecture', ({ sim, start_ms }) => ({
    latency: sim.requirementViews().find((q) => q.id === 'write-latency')!,
    apac: mode(sim, 'apac'),
    modes: modesSince(sim, start_ms).map((m) => ({ scope: m.scope, to: m.to, cites: m.evidence.map((s) => sim.timeline[s]) })),
  })) as { latency: { met: boolean | null; value: number }; apac: { mode: string; observed: string }; modes: { scope: string; to: string; cites: { kind: string; type?: string }[] }[] }[];

  it('1–2: synchronous replication misses < 100 ms; the leased sequencer with a local quorum meets it', () => {
    expect(steps[0]!.latency.met).toBe(false);
    expect(steps[0]!.latency.value).toBeGreaterThan(250);
    expect(steps[1]!.latency.met).toBe(true);
  });

  it('3: the CP cut sends apac to Degraded citing missed heartbeats; Scope falls to Local', () => {
    const d = steps[2]!.modes.find((m) => m.scope === 'apac' && m.to === 'Degraded')!;
    expect(d.cites.filter((c) => c.type === 'heartbeat-missed').length).toBeGreaterThanOrEqual(3);
    expect(steps[2]!.apac.observed).toMatch(/^⟨Local, None/);
    expect(steps[3]!.apac.mode).toBe('Target');
  });

  it('5–6: the same cut under AP keeps apac writing with Order down to Causal; after the heal it is back', () => {
    expect(steps[4]!.apac.mode).toBe('Degraded');
    expect(steps[4]!.apac.observed).toMatch(/^⟨Range, Causal/);
    expect(steps[5]!.apac.mode).toBe('Target');
  });
});

describe('NT-2 lecture', () => {
  const steps = play('nt2-lecture', ({ sim, start_ms }) => ({
    term: metric(sim, 'term') as number,
    split: metric(sim, 'split_brain_terms') as number,
    modes: modesSince(sim, start_ms).map((m) => `${m.scope}:${m.to}`),
    d: mode(sim, 'zone-d').mode,
  })) as { term: number; split: number; modes: string[]; d: string }[];

  it('2: killing the coordinator starts a new term', () => {
    expect(steps[1]!.term).toBeGreaterThan(steps[0]!.term);
    expect(steps[1]!.modes.some((m) => m.endsWith(':Degraded'))).toBe(true);
  });

  it('3–4: naive behind the wall elects two coordinators in one term; lowering it sends zones to Floor', () => {
    expect(steps[2]!.split).toBeGreaterThanOrEqual(1);
    expect(steps[3]!.modes.some((m) => m.endsWith(':Floor'))).toBe(true);
  });

  it('5: with quorum the minority never elects (no new split-brain; zone-d is left without a coordinator)', () => {
    expect(steps[4]!.split).toBe(0);
    expect(steps[4]!.d).toBe('Floor');
  });
});

describe('NT-3 lecture', () => {
  const steps = play('nt3-lecture', ({ sim }) => ({
    excluded: JSON.stringify(metric(sim, 'excluded_satellites')),
    b: mode(sim, 'leo-b').mode,
    a: mode(sim, 'leo-a').mode,
    emergencies: metric(sim, 'autonomous_emergencies'),
    divergent: metric(sim, 'divergent_commands') as number,
  })) as { excluded: string; b: string; a: string; emergencies: unknown; divergent: number }[];

  it('2: out of contact the formation is Degraded and decides an emergency on its own, flagged AUTONOMOUS EMERGENCY', () => {
    expect(steps[1]!.a).toBe('Degraded');
    expect(JSON.stringify(steps[1]!.emergencies)).toContain('AUTONOMOUS EMERGENCY');
  });

  it('3: the equivocating satellite is accused and excluded (Byzantine mode)', () => {
    expect(steps[2]!.excluded).toContain('sat-b');
    expect(steps[2]!.b).toBe('Byzantine');
    expect(steps[2]!.divergent).toBe(0);
  });

  it('4: the same fault under the crash-tolerant protocol makes honest histories diverge', () => {
    expect(steps[3]!.divergent).toBeGreaterThan(0);
  });
});

describe('MT-2 lecture', () => {
  const steps = play('mt2-lecture', ({ sim }) => sim.metrics()) as Record<string, number>[];

  it('1: the declined payment is compensated; 2: the orphaned charge is found and repaired; 3: 2PC blocks', () => {
    expect(steps[0]!.orders_compensated).toBeGreaterThan(0);
    expect(steps[1]!.reconciliation_repairs).toBeGreaterThanOrEqual(1);
    expect(steps[1]!.orphaned_payments).toBe(0);
    expect(steps[2]!.blocked_ms).toBeGreaterThan(10_000);
    expect(steps.every((m) => m.double_charges === 0)).toBe(true);
  });
});

describe('MT-3 lecture', () => {
  const steps = play('mt3-lecture', ({ sim }) => sim.requirementViews());

  it('4: with a region cut off, the proof cannot vouch for every edge instead of claiming 100%', () => {
    const last = steps[3] as { id: string; value: number | null; met: boolean | null }[];
    const first = steps[0] as typeof last;
    expect(first.find((q) => q.id === 'all-edges')!.met).toBe(true);
    expect(last.find((q) => q.id === 'all-edges')!.met).toBe(false);
    expect(last.find((q) => q.id === 'no-cannot-prove')!.value).toBeGreaterThan(0);
  });
});
