/**
 * NT-2 factory floor geometry, pure: where the floor sits in the view, zone strips and
 * sensors in pixels, the radio graph, hit testing, which zone boundaries carry a metal
 * wall and the fault action that raises or lowers one.
 */
import type { LinkView, MetricValue, NodeView } from '../../../src-shared/ipc/frames';
import type { FaultAction } from '../../../src-shared/actions/fault-actions';
import type { TimelineRecord } from '../../../src-shared/timeline/records';
import type { FloorWall, FloorZone, XY } from './extras';
import { isObj, num, str } from './extras';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FloorMargins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * The floor's rectangle inside a view of `size`, leaving the margins for headings and
 * controls. Positions are abstract (unit square), so the floor stretches to the space,
 * but never wider than `maxAspect` : 1 (it is centred instead).
 */
export function floorBox(size: { width: number; height: number }, m: FloorMargins, maxAspect = 2.6): Box {
  const w0 = Math.max(1, size.width - m.left - m.right);
  const h = Math.max(1, size.height - m.top - m.bottom);
  const w = Math.min(w0, h * maxAspect);
  return { x: m.left + (w0 - w) / 2, y: m.top, w, h };
}

export function toPx(box: Box, p: XY): XY {
  return [box.x + p[0] * box.w, box.y + p[1] * box.h];
}

export function fromPx(box: Box, p: XY): XY {
  return [(p[0] - box.x) / box.w, (p[1] - box.y) / box.h];
}

export interface ZoneRect extends Box {
  id: string;
}

export function zoneRects(zones: readonly FloorZone[], box: Box): ZoneRect[] {
  return zones.map((z) => ({ id: z.id, x: box.x + z.x0 * box.w, y: box.y + z.y0 * box.h, w: (z.x1 - z.x0) * box.w, h: (z.y1 - z.y0) * box.h }));
}

/** Dot radius for `count` sensors on the floor: big enough to see, small enough not to merge. */
export function sensorRadius(box: Box, count: number): number {
  const spacing = Math.sqrt((box.w * box.h) / Math.max(1, count));
  return Math.max(3, Math.min(10, spacing * 0.16));
}

/** A deployed sensor as drawn: pixel position plus what the frame says about it. */
export interface SensorDot {
  id: string;
  x: number;
  y: number;
  up: boolean;
  role: string;
  byzantine: boolean;
  group: string;
}

/**
 * The sensors to draw: nodes with a position (inactive, undeployed sensors have none and
 * are skipped). Nodes without a position but with a zone are placed on a grid in their
 * zone, so a model that sends no positions still gets a usable floor.
 */
export function sensorDots(nodes: readonly NodeView[], positions: ReadonlyMap<string, XY>, zones: readonly FloorZone[], box: Box): SensorDot[] {
  const out: SensorDot[] = [];
  const fallback = new Map<string, NodeView[]>();
  for (const n of nodes) {
    if (n.role === 'inactive') continue;
    const p = positions.get(n.id);
    if (p) {
      const [x, y] = toPx(box, p);
      out.push({ id: n.id, x, y, up: n.up, role: n.role, byzantine: n.byzantine, group: n.group });
    } else if (positions.size === 0) {
      const list = fallback.get(n.group) ?? [];
      list.push(n);
      fallback.set(n.group, list);
    }
  }
  for (const z of zones) {
    const list = fallback.get(z.id);
    if (!list) continue;
    const cols = Math.max(1, Math.round(Math.sqrt((list.length * (z.x1 - z.x0)) / Math.max(1e-6, z.y1 - z.y0))));
    const rows = Math.ceil(list.length / cols);
    list.forEach((n, k) => {
      const u = z.x0 + ((k % cols) + 0.5) * ((z.x1 - z.x0) / cols);
      const v = z.y0 + (Math.floor(k / cols) + 0.5) * ((z.y1 - z.y0) / rows);
      const [x, y] = toPx(box, [u, v]);
      out.push({ id: n.id, x, y, up: n.up, role: n.role, byzantine: n.byzantine, group: n.group });
    });
  }
  return out;
}

