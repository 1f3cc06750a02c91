import { describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src-renderer/lib/actions';
import { contactJumpTarget, equivocateTarget, interferenceActions, interferenceIsOn, registerViewActions, sixtyFortyAction, sixtyFortyIsUp, type ViewActionDeps } from '../../src-renderer/lib/views/view-actions';
import type { ViewKind } from '../../src-renderer/lib/views/view-kind';
import type { FaultAction } from '../../src-shared/actions/fault-actions';
import type { Frame, NodeView } from '../../src-shared/ipc/frames';

const zones = ['zone-a', 'zone-b', 'zone-c', 'zone-d', 'zone-e'];

function frame(over: Partial<Frame> = {}): Frame {
  return {
    run_id: 'run-1',
    t_ms: 10_000,
    until_ms: 1_800_000,
    playing: true,
    speed: 1,
    strategy: 's',
    nodes: [],
    links: [],
    messages: [],
    scopes: [],
    records: [],
    reset: false,
    metrics: {},
    extras: {},
    requirements: [],
    digest: '',
    ...over,
  };
}

const sat = (id: string, role: string, up = true, byzantine = false): NodeView => ({ id, group: `leo-${id.slice(-1)}`, up, role, byzantine });

function setup(view: ViewKind | null, f: Frame | null, taken: string[] = []) {
  const acts: FaultAction[] = [];
  const seeks: number[] = [];
  const reg = new ActionRegistry();
  taken.forEach((k, i) => reg.register({ id: `other-${i}`, label: k, keys: [k], group: 'View', run: () => {} }));
  const deps: ViewActionDeps = { view: () => view, frame: () => f, groupIds: () => zones, act: (a) => acts.push(a), seek: (t) => seeks.push(t) };
  registerViewActions(reg, deps);
  registerViewActions(reg, deps); // idempotent per registry
  return { reg, acts, seeks };
}

describe('view actions: factory floor', () => {
  it('toggles the 60/40 wall from the keyboard, reading the wall state from the frame', () => {
    const { reg, acts } = setup('factory-floor', frame());
    expect(reg.get('floor-wall-60-40')!.keys).toEqual(['w']);
    expect(reg.get('floor-wall-60-40')!.label).toMatch(/Raise/);
    expect(reg.handleKey({ key: 'w' })?.id).toBe('floor-wall-60-40');
    expect(acts).toEqual([{ do: 'partition', groups: [['zone-a', 'zone-b', 'zone-c'], ['zone-d', 'zone-e']] }]);

    const walled = frame({ extras: { walls: [{ x: 0.6, y0: 0, y1: 1, between: ['zone-c', 'zone-d'] }] } });
    expect(sixtyFortyIsUp(walled, zones)).toBe(true);
    expect(sixtyFortyAction(walled, zones)).toEqual({ do: 'heal-all' });
  });

  it('kills the coordinator through the @leader selector, restarts every down node', () => {
    const f = frame({ nodes: [sat('s-a001', 'follower', false), sat('s-a002', 'inactive', false), sat('s-a003', 'coordinator')] });
    const { reg, acts } = setup('factory-floor', f);
    reg.handleKey({ key: 'k' });
    reg.handleKey({ key: 'u' });
    expect(acts).toEqual([
      { do: 'kill', node: '@leader' },
      { do: 'restart', node: 's-a001' },
    ]);
  });

  it('switches interference on (40% loss between neighbouring zones) and off again, reading the links of the frame', () => {
    const { reg, acts } = setup('factory-floor', frame());
    expect(reg.get('floor-interference')!.label).toMatch(/on \(40% loss/);
    expect(reg.handleKey({ key: 'a' })?.id).toBe('floor-interference');
    expect(acts).toEqual(zones.slice(1).map((b, i) => ({ do: 'set-link', link: [zones[i], b], loss: 0.4 })));
    const lossy = frame({ links: [{ a: 'zone-b', b: 'zone-a', state: 'lossy', latency_ms: 8, loss: 0.4 }] });
    expect(interferenceIsOn(lossy, zones)).toBe(true);
    expect(interferenceActions(lossy, zones).every((a) => a.do === 'set-link' && a.loss === 0)).toBe(true);
  });

  it('is disabled on other views and without a frame', () => {
    expect(setup('world-map', frame()).reg.handleKey({ key: 'w' })).toBeNull();
    expect(setup('factory-floor', null).reg.handleKey({ key: 'k' })).toBeNull();
  });

  it('never steals a key: takes the next candidate, or none', () => {
    const { reg } = setup('factory-floor', frame(), ['w', 'u', 'e']);
    expect(reg.get('floor-wall-60-40')!.keys).toEqual(['c']);
    expect(reg.get('view-restart-down')!.keys).toEqual(['z']);
    expect(reg.get('earth-equivocate')!.keys).toEqual(['y']);
    expect(reg.get('other-0')!.keys).toEqual(['w']);
    const full = setup('factory-floor', frame(), ['w', 'c']);
    expect(full.reg.get('floor-wall-60-40')!.keys).toEqual([]);
  });
});

describe('view actions: earth', () => {
  const earth = frame({
    t_ms: 120_000,
    nodes: [sat('sat-a', 'primary'), sat('sat-b', 'replica', true, true), sat('sat-c', 'replica'), sat('sat-d', 'replica'), { id: 'gs-svalbard', group: 'ground', up: true, role: 'mission-control', byzantine: false }],
    extras: {
      orbit: { period_ms: 7_200_000, pass_window_ms: 600_000, plane_lon: 15.41 },
      satellites: {
        'sat-a': { phase: 0.2, visible_to: ['gs-svalbard'], next_contact_in_ms: 0 },
        'sat-b': { phase: 0.19, visible_to: ['gs-svalbard'], next_contact_in_ms: 0 },
        'sat-c': { phase: 0.195, visible_to: ['gs-svalbard'], next_contact_in_ms: 0 },
        'sat-d': { phase: 0.19, visible_to: ['gs-svalbard'], next_contact_in_ms: 0 },
      },
      ground_stations: { 'gs-svalbard': { lat: 78.23, lon: 15.41, phase: 0.21722, window_deg: 30 } },
    },
  });

  it('makes the first honest non-primary satellite equivocate', () => {
    expect(equivocateTarget(earth)).toBe('sat-c');
    const { reg, acts } = setup('earth', earth);
    reg.handleKey({ key: 'e' });
    expect(acts).toEqual([{ do: 'byzantine', node: 'sat-c', behavior: 'equivocate' }]);
    expect(equivocateTarget(null)).toBeNull();
    // With only the primary left honest and up, the primary is the one.
    const lone = { ...earth, nodes: earth.nodes.map((n) => (n.id === 'sat-a' ? n : { ...n, up: n.role === 'mission-control' })) };
    expect(equivocateTarget(lone)).toBe('sat-a');
  });

  it('jumps just past the next contact change', () => {
    const target = contactJumpTarget(earth)!;
    // sat-a leaves the Svalbard window at phase 0.21722 + 1/24.
    expect(target).toBeCloseTo(120_000 + (0.21722 + 1 / 24 - 0.2) * 7_200_000 + 2000, -2);
    const { reg, seeks } = setup('earth', earth);
    reg.handleKey({ key: 'g' });
    expect(seeks).toEqual([target]);
    expect(contactJumpTarget(frame())).toBeNull();
  });
});
