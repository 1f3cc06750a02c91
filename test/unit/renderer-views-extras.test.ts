import { describe, expect, it } from 'vitest';
import { readEarthExtras, readFloorExtras } from '../../src-renderer/lib/views/extras';
import { stageKind, viewKind } from '../../src-renderer/lib/views/view-kind';
import type { MetricValue } from '../../src-shared/ipc/frames';

/** The NT-2 model's viewExtras() shape (src-main/engine/models/iot-election). */
const floorExtras: Record<string, MetricValue> = {
  floor: {
    width: 1,
    height: 1,
    zones: [
      { id: 'zone-b', x0: 0.2, x1: 0.4 },
      { id: 'zone-a', x0: 0, x1: 0.2 },
    ],
  },
  positions: { 's-a001': [0.05, 0.1], 's-b001': [0.3, 0.5], bad: ['x', 1], short: [0.1] },
  radio_range: 0.145,
  walls: [{ x: 0.2, y0: 0, y1: 1, between: ['zone-a', 'zone-b'] }, { nonsense: true }],
  coordinator: 's-b001',
  term: 3,
  sensors_active: 2,
};

/** The NT-3 model's viewExtras() shape (src-main/engine/models/satellite-smr/orbit.ts). */
const earthExtras: Record<string, MetricValue> = {
  orbit: { period_ms: 7_200_000, pass_window_ms: 600_000, inclination_deg: 90, plane_lon: 15.41, formation_spacing_ms: 30_000, earth_rotation: false },
  satellites: {
    'sat-a': { phase: 0.19296, lat: 69.465, lon: 15.41, visible_to: ['gs-svalbard'], next_contact_in_ms: 0 },
    'sat-b': { phase: 1.5, lat: 0, lon: 195.41, visible_to: [], next_contact_in_ms: 2_580_024 },
    broken: 7,
  },
  ground_stations: {
    'gs-svalbard': { lat: 78.23, lon: 15.41, phase: 0.21722, window_deg: 30 },
    'gs-nowhere': { lat: 'x' },
  },
  ground_links: [['sat-a', 'gs-svalbard'], ['lonely']],
  isl: [{ a: 'sat-a', b: 'sat-b', up: false }, ['sat-a', 'sat-c', true], { a: 'sat-a' }],
  satellite_state: { 'sat-a': { contact: 'direct', via: null, staleness_bound_ms: 343, queued_routine: 0, excluded: ['sat-b'], history_length: 4 } },
};

describe('view kind', () => {
  it('maps the scenario view to a component, anything else to the generic layout', () => {
    expect(viewKind('world-map')).toBe('world-map');
    expect(viewKind('factory-floor')).toBe('factory-floor');
    expect(viewKind(' Earth ')).toBe('earth');
    expect(viewKind('cdn-globe')).toBe('generic');
    expect(viewKind(undefined)).toBe('generic');
  });

  it('draws an unknown view with the location layout when every group has a location, else the list', () => {
    expect(stageKind('earth', [])).toBe('earth');
    expect(stageKind('plan', [{ location: [0.1, 0.5] }, { location: [0.6, 0.2] }])).toBe('world-map');
    expect(stageKind('plan', [{ location: [0.1, 0.5] }, {}])).toBe('generic');
    expect(stageKind('plan', [])).toBe('generic');
    expect(stageKind('services', [])).toBe('services');
    expect(stageKind('cdn', [])).toBe('cdn');
  });
});

describe('floor extras', () => {
  it('reads zones (sorted left to right), positions, walls, coordinator and term', () => {
    const fx = readFloorExtras(floorExtras);
    expect(fx.zones.map((z) => z.id)).toEqual(['zone-a', 'zone-b']);
    expect(fx.zones[0]).toEqual({ id: 'zone-a', x0: 0, x1: 0.2, y0: 0, y1: 1 });
    expect([...fx.positions.keys()]).toEqual(['s-a001', 's-b001']);
    expect(fx.walls).toEqual([{ x: 0.2, y0: 0, y1: 1, between: ['zone-a', 'zone-b'] }]);
    expect(fx).toMatchObject({ radioRange: 0.145, coordinator: 's-b001', term: 3, sensorsActive: 2 });
  });

  it('tolerates missing or malformed extras: zones from the scenario groups, no positions', () => {
    for (const extras of [undefined, null, {}, { floor: 7, positions: [1, 2], walls: 'none', radio_range: -1 }] as (Record<string, MetricValue> | null | undefined)[]) {
      const fx = readFloorExtras(extras, ['a', 'b', 'c', 'd']);
      expect(fx.zones.map((z) => [z.id, z.x0, z.x1])).toEqual([
        ['a', 0, 0.25],
        ['b', 0.25, 0.5],
        ['c', 0.5, 0.75],
        ['d', 0.75, 1],
      ]);
      expect(fx.positions.size).toBe(0);
      expect(fx.walls).toEqual([]);
      expect(fx.radioRange).toBeNull();
      expect(fx.coordinator).toBeNull();
    }
  });

  it('reuses the previous positions when the model sends the same ones', () => {
    const clean = { ...floorExtras, positions: { 's-a001': [0.05, 0.1], 's-b001': [0.3, 0.5] } };
    const a = readFloorExtras(clean);
    const b = readFloorExtras(structuredClone(clean), [], a);
    expect(b.positions).toBe(a.positions);
    const moved = structuredClone(clean);
    (moved.positions as Record<string, MetricValue>)['s-b001'] = [0.31, 0.5];
    const c = readFloorExtras(moved, [], a);
    expect(c.positions).not.toBe(a.positions);
    expect(c.positions.get('s-b001')).toEqual([0.31, 0.5]);
  });
});

describe('earth extras', () => {
  it('reads orbit, satellites, stations, contacts, inter-satellite links and per-satellite state', () => {
    const ex = readEarthExtras(earthExtras);
    expect(ex.orbit).toEqual({ period_ms: 7_200_000, pass_window_ms: 600_000, inclination_deg: 90, plane_lon: 15.41, spacing_ms: 30_000 });
    expect(ex.satellites.map((s) => s.id)).toEqual(['sat-a', 'sat-b']);
    expect(ex.satellites[1]!.phase).toBe(0.5);
    expect(ex.satellites[0]!.visibleTo).toEqual(['gs-svalbard']);
    expect(ex.stations.map((s) => s.id)).toEqual(['gs-svalbard']);
    expect(ex.groundLinks).toEqual([['sat-a', 'gs-svalbard']]);
    expect(ex.isl).toEqual([
      { a: 'sat-a', b: 'sat-b', up: false },
      { a: 'sat-a', b: 'sat-c', up: true },
    ]);
    expect(ex.state.get('sat-a')).toEqual({ contact: 'direct', via: null, stalenessBoundMs: 343, queuedRoutine: 0, excluded: ['sat-b'], historyLength: 4 });
  });

  it('derives contacts from visible_to when ground_links is missing, and survives an empty object', () => {
    const { ground_links: _drop, ...rest } = earthExtras;
    expect(readEarthExtras(rest).groundLinks).toEqual([['sat-a', 'gs-svalbard']]);
    const empty = readEarthExtras(undefined);
    expect(empty).toMatchObject({ orbit: null, satellites: [], stations: [], groundLinks: [], isl: [] });
  });
});
