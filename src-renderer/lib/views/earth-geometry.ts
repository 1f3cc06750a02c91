/**
 * NT-3 Earth view geometry, pure. The constellation flies one polar orbit; the view looks
 * at the Earth square-on to the orbit plane (orthographic, centred 90° east of the plane's
 * longitude), so the orbit is a circle around the globe and a satellite's phase is simply
 * an angle: 0 = ascending over the equator (left), ¼ = north pole (top), ½ = right, ¾ =
 * south pole (bottom). The formation flies 30 s apart (1.5°), which would put four
 * satellites on one pixel: each satellite gets its own lane (ring) at its true angle, so
 * who is inside a contact window (an angular sector) stays exact.
 */
import type { XY, EarthExtras, SatelliteInfo, StationInfo } from './extras';
import { frac } from './extras';

const DEG = Math.PI / 180;

export interface EarthLayout {
  cx: number;
  cy: number;
  /** Earth radius, px. */
  R: number;
  /** Lane radius of each satellite (formation order), px. */
  lanes: number[];
  /** Outer edge of the drawing (last lane + room for the icon), px. */
  outer: number;
  /** Longitude at the centre of the disc. */
  lon0: number;
}

/**
 * Fits the globe and `laneCount` lanes into a box: lanes start 12% above the surface
 * (a 1,700 km orbit is 27% of the Earth's radius; the globe is drawn as big as the
 * box allows instead) and are far enough apart for two icons of radius `iconR`.
 */
export function earthLayout(box: { x: number; y: number; w: number; h: number }, laneCount: number, planeLon: number, iconR = 12): EarthLayout {
  const n = Math.max(1, laneCount);
  const half = Math.max(40, Math.min(box.w, box.h) / 2);
  const gap = 2 * iconR + 3;
  const R = Math.max(20, (half - iconR - 4 - (n - 1) * gap) / 1.12);
  const lanes = Array.from({ length: n }, (_, i) => R * 1.12 + i * gap);
  return { cx: box.x + box.w / 2, cy: box.y + box.h / 2, R, lanes, outer: lanes[n - 1]! + iconR + 4, lon0: normLon(planeLon + 90) };
}

export function normLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/** Screen point at orbit phase p (0..1) on a ring of radius r. */
export function phasePoint(L: Pick<EarthLayout, 'cx' | 'cy'>, p: number, r: number): XY {
  const u = frac(p) * 2 * Math.PI;
  return [L.cx - r * Math.cos(u), L.cy - r * Math.sin(u)];
}

/**
 * Orthographic projection of [lat, lon] onto the disc (centre lon0, equator horizontal),
 * with whether the point faces the viewer. Points on the far side are pushed to the limb.
 */
export function projectLatLon(L: Pick<EarthLayout, 'cx' | 'cy' | 'R' | 'lon0'>, lat: number, lon: number): { xy: XY; visible: boolean } {
  const phi = lat * DEG;
  const dl = (lon - L.lon0) * DEG;
  const x = Math.cos(phi) * Math.sin(dl);
  const y = Math.sin(phi);
  const z = Math.cos(phi) * Math.cos(dl);
  if (z >= -1e-9) return { xy: [L.cx + L.R * x, L.cy - L.R * y], visible: true };
  const n = Math.hypot(x, y) || 1;
  return { xy: [L.cx + (L.R * x) / n, L.cy - (L.R * y) / n], visible: false };
}

/**
 * A satellite's orbit phase: the model's `phase`, else recovered from its sub-satellite
 * point on the polar orbit (lat, and which side of the pole its longitude is on).
 */
export function satellitePhase(s: Pick<SatelliteInfo, 'phase' | 'lat' | 'lon'>, planeLon: number): number | null {
  if (s.phase !== null) return s.phase;
  if (s.lat === null || s.lon === null) return null;
  const sameSide = Math.abs(normLon(s.lon - planeLon)) < 90;
  const u = sameSide ? (s.lat >= 0 ? s.lat : 360 + s.lat) : 180 - s.lat;
  return frac(u / 360);
}

