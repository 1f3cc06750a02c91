/**
 * The session library in IndexedDB (Dexie on fake-indexeddb): every migration from the
 * first version onward, and the library operations (search, rename, duplicate, delete
 * with undo, transactional import).
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionDb, DB_STORES, type SessionDb } from '../../src-renderer/lib/sessions/db';
import { SessionRepo, strip } from '../../src-renderer/lib/sessions/repo';
import { migrateSession, MigrationError, SESSION_MIGRATIONS, SESSION_VERSION, SessionSchema, type SessionData } from '../../src-shared/session';
import { session, v1Record, v2Record } from '../helpers/sessions';

let n = 0;
const opened: SessionDb[] = [];
function dbName(): string {
  return `lab-test-${process.pid}-${++n}`;
}
function open(name: string, upTo?: number): SessionDb {
  const db = createSessionDb(name, upTo === undefined ? {} : { upTo });
  opened.push(db);
  return db;
}
afterEach(async () => {
  const names = new Set<string>();
  for (const db of opened.splice(0)) {
    names.add(db.name);
    db.close();
  }
  for (const name of names) await Dexie.delete(name);
});

function valid(record: unknown): SessionData {
  const { words: _w, ...rest } = record as Record<string, unknown>;
  const res = v.safeParse(SessionSchema, rest);
  if (!res.success) throw new Error(`${res.issues[0].path?.map((p) => p.key).join('.')}: ${res.issues[0].message}`);
  return res.output as SessionData;
}

describe('session migrations (data with sequential ids)', () => {
  it('are numbered 1, 2, 3, … with stores declared for each; the current version is the last', () => {
    expect(SESSION_MIGRATIONS.map((m) => m.id)).toEqual(SESSION_MIGRATIONS.map((_, i) => i + 1));
    expect(SESSION_MIGRATIONS[0]!.up).toBeNull();
    for (const m of SESSION_MIGRATIONS) expect(DB_STORES[m.id], `stores of version ${m.id}`).toBeDefined();
    expect(SESSION_VERSION).toBe(SESSION_MIGRATIONS.length);
    expect(new Set(SESSION_MIGRATIONS.map((m) => m.name)).size).toBe(SESSION_MIGRATIONS.length);
  });

  it('version 1 → current: answers move into the exercise, the library fields appear, search words are indexed', async () => {
    const name = dbName();
    const old = open(name, 1);
    await old.table('sessions').add(v1Record());
    await old.table('sessions').add(v1Record({ id: 'sess-v1-weird', answers: 'not a list', thumbnail: 42 }));
    old.close();

    const db = open(name);
    const rec = await db.sessions.get('sess-v1-aaaa');
    const s = valid(rec);
    expect(s.exercise).toEqual({ answers: ['CAP: a partition forces a choice', ''], scores: { recognition: null, framework: null, gvector: null, circumvention: null } });
    expect(s).toMatchObject({ thumbnail: '', horizon_ms: 30_000, forked_from: null, deleted_at: null, t_ms: 30_000, seed: 7 });
    expect(s.actions).toHaveLength(2);
    expect(rec!.words).toEqual(expect.arrayContaining(['cut', 'apac', 'nt1', 'async', 'degraded']));
    // A damaged record still upgrades to something the schema can judge.
    const weird = await db.sessions.get('sess-v1-weird');
    expect(weird!.exercise.answers).toEqual([]);
    expect(weird!.thumbnail).toBe('');
    // The search index of version 3 works on upgraded records.
    const repo = new SessionRepo(db);
    expect((await repo.list('apa')).map((x) => x.id).sort()).toEqual(['sess-v1-aaaa', 'sess-v1-weird']);
  });

  it('version 2 → current keeps the self-scores', async () => {
    const name = dbName();
    const old = open(name, 2);
    await old.table('sessions').add(v2Record());
    old.close();
    const db = open(name);
    const s = valid(await db.sessions.get('sess-v2-bbbb'));
    expect(s.exercise.scores).toEqual({ recognition: 2, framework: 1, gvector: null, circumvention: null });
    expect(s.exercise.answers[0]).toBe('CAP: a partition forces a choice');
    expect(s.horizon_ms).toBe(30_000);
  });

  it('version 3 (current) opens as it is', async () => {
    const name = dbName();
    const db = open(name);
    const repo = new SessionRepo(db);
    await repo.put(session());
    db.close();
    const again = open(name);
    expect(valid(await again.sessions.get('sess-v3-cccc'))).toEqual(session());
  });

  it('every version upgrades through every later migration to the current shape (same as a file import)', async () => {
    const fixtures: Record<number, Record<string, unknown>> = { 1: v1Record(), 2: v2Record(), 3: { ...session() } };
    for (const m of SESSION_MIGRATIONS) {
      const fixture = fixtures[m.id];
      expect(fixture, `a fixture for version ${m.id}`).toBeDefined();
      const name = dbName();
      const old = open(name, m.id);
      await old.table('sessions').add(structuredClone(fixture));
      old.close();
      const db = open(name);
      const stored = strip((await db.sessions.get(fixture!.id as string))!);
      expect(valid(stored)).toEqual(stored);
      // The database and the import path run the same migrations.
      expect(valid(migrateSession(structuredClone(fixture), m.id))).toEqual(stored);
    }
  });

  it('refuses versions it does not know', () => {
    expect(() => migrateSession(v1Record(), SESSION_VERSION + 1)).toThrow(MigrationError);
    expect(() => migrateSession(v1Record(), SESSION_VERSION + 1)).toThrow(/newer version/);
    expect(() => migrateSession(v1Record(), 0)).toThrow(/unknown session version/);
    expect(() => migrateSession('x', 1)).toThrow(/expected a session object/);
  });
});

describe('the library (SessionRepo)', () => {
  function repoWith(now = 1_000): SessionRepo {
    let t = now;
    let id = 0;
    return new SessionRepo(open(dbName()), { now: () => ++t, newId: () => `new-id-${++id}` });
  }

  it('lists newest first and searches by word prefixes (all terms)', async () => {
    const repo = repoWith();
    await repo.put(session({ id: 'aaaaaa', name: 'Cut apac off', updated_at: 10 }));
    await repo.put(session({ id: 'bbbbbb', name: 'Heal everything', notes: 'apac recovers', updated_at: 30 }));
    await repo.put(session({ id: 'cccccc', name: 'Byzantine satellites', scenario: 'nt3-satellite-smr', strategy: 'pbft', notes: '', updated_at: 20 }));
    expect((await repo.list()).map((s) => s.id)).toEqual(['bbbbbb', 'cccccc', 'aaaaaa']);
    expect((await repo.list('apac')).map((s) => s.id)).toEqual(['bbbbbb', 'aaaaaa']);
    expect((await repo.list('APAC cut')).map((s) => s.id)).toEqual(['aaaaaa']);
    expect((await repo.list('nt3')).map((s) => s.id)).toEqual(['cccccc']);
    expect(await repo.list('nothing-like-this')).toEqual([]);
  });

  it('renames, duplicates, and deletes with undo until the trash is purged', async () => {
    const repo = repoWith();
    await repo.put(session({ id: 'aaaaaa' }));
    const renamed = await repo.rename('aaaaaa', '  Demo for week 3  ');
    expect(renamed.name).toBe('Demo for week 3');
    expect((await repo.list('week'))[0]!.id).toBe('aaaaaa');
    await expect(repo.rename('aaaaaa', '   ')).rejects.toThrow(/needs a name/);

    const copy = await repo.duplicate('aaaaaa');
    expect(copy).toMatchObject({ id: 'new-id-1', name: 'Demo for week 3 (copy)', actions: session().actions, digest: session().digest });
    expect(await repo.count()).toBe(2);

    await repo.softDelete(['aaaaaa']);
    expect((await repo.list()).map((s) => s.id)).toEqual(['new-id-1']);
    expect(await repo.get('aaaaaa')).toBeUndefined();
    await repo.restore(['aaaaaa']);
    expect((await repo.list()).map((s) => s.id).sort()).toEqual(['aaaaaa', 'new-id-1']);

    await repo.softDelete(['aaaaaa']);
    expect(await repo.purge()).toBe(1);
    await repo.restore(['aaaaaa']);
    expect(await repo.get('aaaaaa')).toBeUndefined();
    expect(await repo.count()).toBe(1);
  });

  it('remembers the last open session', async () => {
    const repo = repoWith();
    expect(await repo.lastSessionId()).toBeNull();
    await repo.setLastSessionId('aaaaaa');
    expect(await repo.lastSessionId()).toBe('aaaaaa');
  });

  it('imports in one transaction: never replaces what is stored, skips identical sessions, renames taken ids', async () => {
    const repo = repoWith();
    await repo.put(session({ id: 'aaaaaa', name: 'Mine' }));
    const res = await repo.importAll([session({ id: 'aaaaaa', name: 'Mine' }), session({ id: 'aaaaaa', name: 'Theirs' }), session({ id: 'dddddd', name: 'New' })]);
    expect(res.skipped).toBe(1);
    expect(res.renamedIds).toBe(1);
    expect(res.added.map((s) => s.name)).toEqual(['Theirs', 'New']);
    expect((await repo.get('aaaaaa'))!.name).toBe('Mine');
    expect(await repo.count()).toBe(3);
  });

  it('an import that fails half-way stores nothing', async () => {
    const repo = repoWith();
    await repo.put(session({ id: 'aaaaaa', name: 'Mine' }));
    const poison = session({ id: 'eeeeee' });
    (poison as unknown as Record<string, unknown>).thumbnail = () => 'functions cannot be stored';
    await expect(repo.importAll([session({ id: 'dddddd' }), poison])).rejects.toThrow();
    expect((await repo.list()).map((s) => s.id)).toEqual(['aaaaaa']);
  });
});
