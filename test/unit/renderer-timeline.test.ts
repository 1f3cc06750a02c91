import { describe, expect, it } from 'vitest';
import { RecordStore, TIMELINE_KINDS } from '../../src-renderer/lib/record-store';
import { citedRecords, componentChanges, describeRecord, matches, newestMatching, type TimelineFilter } from '../../src-renderer/lib/timeline-view';
import type { TimelineRecord } from '../../src-shared/timeline/records';

const hb = (seq: number, type: 'heartbeat-missed' | 'heartbeat-seen' = 'heartbeat-missed'): TimelineRecord => ({
  seq,
  t_ms: seq * 10_000,
  kind: 'evidence',
  type,
  scope: 'apac',
  node: 'apac-1',
  peer: 'us-east-1',
});
const cut: TimelineRecord = {
  seq: 1,
  t_ms: 5_000,
  kind: 'fault',
  action: { do: 'cut', link: ['apac', 'us-east'] },
  source: 'user',
  text: 'cut apac–us-east',
};
const mode: TimelineRecord = {
  seq: 5,
  t_ms: 35_000,
  kind: 'mode',
  scope: 'apac',
  from: 'target',
  to: 'degraded',
  evidence: [2, 3, 4],
  reason: '3 missed heartbeats in a row',
};
const all = (): TimelineFilter => ({ kinds: new Set(TIMELINE_KINDS), hideRoutine: false, scope: null });

