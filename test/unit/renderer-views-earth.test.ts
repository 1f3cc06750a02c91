import { describe, expect, it } from 'vitest';
import {
  contactChangeIn,
  contactWindow,
  earthLayout,
  formatDuration,
  inWindow,
  islPath,
  nextContactChange,
  phasePoint,
  projectLatLon,
  satellitePhase,
  satLetter,
  sectorPath,
  starPath,
  stationName,
} from '../../src-renderer/lib/views/earth-geometry';
import { readEarthExtras } from '../../src-renderer/lib/views/extras';
import type { MetricValue } from '../../src-shared/ipc/frames';

const box = { x: 0, y: 40, w: 600, h: 600 };
const L = earthLayout(box, 4, 15.41, 12);

/** Orbit as the NT-3 model describes it: 120 min polar, 10 min passes, Svalbard and McMurdo. */
function extras(phases: number[], visible: string[][], next: number[]): Record<string, MetricValue> {
  const satellites: Record<string, MetricValue> = {};
  phases.forEach((p, i) => (satellites[`sat-${'abcd'[i]}`] = { phase: p, visible_to: visible[i]!, next_contact_in_ms: next[i]! }));
  return {
    orbit: { period_ms: 7_200_000, pass_window_ms: 600_000, inclination_deg: 90, plane_lon: 15.41 },
    satellites,
    ground_stations: {
      'gs-svalbard': { lat: 78.23, lon: 15.41, phase: 0.21722, window_deg: 30 },
      'gs-mcmurdo': { lat: -77.85, lon: 166.67, phase: 0.71722, window_deg: 30 },
    },
  };
}

describe('earth layout', () => {
  it('fits the globe and one lane per satellite inside the box, lanes above the surface', () => {
    expect(L.cx).toBe(300);
    expect(L.cy).toBe(340);
    expect(L.lanes).toHaveLength(4);
    expect(L.lanes[0]!).toBeGreaterThan(L.R);
    for (let i = 1; i < 4; i++) expect(L.lanes[i]! - L.lanes[i - 1]!).toBeGreaterThanOrEqual(2 * 12);
    expect(L.outer).toBeLessThanOrEqual(300);
    expect(L.lon0).toBeCloseTo(105.41);
  });

  it('turns orbit phase into an angle: ascending equator left, north pole top, south pole bottom', () => {
    const r = 100;
    const at = (p: number) => phasePoint(L, p, r).map((v) => Math.round(v));
    expect(at(0)).toEqual([200, 340]);
    expect(at(0.25)).toEqual([300, 240]);
    expect(at(0.5)).toEqual([400, 340]);
    expect(at(0.75)).toEqual([300, 440]);
    expect(at(1.25)).toEqual(at(0.25));
  });

  it('projects ground stations: Svalbard on the orbit-plane limb near the top, far side marked', () => {
    const sv = projectLatLon(L, 78.23, 15.41);
    expect(sv.visible).toBe(true);
    expect(Math.hypot(sv.xy[0] - L.cx, sv.xy[1] - L.cy)).toBeCloseTo(L.R, 3);
    expect(sv.xy[1]).toBeLessThan(L.cy - 0.9 * L.R);
    // The satellite right over Svalbard (phase = 78.23/360) sits on the same radius.
    const sat = phasePoint(L, 78.23 / 360, L.R);
    expect(sat[0]).toBeCloseTo(sv.xy[0], 6);
    expect(sat[1]).toBeCloseTo(sv.xy[1], 6);
    const centre = projectLatLon(L, 0, L.lon0);
    expect(centre.xy).toEqual([L.cx, L.cy]);
    const far = projectLatLon(L, 0, L.lon0 + 180);
    expect(far.visible).toBe(false);
  });

  it('recovers the phase from the sub-satellite point when the model sends none', () => {
    const cases: [number, number, number][] = [
      [45, 15.41, 45 / 360],
      [45, 15.41 + 180, 135 / 360],
      [-30, 15.41 + 180, 210 / 360],
      [-30, 15.41, 330 / 360],
    ];
    for (const [lat, lon, p] of cases) expect(satellitePhase({ phase: null, lat, lon }, 15.41)).toBeCloseTo(p, 9);
    expect(satellitePhase({ phase: 0.3, lat: null, lon: null }, 0)).toBe(0.3);
    expect(satellitePhase({ phase: null, lat: null, lon: 3 }, 0)).toBeNull();
  });

  it('draws a contact window as an annular sector, clockwise with the phase', () => {
    const d = sectorPath({ cx: 0, cy: 0 }, 10, 20, 0, 0.25);
    expect(d).toBe('M-20.0,0.0A20.0,20.0 0 0 1 -0.0,-20.0L-0.0,-10.0A10.0,10.0 0 0 0 -10.0,0.0Z');
    expect(sectorPath({ cx: 0, cy: 0 }, 10, 20, 0, 0.75)).toContain('A20.0,20.0 0 1 1');
  });
});

