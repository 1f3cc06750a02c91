/**
 * The session library's operations over the Dexie database: list and search, save,
 * rename, duplicate, delete with undo (a trash that is purged later), and transactional
 * imports — a file's sessions are stored all together or not at all, and never replace
 * what is already stored.
 */
import type { SessionData, StoredSession } from '../../../src-shared/session';
import { toStored, type SessionDb } from './db';

export interface RepoDeps {
  /** Wall clock (ms); injectable for tests. */
  now?: () => number;
  newId?: () => string;
}

export function randomId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '');
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ImportResult {
  added: SessionData[];
  /** Sessions already in the library, unchanged (same id and same content). */
  skipped: number;
  /** Sessions whose id was taken by a different session: stored under a new id. */
  renamedIds: number;
}

const LAST_SESSION = 'last-session';

export class SessionRepo {
  readonly now: () => number;
  readonly newId: () => string;

  constructor(
    readonly db: SessionDb,
    deps: RepoDeps = {},
  ) {
    this.now = deps.now ?? (() => Date.now());
    this.newId = deps.newId ?? randomId;
  }

  async get(id: string): Promise<SessionData | undefined> {
    const s = await this.db.sessions.get(id);
    return s && s.deleted_at === null ? strip(s) : undefined;
  }

  /** Live sessions, most recently changed first; `query` matches word prefixes (all terms). */
  async list(query = ''): Promise<SessionData[]> {
    const terms = query
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .slice(0, 8);
    let rows: StoredSession[];
    if (terms.length === 0) {
      rows = await this.db.sessions.orderBy('updated_at').reverse().toArray();
    } else {
      // The index narrows by the first term; the others filter the few rows it returns.
      const first = await this.db.sessions.where('words').startsWith(terms[0]!).distinct().toArray();
      rows = first.filter((s) => terms.every((t) => s.words.some((w) => w.startsWith(t))));
      rows.sort((a, b) => b.updated_at - a.updated_at);
    }
    return rows.filter((s) => s.deleted_at === null).map(strip);
  }

  async count(): Promise<number> {
    return (await this.db.sessions.toArray()).filter((s) => s.deleted_at === null).length;
  }

  /** Saves a session as it is (the caller stamps updated_at). */
  async put(s: SessionData): Promise<void> {
    await this.db.sessions.put(toStored(s));
  }

  async rename(id: string, name: string): Promise<SessionData> {
    const clean = name.trim().slice(0, 200);
    if (!clean) throw new Error('a session needs a name');
    return this.#update(id, (s) => ({ ...s, name: clean, updated_at: this.now() }));
  }

  async duplicate(id: string): Promise<SessionData> {
    const s = await this.get(id);
    if (!s) throw new Error('that session is not in the library any more');
    const t = this.now();
    const copy: SessionData = { ...structuredClone(s), id: this.newId(), name: `${s.name} (copy)`.slice(0, 200), created_at: t, updated_at: t };
    await this.put(copy);
    return copy;
  }

  /** Moves sessions to the trash; `restore` undoes it until the trash is purged. */
  async softDelete(ids: readonly string[]): Promise<void> {
    const t = this.now();
    await this.db.transaction('rw', this.db.sessions, async () => {
      for (const id of ids) await this.db.sessions.update(id, { deleted_at: t });
    });
  }

  async restore(ids: readonly string[]): Promise<void> {
    await this.db.transaction('rw', this.db.sessions, async () => {
      for (const id of ids) await this.db.sessions.update(id, { deleted_at: null });
    });
  }

  /** Deletes trashed sessions for good (those given, or every trashed one). */
  async purge(ids?: readonly string[]): Promise<number> {
    return this.db.transaction('rw', this.db.sessions, async () => {
      const trashed = await this.db.sessions.where('deleted_at').above(0).primaryKeys();
      const doomed = ids ? trashed.filter((id) => ids.includes(id)) : trashed;
      await this.db.sessions.bulkDelete(doomed);
      return doomed.length;
    });
  }

  /**
   * Stores validated sessions in one transaction: all or nothing. An id that is already
   * taken keeps the stored session: identical content is skipped, a different session is
   * stored under a new id. Nothing already stored is changed.
   */
  async importAll(sessions: readonly SessionData[]): Promise<ImportResult> {
    const result: ImportResult = { added: [], skipped: 0, renamedIds: 0 };
    await this.db.transaction('rw', this.db.sessions, async () => {
      const taken = new Set(await this.db.sessions.toCollection().primaryKeys());
      for (const s of sessions) {
        let id = s.id;
        if (taken.has(id)) {
          const existing = await this.db.sessions.get(id);
          if (existing && existing.deleted_at === null && sameContent(strip(existing), s)) {
            result.skipped++;
            continue;
          }
          do id = this.newId();
          while (taken.has(id));
          result.renamedIds++;
        }
        taken.add(id);
        const stored: SessionData = { ...s, id, deleted_at: null };
        await this.db.sessions.add(toStored(stored));
        result.added.push(stored);
      }
    });
    return result;
  }

  /** Every live session, for a backup (oldest first, so a restore keeps the order). */
  async all(): Promise<SessionData[]> {
    const rows = await this.db.sessions.orderBy('updated_at').toArray();
    return rows.filter((s) => s.deleted_at === null).map(strip);
  }

  async lastSessionId(): Promise<string | null> {
    const row = await this.db.meta.get(LAST_SESSION);
    return typeof row?.value === 'string' ? row.value : null;
  }

  async setLastSessionId(id: string | null): Promise<void> {
    await this.db.meta.put({ key: LAST_SESSION, value: id });
  }

  async #update(id: string, fn: (s: SessionData) => SessionData): Promise<SessionData> {
    return this.db.transaction('rw', this.db.sessions, async () => {
      const s = await this.db.sessions.get(id);
      if (!s || s.deleted_at !== null) throw new Error('that session is not in the library any more');
      const next = fn(strip(s));
      await this.db.sessions.put(toStored(next));
      return next;
    });
  }
}

export function strip(s: StoredSession): SessionData {
  const { words: _words, ...data } = s;
  return data;
}

function sameContent(a: SessionData, b: SessionData): boolean {
  return canonical({ ...a, deleted_at: null }) === canonical({ ...b, deleted_at: null });
}

/** JSON with sorted keys, so that field order does not matter. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x) ?? 'null';
}