describe('RecordStore', () => {
  it('accumulates records frame by frame and indexes them by seq', () => {
    const s = new RecordStore();
    expect(s.apply([cut, hb(2)], false)).toBe(true);
    expect(s.apply([hb(3), hb(4), mode], false)).toBe(true);
    expect(s.list.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(s.bySeq.get(5)).toBe(mode);
    expect(s.counts).toMatchObject({ fault: 1, evidence: 3, mode: 1 });
  });
  it('starts over on reset', () => {
    const s = new RecordStore();
    s.apply([cut, hb(2)], false);
    s.apply([hb(7)], true);
    expect(s.list.map((r) => r.seq)).toEqual([7]);
    expect(s.counts.fault).toBe(0);
  });
  it('ignores a record delivered twice', () => {
    const s = new RecordStore();
    s.apply([cut, hb(2)], false);
    expect(s.apply([hb(2)], false)).toBe(false);
    expect(s.list).toHaveLength(2);
  });
  it('reports no change for an empty frame', () => {
    expect(new RecordStore().apply([], false)).toBe(false);
  });
});

describe('describeRecord', () => {
  it('makes mode changes, faults, broken claims and violations major', () => {
    expect(describeRecord(mode)).toMatchObject({ prominence: 'major', cites: [2, 3, 4], scope: 'apac', title: 'apac: target → degraded' });
    expect(describeRecord(cut)).toMatchObject({ prominence: 'major', title: 'cut apac–us-east', detail: 'by you' });
    const claim: TimelineRecord = {
      seq: 6,
      t_ms: 35_000,
      kind: 'claim',
      scope: 'apac',
      status: 'broken',
      components: ['scope'],
      observed: '⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩',
      claimed: '⟨Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)⟩',
      evidence: [4],
    };
    expect(describeRecord(claim)).toMatchObject({
      prominence: 'major',
      tone: 'broken',
      icon: '⚠',
      title: 'apac: claim broken (Scope)',
      detail: 'claimed → observed: Scope Global → Local',
    });
    expect(componentChanges(['order', 'recency'], claim.observed, claim.claimed)).toBe('Order SS → None · Recency BS(500ms) → EO');
    expect(componentChanges(['scope'], 'bad', 'worse')).toBe('observed bad vs claimed worse');
    const inv: TimelineRecord = { seq: 7, t_ms: 1, kind: 'invariant', invariant: 'single-leader', status: 'violated', text: 'two leaders in term 3', evidence: [1] };
    expect(describeRecord(inv)).toMatchObject({ prominence: 'major', tone: 'violation' });
  });
  it('keeps evidence compact and flags bad evidence', () => {
    expect(describeRecord(hb(2))).toMatchObject({ prominence: 'minor', tone: 'evidence-bad', title: 'heartbeat-missed apac-1 → us-east-1' });
    expect(describeRecord(hb(2, 'heartbeat-seen')).tone).toBe('evidence');
  });
  it('resolves cited evidence, marking what is unknown', () => {
    const bySeq = new Map<number, TimelineRecord>([[2, hb(2)], [3, hb(3)]]);
    expect(citedRecords(mode, bySeq).map((c) => c.record?.seq ?? null)).toEqual([2, 3, null]);
  });
});

describe('filtering', () => {
  it('filters by kind, routine evidence and scope', () => {
    expect(matches(hb(2), { ...all(), kinds: new Set(['mode']) })).toBe(false);
    expect(matches(hb(2, 'heartbeat-seen'), { ...all(), hideRoutine: true })).toBe(false);
    expect(matches(hb(2), { ...all(), hideRoutine: true })).toBe(true);
    expect(matches(hb(2), { ...all(), scope: 'us-east' })).toBe(false);
    expect(matches(cut, { ...all(), scope: 'us-east' })).toBe(true);
  });
  const peerHb = (seq: number, peer: string): TimelineRecord => ({ ...hb(seq), peer }) as TimelineRecord;
  it('returns the newest matches first, capped', () => {
    const list = [cut, peerHb(2, 'a'), peerHb(3, 'b'), peerHb(4, 'a'), mode];
    const { items, more } = newestMatching(list, all(), 3);
    expect(items.map((r) => r.record.seq)).toEqual([5, 4, 3]);
    expect(more).toBe(true);
    const majors = newestMatching(list, { ...all(), kinds: new Set(['mode', 'fault']) }, 3);
    expect(majors.items.map((i) => i.record)).toEqual([mode, cut]);
    expect(majors.more).toBe(false);
  });
  it('folds consecutive identical evidence into one line with a count', () => {
    const refused = (seq: number): TimelineRecord => ({ seq, t_ms: seq * 100, kind: 'evidence', type: 'write-refused', scope: 'apac', node: 'apac-1' });
    const list = [cut, refused(2), refused(3), refused(4), peerHb(5, 'us-east'), refused(6)];
    const { items } = newestMatching(list, all(), 10);
    expect(items.map((i) => [i.record.seq, i.count])).toEqual([
      [6, 1],
      [5, 1],
      [4, 3],
      [1, 1],
    ]);
    expect(items[2]).toMatchObject({ first_t_ms: 200, seqs: [4, 3, 2] });
  });
  it('never folds records that must stay visible (cited evidence)', () => {
    const list = [hb(2), hb(3), hb(4)];
    expect(newestMatching(list, all(), 10).items).toHaveLength(1);
    expect(newestMatching(list, all(), 10, new Set([3])).items.map((i) => [i.record.seq, i.count])).toEqual([
      [4, 1],
      [3, 1],
      [2, 1],
    ]);
  });
  it('counts lines, not records, against the cap', () => {
    const list = Array.from({ length: 50 }, (_, i) => hb(i + 1));
    const { items, more } = newestMatching([cut, ...list], all(), 2);
    expect(items.map((i) => i.count)).toEqual([50, 1]);
    expect(more).toBe(false);
  });
  it('scans from the newest end and stops at the cap (thousands of records)', () => {
    const list: TimelineRecord[] = Array.from({ length: 200_000 }, (_, i) =>
      i % 50 === 0 ? ({ ...hb(i + 1), peer: `p${i % 7}` } as TimelineRecord) : hb(i + 1, 'heartbeat-seen'),
    );
    let visited = 0;
    const counting = new Proxy(list, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) visited++;
        return Reflect.get(target, prop, receiver);
      },
    });
    const { items, more } = newestMatching(counting, { ...all(), hideRoutine: true }, 200);
    expect(items).toHaveLength(200);
    expect(items[0]!.record.seq).toBe(199_951);
    expect(more).toBe(true);
    expect(visited).toBeLessThan(200 * 50 + 100);
  });
});

describe('key events lane', () => {
  it('indexes faults, mode changes, claims and invariants apart from the evidence stream', () => {
    const s = new RecordStore();
    s.apply([cut, hb(2), hb(3), hb(4), mode], false);
    expect(s.key.map((r) => r.seq)).toEqual([1, 5]);
    s.apply([], true);
    expect(s.key).toHaveLength(0);
  });
  it('folds repeated violations of one invariant', () => {
    const v = (seq: number, invariant = 'completeness'): TimelineRecord => ({ seq, t_ms: seq, kind: 'invariant', invariant, status: 'violated', text: '', evidence: [] });
    const { items } = newestMatching([mode, v(6), v(7), v(8, 'immutability'), v(9), v(10)], all(), 10);
    expect(items.map((i) => [i.record.seq, i.count])).toEqual([
      [10, 2],
      [8, 1],
      [7, 2],
      [5, 1],
    ]);
  });
});