describe('ground contact', () => {
  const orbit = { period_ms: 7_200_000, pass_window_ms: 600_000 };

  it('derives each station window from its phase and width', () => {
    const w = contactWindow({ phase: 0.21722, windowDeg: 30 }, orbit)!;
    expect(w[0]).toBeCloseTo(0.21722 - 1 / 24);
    expect(w[1]).toBeCloseTo(0.21722 + 1 / 24);
    expect(contactWindow({ phase: 0.5, windowDeg: null }, orbit)![1]).toBeCloseTo(0.5 + 1 / 24);
    expect(contactWindow({ phase: null, windowDeg: 30 }, orbit)).toBeNull();
    expect(inWindow(0.99, [0.97, 1.02])).toBe(true);
    expect(inWindow(0.01, [0.97, 1.02])).toBe(true);
    expect(inWindow(0.05, [0.97, 1.02])).toBe(false);
  });

  it('tells when contact ends for a satellite in a pass, when it starts for one in a gap', () => {
    const ex = readEarthExtras(extras([0.19296, 0.3], [['gs-svalbard'], []], [0, 2_580_024]));
    const inPass = contactChangeIn(ex.satellites[0]!, ex)!;
    // Window ends at phase 0.21722 + 1/24; the lead is at 0.19296.
    expect(inPass).toBeCloseTo((0.21722 + 1 / 24 - 0.19296) * 7_200_000, -2);
    expect(contactChangeIn(ex.satellites[1]!, ex)).toBe(2_580_024);
    expect(nextContactChange(ex)).toMatchObject({ sat: 'sat-a', entering: false });
    // Without the model's next_contact_in_ms, computed from the windows (McMurdo opens next).
    const gap = readEarthExtras(extras([0.3], [[]], [NaN]));
    expect(contactChangeIn(gap.satellites[0]!, gap)).toBeCloseTo((0.71722 - 1 / 24 - 0.3) * 7_200_000, -2);
  });

  it('formats durations for the room', () => {
    expect(formatDuration(343)).toBe('343 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(43_000)).toBe('43 s');
    expect(formatDuration(130_000)).toBe('2 min 10 s');
    expect(formatDuration(2_580_024)).toBe('43 min');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('names and shapes', () => {
  it('names stations as the scenario spells them', () => {
    expect(stationName('gs-svalbard')).toBe('Svalbard');
    expect(stationName('gs-mcmurdo')).toBe('Mcmurdo');
    expect(stationName('gs-mcmurdo', ['Ground stations (Svalbard, McMurdo)'])).toBe('McMurdo');
    expect(stationName('gs-new-norcia')).toBe('New Norcia');
  });

  it('letters satellites from their group label or id', () => {
    expect(satLetter('sat-b')).toBe('B');
    expect(satLetter('sat-a', 'LEO-A (formation lead)')).toBe('A');
    expect(satLetter('node-7')).toBe('7');
    expect(satLetter('sat-b', 'Ground stations (Svalbard)')).toBe('B');
  });

  it('bows links that skip lanes away from the straight ones', () => {
    const a: [number, number] = [300, 100];
    const b: [number, number] = [300, 160];
    expect(islPath(a, b, 1, L).d).toBe('M300.0,100.0L300.0,160.0');
    const bowed = islPath(a, b, 3, L);
    expect(bowed.d.startsWith('M300.0,100.0Q')).toBe(true);
    expect(Math.abs(bowed.mid[0] - 300)).toBeGreaterThan(10);
  });

  it('draws an n-pointed star', () => {
    const d = starPath(10, 5, 8);
    expect(d.match(/[ML]/g)).toHaveLength(16);
    expect(d.startsWith('M0.00,-10.00')).toBe(true);
    expect(d.endsWith('Z')).toBe(true);
  });
});
