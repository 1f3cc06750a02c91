import { describe, expect, it } from 'vitest';
import {
  boundaryX,
  electionDeadline,
  electionStatus,
  floorBox,
  fromPx,
  nearestSensor,
  radioPairs,
  recentCertificate,
  recentModeChanges,
  recentViolation,
  sensorDots,
  sensorRadius,
  sixtyFortyBoundary,
  splitAt,
  toPx,
  wallsUp,
  wallToggleAction,
  zoneRects,
} from '../../src-renderer/lib/views/floor-geometry';
import type { FloorZone, XY } from '../../src-renderer/lib/views/extras';
import type { LinkView, NodeView } from '../../src-shared/ipc/frames';
import type { TimelineRecord } from '../../src-shared/timeline/records';

const ids = ['zone-a', 'zone-b', 'zone-c', 'zone-d', 'zone-e'];
const zones: FloorZone[] = ids.map((id, i) => ({ id, x0: i / 5, x1: (i + 1) / 5, y0: 0, y1: 1 }));
const node = (id: string, group: string, up = true, role = 'follower'): NodeView => ({ id, group, up, role, byzantine: false });
const link = (a: string, b: string, state: LinkView['state']): LinkView => ({ a, b, state, latency_ms: 8, loss: 0 });

describe('floor layout', () => {
  it('fits the floor between the margins, centred when the stage is wider than the aspect cap', () => {
    const m = { top: 100, right: 10, bottom: 50, left: 10 };
    expect(floorBox({ width: 1000, height: 450 }, m, 3.6)).toEqual({ x: 10, y: 100, w: 980, h: 300 });
    const wide = floorBox({ width: 2000, height: 450 }, m, 2);
    expect(wide.w).toBe(600);
    expect(wide.x).toBeCloseTo(10 + (1980 - 600) / 2);
  });

  it('maps unit-square points to pixels and back', () => {
    const box = { x: 10, y: 20, w: 200, h: 100 };
    expect(toPx(box, [0.5, 0.25])).toEqual([110, 45]);
    expect(fromPx(box, toPx(box, [0.3, 0.7]))[0]).toBeCloseTo(0.3);
    expect(zoneRects(zones.slice(0, 2), box)).toEqual([
      { id: 'zone-a', x: 10, y: 20, w: 40, h: 100 },
      { id: 'zone-b', x: 50, y: 20, w: 40, h: 100 },
    ]);
  });

  it('sizes sensor dots for the room: bigger for 100 sensors than for 500, clamped', () => {
    const box = { x: 0, y: 0, w: 1200, h: 400 };
    const r100 = sensorRadius(box, 100);
    const r500 = sensorRadius(box, 500);
    expect(r100).toBeGreaterThan(r500);
    expect(r500).toBeGreaterThanOrEqual(3);
    expect(sensorRadius(box, 1)).toBe(10);
  });

  it('draws deployed sensors only; places sensors without positions on a grid in their zone', () => {
    const box = { x: 0, y: 0, w: 500, h: 100 };
    const nodes = [node('s1', 'zone-a'), node('s2', 'zone-b', false), node('s9', 'zone-c', true, 'inactive')];
    const dots = sensorDots(nodes, new Map<string, XY>([['s1', [0.1, 0.5]], ['s2', [0.3, 0.5]]]), zones, box);
    expect(dots.map((d) => [d.id, d.x, d.y, d.up])).toEqual([
      ['s1', 50, 50, true],
      ['s2', 150, 50, false],
    ]);
    const grid = sensorDots([node('s1', 'zone-a'), node('s2', 'zone-a'), node('s3', 'zone-e')], new Map(), zones, box);
    expect(grid).toHaveLength(3);
    for (const d of grid) {
      const z = zones.find((q) => q.id === (d.id === 's3' ? 'zone-e' : 'zone-a'))!;
      expect(d.x).toBeGreaterThan(z.x0 * 500);
      expect(d.x).toBeLessThan(z.x1 * 500);
    }
  });

  it('finds radio neighbours within range, like a brute-force scan', () => {
    const pts: XY[] = [];
    for (let i = 0; i < 300; i++) pts.push([((i * 7919) % 1000) / 1000, ((i * 104729) % 997) / 997]);
    const range = 0.08;
    const brute: string[] = [];
    for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) if (Math.hypot(pts[i]![0] - pts[j]![0], pts[i]![1] - pts[j]![1]) <= range) brute.push(`${i}-${j}`);
    const grid = radioPairs(pts, range).map(([i, j]) => `${i}-${j}`);
    expect(grid.sort()).toEqual(brute.sort());
    expect(radioPairs(pts, 0)).toEqual([]);
  });

  it('hit-tests the nearest sensor within the radius', () => {
    const dots = [
      { id: 'a', x: 10, y: 10 },
      { id: 'b', x: 30, y: 10 },
    ];
    expect(nearestSensor(dots, 12, 11, 8)?.id).toBe('a');
    expect(nearestSensor(dots, 26, 10, 8)?.id).toBe('b');
    expect(nearestSensor(dots, 20, 40, 8)).toBeNull();
  });
});

