/**
 * The mode matrix (issue 7, claimed vs observed): each scope's modes as rows, the claim
 * from the scenario beside what the engine observed while the scope was in that mode.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioDir } from '../../src-main/scenarios/scenario-store';
import { getModel } from '../../src-main/engine/models';
import { Simulation } from '../../src-main/engine/simulation';
import { deriveModeMatrix, describeScopeMatrix, formatSpan, type MatrixScenario } from '../../src-renderer/lib/matrix/mode-matrix';
import type { TimelineRecord } from '../../src-shared/timeline/records';

const G_TARGET = '⟨Global, SS, SER, BS(δ=500ms), Idem, Auth⟩';
const spec: MatrixScenario = {
  groups: [{ id: 'a', label: 'Alpha', nodes: ['a1'] }],
  symbols: { δ: 500 },
  strategies: [
    { id: 'cp', label: 'CP', description: '', params: {}, claims: {} },
    { id: 'ap', label: 'AP', description: '', params: {}, claims: { Degraded: '⟨Local, Causal, Fractured, EO, Idem, Auth⟩' } },
  ],
  modes: [
    { id: 'Target', label: 'Target', description: '', claim: '⟨Global, SS, SER, BS(δ), Idem, Auth⟩', severity: 0 },
    { id: 'Degraded', label: 'Degraded', description: '', claim: '⟨Local, None, Fractured, EO, Idem, Auth⟩', severity: 1 },
    { id: 'Floor', label: 'Floor', description: '', claim: '⟨Local, None, Fractured, EO, None, Auth⟩', severity: 3 },
  ],
};

let seq = 0;
const gv = (t_ms: number, observed: string): TimelineRecord => ({ seq: seq++, t_ms, kind: 'gvector', scope: 'a', observed, claimed: '', changed: [], evidence: [] });
const mode = (t_ms: number, from: string, to: string): TimelineRecord => ({ seq: seq++, t_ms, kind: 'mode', scope: 'a', from, to, evidence: [], reason: '' });
const claim = (t_ms: number, components: ('order' | 'scope')[]): TimelineRecord => ({
  seq: seq++, t_ms, kind: 'claim', scope: 'a', status: 'broken', components, observed: '', claimed: '', evidence: [],
});

describe('deriveModeMatrix on a scripted timeline', () => {
  seq = 0;
  const records = [
    gv(0, G_TARGET),
    mode(10_000, 'Target', 'Degraded'),
    // The vector in force when Degraded is entered counts for Degraded too (no new gvector record).
    gv(12_000, '⟨Local, None, Fractured, EO, Idem, Auth⟩'),
    // The engine records a mode change before the observation it triggers.
    mode(20_000, 'Degraded', 'Target'),
    gv(20_000, '⟨Global, Causal, SER, BS(δ=500ms), Idem, Auth⟩'),
    claim(20_000, ['order']),
  ];
  const [m] = deriveModeMatrix({ scenario: spec, strategy: 'cp', scopes: [{ id: 'a', mode: 'Target' }], records, t_ms: 30_000 });
  const row = (id: string) => m!.rows.find((r) => r.mode === id)!;

  it('lists every mode of the scenario, in the scenario order, with its claim in engine notation', () => {
    expect(m!.label).toBe('Alpha');
    expect(m!.rows.map((r) => r.mode)).toEqual(['Target', 'Degraded', 'Floor']);
    expect(row('Target').claimed).toBe('⟨Global, SS, SER, BS(δ=500ms), Idem, Auth⟩');
  });

  it('adds up the time spent in each mode and counts entries', () => {
    expect(row('Target')).toMatchObject({ time_ms: 20_000, entries: 2, current: true, entered: true });
    expect(row('Degraded')).toMatchObject({ time_ms: 10_000, entries: 1, current: false, entered: true, enteredSeq: 1 });
  });

  it('a mode never entered has no observation', () => {
    expect(row('Floor')).toMatchObject({ entered: false, entries: 0, time_ms: 0, observed: null, weakest: null, broken: [] });
  });

  it('observed per mode: the last vector in force and the weakest one while in the mode', () => {
    expect(row('Degraded').observed).toBe('⟨Local, None, Fractured, EO, Idem, Auth⟩');
    expect(row('Degraded').weakest).toBe('⟨Local, None, Fractured, EO, Idem, Auth⟩');
    expect(row('Degraded').broken).toEqual([]);
    expect(row('Target').observed).toBe('⟨Global, Causal, SER, BS(δ=500ms), Idem, Auth⟩');
  });

  it('a broken claim: components observed weaker than claimed, citing the engine’s claim record', () => {
    expect(row('Target').broken).toEqual(['order']);
    expect(row('Target').brokenLast).toEqual(['order']);
    expect(row('Target').claimSeq).toBe(5);
    expect(describeScopeMatrix(m!)).toBe('Alpha is in Target; claims broken in Target (Order); never entered: Floor.');
    expect(describeScopeMatrix(m!, false)).toMatch(/^In Target; /);
  });

  it('uses the strategy’s claim override', () => {
    const [ap] = deriveModeMatrix({ scenario: spec, strategy: 'ap', scopes: [{ id: 'a', mode: 'Target' }], records, t_ms: 30_000 });
    const deg = ap!.rows.find((r) => r.mode === 'Degraded')!;
    expect(deg.claimed).toBe('⟨Local, Causal, Fractured, EO, Idem, Auth⟩');
    // Observed Order None in Degraded is now weaker than the claimed Causal.
    expect(deg.broken).toEqual(['order']);
  });

  it('before any mode record the scope is in its current mode', () => {
    const [fresh] = deriveModeMatrix({ scenario: spec, strategy: 'cp', scopes: [{ id: 'a', mode: 'Target' }], records: [], t_ms: 1000 });
    expect(fresh!.rows.map((r) => r.entered)).toEqual([true, false, false]);
    expect(fresh!.rows[0]!.time_ms).toBe(1000);
  });
});

describe('deriveModeMatrix on the NT-1 engine: apac cut off falls to Degraded', () => {
  const nt1 = loadScenarioDir('scenarios').get('nt1-log-replication');
  const sim = new Simulation(nt1, getModel(nt1.model), { strategy: 'async-cp', seed: 1 });
  sim.runUntil(10_000);
  sim.act({ do: 'cut', link: ['apac', 'us-east'] });
  sim.act({ do: 'cut', link: ['apac', 'eu-west'] });
  sim.runUntil(90_000);
  const matrix = deriveModeMatrix({ scenario: nt1, strategy: 'async-cp', scopes: sim.scopeViews(), records: sim.timeline, t_ms: 90_000 });
  const apac = matrix.find((m) => m.scope === 'apac')!;
  const entered = sim.timeline.find((r) => r.kind === 'mode' && r.scope === 'apac' && r.to === 'Degraded');

  it('the minority scope shows Degraded entered, with the claim from the scenario file and the engine’s observation', () => {
    expect(entered).toBeDefined();
    const deg = apac.rows.find((r) => r.mode === 'Degraded')!;
    expect(deg.entered).toBe(true);
    expect(deg.claimed).toBe('⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩');
    expect(deg.observed).toMatch(/^⟨.*EO.*⟩$/);
    expect(deg.enteredSeq).toBe(entered!.seq);
    expect(deg.time_ms).toBeGreaterThan(0);
    // The time in all modes adds up to the run's time.
    expect(apac.rows.reduce((s, r) => s + r.time_ms, 0)).toBeCloseTo(90_000, 6);
  });

  it('the majority never leaves Target; Floor is never entered', () => {
    const us = matrix.find((m) => m.scope === 'us-east')!;
    expect(us.rows.filter((r) => r.entered).map((r) => r.mode)).toEqual(['Target']);
    expect(apac.rows.find((r) => r.mode === 'Floor')!.entered).toBe(false);
  });

  it('a claim broken while still in Target is called out with the engine’s claim record', () => {
    const t = apac.rows.find((r) => r.mode === 'Target')!;
    expect(t.broken.length).toBeGreaterThan(0);
    const rec = sim.timeline.find((r) => r.seq === t.claimSeq);
    expect(rec).toMatchObject({ kind: 'claim', scope: 'apac', status: 'broken' });
  });
});

describe('formatSpan', () => {
  it('reads as seconds, then minutes', () => {
    expect(formatSpan(0)).toBe('0 s');
    expect(formatSpan(2500)).toBe('2.5 s');
    expect(formatSpan(12_400)).toBe('12 s');
    expect(formatSpan(65_000)).toBe('1 min 05 s');
  });
});
