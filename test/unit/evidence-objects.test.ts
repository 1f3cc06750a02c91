/**
 * Evidence as objects (issue 7): filtering the evidence stream by type and by node,
 * the reverse "cited by" index, and what the record detail card shows.
 */
import { describe, expect, it } from 'vitest';
import { RecordStore, TIMELINE_KINDS } from '../../src-renderer/lib/record-store';
import { matches, matchesEvidence, newestMatching, type TimelineFilter } from '../../src-renderer/lib/timeline-view';
import { citersOf, filterOptions, recordFields, recordLabel } from '../../src-renderer/lib/evidence/evidence-view';
import type { EvidenceRecord, TimelineRecord } from '../../src-shared/timeline/records';

const ev = (seq: number, type: EvidenceRecord['type'], node: string, peer?: string, detail?: EvidenceRecord['detail']): TimelineRecord => ({
  seq,
  t_ms: seq * 1000,
  kind: 'evidence',
  type,
  scope: node.replace(/-\d+$/, ''),
  node,
  ...(peer ? { peer } : {}),
  ...(detail ? { detail } : {}),
});
const mode: TimelineRecord = { seq: 10, t_ms: 10_000, kind: 'mode', scope: 'apac', from: 'Target', to: 'Degraded', evidence: [2, 3], reason: '3 missed heartbeats' };
const claim: TimelineRecord = { seq: 11, t_ms: 10_000, kind: 'claim', scope: 'apac', status: 'broken', components: ['scope'], observed: 'o', claimed: 'c', evidence: [3] };
const gvec: TimelineRecord = { seq: 9, t_ms: 10_000, kind: 'gvector', scope: 'apac', observed: 'o', claimed: 'c', changed: ['scope'], evidence: [3] };
const all = (extra: Partial<TimelineFilter> = {}): TimelineFilter => ({ kinds: new Set(TIMELINE_KINDS), hideRoutine: false, scope: null, ...extra });

describe('evidence filters', () => {
  const run: TimelineRecord[] = [
    ev(1, 'heartbeat-seen', 'apac-1', 'us-east'),
    ev(2, 'heartbeat-missed', 'apac-1', 'us-east'),
    ev(3, 'heartbeat-missed', 'apac-1', 'eu-west'),
    ev(4, 'vote', 'eu-west-2', 'us-east-1'),
    ev(5, 'quorum-cert', 'us-east-1'),
    gvec,
    mode,
  ];
  const seqs = (f: TimelineFilter) => run.filter((r) => matches(r, f)).map((r) => r.seq);

  it('keeps everything when no evidence filter is set', () => {
    expect(seqs(all())).toEqual([1, 2, 3, 4, 5, 9, 10]);
    expect(matchesEvidence(mode, null, null)).toBe(true);
  });
  it('by type: only evidence of that type; other kinds drop out', () => {
    expect(seqs(all({ types: new Set(['heartbeat-missed']) }))).toEqual([2, 3]);
    expect(seqs(all({ types: new Set(['vote', 'quorum-cert']) }))).toEqual([4, 5]);
  });
  it('a routine type picked by name shows even with "hide routine" on', () => {
    expect(seqs(all({ hideRoutine: true }))).not.toContain(1);
    expect(seqs(all({ hideRoutine: true, types: new Set(['heartbeat-seen']) }))).toEqual([1]);
  });
  it('by node: the node reporting it or named as its peer', () => {
    expect(seqs(all({ node: { id: 'us-east-1', group: null } }))).toEqual([4, 5]);
    expect(seqs(all({ node: { id: 'eu-west-2', group: null } }))).toEqual([4]);
    expect(seqs(all({ node: { id: 'apac-1', group: 'apac' } }))).toEqual([1, 2, 3]);
  });
  it('by node: a peer named by its group counts for the nodes of that group', () => {
    expect(seqs(all({ node: { id: 'us-east-1', group: 'us-east' } }))).toEqual([1, 2, 4, 5]);
    expect(seqs(all({ node: { id: 'eu-west-2', group: 'eu-west' } }))).toEqual([3, 4]);
  });
  it('type and node together', () => {
    expect(seqs(all({ types: new Set(['heartbeat-missed']), node: { id: 'eu-west-1', group: 'eu-west' } }))).toEqual([3]);
    expect(seqs(all({ types: new Set(['vote']), node: { id: 'apac-1', group: 'apac' } }))).toEqual([]);
  });
  it('still scans from the newest end and stops at the cap', () => {
    const list: TimelineRecord[] = Array.from({ length: 100_000 }, (_, i) => ev(i + 1, i % 10 === 0 ? 'vote' : 'probe', `n-${i % 3}`, `p-${i}`));
    let visited = 0;
    const counting = new Proxy(list, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) visited++;
        return Reflect.get(target, prop, receiver);
      },
    });
    const { items, more } = newestMatching(counting, all({ types: new Set(['vote']), node: { id: 'n-0', group: null } }), 20);
    expect(items).toHaveLength(20);
    expect(items.every((i) => i.record.kind === 'evidence' && i.record.type === 'vote' && i.record.node === 'n-0')).toBe(true);
    expect(items[0]!.record.seq).toBe(99_991);
    expect(more).toBe(true);
    expect(visited).toBeLessThan(20 * 30 + 100);
  });
});