/** SVG path of an annular sector between radii r0 < r1, from phase p0 to p1 (increasing). */
export function sectorPath(L: Pick<EarthLayout, 'cx' | 'cy'>, r0: number, r1: number, p0: number, p1: number): string {
  const span = p1 - p0;
  const large = span > 0.5 ? 1 : 0;
  const a0 = phasePoint(L, p0, r1);
  const a1 = phasePoint(L, p1, r1);
  const b1 = phasePoint(L, p1, r0);
  const b0 = phasePoint(L, p0, r0);
  const f = (p: XY) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`;
  // Phase grows clockwise on screen (left → top → right): SVG sweep-flag 1 is clockwise.
  return `M${f(a0)}A${r1.toFixed(1)},${r1.toFixed(1)} 0 ${large} 1 ${f(a1)}L${f(b1)}A${r0.toFixed(1)},${r0.toFixed(1)} 0 ${large} 0 ${f(b0)}Z`;
}

/** The contact window of a station along the orbit, as phases [start, end] (end may exceed 1). */
export function contactWindow(st: Pick<StationInfo, 'phase' | 'windowDeg'>, orbit: { period_ms: number; pass_window_ms: number | null } | null): [number, number] | null {
  if (st.phase === null) return null;
  const span = st.windowDeg !== null ? st.windowDeg / 360 : orbit?.pass_window_ms && orbit.period_ms ? orbit.pass_window_ms / orbit.period_ms : null;
  if (span === null || !(span > 0)) return null;
  return [st.phase - span / 2, st.phase + span / 2];
}

/** Is phase p inside [w0, w1] (phases modulo 1)? */
export function inWindow(p: number, w: [number, number]): boolean {
  const d = frac(p - w[0]);
  return d <= w[1] - w[0];
}

/**
 * Simulated ms until the next change of ground contact for one satellite: until its
 * window ends when in one, else until the next window opens (the model's
 * next_contact_in_ms when it sends one).
 */
export function contactChangeIn(s: SatelliteInfo, extras: Pick<EarthExtras, 'orbit' | 'stations'>): number | null {
  const orbit = extras.orbit;
  const inContact = s.visibleTo.length > 0;
  if (!inContact && s.nextContactInMs !== null) return s.nextContactInMs;
  const p = orbit ? satellitePhase(s, orbit.plane_lon) : null;
  if (!orbit || p === null) return null;
  let best = Infinity;
  for (const st of extras.stations) {
    const w = contactWindow(st, orbit);
    if (!w) continue;
    if (inContact) {
      if (inWindow(p, w)) best = Math.min(best, (w[1] - w[0] - frac(p - w[0])) * orbit.period_ms);
    } else {
      best = Math.min(best, frac(w[0] - p) * orbit.period_ms);
    }
  }
  return Number.isFinite(best) ? Math.round(best) : null;
}

/** The soonest contact change over the constellation (for "jump to the next pass / gap"). */
export function nextContactChange(extras: EarthExtras): { in_ms: number; sat: string; entering: boolean } | null {
  let best: { in_ms: number; sat: string; entering: boolean } | null = null;
  for (const s of extras.satellites) {
    const d = contactChangeIn(s, extras);
    if (d === null) continue;
    if (!best || d < best.in_ms) best = { in_ms: d, sat: s.id, entering: s.visibleTo.length === 0 };
  }
  return best;
}

/**
 * An inter-satellite link between lanes: a straight line for neighbours in the formation,
 * a bow to the outside of the orbit for links that skip lanes (so the six links of four
 * satellites stay six lines, not one).
 */
export function islPath(a: XY, b: XY, skip: number, L: Pick<EarthLayout, 'cx' | 'cy'>): { d: string; mid: XY } {
  const f = (p: XY) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`;
  if (skip <= 1) return { d: `M${f(a)}L${f(b)}`, mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
  // Tangential direction at the midpoint (perpendicular to the radius), along the motion.
  const mx = (a[0] + b[0]) / 2;
  const my = (a[1] + b[1]) / 2;
  const rx = mx - L.cx;
  const ry = my - L.cy;
  const n = Math.hypot(rx, ry) || 1;
  const tx = -ry / n;
  const ty = rx / n;
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const bow = len * 0.55 * (skip - 1) + 10;
  const c: XY = [mx + tx * bow, my + ty * bow];
  return { d: `M${f(a)}Q${f(c)} ${f(b)}`, mid: [(a[0] + 2 * c[0] + b[0]) / 4, (a[1] + 2 * c[1] + b[1]) / 4] };
}

/** "343 ms", "4.2 s", "43 s", "2 min 10 s", "43 min": durations for the room. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const v = Math.max(0, ms);
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 10_000) return `${(v / 1000).toFixed(1)} s`;
  const s = Math.round(v / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m >= 10 || rest === 0) return `${Math.round(s / 60)} min`;
  return `${m} min ${rest} s`;
}

/**
 * A station's display name: "gs-svalbard" → "Svalbard"; spelled as the scenario spells it
 * when one of `labels` names it ("Ground stations (Svalbard, McMurdo)" → "McMurdo").
 */
export function stationName(id: string, labels: readonly string[] = []): string {
  const base = id.replace(/^(gs|ground|station)[-_]/i, '');
  const words = base.split(/[-_]/).filter(Boolean);
  const plain = words.join(' ');
  for (const l of labels) {
    const i = l.toLowerCase().indexOf(plain.toLowerCase());
    if (i >= 0 && plain) return l.slice(i, i + plain.length);
  }
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

/** The letter on a satellite icon: "sat-b" → "B", group "leo-c" → "C". */
export function satLetter(id: string, label?: string): string {
  const m = /(?:^|[-_\s])([a-z0-9]{1,2})$/i.exec(label?.replace(/\s*\(.*\)\s*$/, '') ?? '') ?? /(?:^|[-_])([a-z0-9]{1,2})$/i.exec(id);
  return (m?.[1] ?? id.slice(-1)).toUpperCase();
}

/** An n-pointed star centred on 0,0 (the unmistakable Byzantine marker), as SVG path data. */
export function starPath(outer: number, inner: number, points: number): string {
  const parts: string[] = [];
  for (let i = 0; i < points * 2; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = (Math.PI * i) / points - Math.PI / 2;
    parts.push(`${i === 0 ? 'M' : 'L'}${(r * Math.cos(a)).toFixed(2)},${(r * Math.sin(a)).toFixed(2)}`);
  }
  return `${parts.join('')}Z`;
}
