/**
 * What the HTML, Markdown and PDF reports draw, computed once from a Report (pure, no
 * DOM): mode intervals per scope, each G-vector component over time (observed against
 * claimed, as componentRank numbers), and the chain of evidence behind every mode
 * change, broken claim and invariant violation.
 */
import { COMPONENTS, componentRank, parseGVector, type ComponentName, type GVector } from '../../src-shared/gvector';
import type { MetricValue } from '../../src-shared/ipc/frames';
import type { Report } from '../../src-shared/report/types';
import type { TimelineRecord } from '../../src-shared/timeline/records';

export type ModeTone = 'target' | 'degraded' | 'floor' | 'recovery' | 'other';

/** Same rule as the app (src-renderer/lib/modes.ts): the id/label first, else severity. */
export function modeTone(mode: string, r: Pick<Report, 'mode_catalog'>): ModeTone {
  const spec = r.mode_catalog?.find((m) => m.id === mode);
  const words = `${mode} ${spec?.label ?? ''}`.toLowerCase();
  for (const t of ['target', 'degraded', 'floor', 'recovery'] as const) if (new RegExp(`(^|[^a-z])${t}`).test(words)) return t;
  if (spec) {
    if (spec.severity <= 0) return 'target';
    if (spec.severity >= 3) return 'floor';
  }
  return 'other';
}

export function scopeIds(r: Report): string[] {
  if (r.scopes?.length) return r.scopes.map((s) => s.id);
  const ids: string[] = [];
  for (const f of r.final) if (!ids.includes(f.scope)) ids.push(f.scope);
  return ids;
}

export function scopeLabel(r: Report, id: string): string {
  return r.scopes?.find((s) => s.id === id)?.label ?? id;
}

export interface ModeInterval {
  mode: string;
  from_ms: number;
  to_ms: number;
}

/** Per scope, the modes it was in over [0, until_ms], from the mode records. */
export function modeIntervals(r: Report): Map<string, ModeInterval[]> {
  const out = new Map<string, ModeInterval[]>();
  for (const scope of scopeIds(r)) {
    const changes = r.timeline.filter((x): x is Extract<TimelineRecord, { kind: 'mode' }> => x.kind === 'mode' && x.scope === scope);
    const first = changes[0]?.from ?? r.initial_mode ?? r.final.find((f) => f.scope === scope)?.mode ?? '?';
    const list: ModeInterval[] = [];
    let mode = first;
    let from = 0;
    for (const c of changes) {
      if (c.t_ms > from) list.push({ mode, from_ms: from, to_ms: c.t_ms });
      mode = c.to;
      from = c.t_ms;
    }
    list.push({ mode, from_ms: from, to_ms: Math.max(from, r.until_ms) });
    out.set(scope, list);
  }
  return out;
}

export interface GStep {
  t_ms: number;
  observed: string;
  claimed: string;
  /** componentRank per component; null where the text does not parse. */
  observedRank: Record<ComponentName, number> | null;
  claimedRank: Record<ComponentName, number> | null;
}

const rankCache = new Map<string, Record<ComponentName, number> | null>();
export function ranksOf(text: string): Record<ComponentName, number> | null {
  if (!text) return null;
  let hit = rankCache.get(text);
  if (hit !== undefined) return hit;
  let g: GVector | null = null;
  try {
    g = parseGVector(text);
  } catch {
    g = null;
  }
  hit = g ? (Object.fromEntries(COMPONENTS.map((c) => [c, componentRank(g!, c)])) as Record<ComponentName, number>) : null;
  if (rankCache.size > 5000) rankCache.clear();
  rankCache.set(text, hit);
  return hit;
}

/**
 * Per scope, the G-vector as a step function: a new step wherever the observed vector
 * changed (gvector records) or the claim changed (the mode changed, or a record says so).
 */
export function gvectorSteps(r: Report): Map<string, GStep[]> {
  const claimOfMode = new Map((r.mode_catalog ?? []).map((m) => [m.id, m.claim]));
  const out = new Map<string, GStep[]>();
  for (const scope of scopeIds(r)) {
    const steps: GStep[] = [];
    let observed = '';
    let claimed = '';
    const push = (t: number) => {
      const last = steps[steps.length - 1];
      const step = { t_ms: t, observed, claimed, observedRank: ranksOf(observed), claimedRank: ranksOf(claimed) };
      if (last && last.t_ms === t) steps[steps.length - 1] = step;
      else if (!last || last.observed !== observed || last.claimed !== claimed) steps.push(step);
    };
    for (const x of r.timeline) {
      if (x.kind === 'gvector' && x.scope === scope) {
        observed = x.observed;
        claimed = x.claimed;
        push(x.t_ms);
      } else if (x.kind === 'claim' && x.scope === scope) {
        claimed = x.claimed;
        push(x.t_ms);
      } else if (x.kind === 'mode' && x.scope === scope && claimOfMode.has(x.to)) {
        claimed = claimOfMode.get(x.to)!;
        if (observed) push(x.t_ms);
      }
    }
    out.set(scope, steps);
  }
  return out;
}