describe('RecordStore evidence index', () => {
  it('counts evidence by type and node, and indexes who cites what', () => {
    const s = new RecordStore();
    s.apply([ev(1, 'heartbeat-seen', 'apac-1'), ev(2, 'heartbeat-missed', 'apac-1', 'us-east'), ev(3, 'heartbeat-missed', 'eu-west-1')], false);
    s.apply([gvec, mode, claim], false);
    expect(Object.fromEntries(s.evidenceTypes)).toEqual({ 'heartbeat-seen': 1, 'heartbeat-missed': 2 });
    expect(Object.fromEntries(s.evidenceNodes)).toEqual({ 'apac-1': 2, 'eu-west-1': 1 });
    expect(s.citedBy.get(2)).toEqual([10]);
    expect(s.citedBy.get(3)).toEqual([9, 10, 11]);
    expect(s.citedBy.has(1)).toBe(false);
  });
  it('forgets the index on reset', () => {
    const s = new RecordStore();
    s.apply([ev(2, 'heartbeat-missed', 'apac-1'), mode], false);
    s.apply([ev(20, 'vote', 'us-east-1')], true);
    expect([...s.evidenceTypes.keys()]).toEqual(['vote']);
    expect(s.citedBy.size).toBe(0);
  });
});

describe('record detail', () => {
  it('lists cited-by with mode changes and claims before G-vectors', () => {
    const s = new RecordStore();
    s.apply([ev(2, 'heartbeat-missed', 'apac-1'), ev(3, 'heartbeat-missed', 'apac-1'), gvec, mode, claim], false);
    expect(citersOf(3, s.citedBy, s.bySeq).map((r) => r.kind)).toEqual(['mode', 'claim', 'gvector']);
    expect(citersOf(2, s.citedBy, s.bySeq).map((r) => r.seq)).toEqual([10]);
    expect(citersOf(99, s.citedBy, s.bySeq)).toEqual([]);
  });
  it('shows every field of an evidence record, detail included', () => {
    const r = ev(36, 'heartbeat-missed', 'apac-1', 'us-east', { round: 2, in_a_row: 1, members: ['a', 'b'] });
    expect(recordFields(r)).toEqual([
      ['t', '36.000 s'],
      ['type', 'heartbeat-missed'],
      ['scope', 'apac'],
      ['node', 'apac-1 → us-east'],
      ['round', '2'],
      ['in a row', '1'],
      ['members', 'a, b'],
    ]);
    expect(recordLabel(r)).toBe('heartbeat-missed apac-1 → us-east');
  });
  it('shows the fields of a mode change', () => {
    expect(recordFields(mode)).toContainEqual(['mode', 'Target → Degraded']);
    expect(recordFields(mode)).toContainEqual(['reason', '3 missed heartbeats']);
    expect(recordLabel(mode)).toBe('apac: Target → Degraded');
  });
  it('offers only the types and nodes that occurred, with counts', () => {
    const counts = new Map([['vote', 2], ['heartbeat-missed', 7], ['ack', 7]]);
    expect(filterOptions(counts, 'name').map((o) => o.value)).toEqual(['ack', 'heartbeat-missed', 'vote']);
    expect(filterOptions(counts, 'count', 2)).toEqual([
      { value: 'ack', count: 7 },
      { value: 'heartbeat-missed', count: 7 },
    ]);
  });
});
