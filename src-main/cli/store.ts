/** Where the CLI finds scenarios: $LAB_SCENARIOS or ./scenarios of the project. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioDir, type ScenarioStore } from '../scenarios/scenario-store';

export function scenarioDir(): string {
  if (process.env.LAB_SCENARIOS) return resolve(process.env.LAB_SCENARIOS);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'scenarios')) && existsSync(join(dir, 'package.json'))) return join(dir, 'scenarios');
    dir = dirname(dir);
  }
  return resolve('scenarios');
}

export function openStore(): ScenarioStore {
  return loadScenarioDir(scenarioDir());
}