/**
 * Radio neighbour pairs (i < j, indices into `pts`) within `range` (unit square), by a
 * grid of range-sized cells: O(n) for the mesh densities of NT-2.
 */
export function radioPairs(pts: readonly XY[], range: number): [number, number][] {
  const out: [number, number][] = [];
  if (!(range > 0) || pts.length < 2) return out;
  const cells = new Map<string, number[]>();
  const key = (cx: number, cy: number) => `${cx},${cy}`;
  pts.forEach(([x, y], i) => {
    const k = key(Math.floor(x / range), Math.floor(y / range));
    const list = cells.get(k);
    if (list) list.push(i);
    else cells.set(k, [i]);
  });
  const r2 = range * range;
  pts.forEach(([x, y], i) => {
    const cx = Math.floor(x / range);
    const cy = Math.floor(y / range);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of cells.get(key(cx + dx, cy + dy)) ?? []) {
          if (j <= i) continue;
          const ddx = pts[j]![0] - x;
          const ddy = pts[j]![1] - y;
          if (ddx * ddx + ddy * ddy <= r2) out.push([i, j]);
        }
      }
    }
  });
  return out;
}

/** The sensor nearest to (x, y) within `maxDist` pixels, or null. */
export function nearestSensor<T extends { x: number; y: number }>(dots: readonly T[], x: number, y: number, maxDist: number): T | null {
  let best: T | null = null;
  let bestD = maxDist * maxDist;
  for (const d of dots) {
    const dd = (d.x - x) ** 2 + (d.y - y) ** 2;
    if (dd <= bestD) {
      bestD = dd;
      best = d;
    }
  }
  return best;
}

// ── walls ──────────────────────────────────────────────────────────────────────────

/** Boundary k separates zones[k] and zones[k + 1] (zones sorted left to right). */
export function boundaryX(zones: readonly FloorZone[], k: number): number {
  const a = zones[k];
  const b = zones[k + 1];
  if (!a || !b) return NaN;
  return (a.x1 + b.x0) / 2;
}

/**
 * Boundaries with a metal wall up: from the model's walls (by the zones they separate,
 * else by position) and from the frame's links (a cut link between neighbouring zones).
 */
export function wallsUp(zones: readonly FloorZone[], walls: readonly FloorWall[], links: readonly LinkView[] = []): Set<number> {
  const up = new Set<number>();
  const index = new Map(zones.map((z, i) => [z.id, i]));
  const adjacent = (a: string, b: string): number | null => {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || Math.abs(i - j) !== 1) return null;
    return Math.min(i, j);
  };
  for (const w of walls) {
    const k = w.between ? adjacent(w.between[0], w.between[1]) : null;
    if (k !== null) {
      up.add(k);
      continue;
    }
    if (!Number.isFinite(w.x)) continue;
    for (let b = 0; b + 1 < zones.length; b++) if (Math.abs(boundaryX(zones, b) - w.x) < 0.02) up.add(b);
  }
  for (const l of links) {
    if (l.state !== 'cut') continue;
    const k = adjacent(l.a, l.b);
    if (k !== null) up.add(k);
  }
  return up;
}

/** The 60/40 boundary: 60% of the zones on the left (zones a–c | d–e for five zones). */
export function sixtyFortyBoundary(zoneCount: number): number {
  if (zoneCount < 2) return -1;
  return Math.max(0, Math.min(zoneCount - 2, Math.round(zoneCount * 0.6) - 1));
}

/** Zone ids split at the given boundaries (left to right). */
export function splitAt(zoneIds: readonly string[], boundaries: Iterable<number>): string[][] {
  const cuts = [...new Set(boundaries)].filter((k) => k >= 0 && k + 1 < zoneIds.length).sort((a, b) => a - b);
  const groups: string[][] = [];
  let start = 0;
  for (const k of cuts) {
    groups.push(zoneIds.slice(start, k + 1));
    start = k + 1;
  }
  groups.push(zoneIds.slice(start));
  return groups.filter((g) => g.length > 0);
}

