/**
 * Tolerant readers for the scenario drawing data (`Frame.extras`) of the NT-2 factory
 * floor and the NT-3 Earth view. The models are still evolving: every field is checked,
 * malformed entries are dropped and missing ones get defaults, so a view degrades to a
 * plainer picture instead of throwing. Pure.
 */
import type { MetricValue } from '../../../src-shared/ipc/frames';

export type XY = [number, number];

type Obj = { [k: string]: MetricValue };

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function pair(v: unknown): XY | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  const a = num(v[0]);
  const b = num(v[1]);
  return a === null || b === null ? null : [a, b];
}

// ── NT-2: factory floor ─────────────────────────────────────────────────────────────

export interface FloorZone {
  id: string;
  /** Unit-square bounds of the zone (x0 < x1, y0 < y1). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface FloorWall {
  /** A vertical wall at x from y0 to y1 (unit square). */
  x: number;
  y0: number;
  y1: number;
  /** The two zones it separates, when the model names them. */
  between: [string, string] | null;
}

export interface FloorExtras {
  zones: FloorZone[];
  /** Sensor id → [x, y] in the unit square (deployed sensors only). */
  positions: Map<string, XY>;
  /** Radio range in unit-square units, or null when unknown. */
  radioRange: number | null;
  walls: FloorWall[];
  coordinator: string | null;
  term: number | null;
  sensorsActive: number | null;
}

/**
 * Reads the floor extras. `groupIds` (the scenario's groups, in file order) fills in the
 * zones when the model sends none: vertical strips of equal width, left to right.
 */
export function readFloorExtras(
  extras: Record<string, MetricValue> | null | undefined,
  groupIds: readonly string[] = [],
  /** The previous frame's result: its positions are reused when the model sends the same ones (they are static in a run). */
  prev?: FloorExtras | null,
): FloorExtras {
  const e: Obj = isObj(extras) ? extras : {};
  const floor = isObj(e.floor) ? e.floor : {};
  const zones: FloorZone[] = [];
  if (Array.isArray(floor.zones)) {
    for (const z of floor.zones) {
      if (!isObj(z)) continue;
      const id = str(z.id);
      const x0 = num(z.x0);
      const x1 = num(z.x1);
      if (!id || x0 === null || x1 === null || !(x1 > x0)) continue;
      const y0 = num(z.y0) ?? 0;
      const y1 = num(z.y1) ?? 1;
      zones.push({ id, x0: clamp01(x0), x1: clamp01(x1), y0: clamp01(y0), y1: y1 > y0 ? clamp01(y1) : 1 });
    }
  }
  if (zones.length === 0 && groupIds.length > 0) {
    const w = 1 / groupIds.length;
    groupIds.forEach((id, i) => zones.push({ id, x0: i * w, x1: (i + 1) * w, y0: 0, y1: 1 }));
  }
  zones.sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);

  let positions = new Map<string, XY>();
  if (isObj(e.positions)) {
    if (prev && samePositions(prev.positions, e.positions)) positions = prev.positions;
    else {
      for (const [id, v] of Object.entries(e.positions)) {
        const p = pair(v);
        if (p) positions.set(id, p);
      }
    }
  }

  const walls: FloorWall[] = [];
  if (Array.isArray(e.walls)) {
    for (const w of e.walls) {
      if (!isObj(w)) continue;
      const x = num(w.x);
      const b = strList(w.between);
      const between: [string, string] | null = b.length >= 2 ? [b[0]!, b[1]!] : null;
      if (x === null && !between) continue;
      walls.push({ x: x ?? NaN, y0: num(w.y0) ?? 0, y1: num(w.y1) ?? 1, between });
    }
  }

  const range = num(e.radio_range);
  return {
    zones,
    positions,
    radioRange: range !== null && range > 0 ? range : null,
    walls,
    coordinator: str(e.coordinator),
    term: num(e.term),
    sensorsActive: num(e.sensors_active),
  };
}

/** Same ids and coordinates (checked on the count and a sample of entries: positions are static in a run). */
function samePositions(a: ReadonlyMap<string, XY>, b: Obj): boolean {
  const keys = Object.keys(b);
  if (keys.length !== a.size || keys.length === 0) return false;
  const step = Math.max(1, Math.floor(keys.length / 16));
  for (let i = 0; i < keys.length; i += step) {
    const k = keys[i]!;
    const p = a.get(k);
    const q = pair(b[k]);
    if (!p || !q || p[0] !== q[0] || p[1] !== q[1]) return false;
  }
  const last = keys[keys.length - 1]!;
  const p = a.get(last);
  const q = pair(b[last]);
  return !!p && !!q && p[0] === q[0] && p[1] === q[1];
}

