import { describe, expect, it } from 'vitest';
import { estimateSimTime, messageProgress } from '../../src-renderer/lib/clock';
import {
  isPlanView,
  layoutRegions,
  linkClickAction,
  linkKey,
  linkShape,
  messagePosition,
  nodeClickAction,
  planProjector,
} from '../../src-renderer/lib/geo';
import { baseMapPaths, countries, makeProjection } from '../../src-renderer/lib/world';
import type { GroupSpec } from '../../src-shared/scenario/types';
import type { LinkView, MessageView } from '../../src-shared/ipc/frames';

const groups: GroupSpec[] = [
  { id: 'us-east', label: 'US East', location: [-77.5, 39], nodes: ['us1', 'us2', 'us3'] },
  { id: 'eu-west', label: 'EU West', location: [-8, 53.3], nodes: ['eu1', 'eu2', 'eu3'] },
  { id: 'apac', label: 'Asia-Pacific', location: [103.8, 1.35], nodes: ['ap1', 'ap2', 'ap3'] },
];
const size = { width: 1200, height: 700 };
const projection = makeProjection(size.width, size.height);
const layout = layoutRegions(groups, (p) => projection(p) as [number, number] | null, size, 10);
const msg = (from: string, to: string, sent_ms: number, arrive_ms: number): MessageView => ({ id: 1, from, to, kind: 'append', sent_ms, arrive_ms });

describe('clock interpolation', () => {
  const c = { t_ms: 10_000, recv_ms: 1000, playing: true, speed: 2, until_ms: 60_000 };
  it('advances simulated time with wall time × speed', () => {
    expect(estimateSimTime(c, 1100)).toBe(10_200);
  });
  it('holds still when paused and never runs far ahead of the host', () => {
    expect(estimateSimTime({ ...c, playing: false }, 5000)).toBe(10_000);
    expect(estimateSimTime(c, 60_000, 500)).toBe(10_500);
    expect(estimateSimTime({ ...c, t_ms: 59_900 }, 2000)).toBe(60_000);
    expect(estimateSimTime(c, 500)).toBe(10_000);
  });
  it('gives a message’s progress along its path, or null when not in flight', () => {
    expect(messageProgress({ sent_ms: 100, arrive_ms: 200 }, 150)).toBe(0.5);
    expect(messageProgress({ sent_ms: 100, arrive_ms: 200 }, 99)).toBeNull();
    expect(messageProgress({ sent_ms: 100, arrive_ms: 200 }, 201)).toBeNull();
    expect(messageProgress({ sent_ms: 100, arrive_ms: 100 }, 100)).toBe(1);
  });
});

describe('map layout', () => {
  it('puts every region inside the picture in the right order west to east', () => {
    const xs = groups.map((g) => layout.regions.get(g.id)!.xy);
    for (const [x, y] of xs) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(size.width);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(size.height);
    }
    expect(xs[0]![0]).toBeLessThan(xs[1]![0]);
    expect(xs[1]![0]).toBeLessThan(xs[2]![0]);
    // Singapore sits south of Ireland on the screen.
    expect(xs[2]![1]).toBeGreaterThan(xs[1]![1]);
  });
  it('clusters nodes around their region without overlapping', () => {
    const ring = ['us1', 'us2', 'us3'].map((id) => layout.nodes.get(id)!.xy);
    const centre = layout.regions.get('us-east')!.xy;
    for (const p of ring) expect(Math.hypot(p[0] - centre[0], p[1] - centre[1])).toBeLessThan(layout.haloR);
    const d = Math.hypot(ring[0]![0] - ring[1]![0], ring[0]![1] - ring[1]![1]);
    expect(d).toBeGreaterThan(2 * layout.nodeR);
  });
  it('recognises plan views and lays them out flat', () => {
    const plan: GroupSpec[] = [
      { id: 'a', label: 'A', location: [0.1, 0.2], nodes: ['a1'] },
      { id: 'b', label: 'B', location: [0.9, 0.8], nodes: ['b1'] },
    ];
    expect(isPlanView(plan)).toBe(true);
    expect(isPlanView(groups)).toBe(false);
    const l = layoutRegions(plan, planProjector(size, 0), size, 8, false);
    expect(l.regions.get('b')!.xy).toEqual([1080, 560]);
    expect(messagePosition(msg('a', 'b', 0, 100), 50, l, null)).toEqual([600, 350]);
  });
  it('spreads groups without a location along the bottom', () => {
    const l = layoutRegions([{ id: 'x', label: 'X', nodes: ['x1'] }], () => null, size, 8);
    expect(l.regions.get('x')!.xy[1]).toBeGreaterThan(size.height / 2);
  });
});

