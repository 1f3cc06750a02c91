/** Session fixtures for the session tests: one record per stored version. */
import type { SessionData } from '../../src-shared/session';

export const DIGEST = 'c8266fdbe200f777f3db187f154c3c89ef395654434c951a1b378952e2bcad56';

/** A session as version 1 stored it (free-text answers, no scores, no thumbnail). */
export function v1Record(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'sess-v1-aaaa',
    name: 'Cut apac off',
    scenario: 'nt1-log-replication',
    strategy: 'async-cp',
    seed: 7,
    until_ms: 1_800_000,
    parameters: { region_heartbeat_ms: 1000 },
    actions: [
      { at_ms: 20_001, action: { do: 'cut', link: ['apac', 'us-east'] }, source: 'user' },
      { at_ms: 20_002, action: { do: 'cut', link: ['apac', 'eu-west'] }, source: 'user' },
    ],
    t_ms: 30_000,
    digest: DIGEST,
    notes: 'apac falls to Degraded after three missed heartbeats',
    answers: ['CAP: a partition forces a choice', ''],
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_100_000,
    ...over,
  };
}

/** The same session as version 2 stored it (answers moved into `exercise` with scores). */
export function v2Record(over: Record<string, unknown> = {}): Record<string, unknown> {
  const { answers, ...rest } = v1Record();
  return {
    ...rest,
    id: 'sess-v2-bbbb',
    exercise: { answers, scores: { recognition: 2, framework: 1, gvector: null, circumvention: null } },
    ...over,
  };
}

/** A current-version session. */
export function session(over: Partial<SessionData> = {}): SessionData {
  return {
    id: 'sess-v3-cccc',
    name: 'Lecture demo: cut apac',
    scenario: 'nt1-log-replication',
    strategy: 'async-cp',
    seed: 7,
    until_ms: 1_800_000,
    parameters: { region_heartbeat_ms: 1000 },
    actions: [{ at_ms: 20_001, action: { do: 'cut', link: ['apac', 'us-east'] }, source: 'user' }],
    t_ms: 30_000,
    digest: DIGEST,
    horizon_ms: 45_000,
    notes: 'notes',
    exercise: { answers: ['CAP'], scores: { recognition: 2, framework: 3, gvector: 2, circumvention: 1 } },
    thumbnail: 'data:image/svg+xml;charset=utf-8,%3Csvg%3E%3C%2Fsvg%3E',
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_200_000,
    forked_from: null,
    deleted_at: null,
    ...over,
  };
}
