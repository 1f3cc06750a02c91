/**
 * Accumulates the timeline records that frames carry (each frame brings only the new
 * ones; `reset` starts over). Plain, non-reactive data: the run state bumps a version
 * number so views recompute without deep proxies over thousands of records.
 */
import type { TimelineKind, TimelineRecord } from '../../src-shared/timeline/records';

export const TIMELINE_KINDS: readonly TimelineKind[] = ['mode', 'claim', 'invariant', 'fault', 'gvector', 'evidence'];
/** The kinds the room must not miss: they get their own lane and never scroll away with evidence. */
export const KEY_KINDS: ReadonlySet<TimelineKind> = new Set(['mode', 'claim', 'invariant', 'fault']);

export class RecordStore {
  readonly list: TimelineRecord[] = [];
  /** The KEY_KINDS records only, in order (a small index over `list`). */
  readonly key: TimelineRecord[] = [];
  readonly bySeq = new Map<number, TimelineRecord>();
  readonly counts: Record<TimelineKind, number> = zeroCounts();
  /** Evidence records per type, and per reporting node (for the evidence filters). */
  readonly evidenceTypes = new Map<string, number>();
  readonly evidenceNodes = new Map<string, number>();
  /** Reverse of `evidence`: seq → seqs of the records (mode, claim, verdict…) citing it. */
  readonly citedBy = new Map<number, number[]>();
  lastSeq = -Infinity;

  /** Returns true when anything changed. */
  apply(records: readonly TimelineRecord[], reset: boolean): boolean {
    let changed = false;
    if (reset) {
      changed = this.list.length > 0;
      this.clear();
    }
    for (const r of records) {
      // Guard against a duplicate delivery (e.g. a frame replayed after open-run).
      if (r.seq <= this.lastSeq && this.bySeq.has(r.seq)) continue;
      this.list.push(r);
      if (KEY_KINDS.has(r.kind)) this.key.push(r);
      this.bySeq.set(r.seq, r);
      this.counts[r.kind]++;
      this.index(r);
      if (r.seq > this.lastSeq) this.lastSeq = r.seq;
      changed = true;
    }
    return changed;
  }

  /** Per-record index upkeep: O(1) per evidence record, O(cites) per citing record. */
  private index(r: TimelineRecord): void {
    if (r.kind === 'evidence') {
      bump(this.evidenceTypes, r.type);
      bump(this.evidenceNodes, r.node);
      return;
    }
    if (!('evidence' in r)) return;
    for (const seq of r.evidence) {
      const list = this.citedBy.get(seq);
      if (list) list.push(r.seq);
      else this.citedBy.set(seq, [r.seq]);
    }
  }

  clear(): void {
    this.list.length = 0;
    this.key.length = 0;
    this.bySeq.clear();
    this.evidenceTypes.clear();
    this.evidenceNodes.clear();
    this.citedBy.clear();
    Object.assign(this.counts, zeroCounts());
    this.lastSeq = -Infinity;
  }
}

function zeroCounts(): Record<TimelineKind, number> {
  return { fault: 0, evidence: 0, mode: 0, gvector: 0, claim: 0, invariant: 0 };
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