function clamp01(v: number): number {
  return Math.max(0, Math.min(1, v));
}

// ── NT-3: Earth, orbits, ground stations ───────────────────────────────────────────

export interface OrbitInfo {
  period_ms: number;
  pass_window_ms: number | null;
  inclination_deg: number;
  plane_lon: number;
  spacing_ms: number | null;
}

export interface SatelliteInfo {
  id: string;
  /** Orbit phase 0..1 (argument of latitude / 360°), when the model sends it. */
  phase: number | null;
  lat: number | null;
  lon: number | null;
  visibleTo: string[];
  nextContactInMs: number | null;
}

export interface StationInfo {
  id: string;
  lat: number;
  lon: number;
  /** Orbit phase of closest approach (0..1), when known. */
  phase: number | null;
  /** Angular width of the contact window along the orbit, degrees. */
  windowDeg: number | null;
}

export interface SatelliteState {
  contact: string | null;
  via: string | null;
  stalenessBoundMs: number | null;
  queuedRoutine: number | null;
  excluded: string[];
  historyLength: number | null;
}

export interface IslInfo {
  a: string;
  b: string;
  up: boolean;
}

export interface EarthExtras {
  orbit: OrbitInfo | null;
  satellites: SatelliteInfo[];
  stations: StationInfo[];
  /** [satellite, station] pairs in contact now. */
  groundLinks: [string, string][];
  isl: IslInfo[];
  state: Map<string, SatelliteState>;
}

export function readEarthExtras(extras: Record<string, MetricValue> | null | undefined): EarthExtras {
  const e: Obj = isObj(extras) ? extras : {};
  let orbit: OrbitInfo | null = null;
  if (isObj(e.orbit)) {
    const o = e.orbit;
    const period = num(o.period_ms);
    if (period !== null && period > 0) {
      orbit = {
        period_ms: period,
        pass_window_ms: num(o.pass_window_ms),
        inclination_deg: num(o.inclination_deg) ?? 90,
        plane_lon: num(o.plane_lon) ?? 0,
        spacing_ms: num(o.formation_spacing_ms),
      };
    }
  }

  const satellites: SatelliteInfo[] = [];
  if (isObj(e.satellites)) {
    for (const [id, v] of Object.entries(e.satellites)) {
      if (!isObj(v)) continue;
      const phase = num(v.phase);
      satellites.push({
        id,
        phase: phase === null ? null : frac(phase),
        lat: num(v.lat),
        lon: num(v.lon),
        visibleTo: strList(v.visible_to),
        nextContactInMs: num(v.next_contact_in_ms),
      });
    }
  }

  const stations: StationInfo[] = [];
  if (isObj(e.ground_stations)) {
    for (const [id, v] of Object.entries(e.ground_stations)) {
      if (!isObj(v)) continue;
      const lat = num(v.lat);
      const lon = num(v.lon);
      if (lat === null || lon === null) continue;
      const phase = num(v.phase);
      stations.push({ id, lat, lon, phase: phase === null ? null : frac(phase), windowDeg: num(v.window_deg) });
    }
  }

  const groundLinks: [string, string][] = [];
  if (Array.isArray(e.ground_links)) {
    for (const l of e.ground_links) {
      const ids = strList(l);
      if (ids.length >= 2) groundLinks.push([ids[0]!, ids[1]!]);
    }
  } else {
    for (const s of satellites) for (const st of s.visibleTo) groundLinks.push([s.id, st]);
  }

  const isl: IslInfo[] = [];
  if (Array.isArray(e.isl)) {
    for (const l of e.isl) {
      if (isObj(l)) {
        const a = str(l.a);
        const b = str(l.b);
        if (a && b) isl.push({ a, b, up: l.up !== false });
      } else if (Array.isArray(l)) {
        const ids = strList(l);
        if (ids.length >= 2) isl.push({ a: ids[0]!, b: ids[1]!, up: l[2] !== false });
      }
    }
  }

  const state = new Map<string, SatelliteState>();
  if (isObj(e.satellite_state)) {
    for (const [id, v] of Object.entries(e.satellite_state)) {
      if (!isObj(v)) continue;
      state.set(id, {
        contact: str(v.contact),
        via: str(v.via),
        stalenessBoundMs: num(v.staleness_bound_ms),
        queuedRoutine: num(v.queued_routine),
        excluded: strList(v.excluded),
        historyLength: num(v.history_length),
      });
    }
  }

  return { orbit, satellites, stations, groundLinks, isl, state };
}

export function frac(x: number): number {
  return x - Math.floor(x);
}
