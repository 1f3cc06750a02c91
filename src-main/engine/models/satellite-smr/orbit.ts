/**
 * Orbital visibility, deterministic in simulated time. The engine's network knows nothing
 * of orbits: the model asks `visible(sat, station, t)` before sending over a ground link
 * and again when a message arrives, and drops it outside a pass.
 *
 * Geometry: one circular polar orbit (inclination 90°, no Earth rotation — the ground
 * track is a fixed great circle through the poles at `orbit_plane_lon`). The satellites
 * fly in formation along it, `formation_spacing_ms` apart. A station sees a satellite for
 * `pass_window_ms` centred on the moment the satellite is closest to it; passes are evenly
 * spaced along the orbit, so with two (near-)antipodal polar stations and a 120-min period
 * every satellite has the seed's 10-min passes and 50-min gaps.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';

export interface Station {
  id: string;
  lat: number;
  lon: number;
  /** Orbit phase (0..1, argument of latitude / 360°) of closest approach. */
  phase: number;
}

export interface Orbit {
  period: number;
  window: number;
  spacing: number;
  planeLon: number;
  /** Phase of the lead satellite at t = 0. */
  phase0: number;
  stations: Station[];
}

const DEG = Math.PI / 180;

function frac(x: number): number {
  return x - Math.floor(x);
}

/** Signed phase difference in (-0.5, 0.5]. */
function dphase(a: number, b: number): number {
  const d = frac(a - b);
  return d > 0.5 ? d - 1 : d;
}

/** Sub-satellite point of the polar orbit at phase p: [lat, lon] in degrees. */
export function groundPoint(o: Orbit, p: number): [number, number] {
  const u = frac(p) * 360;
  if (u <= 90) return [u, norm(o.planeLon)];
  if (u <= 270) return [180 - u, norm(o.planeLon + 180)];
  return [u - 360, norm(o.planeLon)];
}

function norm(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

function angularDistance(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const a = Math.sin(lat1 * DEG) * Math.sin(lat2 * DEG) + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.cos((lon1 - lon2) * DEG);
  return Math.acos(Math.max(-1, Math.min(1, a))) / DEG;
}

/** Parses "gs-a 78.2 15.4; gs-b -77.8 166.7" and finds each station's closest-approach phase. */
export function buildOrbit(params: { period: number; window: number; spacing: number; firstPassElapsed: number; planeLon: number; stations: string }, stationIds: string[]): Orbit {
  const o: Orbit = { period: params.period, window: params.window, spacing: params.spacing, planeLon: params.planeLon, phase0: 0, stations: [] };
  const table = new Map<string, [number, number]>();
  for (const part of params.stations.split(';')) {
    const [id, lat, lon] = part.trim().split(/\s+/);
    if (id && lat !== undefined && lon !== undefined) table.set(id, [Number(lat), Number(lon)]);
  }
  for (const id of stationIds) {
    const pos = table.get(id);
    if (!pos || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) throw new Error(`ground_stations has no position for "${id}"`);
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < 3600; i++) {
      const [la, lo] = groundPoint(o, i / 3600);
      const d = angularDistance(la, lo, pos[0], pos[1]);
      if (d < bestD) {
        bestD = d;
        best = i / 3600;
      }
    }
    o.stations.push({ id, lat: pos[0], lon: pos[1], phase: best });
  }
  // Passes are evenly spaced along the orbit (the stations sit near antipodal points of the
  // track): the first station's closest approach fixes the rest, so every gap is the same.
  o.stations.forEach((st, k) => (st.phase = frac(o.stations[0]!.phase + k / o.stations.length)));
  const first = o.stations[0]!;
  o.phase0 = frac(first.phase - o.window / (2 * o.period) + params.firstPassElapsed / o.period);
  return o;
}

/** Orbit phase of satellite number `idx` (0 = lead) at simulated time t. */
export function phaseOf(o: Orbit, idx: number, t: number): number {
  return frac(o.phase0 + (t - idx * o.spacing) / o.period);
}

/** Is the satellite inside a pass of this station at time t? */
export function visible(o: Orbit, idx: number, station: string, t: number): boolean {
  const st = o.stations.find((s) => s.id === station);
  if (!st) return false;
  return Math.abs(dphase(phaseOf(o, idx, t), st.phase)) * o.period < o.window / 2;
}

/** Time until the satellite next enters any station's pass (0 if in one now). */
export function nextContactIn(o: Orbit, idx: number, t: number): number {
  let best = Infinity;
  const p = phaseOf(o, idx, t);
  for (const st of o.stations) {
    const d = dphase(p, st.phase) * o.period;
    if (Math.abs(d) < o.window / 2) return 0;
    // Phase distance until the window opens (window starts at st.phase - w/2).
    const until = frac(st.phase - o.window / (2 * o.period) - p) * o.period;
    best = Math.min(best, until);
  }
  return best;
}

/** Drawing data for an Earth view (orbit phase per satellite, station positions, visibility). */
export function earthView(o: Orbit, sats: { id: string; idx: number }[], t: number, isl: [string, string, boolean][]): Record<string, MetricValue> {
  const satellites: Record<string, MetricValue> = {};
  const links: MetricValue[] = [];
  for (const s of sats) {
    const p = phaseOf(o, s.idx, t);
    const [lat, lon] = groundPoint(o, p);
    const vis = o.stations.filter((st) => visible(o, s.idx, st.id, t)).map((st) => st.id);
    for (const v of vis) links.push([s.id, v]);
    satellites[s.id] = { phase: round(p, 5), lat: round(lat, 3), lon: round(lon, 3), visible_to: vis, next_contact_in_ms: Math.round(nextContactIn(o, s.idx, t)) };
  }
  const stations: Record<string, MetricValue> = {};
  for (const st of o.stations) stations[st.id] = { lat: st.lat, lon: st.lon, phase: round(st.phase, 5), window_deg: round((o.window / o.period) * 360, 3) };
  return {
    orbit: { period_ms: o.period, pass_window_ms: o.window, inclination_deg: 90, plane_lon: o.planeLon, formation_spacing_ms: o.spacing, earth_rotation: false },
    satellites,
    ground_stations: stations,
    ground_links: links,
    isl: isl.map(([a, b, up]) => ({ a, b, up })),
  };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
