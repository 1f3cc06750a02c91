/**
 * Answer templates of the analysis panel: `{kind.path}` placeholders bound to a run's
 * figures. Pure (shared by the host, the reports and the tests).
 *
 *   {metric.a.b}       the run's metric at a dotted path (numbers rounded, lists joined)
 *   {figure.a.b}       the model's analysis() figures (e.g. rates over seeds)
 *   {mode.SCOPE}       the scope's current mode (toned by severity)
 *   {modes.SCOPE}      the modes the scope entered, in order: "Target → Degraded → Floor"
 *   {invariant.ID}     "held" or "VIOLATED (n×)"
 *   {requirement.ID}   "met (value)" / "missed (value)" / "—"
 *   {observed.SCOPE}   the observed G-vector; {claimed.SCOPE} the claimed one
 *   {strategy} {strategy_label} {seed} {t}
 * A placeholder without a value renders as “—” (missing), never as an error: a figure
 * that the run has not produced yet (no audit, no decision) is simply not there.
 */
import type { AnalysisSegment, SegmentTone } from './types';

export const PLACEHOLDER_KINDS = ['metric', 'figure', 'mode', 'modes', 'invariant', 'requirement', 'observed', 'claimed'] as const;
export const PLACEHOLDER_WORDS = ['strategy', 'strategy_label', 'seed', 't'] as const;

export interface AnalysisBindings {
  metrics: Record<string, unknown>;
  figures: Record<string, unknown>;
  /** Current mode per scope. */
  modes: Record<string, string>;
  /** Modes entered per scope, in order, the initial one first. */
  modes_entered: Record<string, string[]>;
  /** Mode id → severity (0 Target … 3 Floor), for tones. */
  severity: Record<string, number>;
  /** Invariant id → violations. */
  invariants: Record<string, number>;
  requirements: Record<string, { value: number | null; met: boolean | null }>;
  observed: Record<string, string>;
  claimed: Record<string, string>;
  strategy: string;
  strategy_label: string;
  seed: number;
  t_ms: number;
}

const PLACEHOLDER = /\{([a-z_]+)(?:\.([^{}\s]+))?\}/gi;

/** The placeholders of a template that are not understood (for the scenario loader's errors). */
export function unknownPlaceholders(template: string): string[] {
  const bad: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const kind = m[1]!;
    const path = m[2];
    const ok = path ? (PLACEHOLDER_KINDS as readonly string[]).includes(kind) : (PLACEHOLDER_WORDS as readonly string[]).includes(kind);
    if (!ok) bad.push(m[0]);
  }
  return bad;
}

export function lookupPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(part)] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A value as text: integers as they are, other numbers to 3 decimals at most, lists joined. */
export function formatValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map((x) => formatValue(x) ?? '—').join(', ');
  return JSON.stringify(v);
}

function toneOfSeverity(s: number | undefined): SegmentTone | undefined {
  if (s === undefined) return undefined;
  return s === 0 ? 'good' : s >= 3 ? 'bad' : 'warn';
}

function resolve(kind: string, path: string | undefined, b: AnalysisBindings): { text: string | null; tone?: SegmentTone } {
  if (!path) {
    if (kind === 'strategy') return { text: b.strategy };
    if (kind === 'strategy_label') return { text: b.strategy_label };
    if (kind === 'seed') return { text: String(b.seed) };
    if (kind === 't') return { text: `${Math.round(b.t_ms / 100) / 10} s` };
    return { text: null };
  }
  switch (kind) {
    case 'metric':
      return { text: formatValue(lookupPath(b.metrics, path)) };
    case 'figure':
      return { text: formatValue(lookupPath(b.figures, path)) };
    case 'mode': {
      const m = b.modes[path];
      return { text: m ?? null, tone: toneOfSeverity(m === undefined ? undefined : b.severity[m]) };
    }
    case 'modes': {
      const list = b.modes_entered[path];
      if (!list || list.length === 0) return { text: null };
      const worst = Math.max(...list.map((m) => b.severity[m] ?? 0));
      return { text: list.join(' → '), tone: toneOfSeverity(worst) };
    }
    case 'invariant': {
      const n = b.invariants[path];
      if (n === undefined) return { text: null };
      return n === 0 ? { text: 'held', tone: 'good' } : { text: `VIOLATED (${n}×)`, tone: 'bad' };
    }
    case 'requirement': {
      const r = b.requirements[path];
      if (!r || r.met === null) return { text: null };
      const v = formatValue(r.value) ?? '—';
      return r.met ? { text: `met (${v})`, tone: 'good' } : { text: `missed (${v})`, tone: 'bad' };
    }
    case 'observed':
      return { text: b.observed[path] || null };
    case 'claimed':
      return { text: b.claimed[path] || null };
  }
  return { text: null };
}

/** Splits a template into text and bound values. */
export function renderTemplate(template: string, b: AnalysisBindings): AnalysisSegment[] {
  const out: AnalysisSegment[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: template.slice(last, at) });
    const r = resolve(m[1]!, m[2], b);
    out.push({ text: r.text ?? '—', ref: m[0].slice(1, -1), ...(r.tone ? { tone: r.tone } : {}), ...(r.text === null ? { missing: true } : {}) });
    last = at + m[0].length;
  }
  if (last < template.length) out.push({ text: template.slice(last) });
  return out;
}

/** Segments back to plain text (reports, Markdown). */
export function segmentsText(segs: readonly AnalysisSegment[]): string {
  return segs.map((s) => s.text).join('');
}
