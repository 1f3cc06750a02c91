/**
 * The map's geometry as pure functions of (scenario groups, frame, projection): where
 * each region and node sits on screen, the great-circle arc of each link, and where a
 * message in flight is at simulated time t.
 */
import { geoInterpolate, geoPath, type GeoProjection } from 'd3';
import type { GroupSpec } from '../../src-shared/scenario/types';
import type { LinkView, MessageView, NodeView } from '../../src-shared/ipc/frames';
import type { FaultAction } from '../../src-shared/actions/fault-actions';
import { messageProgress } from './clock';

export type XY = [number, number];

export interface RegionPlace {
  id: string;
  label: string;
  lonlat: [number, number];
  xy: XY;
}

export interface NodePlace {
  id: string;
  group: string;
  xy: XY;
  /** Offset from the region's centre, so messages can leave from the node itself. */
  offset: XY;
}

export interface Layout {
  /** true: lon/lat on a world projection (great-circle arcs); false: a flat plan. */
  geo: boolean;
  regions: Map<string, RegionPlace>;
  nodes: Map<string, NodePlace>;
  /** Radius of the halo drawn around a region's cluster. */
  haloR: number;
  nodeR: number;
  /** Routes between region pairs, filled lazily by regionRoute(). */
  routes: Map<string, Route>;
}

/**
 * Regions at their projected `location`; nodes on a small ring around it (one in the
 * middle for a lone node). Groups without a location are spread along the bottom edge.
 */
export function layoutRegions(
  groups: readonly GroupSpec[],
  project: (p: [number, number]) => [number, number] | null,
  size: { width: number; height: number },
  nodeR = 9,
  geo = true,
): Layout {
  const regions = new Map<string, RegionPlace>();
  const nodes = new Map<string, NodePlace>();
  const maxNodes = Math.max(1, ...groups.map((g) => g.nodes.length));
  let ringR = maxNodes <= 1 ? 0 : Math.max(nodeR * 1.9, (nodeR * 2.6 * maxNodes) / (2 * Math.PI));
  // Many groups of many nodes (MT-1: 20 data centres × 50 caches, MT-3: 10 × 501): keep each
  // ring within 40% of the distance to the nearest other region (at least 1.2 dots), and
  // shrink the dots so the ring still holds them. Few, small groups are laid out as before.
  const centres = groups.map((g) => (g.location ? project(g.location) : null)).filter((p): p is XY => p !== null);
  let nearest = Infinity;
  for (let i = 0; i < centres.length; i++)
    for (let j = i + 1; j < centres.length; j++) nearest = Math.min(nearest, Math.hypot(centres[i]![0] - centres[j]![0], centres[i]![1] - centres[j]![1]));
  const cap = Math.max(nodeR * 1.2, nearest / 2.5);
  if (ringR > cap) {
    ringR = cap;
    nodeR = Math.max(1.5, Math.min(nodeR, (2 * Math.PI * ringR) / (2.6 * maxNodes)));
  }
  const haloR = ringR + nodeR * 2.2;
  let unplaced = 0;
  groups.forEach((g) => {
    let xy: XY | null = g.location ? project(g.location) : null;
    if (!xy) {
      unplaced++;
      xy = [size.width * (unplaced / (groups.length + 1)), size.height - haloR - 8];
    }
    regions.set(g.id, { id: g.id, label: g.label, lonlat: g.location ?? [0, 0], xy });
    const n = g.nodes.length;
    g.nodes.forEach((id, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      const offset: XY = n === 1 ? [0, 0] : [Math.cos(a) * ringR, Math.sin(a) * ringR];
      nodes.set(id, { id, group: g.id, xy: [xy![0] + offset[0], xy![1] + offset[1]], offset });
    });
  });
  return { geo, regions, nodes, haloR, nodeR, routes: new Map() };
}

/**
 * Scenario locations are [lon, lat] for world views, or [x, y] in 0..1 for floor plans:
 * a plan is recognised by every group having a location inside the unit square.
 */
export function isPlanView(groups: readonly GroupSpec[]): boolean {
  return groups.length > 0 && groups.every((g) => g.location !== undefined && g.location.every((v) => v >= 0 && v <= 1));
}

