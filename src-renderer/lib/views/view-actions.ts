/**
 * Keyboard-reachable commands of the scenario views (NT-2 floor, NT-3 Earth), added to the
 * app's action registry once, next to the app's own. Each is enabled only while its view
 * is on stage. Each lists candidate keys and takes the first one still free, so a key
 * another part of the app binds first is never stolen (with none free, the action has no
 * key but is still in the registry and on the view's buttons).
 */
import type { ActionDef, ActionRegistry } from '../actions';
import type { FaultAction } from '../../../src-shared/actions/fault-actions';
import type { Frame } from '../../../src-shared/ipc/frames';
import type { ViewKind } from './view-kind';
import { readEarthExtras, readFloorExtras } from './extras';
import { sixtyFortyBoundary, wallsUp, wallToggleAction } from './floor-geometry';
import { nextContactChange } from './earth-geometry';

export interface ViewActionDeps {
  view: () => ViewKind | null;
  frame: () => Frame | null;
  /** The scenario's group ids in file order (the floor's zones). */
  groupIds: () => string[];
  act: (a: FaultAction) => unknown;
  seek: (t_ms: number) => unknown;
}

/** The 60/40 wall: raise it, or lower it when it stands. */
export function sixtyFortyAction(frame: Frame | null, groupIds: readonly string[]): FaultAction | null {
  const fx = readFloorExtras(frame?.extras, groupIds);
  const ids = fx.zones.map((z) => z.id);
  const k = sixtyFortyBoundary(ids.length);
  if (k < 0) return null;
  return wallToggleAction(ids, wallsUp(fx.zones, fx.walls, frame?.links ?? []), k);
}

export function sixtyFortyIsUp(frame: Frame | null, groupIds: readonly string[]): boolean {
  const fx = readFloorExtras(frame?.extras, groupIds);
  return wallsUp(fx.zones, fx.walls, frame?.links ?? []).has(sixtyFortyBoundary(fx.zones.length));
}

/** Seed NT-2: 40% packet loss under interference (on every radio hop across a zone boundary). */
export const INTERFERENCE_LOSS = 0.4;

export function interferenceIsOn(frame: Frame | null, groupIds: readonly string[]): boolean {
  const links = frame?.links ?? [];
  return adjacentPairs(groupIds).some(([a, b]) => links.some((l) => ((l.a === a && l.b === b) || (l.a === b && l.b === a)) && l.loss >= INTERFERENCE_LOSS));
}

/** Interference on (40% loss between neighbouring zones) or off (loss 0), as the script nt2-interference does. */
export function interferenceActions(frame: Frame | null, groupIds: readonly string[]): FaultAction[] {
  const loss = interferenceIsOn(frame, groupIds) ? 0 : INTERFERENCE_LOSS;
  return adjacentPairs(groupIds).map(([a, b]) => ({ do: 'set-link', link: [a, b], loss }));
}

function adjacentPairs(ids: readonly string[]): [string, string][] {
  return ids.slice(1).map((b, i) => [ids[i]!, b]);
}

/** The satellite an "equivocate" command targets: the first honest, up satellite that is not the primary. */
export function equivocateTarget(frame: Frame | null): string | null {
  if (!frame) return null;
  const sats = new Set(readEarthExtras(frame.extras).satellites.map((s) => s.id));
  const candidates = frame.nodes.filter((n) => (sats.size === 0 || sats.has(n.id)) && n.up && !n.byzantine && !/station|mission|ground/.test(n.role));
  return (candidates.find((n) => !/primary|leader|excluded/.test(n.role)) ?? candidates[0])?.id ?? null;
}

/** Where "jump to the next contact change" seeks: just past the soonest pass start or end. */
export function contactJumpTarget(frame: Frame | null, margin_ms = 2000): number | null {
  if (!frame) return null;
  const next = nextContactChange(readEarthExtras(frame.extras));
  if (!next) return null;
  return Math.min(frame.until_ms, Math.round(frame.t_ms + next.in_ms + margin_ms));
}

const registered = new WeakSet<ActionRegistry>();

export function registerViewActions(reg: ActionRegistry, deps: ViewActionDeps): void {
  if (registered.has(reg)) return;
  registered.add(reg);
  const on = (v: ViewKind) => () => deps.view() === v && deps.frame() !== null;
  // `keys` lists candidates in order of preference: the first one still free is taken.
  const firstFree = (keys: string[]) => keys.filter((k) => !reg.forKey(k, true)).slice(0, 1);
  const add = (d: ActionDef) => {
    if (reg.get(d.id)) return;
    reg.register({ ...d, keys: firstFree(d.keys) });
  };

  add({
    id: 'floor-wall-60-40',
    get label() {
      return sixtyFortyIsUp(deps.frame(), deps.groupIds()) ? 'Lower the 60/40 metal wall' : 'Raise a metal wall 60/40 (zones a–c | d–e)';
    },
    keys: ['w', 'c'],
    group: 'Faults',
    enabled: on('factory-floor'),
    run: () => {
      const a = sixtyFortyAction(deps.frame(), deps.groupIds());
      if (a) void deps.act(a);
    },
  });
  add({
    id: 'floor-interference',
    get label() {
      return interferenceIsOn(deps.frame(), deps.groupIds()) ? 'Switch interference off' : 'Switch interference on (40% loss between zones)';
    },
    keys: ['a', 'q'],
    group: 'Faults',
    enabled: on('factory-floor'),
    run: () => {
      for (const a of interferenceActions(deps.frame(), deps.groupIds())) void deps.act(a);
    },
  });
  add({
    id: 'view-kill-leader',
    label: 'Kill the coordinator / primary (@leader)',
    keys: ['k'],
    group: 'Faults',
    enabled: () => (deps.view() === 'factory-floor' || deps.view() === 'earth') && deps.frame() !== null,
    run: () => void deps.act({ do: 'kill', node: '@leader' }),
  });
  add({
    id: 'view-restart-down',
    label: 'Restart every down node',
    keys: ['u', 'z'],
    group: 'Faults',
    enabled: () => (deps.view() === 'factory-floor' || deps.view() === 'earth') && (deps.frame()?.nodes.some((n) => !n.up && n.role !== 'inactive') ?? false),
    run: () => {
      for (const n of deps.frame()?.nodes ?? []) if (!n.up && n.role !== 'inactive') void deps.act({ do: 'restart', node: n.id });
    },
  });
  add({
    id: 'earth-equivocate',
    get label() {
      const id = equivocateTarget(deps.frame());
      return id ? `Make ${id} equivocate (Byzantine)` : 'Make a satellite equivocate (Byzantine)';
    },
    keys: ['e', 'y'],
    group: 'Faults',
    enabled: () => on('earth')() && equivocateTarget(deps.frame()) !== null,
    run: () => {
      const id = equivocateTarget(deps.frame());
      if (id) void deps.act({ do: 'byzantine', node: id, behavior: 'equivocate' });
    },
  });
  add({
    id: 'earth-next-contact',
    label: 'Jump to the next ground-contact change (pass or gap)',
    keys: ['g'],
    group: 'Run',
    enabled: () => on('earth')() && contactJumpTarget(deps.frame()) !== null,
    run: () => {
      const t = contactJumpTarget(deps.frame());
      if (t !== null) void deps.seek(t);
    },
  });
}
