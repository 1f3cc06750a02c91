/**
 * Loads scenario files from the scenarios/ folder (YAML or JSON; scripts/ and demos/
 * subfolders hold fault scripts and presets, not scenarios). A broken file does not
 * hide the others: it is listed with its error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText, yamlProblem } from '../../src-shared/scenario/load';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import { parse as parseYaml } from 'yaml';
import { validateFaultScript } from '../../src-shared/actions/validate';
import type { TimedAction } from '../../src-shared/actions/fault-actions';
import { buildTopology } from '../engine/network';
import { getModel } from '../engine/models';

export interface ScenarioStore {
  scenarios: ScenarioSpec[];
  errors: { file: string; error: string }[];
  get(idOrPath: string): ScenarioSpec;
}

export function loadScenarioDir(dir: string): ScenarioStore {
  const scenarios: ScenarioSpec[] = [];
  const errors: { file: string; error: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/i.test(name)) continue;
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    try {
      const spec = parseScenarioText(readFileSync(file, 'utf8'), `scenarios/${name}`);
      getModel(spec.model);
      scenarios.push(spec);
    } catch (e) {
      errors.push({ file: name, error: (e as Error).message });
    }
  }
  return {
    scenarios,
    errors,
    get(idOrPath: string): ScenarioSpec {
      const found = scenarios.find((s) => s.id === idOrPath);
      if (found) return found;
      if (/\.(ya?ml|json)$/i.test(idOrPath)) {
        const spec = parseScenarioText(readFileSync(idOrPath, 'utf8'), idOrPath);
        getModel(spec.model);
        return spec;
      }
      throw new Error(`unknown scenario "${idOrPath}" (known: ${scenarios.map((s) => s.id).join(', ')})`);
    },
  };
}

/** Parses a fault script (JSON or YAML text) and validates it against a scenario. */
export function parseFaultScript(text: string, spec: ScenarioSpec, source = 'script'): TimedAction[] {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (e) {
    throw new Error(`${source}: not valid YAML/JSON: ${yamlProblem(e)}`);
  }
  const topo = buildTopology(spec);
  const model = getModel(spec.model);
  try {
    return validateFaultScript(raw, { nodes: new Set(topo.nodes), groups: new Set(topo.groups), byzantineBehaviors: model.byzantineBehaviors ?? [] });
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
}
