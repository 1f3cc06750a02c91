/** What the timeline shows for each record, and which records it shows. Pure. */
import type { TimelineKind, TimelineRecord } from '../../src-shared/timeline/records';
import { COMPONENTS, COMPONENT_LABELS, splitGVector, type ComponentName } from './gvec-view';

/** 'Scope Global → Local · Order SS → None' for the named components. */
export function componentChanges(components: readonly ComponentName[], observed: string, claimed: string): string {
  const o = splitGVector(observed);
  const c = splitGVector(claimed);
  if (!o || !c) return `observed ${observed} vs claimed ${claimed}`;
  return components
    .map((k) => {
      const i = COMPONENTS.indexOf(k);
      return i < 0 ? k : `${COMPONENT_LABELS[k]} ${c[i]} → ${o[i]}`;
    })
    .join(' · ');
}

/** 'Scope = Local · Order = None' for the named components of one G-vector. */
function componentValues(components: readonly ComponentName[], g: string): string {
  const v = splitGVector(g);
  if (!v) return g;
  return components.map((k) => `${COMPONENT_LABELS[k] ?? k} = ${v[COMPONENTS.indexOf(k)] ?? '?'}`).join(' · ');
}

export type Prominence = 'major' | 'minor';

export interface RecordLine {
  icon: string;
  title: string;
  detail: string;
  prominence: Prominence;
  /** Scope (region) the record is about, if any. */
  scope: string | null;
  /** Seq numbers this record cites as its evidence. */
  cites: number[];
  /** A tone class for colour (mode tone, 'fault', 'broken', 'violation', 'ok', 'evidence'). */
  tone: string;
}

function detailText(d: Record<string, unknown> | undefined): string {
  if (!d) return '';
  return Object.entries(d)
    .slice(0, 6)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' · ');
}

export function describeRecord(r: TimelineRecord): RecordLine {
  switch (r.kind) {
    case 'fault':
      return { icon: '✂', title: r.text, detail: r.source === 'user' ? 'by you' : 'scripted', prominence: 'major', scope: null, cites: [], tone: 'fault' };
    case 'mode':
      return {
        icon: '⇄',
        title: `${r.scope}: ${r.from} → ${r.to}`,
        detail: r.reason,
        prominence: 'major',
        scope: r.scope,
        cites: r.evidence,
        tone: 'mode',
      };
    case 'claim':
      return {
        icon: r.status === 'broken' ? '⚠' : '✓',
        title: `${r.scope}: claim ${r.status} (${r.components.map((c) => COMPONENT_LABELS[c] ?? c).join(', ')})`,
        detail: r.status === 'broken' ? `claimed → observed: ${componentChanges(r.components, r.observed, r.claimed)}` : `observed ${r.observed}`,
        prominence: 'major',
        scope: r.scope,
        cites: r.evidence,
        tone: r.status === 'broken' ? 'broken' : 'ok',
      };
    case 'invariant':
      return {
        icon: '⛔',
        title: `invariant violated: ${r.invariant}`,
        detail: r.text,
        prominence: 'major',
        scope: null,
        cites: r.evidence,
        tone: 'violation',
      };
    case 'gvector':
      return {
        icon: '⟨⟩',
        title: `${r.scope}: G-vector ${r.observed}`,
        detail: r.changed.length ? `changed: ${componentValues(r.changed, r.observed)}` : '',
        prominence: 'minor',
        scope: r.scope,
        cites: r.evidence,
        tone: 'gvector',
      };
    case 'evidence': {
      const who = r.peer ? `${r.node} → ${r.peer}` : r.node;
      // A proof that a client history is not linearizable, and the operations it cites.
      if (r.type === 'linearizability' || r.type === 'history-op') {
        const bad = r.type === 'history-op' || r.detail?.verdict === 'not-linearizable';
        return { icon: bad ? '✕' : '?', title: `${r.type} ${who}`, detail: detailText(r.detail), prominence: 'minor', scope: r.scope, cites: [], tone: bad ? 'evidence-bad' : 'evidence' };
      }
      return {
        icon: r.type === 'heartbeat-missed' || r.type === 'quorum-failed' || r.type === 'sig-failed' || r.type === 'write-refused' ? '✕' : '·',
        title: `${r.type} ${who}`,
        detail: detailText(r.detail),
        prominence: 'minor',
        scope: r.scope,
        cites: [],
        tone: r.type === 'heartbeat-missed' || r.type === 'quorum-failed' || r.type === 'sig-failed' || r.type === 'write-refused' ? 'evidence-bad' : 'evidence',
      };
    }
  }
}

