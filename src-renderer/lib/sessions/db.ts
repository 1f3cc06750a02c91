/**
 * The session library in IndexedDB (Dexie 4), in the renderer. Versioned schema whose
 * migrations are data with sequential ids (src-shared/session/migrations.ts): Dexie
 * version N declares the stores of version N and runs record migration N over every
 * stored session. Keep every released version declared (Dexie needs the whole history
 * to upgrade an old database); append, never edit.
 *
 * Tests open the database at any earlier version (`upTo`) to check each migration from
 * the first version onward (test/unit/sessions-db.test.ts).
 */
import { Dexie, type EntityTable, type Transaction } from 'dexie';
import { SESSION_MIGRATIONS, SESSION_VERSION, searchWords, type RawRecord, type StoredSession } from '../../../src-shared/session';

export const DB_NAME = 'impossibility-lab';

/** Dexie stores per version (index definitions). Repeat the full set in each version. */
export const DB_STORES: Readonly<Record<number, Readonly<Record<string, string>>>> = {
  1: { sessions: 'id, updated_at, scenario', meta: 'key' },
  2: { sessions: 'id, updated_at, scenario', meta: 'key' },
  // Library search (prefix match on `words`, multi-entry) and the trash (deletion with undo).
  3: { sessions: 'id, updated_at, scenario, deleted_at, *words', meta: 'key' },
};

/** What only the database needs on top of a record migration (derived indexes). */
const DB_EXTRA: Readonly<Record<number, (r: RawRecord) => RawRecord>> = {
  3: (r) => ({ ...r, words: searchWords(textFields(r)) }),
};

function textFields(r: RawRecord): { name: string; scenario: string; strategy: string; notes: string } {
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  return { name: str(r.name), scenario: str(r.scenario), strategy: str(r.strategy), notes: str(r.notes) };
}

export interface MetaRow {
  key: string;
  value: string | number | null;
}

export type SessionDb = Dexie & {
  sessions: EntityTable<StoredSession, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
};

export interface OpenOptions {
  /** Declare versions 1..upTo only (tests: build an old database). Default: the current version. */
  upTo?: number;
  /** Dexie options, e.g. { indexedDB, IDBKeyRange } for tests without a global fake. */
  dexie?: ConstructorParameters<typeof Dexie>[1];
}

export function createSessionDb(name = DB_NAME, opts: OpenOptions = {}): SessionDb {
  const upTo = opts.upTo ?? SESSION_VERSION;
  const db = new Dexie(name, opts.dexie) as SessionDb;
  for (const m of SESSION_MIGRATIONS) {
    if (m.id > upTo) break;
    const stores = DB_STORES[m.id];
    if (!stores) throw new Error(`session database: no stores declared for version ${m.id}`);
    const version = db.version(m.id).stores({ ...stores });
    const up = m.up;
    const extra = DB_EXTRA[m.id];
    if (up || extra) {
      version.upgrade((tx: Transaction) =>
        tx
          .table('sessions')
          .toCollection()
          .modify((record: RawRecord, ctx: { value: RawRecord }) => {
            let next = up ? up(record) : record;
            if (extra) next = extra(next);
            ctx.value = next;
          }),
      );
    }
  }
  return db;
}

/** The stored form of a session: the record plus its search words. */
export function toStored<T extends Omit<StoredSession, 'words'>>(s: T): StoredSession {
  const { words: _w, ...rest } = s as T & { words?: unknown };
  return { ...(rest as Omit<StoredSession, 'words'>), words: searchWords(s) };
}
