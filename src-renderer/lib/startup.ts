import type { ScenarioSummary } from '../../src-shared/scenario/types';

/** The scenario to open first: ?scenario=… if listed, else NT-1, else the first one. */
export function pickInitialScenario(list: readonly ScenarioSummary[], requested: string | null): string | null {
  if (requested && list.some((s) => s.id === requested)) return requested;
  return list.find((s) => s.id === 'nt1-log-replication')?.id ?? list[0]?.id ?? null;
}
