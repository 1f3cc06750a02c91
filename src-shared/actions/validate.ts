/**
 * Validation of fault actions and fault scripts. Every error names the offending entry
 * (`actions[2].link[1]: unknown node or group "eu-wset"`) so that a lecturer editing a
 * script by hand can fix it, and a script is accepted whole or not at all.
 */
import { parseDuration } from '../gvector';
import { FAULT_VERBS, ROLE_SELECTORS, type FaultAction, type TimedAction } from './fault-actions';

/** What a script may name: node ids, group ids, and which byzantine behaviours exist. */
export interface ActionTargets {
  nodes: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  byzantineBehaviors?: readonly string[];
}

export class ActionError extends Error {
  override name = 'ActionError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const MAX_ACTIONS = 10_000;
const MAX_TIME_MS = 24 * 3600_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nameIn(path: string, v: unknown, targets: ActionTargets, allowRole: boolean): string {
  if (typeof v !== 'string' || v.length === 0) throw new ActionError(path, `expected a node or group name, got ${show(v)}`);
  if (allowRole && (ROLE_SELECTORS as readonly string[]).includes(v)) return v;
  if (!targets.nodes.has(v) && !targets.groups.has(v)) {
    throw new ActionError(path, `unknown node or group "${v}"`);
  }
  return v;
}

function nodeIn(path: string, v: unknown, targets: ActionTargets): string {
  if (typeof v !== 'string' || v.length === 0) throw new ActionError(path, `expected a node id, got ${show(v)}`);
  if ((ROLE_SELECTORS as readonly string[]).includes(v)) return v;
  if (v.startsWith('@')) throw new ActionError(path, `unknown role selector "${v}" (known: ${ROLE_SELECTORS.join(', ')})`);
  if (!targets.nodes.has(v)) throw new ActionError(path, `unknown node "${v}"`);
  return v;
}

/**
 * A link is a pair of names. The same group twice means the links inside that group
 * (e.g. interference on a whole zone); the same node twice is meaningless.
 */
function linkIn(path: string, v: unknown, targets: ActionTargets): [string, string] {
  if (!Array.isArray(v) || v.length !== 2) throw new ActionError(path, `expected a pair [a, b], got ${show(v)}`);
  const a = nameIn(`${path}[0]`, v[0], targets, false);
  const b = nameIn(`${path}[1]`, v[1], targets, false);
  if (a === b && !targets.groups.has(a)) throw new ActionError(path, `a link joins two different nodes, got "${a}" twice`);
  return [a, b];
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    // A YAML alias can make a value refer to itself (`link: &l [*l, a]`).
    return 'a value that contains itself';
  }
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function durationIn(path: string, v: unknown): number {
  let ms: number;
  if (typeof v === 'number') ms = v * 1000; // a bare number in a script means seconds
  else if (typeof v === 'string') {
    try {
      ms = parseDuration(v);
    } catch {
      throw new ActionError(path, `bad time ${show(v)} (write e.g. "10s", "250ms", "2min")`);
    }
  } else throw new ActionError(path, `bad time ${show(v)} (write e.g. "10s", "250ms", "2min")`);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIME_MS) throw new ActionError(path, `time ${show(v)} is out of range (0 to 24h)`);
  return ms;
}

const KNOWN_KEYS: Record<FaultAction['do'], readonly string[]> = {
  cut: ['link'],
  heal: ['link'],
  kill: ['node'],
  restart: ['node'],
  partition: ['groups'],
  'heal-all': [],
  'set-link': ['link', 'latency', 'latency_ms', 'loss'],
  byzantine: ['node', 'behavior'],
  'clock-drift': ['node', 'ppm'],
};