describe('metal walls', () => {
  it('puts the 60/40 wall between zones c and d for five zones', () => {
    expect(sixtyFortyBoundary(5)).toBe(2);
    expect(splitAt(ids, [sixtyFortyBoundary(5)])).toEqual([
      ['zone-a', 'zone-b', 'zone-c'],
      ['zone-d', 'zone-e'],
    ]);
    expect(sixtyFortyBoundary(2)).toBe(0);
    expect(sixtyFortyBoundary(1)).toBe(-1);
    expect(boundaryX(zones, 2)).toBeCloseTo(0.6);
  });

  it('reads which walls stand from the model (by zones or by x) and from cut links between neighbours', () => {
    expect([...wallsUp(zones, [{ x: 0.6, y0: 0, y1: 1, between: ['zone-d', 'zone-c'] }])]).toEqual([2]);
    expect([...wallsUp(zones, [{ x: 0.2, y0: 0, y1: 1, between: null }])]).toEqual([0]);
    expect([...wallsUp(zones, [], [link('zone-d', 'zone-e', 'cut'), link('zone-a', 'zone-c', 'cut'), link('zone-a', 'zone-b', 'lossy')])]).toEqual([3]);
  });

  it('raises a wall as a partition over zones, keeps other walls, and lowers the last with heal-all', () => {
    expect(wallToggleAction(ids, new Set(), 2)).toEqual({ do: 'partition', groups: [['zone-a', 'zone-b', 'zone-c'], ['zone-d', 'zone-e']] });
    expect(wallToggleAction(ids, new Set([2]), 0)).toEqual({ do: 'partition', groups: [['zone-a'], ['zone-b', 'zone-c'], ['zone-d', 'zone-e']] });
    expect(wallToggleAction(ids, new Set([0, 2]), 0)).toEqual({ do: 'partition', groups: [['zone-a', 'zone-b', 'zone-c'], ['zone-d', 'zone-e']] });
    expect(wallToggleAction(ids, new Set([2]), 2)).toEqual({ do: 'heal-all' });
  });
});

describe('election heads-up', () => {
  it('lists the coordinators that are up, the term and the election timers', () => {
    const nodes = [node('s1', 'zone-a', true, 'coordinator'), node('s2', 'zone-d', true, 'coordinator'), node('s3', 'zone-c', false, 'coordinator'), node('s4', 'zone-b')];
    const st = electionStatus(nodes, { election_in_progress_ms: 12_300, failover_ms: { count: 1, max: 9000, last: 9000 }, split_brain_terms: 1, term: 4 }, null);
    expect(st).toEqual({ coordinators: ['s1', 's2'], term: 4, inProgressMs: 12_300, lastFailoverMs: 9000, maxFailoverMs: 9000, splitBrainTerms: 1 });
    expect(electionStatus([], undefined, 2)).toMatchObject({ coordinators: [], term: 2, inProgressMs: null, lastFailoverMs: null });
    expect(electionDeadline({ election_deadline_ms: 45_000 })).toBe(45_000);
    expect(electionDeadline(undefined)).toBe(60_000);
  });

  it('keeps short-lived mode changes, certificates and violations on screen for a while', () => {
    const records: TimelineRecord[] = [
      { seq: 1, t_ms: 1000, kind: 'mode', scope: 'zone-a', from: 'Target', to: 'Degraded', evidence: [], reason: '' },
      { seq: 2, t_ms: 34_000, kind: 'mode', scope: 'zone-c', from: 'Target', to: 'Degraded', evidence: [], reason: '' },
      { seq: 3, t_ms: 34_050, kind: 'evidence', type: 'quorum-cert', scope: 'zone-c', node: 's-c013', detail: { term: 2, votes: 61, quorum: 51, coordinator: 's-c013' } },
      { seq: 4, t_ms: 34_060, kind: 'evidence', type: 'quorum-cert', scope: 'zone-a', node: 's-a001', detail: { adopted: true, term: 2 } },
      { seq: 5, t_ms: 34_100, kind: 'mode', scope: 'zone-c', from: 'Degraded', to: 'Target', evidence: [3], reason: '' },
      { seq: 6, t_ms: 34_200, kind: 'invariant', invariant: 'one-coordinator-per-term', status: 'violated', text: 'term 2 has two coordinators', evidence: [3, 9] },
    ];
    const recent = recentModeChanges(records, 36_000, 4000);
    expect([...recent.keys()]).toEqual(['zone-c']);
    expect(recent.get('zone-c')!.map((c) => c.to)).toEqual(['Degraded', 'Target']);
    expect(recentModeChanges(records, 60_000, 4000).size).toBe(0);
    expect(recentCertificate(records, 36_000, 4000)).toEqual({ t_ms: 34_050, node: 's-c013', term: 2, votes: 61, quorum: 51 });
    expect(recentCertificate(records, 50_000, 4000)).toBeNull();
    expect(recentViolation(records, 36_000, 30_000)).toMatchObject({ invariant: 'one-coordinator-per-term', evidence: [3, 9] });
    expect(recentViolation(records, 34_150, 30_000)).toBeNull();
  });
});
