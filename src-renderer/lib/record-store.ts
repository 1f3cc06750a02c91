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
      if (r.seq > this.lastSeq) this.lastSeq = r.seq;
      changed = true;
    }
    return changed;
  }

  clear(): void {
    this.list.length = 0;
    this.key.length = 0;
    this.bySeq.clear();
    Object.assign(this.counts, zeroCounts());
    this.lastSeq = -Infinity;
  }
}

function zeroCounts(): Record<TimelineKind, number> {
  return { fault: 0, evidence: 0, mode: 0, gvector: 0, claim: 0, invariant: 0 };
}