/** Validates one action object (without `at`). Throws ActionError naming the field. */
export function validateAction(raw: unknown, targets: ActionTargets, path = 'action'): FaultAction {
  if (!isObject(raw)) throw new ActionError(path, `expected an object, got ${show(raw)}`);
  const verb = raw.do;
  if (typeof verb !== 'string' || !(FAULT_VERBS as readonly string[]).includes(verb)) {
    throw new ActionError(`${path}.do`, `unknown action ${show(verb)} (known: ${FAULT_VERBS.join(', ')})`);
  }
  const v = verb as FaultAction['do'];
  for (const key of Object.keys(raw)) {
    if (key !== 'do' && key !== 'at' && !KNOWN_KEYS[v].includes(key)) {
      throw new ActionError(`${path}.${key}`, `"${v}" takes no field "${key}"`);
    }
  }
  switch (v) {
    case 'cut':
    case 'heal':
      return { do: v, link: linkIn(`${path}.link`, raw.link, targets) };
    case 'kill':
    case 'restart':
      return { do: v, node: nodeIn(`${path}.node`, raw.node, targets) };
    case 'heal-all':
      return { do: 'heal-all' };
    case 'partition': {
      const groups = raw.groups;
      if (!Array.isArray(groups) || groups.length < 2) {
        throw new ActionError(`${path}.groups`, `expected at least two sides, e.g. [["us-east"], ["eu-west", "apac"]], got ${show(groups)}`);
      }
      const seen = new Set<string>();
      const sides = groups.map((side, i) => {
        if (!Array.isArray(side) || side.length === 0) throw new ActionError(`${path}.groups[${i}]`, `expected a non-empty list of names, got ${show(side)}`);
        return side.map((n, j) => {
          const name = nameIn(`${path}.groups[${i}][${j}]`, n, targets, false);
          if (seen.has(name)) throw new ActionError(`${path}.groups[${i}][${j}]`, `"${name}" is on two sides`);
          seen.add(name);
          return name;
        });
      });
      return { do: 'partition', groups: sides };
    }
    case 'set-link': {
      const link = linkIn(`${path}.link`, raw.link, targets);
      const out: FaultAction = { do: 'set-link', link };
      const lat = raw.latency ?? raw.latency_ms;
      if (lat !== undefined) {
        const ms = typeof lat === 'number' ? lat : durationIn(`${path}.latency`, lat);
        if (!Number.isFinite(ms) || ms < 0 || ms > 600_000) throw new ActionError(`${path}.latency`, `latency ${show(lat)} is out of range (0 to 10min)`);
        out.latency_ms = ms;
      }
      if (raw.loss !== undefined) {
        if (typeof raw.loss !== 'number' || !(raw.loss >= 0 && raw.loss <= 1)) {
          throw new ActionError(`${path}.loss`, `loss is a fraction from 0 to 1, got ${show(raw.loss)}`);
        }
        out.loss = raw.loss;
      }
      if (out.latency_ms === undefined && out.loss === undefined) throw new ActionError(path, 'set-link needs latency and/or loss');
      return out;
    }
    case 'byzantine': {
      const node = nodeIn(`${path}.node`, raw.node, targets);
      const behavior = raw.behavior;
      const known = targets.byzantineBehaviors ?? [];
      if (typeof behavior !== 'string' || !known.includes(behavior)) {
        throw new ActionError(
          `${path}.behavior`,
          known.length === 0 ? 'this scenario has no byzantine behaviours' : `unknown behaviour ${show(behavior)} (known: ${known.join(', ')})`,
        );
      }
      return { do: 'byzantine', node, behavior };
    }
    case 'clock-drift': {
      const node = nodeIn(`${path}.node`, raw.node, targets);
      if (typeof raw.ppm !== 'number' || !Number.isFinite(raw.ppm) || Math.abs(raw.ppm) > 1_000_000) {
        throw new ActionError(`${path}.ppm`, `expected a drift in parts per million (|ppm| ≤ 1e6), got ${show(raw.ppm)}`);
      }
      return { do: 'clock-drift', node, ppm: raw.ppm };
    }
  }
}

/**
 * Validates a whole fault script `{actions: [...]}` (already parsed from JSON/YAML).
 * Returns the actions sorted by time (stable, so same-time actions keep script order).
 */
export function validateFaultScript(raw: unknown, targets: ActionTargets): TimedAction[] {
  if (!isObject(raw)) throw new ActionError('script', `expected an object with "actions", got ${show(raw)}`);
  const actions = raw.actions;
  if (!Array.isArray(actions)) throw new ActionError('script.actions', `expected a list, got ${show(actions)}`);
  if (actions.length > MAX_ACTIONS) throw new ActionError('script.actions', `too many actions (${actions.length} > ${MAX_ACTIONS})`);
  const timed = actions.map((entry, i) => {
    const path = `actions[${i}]`;
    if (!isObject(entry)) throw new ActionError(path, `expected an object, got ${show(entry)}`);
    if (entry.at === undefined) throw new ActionError(`${path}.at`, 'missing "at" (the simulated time, e.g. "10s")');
    const at_ms = durationIn(`${path}.at`, entry.at);
    return { at_ms, action: validateAction(entry, targets, path) };
  });
  return timed.map((t, i) => ({ t, i })).sort((x, y) => x.t.at_ms - y.t.at_ms || x.i - y.i).map((x) => x.t);
}