/** The values each component can take, weakest → strongest, for chart axes. */
export const COMPONENT_SCALE: Record<ComponentName, { max: number; ticks: [number, string][] }> = {
  scope: { max: 3, ticks: [[0, 'Local'], [1, 'Transaction'], [2, 'Range'], [3, 'Global']] },
  order: { max: 3, ticks: [[0, 'None'], [1, 'Causal'], [2, 'Lx'], [3, 'SS']] },
  visibility: { max: 3, ticks: [[0, 'Fractured'], [1, 'RA'], [2, 'SI'], [3, 'SER']] },
  recency: { max: 3, ticks: [[0, 'EO'], [1.5, 'BS(δ)'], [3, 'Fresh']] },
  idempotence: { max: 1, ticks: [[0, 'None'], [1, 'Idem']] },
  auth: { max: 2, ticks: [[0, 'Unauth'], [1, 'Auth(token)'], [2, 'Auth(sig)']] },
};

/** The components of a G-vector text, for tables (`⟨A, B(x, y), C⟩` → ['A', 'B(x, y)', 'C']). */
export function splitComponents(text: string): string[] {
  const inner = text.trim().replace(/^[⟨<]/, '').replace(/[⟩>]$/, '');
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of inner) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

// ---- chains of evidence -----------------------------------------------------------------

export interface ChainNode {
  record: TimelineRecord;
  /** What this record cites in turn (a claim cites evidence; evidence cites nothing). */
  cites: ChainNode[];
  /** Set when a cited seq is not in the timeline (e.g. a report cut short). */
  missing?: number[];
}

export interface EvidenceChain extends ChainNode {
  headline: string;
}

function citesOf(rec: TimelineRecord): number[] {
  return 'evidence' in rec && Array.isArray(rec.evidence) ? rec.evidence : [];
}

function chainNode(r: Report, rec: TimelineRecord, depth: number, seen: Set<number>): ChainNode {
  const cites: ChainNode[] = [];
  const missing: number[] = [];
  if (depth < 3) {
    for (const seq of citesOf(rec)) {
      const cited = r.timeline[seq]?.seq === seq ? r.timeline[seq] : r.timeline.find((x) => x.seq === seq);
      if (!cited) {
        missing.push(seq);
        continue;
      }
      if (seen.has(seq)) continue;
      seen.add(seq);
      cites.push(chainNode(r, cited, depth + 1, seen));
    }
  }
  return missing.length ? { record: rec, cites, missing } : { record: rec, cites };
}

/** Every mode change, broken claim and invariant violation, in time order, with what it cites. */
export function evidenceChains(r: Report): EvidenceChain[] {
  const out: EvidenceChain[] = [];
  for (const rec of r.timeline) {
    let headline: string | null = null;
    if (rec.kind === 'mode') headline = `${scopeLabel(r, rec.scope)}: ${rec.from} → ${rec.to}`;
    else if (rec.kind === 'claim' && rec.status === 'broken') headline = `${scopeLabel(r, rec.scope)}: claim broken on ${rec.components.join(', ')}`;
    else if (rec.kind === 'invariant') headline = `Invariant violated: ${r.invariants.find((i) => i.id === rec.invariant)?.name ?? rec.invariant}`;
    if (headline === null) continue;
    out.push({ headline, ...chainNode(r, rec, 0, new Set([rec.seq])) });
  }
  return out;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(ms % 100 === 0 ? 1 : 3)} s`;

/** One line for any record, as the reports print it. */
export function describeRecord(rec: TimelineRecord): string {
  switch (rec.kind) {
    case 'evidence': {
      const detail = rec.detail && Object.keys(rec.detail).length ? ` (${Object.entries(rec.detail).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : String(v)}`).join(', ')})` : '';
      return `${rec.type} at ${rec.node}${rec.peer ? ` about ${rec.peer}` : ''} [${rec.scope}]${detail}`;
    }
    case 'mode':
      return `${rec.scope}: ${rec.from} → ${rec.to} — ${rec.reason}`;
    case 'gvector':
      return `${rec.scope} observed ${rec.observed} (changed: ${rec.changed.join(', ')})`;
    case 'claim':
      return `${rec.scope} claim ${rec.status} on ${rec.components.join(', ')}: observed ${rec.observed} vs claimed ${rec.claimed}`;
    case 'invariant':
      return `${rec.invariant} violated: ${rec.text}`;
    case 'fault':
      return `${rec.text} (${rec.source})`;
  }
}

export { secs as formatSeconds };

/** Metrics as dotted rows: {write_latency_ms: {p99: 72}} → ['write_latency_ms.p99', '72']. */
export function flattenMetrics(metrics: Record<string, MetricValue>, prefix = ''): [string, string][] {
  const rows: [string, string][] = [];
  for (const [k, v] of Object.entries(metrics)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) rows.push(...flattenMetrics(v, key));
    else if (Array.isArray(v)) rows.push([key, v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ')]);
    else rows.push([key, typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000)) : String(v)]);
  }
  return rows;
}