/** Projection for a plan view: the unit square scaled into the box. */
export function planProjector(size: { width: number; height: number }, pad = 60): (p: [number, number]) => [number, number] {
  const w = Math.max(1, size.width - 2 * pad);
  const h = Math.max(1, size.height - 2 * pad);
  return ([x, y]) => [pad + x * w, pad + y * h];
}

/** SVG path of the great-circle arc between two lon/lat points (d3 resamples it). */
export function arcPath(a: [number, number], b: [number, number], projection: GeoProjection): string {
  return geoPath(projection)({ type: 'LineString', coordinates: [a, b] }) ?? '';
}

/**
 * How a link between two regions is drawn and how messages travel along it:
 * - 'arc': the great circle, when it stays a readable line on the map;
 * - 'curve': a screen-space quadratic curve, when the great circle would run over a pole
 *   (along the flat top edge of the projection) or wrap across the map's edge — on a
 *   projector both read as "no link" or "two links".
 */
export type Route =
  | { kind: 'arc'; a: [number, number]; b: [number, number] }
  | { kind: 'curve'; p0: XY; c: XY; p1: XY };

const POLAR_LAT = 72;

export function planRoute(
  a: { lonlat: [number, number]; xy: XY },
  b: { lonlat: [number, number]; xy: XY },
  projection: GeoProjection,
  avoid: readonly XY[] = [],
): Route {
  const interp = geoInterpolate(a.lonlat, b.lonlat);
  const span = Math.hypot(b.xy[0] - a.xy[0], b.xy[1] - a.xy[1]);
  let prev: XY | null = null;
  let readable = true;
  for (let i = 0; i <= 32 && readable; i++) {
    const ll = interp(i / 32);
    const p = projection(ll) as XY | null;
    if (!p || Math.abs(ll[1]) > POLAR_LAT) readable = false;
    else if (prev && Math.hypot(p[0] - prev[0], p[1] - prev[1]) > Math.max(80, span / 4)) readable = false;
    prev = p;
  }
  if (readable) return { kind: 'arc', a: a.lonlat, b: b.lonlat };
  // Bow to the side that keeps the curve farthest from the other regions.
  const [x0, y0] = a.xy;
  const [x1, y1] = b.xy;
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  const nx = -(y1 - y0) / (span || 1);
  const ny = (x1 - x0) / (span || 1);
  const bow = span * 0.18;
  let best: Route | null = null;
  let bestScore = -Infinity;
  for (const sgn of [1, -1]) {
    const c: XY = [mx + sgn * nx * bow * 2, my + sgn * ny * bow * 2];
    const route: Route = { kind: 'curve', p0: a.xy, c, p1: b.xy };
    let score = Infinity;
    for (let i = 1; i < 16; i++) {
      const p = curvePoint(route, i / 16);
      for (const o of avoid) score = Math.min(score, Math.hypot(p[0] - o[0], p[1] - o[1]));
    }
    if (score > bestScore) {
      bestScore = score;
      best = route;
    }
  }
  return best!;
}

function curvePoint(r: { p0: XY; c: XY; p1: XY }, f: number): XY {
  const u = 1 - f;
  return [u * u * r.p0[0] + 2 * u * f * r.c[0] + f * f * r.p1[0], u * u * r.p0[1] + 2 * u * f * r.c[1] + f * f * r.p1[1]];
}

/** A point along a route (f = 0: start, 1: end). */
export function routePoint(r: Route, f: number, projection: GeoProjection): XY | null {
  if (r.kind === 'curve') return curvePoint(r, f);
  return projection(geoInterpolate(r.a, r.b)(f)) as XY | null;
}

