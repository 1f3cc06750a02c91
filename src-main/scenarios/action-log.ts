/**
 * Checks a session's action log against a scenario: every action must name nodes and
 * groups of this scenario's topology and behaviours its model knows (the same
 * validateAction as fault scripts and live actions), so a hostile or stale session file
 * is refused whole, with the offending entry named (`actions[3].action.link[1]: …`).
 */
import type { ActionTargets } from '../../src-shared/actions/validate';
import { validateAction } from '../../src-shared/actions/validate';
import type { LoggedAction } from '../../src-shared/session/schema';
import type { ParamValue, ScenarioSpec } from '../../src-shared/scenario/types';
import { getModel } from '../engine/models';
import { buildTopology } from '../engine/network';

export function actionTargets(spec: ScenarioSpec): ActionTargets {
  const topo = buildTopology(spec);
  return { nodes: new Set(topo.nodes), groups: new Set(topo.groups), byzantineBehaviors: getModel(spec.model).byzantineBehaviors ?? [] };
}

export function validateActionLog(log: readonly { at_ms: number; action: unknown; source: 'script' | 'user' }[], spec: ScenarioSpec): LoggedAction[] {
  const targets = actionTargets(spec);
  let prev = 0;
  return log.map((entry, i) => {
    if (!Number.isFinite(entry.at_ms) || entry.at_ms < 0) throw new Error(`actions[${i}].at_ms: expected a time in ms ≥ 0`);
    if (entry.at_ms < prev) throw new Error(`actions[${i}].at_ms: actions must be in time order (${entry.at_ms} < ${prev})`);
    prev = entry.at_ms;
    return { at_ms: entry.at_ms, action: validateAction(entry.action, targets, `actions[${i}].action`), source: entry.source };
  });
}

export function strategyOf(spec: ScenarioSpec, strategy: string) {
  const s = spec.strategies.find((x) => x.id === strategy);
  if (!s) throw new Error(`unknown strategy "${strategy}" for ${spec.id} (known: ${spec.strategies.map((x) => x.id).join(', ')})`);
  return s;
}

/** The parameters a run uses: the scenario's defaults with the strategy's overrides. */
export function effectiveParameters(spec: ScenarioSpec, strategy: string): Record<string, ParamValue> {
  return { ...spec.parameters, ...strategyOf(spec, strategy).params };
}
