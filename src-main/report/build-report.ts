/**
 * Builds the report of a finished (or paused) run from the simulation's timeline and
 * state. Each mode transition carries the full evidence records it cites, so the chain
 * of evidence survives outside the app.
 */
import type { Report, ReportHistory } from '../../src-shared/report/types';
import { historyFigures } from '../../src-shared/history/svg';
import type { TimelineRecord } from '../../src-shared/timeline/records';
import { formatGVector, parseGVector } from '../../src-shared/gvector';
import { claimFor, type ScenarioSpec } from '../../src-shared/scenario/types';
import type { Simulation } from '../engine/simulation';

export function buildReport(sim: Simulation, until_ms: number): Report {
  const timeline = [...sim.timeline];
  const bySeq = (seq: number): TimelineRecord | undefined => timeline[seq];
  const violations = sim.violations();
  return {
    scenario: sim.spec.id,
    title: sim.spec.title,
    strategy: sim.strategy.id,
    seed: sim.seed,
    until_ms,
    digest: sim.digest(),
    timeline,
    invariants: sim.spec.invariants.map((i) => ({ id: i.id, name: i.name, kind: i.kind, violations: violations[i.id] ?? 0 })),
    modes: timeline.flatMap((r) =>
      r.kind === 'mode'
        ? [{ t_ms: r.t_ms, scope: r.scope, from: r.from, to: r.to, reason: r.reason, evidence: r.evidence.map(bySeq).filter((x): x is TimelineRecord => !!x) }]
        : [],
    ),
    metrics: sim.metrics(),
    requirements: sim.requirementViews(),
    final: sim.scopeViews().map((s) => ({ scope: s.id, mode: s.mode, observed: s.observed, claimed: s.claimed, weaker: s.weaker })),
    error: sim.error,
    generated_by: 'Impossibility Lab',
    test: sim.spec.test,
    scopes: sim.spec.groups.map((g) => ({ id: g.id, label: g.label })),
    mode_catalog: sim.spec.modes.map((m) => ({ id: m.id, label: m.label, severity: m.severity, claim: claimText(sim.spec, sim.strategy.id, m.id) })),
    initial_mode: sim.spec.initial_mode,
    actions: sim.actions.filter((a) => a.at_ms <= until_ms).map(({ at_ms, action, source }) => ({ at_ms, action, source })),
    ...reportHistory(sim),
  };
}

/** The history view as report figures, when the run recorded client operations. */
function reportHistory(sim: Simulation): { history?: ReportHistory } {
  const view = sim.historyView();
  if (view.ops.length === 0) return {};
  // Totals from the checker's counters: the view keeps only the recent history.
  const lin = (sim.metrics().linearizability ?? {}) as Record<string, number>;
  return {
    history: {
      operations: lin.operations ?? view.ops.length,
      windows: { linearizable: lin.linearizable ?? 0, not_linearizable: lin.not_linearizable ?? 0, unknown: lin.unknown ?? 0 },
      figures: historyFigures(view).map(({ key, window, verdict, caption, svg }) => ({ key, window, verdict, caption, svg })),
    },
  };
}

/** A mode's claimed G-vector in the observer's canonical form (symbols bound: `BS(δ_repl=500ms)`). */
function claimText(spec: ScenarioSpec, strategy: string, mode: string): string {
  const raw = claimFor(spec, strategy, mode);
  try {
    return formatGVector(parseGVector(raw, { symbols: spec.symbols }));
  } catch {
    return raw;
  }
}
