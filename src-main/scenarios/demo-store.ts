/**
 * Loads the built-in demo presets from scenarios/demos/ (YAML or JSON, src-shared/demo).
 * Each is checked against the scenario it names; a broken file is listed with its error
 * and does not hide the others.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DemoError, validateDemo, type DemoPreset } from '../../src-shared/demo/demo';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import { buildTopology } from '../engine/network';
import { getModel } from '../engine/models';

export interface DemoStore {
  demos: DemoPreset[];
  errors: { file: string; error: string }[];
}

/** Parses one demo file's text against the loaded scenarios; throws an Error naming the file and entry. */
export function parseDemoText(text: string, scenarios: readonly ScenarioSpec[], source: string): DemoPreset {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (e) {
    throw new Error(`${source}: not valid YAML/JSON: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  try {
    return validateDemo(raw, (id) => {
      const spec = scenarios.find((s) => s.id === id);
      if (!spec) return null;
      const topo = buildTopology(spec);
      return {
        strategies: spec.strategies.map((s) => s.id),
        targets: { nodes: new Set(topo.nodes), groups: new Set(topo.groups), byzantineBehaviors: getModel(spec.model).byzantineBehaviors ?? [] },
      };
    });
  } catch (e) {
    if (e instanceof DemoError) throw new Error(`${source}: ${e.message}`);
    throw e;
  }
}

export function loadDemoDir(dir: string, scenarios: readonly ScenarioSpec[]): DemoStore {
  const demos: DemoPreset[] = [];
  const errors: { file: string; error: string }[] = [];
  if (!existsSync(dir)) return { demos, errors };
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/i.test(name)) continue;
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    try {
      const demo = parseDemoText(readFileSync(file, 'utf8'), scenarios, `scenarios/demos/${name}`);
      if (demos.some((d) => d.id === demo.id)) throw new Error(`scenarios/demos/${name}: id "${demo.id}" is used by another demo`);
      demos.push(demo);
    } catch (e) {
      errors.push({ file: name, error: (e as Error).message });
    }
  }
  return { demos, errors };
}