/**
 * The action that raises (or lowers) the wall at boundary k, keeping the other walls:
 * a partition over zones, or heal-all when no wall is left.
 */
export function wallToggleAction(zoneIds: readonly string[], up: ReadonlySet<number>, k: number): FaultAction {
  const next = new Set(up);
  if (next.has(k)) next.delete(k);
  else next.add(k);
  const groups = splitAt(zoneIds, next);
  if (groups.length < 2) return { do: 'heal-all' };
  return { do: 'partition', groups };
}

// ── election status (heads-up display) ─────────────────────────────────────────────

export interface ElectionStatus {
  /** Sensors acting as coordinator now (up, role coordinator). */
  coordinators: string[];
  term: number | null;
  /** Simulated ms since the election started, while one runs. */
  inProgressMs: number | null;
  lastFailoverMs: number | null;
  maxFailoverMs: number | null;
  splitBrainTerms: number;
}

export function electionStatus(nodes: readonly NodeView[], metrics: Record<string, MetricValue> | null | undefined, term: number | null): ElectionStatus {
  const m = isObj(metrics) ? metrics : {};
  const fo = isObj(m.failover_ms) ? m.failover_ms : {};
  return {
    coordinators: nodes.filter((n) => n.up && /coordinator|leader/.test(n.role)).map((n) => n.id),
    term: term ?? num(m.term),
    inProgressMs: num(m.election_in_progress_ms),
    lastFailoverMs: num(fo.last),
    maxFailoverMs: num(fo.max),
    splitBrainTerms: num(m.split_brain_terms) ?? 0,
  };
}

/** The deadline the room compares elections against (the scenario's parameter, else 60 s). */
export function electionDeadline(params: Record<string, unknown> | undefined): number {
  const v = params?.['election_deadline_ms'];
  return typeof v === 'number' && v > 0 ? v : 60_000;
}

// ── recent events, so short-lived ones stay visible ────────────────────────────────

export interface RecentChange {
  t_ms: number;
  from: string;
  to: string;
}

/**
 * Mode changes per scope within `window_ms` of simulated time before t (oldest first):
 * an election can pass through Degraded in 100 ms, which at ×10 is a single frame.
 */
export function recentModeChanges(records: readonly TimelineRecord[], t_ms: number, window_ms: number): Map<string, RecentChange[]> {
  const out = new Map<string, RecentChange[]>();
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.t_ms > t_ms) continue;
    if (r.t_ms < t_ms - window_ms) break;
    if (r.kind !== 'mode') continue;
    const list = out.get(r.scope) ?? [];
    list.unshift({ t_ms: r.t_ms, from: r.from, to: r.to });
    out.set(r.scope, list);
  }
  return out;
}

export interface CertFlash {
  t_ms: number;
  node: string;
  term: number | null;
  votes: number | null;
  quorum: number | null;
}

/** The newest election certificate (quorum-cert evidence naming a coordinator) within the window. */
export function recentCertificate(records: readonly TimelineRecord[], t_ms: number, window_ms: number): CertFlash | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.t_ms > t_ms) continue;
    if (r.t_ms < t_ms - window_ms) return null;
    if (r.kind !== 'evidence' || r.type !== 'quorum-cert') continue;
    const d = r.detail ?? {};
    if (d.adopted === true || d.bootstrap === true) continue;
    const node = str(d.coordinator) ?? r.node;
    return { t_ms: r.t_ms, node, term: num(d.term), votes: num(d.votes), quorum: num(d.quorum) };
  }
  return null;
}

/** The newest invariant violation within the window (split-brain, missed deadline…). */
export function recentViolation(records: readonly TimelineRecord[], t_ms: number, window_ms: number): { t_ms: number; invariant: string; text: string; evidence: number[] } | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.t_ms > t_ms) continue;
    if (r.t_ms < t_ms - window_ms) return null;
    if (r.kind === 'invariant') return { t_ms: r.t_ms, invariant: r.invariant, text: r.text, evidence: r.evidence };
  }
  return null;
}