describe('messages along the arcs', () => {
  it('starts at the sender and ends at the receiver', () => {
    const m = msg('us1', 'eu2', 0, 100);
    const start = messagePosition(m, 0, layout, projection)!;
    const end = messagePosition(m, 100, layout, projection)!;
    expect(start[0]).toBeCloseTo(layout.nodes.get('us1')!.xy[0], 6);
    expect(start[1]).toBeCloseTo(layout.nodes.get('us1')!.xy[1], 6);
    expect(end[0]).toBeCloseTo(layout.nodes.get('eu2')!.xy[0], 6);
    expect(end[1]).toBeCloseTo(layout.nodes.get('eu2')!.xy[1], 6);
  });
  it('follows the great circle (north of the straight screen line between US and EU)', () => {
    const mid = messagePosition(msg('us-east', 'eu-west', 0, 100), 50, layout, projection)!;
    const a = layout.regions.get('us-east')!.xy;
    const b = layout.regions.get('eu-west')!.xy;
    expect(mid[1]).toBeLessThan((a[1] + b[1]) / 2);
  });
  it('moves within a region in a straight line, and is hidden outside its flight', () => {
    const p = messagePosition(msg('us1', 'us2', 0, 10), 5, layout, projection)!;
    const a = layout.nodes.get('us1')!.xy;
    const b = layout.nodes.get('us2')!.xy;
    expect(p[0]).toBeCloseTo((a[0] + b[0]) / 2, 6);
    expect(messagePosition(msg('us1', 'us2', 0, 10), 11, layout, projection)).toBeNull();
    expect(messagePosition(msg('nobody', 'us2', 0, 10), 5, layout, projection)).toBeNull();
  });
});

describe('links', () => {
  const link: LinkView = { a: 'us-east', b: 'eu-west', state: 'up', latency_ms: 80, loss: 0 };
  it('draws a great-circle arc with a midpoint for the marker', () => {
    const s = linkShape(link, layout, projection)!;
    expect(s.key).toBe('eu-west|us-east');
    expect(s.d.startsWith('M')).toBe(true);
    expect(s.d.length).toBeGreaterThan(30);
    expect(s.mid[0]).toBeGreaterThan(layout.regions.get('us-east')!.xy[0]);
    expect(s.mid[0]).toBeLessThan(layout.regions.get('eu-west')!.xy[0]);
  });
  it('draws node-level links inside a region as straight lines', () => {
    expect(linkShape({ ...link, a: 'us1', b: 'us2' }, layout, projection)!.d).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    expect(linkShape({ ...link, a: 'zz', b: 'us2' }, layout, projection)).toBeNull();
  });
  it('keys links independently of direction', () => {
    expect(linkKey({ a: 'b', b: 'a' })).toBe(linkKey({ a: 'a', b: 'b' }));
  });
  it('toggles: a click cuts an up or lossy link and heals a cut one', () => {
    expect(linkClickAction(link)).toEqual({ do: 'cut', link: ['us-east', 'eu-west'] });
    expect(linkClickAction({ ...link, state: 'lossy' })).toEqual({ do: 'cut', link: ['us-east', 'eu-west'] });
    expect(linkClickAction({ ...link, state: 'cut' })).toEqual({ do: 'heal', link: ['us-east', 'eu-west'] });
  });
  it('kills an up node and restarts a down one', () => {
    expect(nodeClickAction({ id: 'us1', up: true })).toEqual({ do: 'kill', node: 'us1' });
    expect(nodeClickAction({ id: 'us1', up: false })).toEqual({ do: 'restart', node: 'us1' });
  });
});

describe('base map', () => {
  it('loads the offline countries and draws them', () => {
    expect(countries.features.length).toBeGreaterThan(150);
    const paths = baseMapPaths(projection);
    expect(paths.land.length).toBeGreaterThan(10_000);
    expect(paths.sphere.startsWith('M')).toBe(true);
  });
});

describe('routes that would be unreadable as great circles', () => {
  it('bends a polar great circle (US East – Singapore) into a curve that ends at both regions', () => {
    const s = linkShape({ a: 'us-east', b: 'apac', state: 'up', latency_ms: 220, loss: 0 }, layout, projection)!;
    expect(s.d).toMatch(/^M[\d.]+,[\d.]+Q/);
    const m = msg('us-east', 'apac', 0, 100);
    const start = messagePosition(m, 0, layout, projection)!;
    const end = messagePosition(m, 100, layout, projection)!;
    expect(start).toEqual(layout.regions.get('us-east')!.xy);
    expect(end[0]).toBeCloseTo(layout.regions.get('apac')!.xy[0], 6);
    // Reversed direction follows the same line.
    const back = messagePosition(msg('apac', 'us-east', 0, 100), 50, layout, projection)!;
    const fwd = messagePosition(m, 50, layout, projection)!;
    expect(back[0]).toBeCloseTo(fwd[0], 6);
    expect(back[1]).toBeCloseTo(fwd[1], 6);
  });
  it('bows away from the third region', () => {
    const s = linkShape({ a: 'us-east', b: 'apac', state: 'up', latency_ms: 220, loss: 0 }, layout, projection)!;
    const eu = layout.regions.get('eu-west')!.xy;
    const straightMid = [(layout.regions.get('us-east')!.xy[0] + layout.regions.get('apac')!.xy[0]) / 2, (layout.regions.get('us-east')!.xy[1] + layout.regions.get('apac')!.xy[1]) / 2];
    expect(Math.hypot(s.mid[0] - eu[0], s.mid[1] - eu[1])).toBeGreaterThan(Math.hypot(straightMid[0]! - eu[0], straightMid[1]! - eu[1]));
  });
  it('keeps readable great circles as arcs', () => {
    expect(linkShape({ a: 'eu-west', b: 'apac', state: 'up', latency_ms: 150, loss: 0 }, layout, projection)!.d).not.toMatch(/Q/);
  });
});
