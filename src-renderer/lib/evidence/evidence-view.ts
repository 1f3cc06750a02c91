/**
 * Evidence as objects (issue 7): what the record detail card shows — every field of a
 * record, the evidence it cites and the records citing it — and the options of the
 * evidence filters. Pure: the card and the filter bar only render what this returns.
 */
import type { TimelineRecord } from '../../../src-shared/timeline/records';
import { formatStamp } from '../format';

/** One labelled field of a record, e.g. ['peer', 'us-east']. */
export type Field = readonly [label: string, value: string];

function text(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** The record's own fields (not the header: kind, seq and time are shown apart). */
function ownFields(r: TimelineRecord): Field[] {
  switch (r.kind) {
    case 'evidence':
      return [['type', r.type], ['scope', r.scope], ['node', r.peer ? `${r.node} → ${r.peer}` : r.node]];
    case 'mode':
      return [['scope', r.scope], ['mode', `${r.from} → ${r.to}`], ['reason', r.reason]];
    case 'claim':
      return [['scope', r.scope], ['status', r.status], ['components', r.components.join(', ')], ['observed', r.observed], ['claimed', r.claimed]];
    case 'gvector':
      return [['scope', r.scope], ['observed', r.observed], ['claimed', r.claimed], ['changed', r.changed.join(', ') || '—']];
    case 'invariant':
      return [['invariant', r.invariant], ['status', r.status], ['text', r.text]];
    case 'fault':
      return [['action', r.text], ['source', r.source]];
  }
}

/** Every field of a record for the detail card; evidence detail keys follow its own fields. */
export function recordFields(r: TimelineRecord): Field[] {
  const detail = r.kind === 'evidence' && r.detail ? Object.entries(r.detail).map(([k, v]): Field => [k.replace(/_/g, ' '), text(v)]) : [];
  return [['t', formatStamp(r.t_ms)], ...ownFields(r), ...detail];
}

/** A short name for a record in a link: 'heartbeat-missed apac-1 → us-east', 'apac: Target → Degraded'. */
export function recordLabel(r: TimelineRecord): string {
  switch (r.kind) {
    case 'evidence':
      return `${r.type} ${r.peer ? `${r.node} → ${r.peer}` : r.node}`;
    case 'mode':
      return `${r.scope}: ${r.from} → ${r.to}`;
    case 'claim':
      return `${r.scope}: claim ${r.status}`;
    case 'gvector':
      return `${r.scope}: G-vector`;
    case 'invariant':
      return `invariant ${r.invariant} ${r.status}`;
    case 'fault':
      return r.text;
  }
}

/** Cited-by records the room cares about first: mode changes, claims, verdicts, then G-vectors. */
const CITER_ORDER: Record<string, number> = { mode: 0, claim: 1, invariant: 2, gvector: 3 };

/** Records citing `seq`, resolved and ordered (key kinds first, then by seq). */
export function citersOf(seq: number, citedBy: ReadonlyMap<number, readonly number[]>, bySeq: ReadonlyMap<number, TimelineRecord>): TimelineRecord[] {
  const out: TimelineRecord[] = [];
  for (const s of citedBy.get(seq) ?? []) {
    const r = bySeq.get(s);
    if (r) out.push(r);
  }
  return out.sort((a, b) => (CITER_ORDER[a.kind] ?? 9) - (CITER_ORDER[b.kind] ?? 9) || a.seq - b.seq);
}

export interface Option {
  value: string;
  count: number;
}

const byName = (a: Option, b: Option): number => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
const byCount = (a: Option, b: Option): number => b.count - a.count || byName(a, b);

/**
 * Filter options: only what occurred in the run, with counts; by name, or by count
 * (capped). Runs as records arrive; the maps are small in the scenarios (MT-3: 11 reporting
 * nodes), a synthetic 5000-node map sorts in ≈ 3 ms.
 */
export function filterOptions(counts: ReadonlyMap<string, number>, order: 'name' | 'count', cap = Infinity): Option[] {
  const list: Option[] = [];
  for (const [value, count] of counts) list.push({ value, count });
  list.sort(order === 'name' ? byName : byCount);
  return list.length > cap ? list.slice(0, cap) : list;
}
