/**
 * Pure helpers of the analysis panel (components/analysis/AnalysisPanel.svelte): how a
 * bound value looks, and the panel's status line. The data comes from the host
 * (`lab:analysis`, src-main/analysis/run-analysis.ts).
 */
import type { AnalysisSegment, AnalysisView } from '../../src-shared/analysis/types';

/** CSS classes of a segment: plain text, or a value bound to the run (toned, or missing). */
export function segmentClass(s: AnalysisSegment): string {
  if (!s.ref) return 'text';
  return ['bound', s.tone ?? 'neutral', s.missing ? 'missing' : ''].filter(Boolean).join(' ');
}

/** The panel's subtitle: what the figures are bound to. */
export function analysisStatus(v: AnalysisView | null, loading: boolean): string {
  if (!v) return loading ? 'Computing the figures…' : 'This scenario has no analysis.';
  const at = `${Math.round(v.t_ms / 100) / 10} s`;
  const seeds = v.pending
    ? ` · computing probabilities over seeds 1–${v.seeds} (replaying this run's actions)…`
    : v.seeds
      ? ` · probabilities over seeds 1–${v.seeds} (replaying this run's actions${v.compute_ms ? `, ${(v.compute_ms / 1000).toFixed(1)} s to compute` : ''})`
      : '';
  return `Bound to this run: ${v.strategy_label} · seed ${v.seed} · at ${at}${seeds}`;
}

/** Counts of bound values, for the header chips: from the run, invariant/requirement verdicts that failed, not produced yet. */
export function boundCounts(v: AnalysisView | null): { bound: number; bad: number; missing: number } {
  let bound = 0;
  let bad = 0;
  let missing = 0;
  for (const a of v?.answers ?? []) {
    for (const s of [...a.segments, ...a.figures.flatMap((f) => [...f.label, ...f.value])]) {
      if (!s.ref) continue;
      bound += 1;
      if (s.tone === 'bad' && /^(invariant|requirement)\./.test(s.ref)) bad += 1;
      if (s.missing) missing += 1;
    }
  }
  return { bound, bad, missing };
}