export function routePath(r: Route, projection: GeoProjection): string {
  if (r.kind === 'curve') {
    const f = (p: XY) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`;
    return `M${f(r.p0)}Q${f(r.c)} ${f(r.p1)}`;
  }
  return arcPath(r.a, r.b, projection);
}

/** The route between two regions of a layout (cached per layout and pair). */
export function regionRoute(layout: Layout, projection: GeoProjection, aId: string, bId: string): Route | null {
  const key = aId < bId ? `${aId}|${bId}` : `${bId}|${aId}`;
  const cached = layout.routes.get(key);
  const a = layout.regions.get(aId);
  const b = layout.regions.get(bId);
  if (!a || !b) return null;
  let r = cached;
  if (!r) {
    const [first, second] = aId < bId ? [a, b] : [b, a];
    const avoid = [...layout.regions.values()].filter((x) => x.id !== aId && x.id !== bId).map((x) => x.xy);
    r = planRoute(first, second, projection, avoid);
    layout.routes.set(key, r);
  }
  if (aId < bId) return r;
  // Travelling the other way: the same line, reversed.
  return r.kind === 'arc' ? { kind: 'arc', a: r.b, b: r.a } : { kind: 'curve', p0: r.p1, c: r.c, p1: r.p0 };
}

export interface Endpoint {
  region: RegionPlace;
  offset: XY;
}

/** A message end is a node id or a group id. */
export function endpoint(id: string, layout: Layout): Endpoint | null {
  const node = layout.nodes.get(id);
  if (node) return { region: layout.regions.get(node.group)!, offset: node.offset };
  const region = layout.regions.get(id);
  return region ? { region, offset: [0, 0] } : null;
}

/**
 * Screen position of a message at simulated time t: along the great circle between the
 * two regions (plus the node offsets, blended), or straight between nodes of one region.
 */
export function messagePosition(
  m: MessageView,
  t_ms: number,
  layout: Layout,
  projection: GeoProjection | null,
): XY | null {
  const f = messageProgress(m, t_ms);
  if (f === null) return null;
  const a = endpoint(m.from, layout);
  const b = endpoint(m.to, layout);
  if (!a || !b) return null;
  const ox = a.offset[0] + (b.offset[0] - a.offset[0]) * f;
  const oy = a.offset[1] + (b.offset[1] - a.offset[1]) * f;
  if (a.region.id === b.region.id) return [a.region.xy[0] + ox, a.region.xy[1] + oy];
  if (!layout.geo || !projection) {
    const [ax, ay] = a.region.xy;
    const [bx, by] = b.region.xy;
    return [ax + (bx - ax) * f + ox, ay + (by - ay) * f + oy];
  }
  const route = regionRoute(layout, projection, a.region.id, b.region.id);
  const p = route ? routePoint(route, f, projection) : null;
  return p ? [p[0] + ox, p[1] + oy] : null;
}

/** Link between two groups (or nodes): its ends on the map. */
export function linkEnds(l: Pick<LinkView, 'a' | 'b'>, layout: Layout): [Endpoint, Endpoint] | null {
  const a = endpoint(l.a, layout);
  const b = endpoint(l.b, layout);
  return a && b ? [a, b] : null;
}

export function linkKey(l: Pick<LinkView, 'a' | 'b'>): string {
  return l.a < l.b ? `${l.a}|${l.b}` : `${l.b}|${l.a}`;
}

/** The fault action a click on a link sends: heal a cut link, cut anything else. */
export function linkClickAction(l: Pick<LinkView, 'a' | 'b' | 'state'>): FaultAction {
  return l.state === 'cut' ? { do: 'heal', link: [l.a, l.b] } : { do: 'cut', link: [l.a, l.b] };
}

/** The fault action a click on a node sends: restart a down node, kill an up one. */
export function nodeClickAction(n: Pick<NodeView, 'id' | 'up'>): FaultAction {
  return n.up ? { do: 'kill', node: n.id } : { do: 'restart', node: n.id };
}

export interface LinkShape {
  key: string;
  link: LinkView;
  /** SVG path data. */
  d: string;
  /** Where the marker / label goes. */
  mid: XY;
}

/**
 * The drawing of one link: a great-circle arc between regions on a world view, a
 * straight line on a plan or inside one region.
 */
export function linkShape(l: LinkView, layout: Layout, projection: GeoProjection | null): LinkShape | null {
  const ends = linkEnds(l, layout);
  if (!ends) return null;
  const [a, b] = ends;
  const pa: XY = [a.region.xy[0] + a.offset[0], a.region.xy[1] + a.offset[1]];
  const pb: XY = [b.region.xy[0] + b.offset[0], b.region.xy[1] + b.offset[1]];
  if (a.region.id === b.region.id || !layout.geo || !projection) {
    return {
      key: linkKey(l),
      link: l,
      d: `M${pa[0].toFixed(1)},${pa[1].toFixed(1)}L${pb[0].toFixed(1)},${pb[1].toFixed(1)}`,
      mid: [(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2],
    };
  }
  const route = regionRoute(layout, projection, a.region.id, b.region.id)!;
  const mid = routePoint(route, 0.5, projection) ?? [(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2];
  return { key: linkKey(l), link: l, d: routePath(route, projection), mid };
}
