/**
 * Demo presets (DEMOS.md): a scenario, a strategy, a seed and a list of steps a lecturer
 * walks through with a clicker. Each step says something to the room, may apply fault
 * actions (the same vocabulary as fault scripts, DESIGN §4), may switch the strategy, and
 * then plays for a while at a speed. Files live in scenarios/demos/ (YAML or JSON):
 *
 *   id: nt1-cut-apac
 *   title: Cut apac off — CP refuses, AP keeps writing
 *   scenario: nt1-log-replication
 *   strategy: async-cp
 *   seed: 1
 *   steps:
 *     - { title: Healthy, say: "Three regions in Target…", run_for: 10s, speed: 5 }
 *     - title: Cut apac
 *       say: "…"
 *       do: [ { do: partition, groups: [[apac], [us-east, eu-west]] } ]
 *       run_for: 40s
 *
 * Validation is whole-file and names the offending entry (`steps[1].do[0].groups[0][0]:
 * unknown node or group "apax"`). Pure: no Node, no DOM.
 */
import { parseDuration } from '../gvector';
import type { FaultAction } from '../actions/fault-actions';
import { validateAction, type ActionTargets } from '../actions/validate';

export interface DemoStep {
  title: string;
  /** What the lecturer says (shown large in presenter mode). */
  say: string;
  /** Applied when the step starts. */
  actions: FaultAction[];
  /** Switch to this strategy when the step starts (the run restarts on the same seed). */
  strategy: string | null;
  /** Then play this much simulated time (0: stay paused). */
  run_for_ms: number;
  /** Playback speed while it plays (null: keep the current one). */
  speed: number | null;
}

export interface DemoPreset {
  id: string;
  title: string;
  scenario: string;
  strategy: string;
  seed: number;
  steps: DemoStep[];
}

export class DemoError extends Error {
  override name = 'DemoError';
}

/** What a demo may name: the scenario's strategies and the targets of its fault actions. */
export interface DemoScenarioInfo {
  strategies: readonly string[];
  targets: ActionTargets;
}

const SPEEDS = [0.5, 1, 2, 5, 10];
const MAX_STEPS = 100;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(o: Record<string, unknown>, key: string, path: string, max = 2000): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new DemoError(`${path}${key}: expected text`);
  if (v.length > max) throw new DemoError(`${path}${key}: longer than ${max} characters`);
  return v.trim();
}

/** Checks a parsed demo file against the scenarios it may name. */
export function validateDemo(raw: unknown, scenarioInfo: (id: string) => DemoScenarioInfo | null): DemoPreset {
  if (!isObject(raw)) throw new DemoError('expected a mapping with id, title, scenario, strategy, seed and steps');
  const known = new Set(['id', 'title', 'scenario', 'strategy', 'seed', 'steps']);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new DemoError(`${k}: unknown field (expected ${[...known].join(', ')})`);
  const id = text(raw, 'id', '', 64);
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(id)) throw new DemoError(`id: "${id}" is not an id (letters, digits, "-", "_", ".")`);
  const title = text(raw, 'title', '', 200);
  const scenario = text(raw, 'scenario', '', 64);
  const info = scenarioInfo(scenario);
  if (!info) throw new DemoError(`scenario: unknown scenario "${scenario}"`);
  const strategy = text(raw, 'strategy', '', 64);
  if (!info.strategies.includes(strategy)) throw new DemoError(`strategy: "${strategy}" is not a strategy of ${scenario} (${info.strategies.join(', ')})`);
  const seed = raw.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) throw new DemoError('seed: expected a whole number ≥ 0');
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) throw new DemoError('steps: expected a list of at least one step');
  if (raw.steps.length > MAX_STEPS) throw new DemoError(`steps: more than ${MAX_STEPS} steps`);
  const steps = raw.steps.map((s, i) => validateStep(s, `steps[${i}].`, info));
  return { id, title, scenario, strategy, seed, steps };
}

function validateStep(s: unknown, path: string, info: DemoScenarioInfo): DemoStep {
  if (!isObject(s)) throw new DemoError(`${path.slice(0, -1)}: expected a mapping with title and say`);
  const known = new Set(['title', 'say', 'do', 'strategy', 'run_for', 'speed']);
  for (const k of Object.keys(s)) if (!known.has(k)) throw new DemoError(`${path}${k}: unknown field (expected ${[...known].join(', ')})`);
  const title = text(s, 'title', path, 200);
  const say = text(s, 'say', path);
  let actions: FaultAction[] = [];
  if (s.do !== undefined) {
    if (!Array.isArray(s.do)) throw new DemoError(`${path}do: expected a list of actions`);
    actions = s.do.map((a, j) => {
      try {
        return validateAction(a, info.targets, `${path}do[${j}]`);
      } catch (e) {
        throw new DemoError((e as Error).message);
      }
    });
  }
  let strategy: string | null = null;
  if (s.strategy !== undefined) {
    strategy = text(s, 'strategy', path, 64);
    if (!info.strategies.includes(strategy)) throw new DemoError(`${path}strategy: "${strategy}" is not a strategy of this scenario (${info.strategies.join(', ')})`);
  }
  let run_for_ms = 0;
  if (s.run_for !== undefined) {
    try {
      run_for_ms = typeof s.run_for === 'number' ? s.run_for : parseDuration(String(s.run_for));
    } catch {
      throw new DemoError(`${path}run_for: expected a duration such as "30s"`);
    }
    if (!Number.isFinite(run_for_ms) || run_for_ms < 0 || run_for_ms > 24 * 3600_000) throw new DemoError(`${path}run_for: expected a duration between 0 and 24h`);
  }
  let speed: number | null = null;
  if (s.speed !== undefined) {
    if (typeof s.speed !== 'number' || !SPEEDS.includes(s.speed)) throw new DemoError(`${path}speed: expected one of ${SPEEDS.join(', ')}`);
    speed = s.speed;
  }
  return { title, say, actions, strategy, run_for_ms, speed };
}
