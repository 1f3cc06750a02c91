/**
 * Session migrations as data (tldraw style): a sequence with sequential ids, each moving
 * one session record from version id−1 to version id. The same sequence upgrades the
 * records in IndexedDB (src-renderer/lib/sessions/db.ts runs migration N inside Dexie
 * version N) and the sessions inside an older exported file on import, so a lecturer's
 * file from an older app still opens. Every migration is tested from the first version
 * onward (test/unit/sessions-db.test.ts).
 *
 * Rules: never edit or reorder a released migration; append a new one and bump nothing
 * else (SESSION_VERSION is derived). A migration is pure and total: it gets whatever was
 * stored (possibly damaged) and returns a record; the current schema then validates it.
 */

export type RawRecord = Record<string, unknown>;

export interface SessionMigration {
  /** Sequential: the version this migration produces (1 is the first schema). */
  id: number;
  name: string;
  /** Version id−1 → id. Null for the first version (nothing to upgrade from). */
  up: ((record: RawRecord) => RawRecord) | null;
}

const isObject = (x: unknown): x is RawRecord => typeof x === 'object' && x !== null && !Array.isArray(x);

export const SESSION_MIGRATIONS: readonly SessionMigration[] = [
  {
    // The DESIGN §4 session: scenario, strategy, parameters, seed, action log, where it
    // was left (t_ms + digest), a name, notes and free-text exercise answers.
    id: 1,
    name: 'initial: scenario, strategy, parameters, seed, action log, notes, answers',
    up: null,
  },
  {
    // Exercises get self-scores with the seed's rubric: answers move into `exercise`.
    id: 2,
    name: 'exercise answers and rubric self-scores',
    up: ({ answers, ...rest }) => ({
      ...rest,
      exercise: {
        answers: Array.isArray(answers) ? answers.map((a) => (typeof a === 'string' ? a : '')) : [],
        scores: { recognition: null, framework: null, gvector: null, circumvention: null },
      },
    }),
  },
  {
    // The library: a thumbnail, the scrubber's horizon, forks and deletion with undo.
    id: 3,
    name: 'library: thumbnail, horizon, forked_from, deleted_at',
    up: (r) => ({
      ...r,
      thumbnail: typeof r.thumbnail === 'string' ? r.thumbnail : '',
      horizon_ms: typeof r.t_ms === 'number' ? r.t_ms : 0,
      forked_from: null,
      deleted_at: null,
    }),
  },
];

/** The current session version: the id of the last migration. */
export const SESSION_VERSION = SESSION_MIGRATIONS[SESSION_MIGRATIONS.length - 1]!.id;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Upgrades a record stored at `from` to SESSION_VERSION. Throws MigrationError. */
export function migrateSession(record: unknown, from: number): RawRecord {
  if (!Number.isInteger(from) || from < 1) throw new MigrationError(`unknown session version ${JSON.stringify(from)}`);
  if (from > SESSION_VERSION) {
    throw new MigrationError(`written by a newer version of Impossibility Lab (session version ${from}; this app reads up to ${SESSION_VERSION})`);
  }
  if (!isObject(record)) throw new MigrationError('expected a session object');
  let r: RawRecord = record;
  for (const m of SESSION_MIGRATIONS) {
    if (m.id <= from || !m.up) continue;
    try {
      r = m.up(r);
    } catch (e) {
      throw new MigrationError(`cannot upgrade to version ${m.id} (${m.name}): ${(e as Error).message}`);
    }
  }
  return r;
}