export interface TimelineFilter {
  kinds: ReadonlySet<TimelineKind>;
  /** Hide routine heartbeat-seen evidence (thousands per minute). */
  hideRoutine: boolean;
  /** Only this scope, or null for all. */
  scope: string | null;
  /** Only evidence of these types (non-evidence records drop out); null or absent: all. */
  types?: ReadonlySet<string> | null;
  /** Only evidence about this node (non-evidence records drop out); null or absent: all. */
  node?: NodeFilter | null;
}

/**
 * A node to filter evidence by. Evidence names its peer by node id or, for region-level
 * heartbeats (NT-1), by the peer's group: `group` lets "apac-1 → us-east" count as
 * evidence about the nodes of us-east too.
 */
export interface NodeFilter {
  id: string;
  group: string | null;
}

const ROUTINE = new Set(['heartbeat-seen', 'ack', 'fsync']);

export function matches(r: TimelineRecord, f: TimelineFilter): boolean {
  if (!f.kinds.has(r.kind)) return false;
  // A type picked by name is shown even when it is routine.
  if (f.hideRoutine && r.kind === 'evidence' && ROUTINE.has(r.type) && !f.types?.has(r.type)) return false;
  if (f.scope !== null && 'scope' in r && r.scope !== f.scope) return false;
  return matchesEvidence(r, f.types ?? null, f.node ?? null);
}

/** The evidence filters: by type and by node (as the record's node or its peer). */
export function matchesEvidence(r: TimelineRecord, types: ReadonlySet<string> | null, node: NodeFilter | null): boolean {
  if (!types && !node) return true;
  if (r.kind !== 'evidence') return false;
  if (types && !types.has(r.type)) return false;
  return !node || isAbout(r, node);
}

function isAbout(r: { node: string; peer?: string }, n: NodeFilter): boolean {
  return r.node === n.id || r.peer === n.id || (n.group !== null && r.peer === n.group);
}

/** One line of the timeline: a record, or a run of identical evidence shown once. */
export interface TimelineItem {
  /** The newest record of the run. */
  record: TimelineRecord;
  /** How many consecutive identical evidence records it stands for (1 = just itself). */
  count: number;
  /** Time of the oldest record in the run. */
  first_t_ms: number;
  /** Seqs of the records folded into this line (newest first). */
  seqs: number[];
}

/**
 * Records that fold into one line when they come one after another: evidence of the same
 * type, scope, node and peer; repeated violations of the same invariant.
 */
function sameRun(a: TimelineRecord, b: TimelineRecord): boolean {
  if (a.kind === 'evidence' && b.kind === 'evidence') return a.type === b.type && a.scope === b.scope && a.node === b.node && a.peer === b.peer;
  if (a.kind === 'invariant' && b.kind === 'invariant') return a.invariant === b.invariant && a.status === b.status;
  return false;
}

/**
 * Newest first, at most `limit` lines, scanning from the end: cost is proportional to
 * what is shown (plus what is skipped), not to the whole run. Consecutive identical
 * evidence (a region refusing writes for a minute) folds into one line with a count;
 * records in `keep` (e.g. the evidence a selected record cites) always get their own line.
 */
export function newestMatching(
  list: readonly TimelineRecord[],
  f: TimelineFilter,
  limit: number,
  keep: ReadonlySet<number> = new Set(),
): { items: TimelineItem[]; more: boolean } {
  const items: TimelineItem[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i]!;
    if (!matches(r, f)) continue;
    const last = items[items.length - 1];
    if (last && sameRun(last.record, r) && !keep.has(r.seq) && !keep.has(last.record.seq)) {
      last.count++;
      last.first_t_ms = r.t_ms;
      last.seqs.push(r.seq);
      continue;
    }
    if (items.length === limit) return { items, more: true };
    items.push({ record: r, count: 1, first_t_ms: r.t_ms, seqs: [r.seq] });
  }
  return { items, more: false };
}

/** Evidence cited by a record, resolved; unknown seqs come back as null. */
export function citedRecords(r: TimelineRecord, bySeq: ReadonlyMap<number, TimelineRecord>): { seq: number; record: TimelineRecord | null }[] {
  const line = describeRecord(r);
  return line.cites.map((seq) => ({ seq, record: bySeq.get(seq) ?? null }));
}

export function citesOf(r: TimelineRecord): number[] {
  return 'evidence' in r && Array.isArray(r.evidence) ? r.evidence : [];
}
