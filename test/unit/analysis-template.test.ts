/** The analysis panel's answer templates (src-shared/analysis) and their scenario-file section. */
import { describe, expect, it } from 'vitest';
import { formatValue, renderTemplate, segmentsText, unknownPlaceholders, type AnalysisBindings } from '../../src-shared/analysis/template';
import { parseScenarioText } from '../../src-shared/scenario/load';
import { analysisStatus, boundCounts, segmentClass } from '../../src-renderer/lib/analysis-view';
import type { AnalysisView } from '../../src-shared/analysis/types';

const bindings: AnalysisBindings = {
  metrics: { counter_disagreement_pct: 6.4, declared: { outcome: 'yes' }, excluded_counters: [], audit_ci: null, share: 0.54321 },
  figures: { wrong_outcome_pct: { median: '10.0%' } },
  modes: { meeting: 'Floor', front: 'Target' },
  modes_entered: { meeting: ['Target', 'Degraded', 'Floor'] },
  severity: { Target: 0, Degraded: 1, Floor: 3, Recovery: 2 },
  invariants: { 'correct-outcome': 0, validity: 2 },
  requirements: { ok: { value: 0, met: true }, slow: { value: 900000, met: false }, none: { value: null, met: null } },
  observed: { meeting: '⟨Range, None, Fractured, EO, None, Unauth⟩' },
  claimed: { meeting: '⟨Range, None, Fractured, EO, None, Unauth⟩' },
  strategy: 'median',
  strategy_label: 'Median of the counters',
  seed: 4,
  t_ms: 72_398,
};

describe('analysis templates', () => {
  it('binds metrics, figures, modes, invariants, requirements and words; marks what is bound', () => {
    const segs = renderTemplate('In {mode.meeting} ({modes.meeting}) at {metric.counter_disagreement_pct}%: safety {invariant.correct-outcome}, validity {invariant.validity}; median wrong {figure.wrong_outcome_pct.median}; {strategy_label} seed {seed} at {t}.', bindings);
    expect(segmentsText(segs)).toBe('In Floor (Target → Degraded → Floor) at 6.4%: safety held, validity VIOLATED (2×); median wrong 10.0%; Median of the counters seed 4 at 72.4 s.');
    const mode = segs.find((s) => s.ref === 'mode.meeting')!;
    expect(mode.tone).toBe('bad');
    expect(segs.find((s) => s.ref === 'invariant.correct-outcome')!.tone).toBe('good');
    expect(segs.find((s) => s.ref === 'invariant.validity')!.tone).toBe('bad');
    expect(segs.find((s) => s.ref === 'modes.meeting')!.tone).toBe('bad');
    expect(segs.filter((s) => !s.ref).every((s) => s.tone === undefined)).toBe(true);
  });

  it('a value the run has not produced renders as a missing “—”, never an error', () => {
    const segs = renderTemplate('{metric.audit_ci.n} / {metric.nope} / {requirement.none} / {mode.mars}', bindings);
    expect(segmentsText(segs)).toBe('— / — / — / —');
    expect(segs.filter((s) => s.ref).every((s) => s.missing)).toBe(true);
    expect(segmentsText(renderTemplate('{requirement.ok} {requirement.slow}', bindings))).toBe('met (0) missed (900000)');
  });

  it('formats numbers, lists and booleans', () => {
    expect(formatValue(0.54321)).toBe('0.543');
    expect(formatValue(3)).toBe('3');
    expect(formatValue([])).toBe('none');
    expect(formatValue(['counter-a', 'counter-b'])).toBe('counter-a, counter-b');
    expect(formatValue(true)).toBe('yes');
    expect(formatValue(null)).toBeNull();
    expect(formatValue(Number.NaN)).toBeNull();
  });

  it('names placeholders it does not understand', () => {
    expect(unknownPlaceholders('{metric.a} {figure.b.c} {mode.x} {seed} {t}')).toEqual([]);
    expect(unknownPlaceholders('{metrics.a} {color} {seed.x}')).toEqual(['{metrics.a}', '{color}', '{seed.x}']);
  });
});

const BASE = `
id: x
title: X
test: FT-9
distance: far
impossibility: [FLP]
summary: s
model: town-meeting
view: generic
groups: [{ id: g, label: G, nodes: [n1] }]
network: { intra_group: { latency: 1ms }, inter_group: { latency: 1ms } }
strategies: [{ id: s, label: S }]
modes: [{ id: Target, claim: "<Global, SS, SER, EO, Idem, Auth>" }]
transitions: []
invariants: []
questions: [Q1?, Q2?]
`;

describe('scenario file: analysis section', () => {
  it('loads answers with defaults (title, seeds, horizon)', () => {
    const spec = parseScenarioText(`${BASE}analysis:\n  answers:\n    - { question: 2, text: "mode {mode.g}", figures: [{ label: L, value: "{metric.m}" }] }\n`, 'x.yaml');
    expect(spec.analysis).toEqual({ seeds: 20, horizon_ms: 600_000, answers: [{ question: 2, title: 'Question 2', text: 'mode {mode.g}', figures: [{ label: 'L', value: '{metric.m}' }] }] });
    expect(parseScenarioText(BASE, 'x.yaml').analysis).toBeUndefined();
  });

  it('rejects an unknown placeholder or question, naming the path', () => {
    expect(() => parseScenarioText(`${BASE}analysis:\n  answers:\n    - { question: 1, text: "{colour.g}" }\n`, 'x.yaml')).toThrow(/x\.yaml: analysis\.answers\[0\]\.text: unknown placeholder \{colour\.g\}/);
    expect(() => parseScenarioText(`${BASE}analysis:\n  answers:\n    - { question: 3, text: "t" }\n`, 'x.yaml')).toThrow(/analysis\.answers\[0\]\.question: no question 3 \(the file has 2\)/);
    expect(() => parseScenarioText(`${BASE}analysis:\n  seeds: 0\n  answers: []\n`, 'x.yaml')).toThrow(/analysis\.seeds/);
  });
});

describe('analysis panel helpers', () => {
  const view: AnalysisView = {
    scenario: 'x',
    test: 'FT-2',
    strategy: 'median',
    strategy_label: 'Median',
    seed: 4,
    t_ms: 72_398,
    seeds: 40,
    answers: [{ question: 1, question_text: 'Q', title: 'T', segments: renderTemplate('{mode.meeting} {invariant.validity} {metric.nope}', bindings), figures: [] }],
    figures: {},
    compute_ms: 7500,
    pending: false,
  };
  it('classes, counts and status line', () => {
    expect(segmentClass({ text: 'a' })).toBe('text');
    expect(segmentClass({ text: 'Floor', ref: 'mode.m', tone: 'bad' })).toBe('bound bad');
    expect(segmentClass({ text: '—', ref: 'metric.x', missing: true })).toBe('bound neutral missing');
    // A Floor mode is bad-toned but not a failed verdict; the violated invariant is.
    expect(boundCounts(view)).toEqual({ bound: 3, bad: 1, missing: 1 });
    expect(analysisStatus(view, false)).toBe("Bound to this run: Median · seed 4 · at 72.4 s · probabilities over seeds 1–40 (replaying this run's actions, 7.5 s to compute)");
    expect(analysisStatus(null, true)).toBe('Computing the figures…');
    expect(analysisStatus({ ...view, pending: true }, false)).toContain('computing probabilities over seeds 1–40');
  });
});
