/**
 * Doors 7 and 8: imported session files and library backups, through the renderer's
 * import path as SessionState.importFile runs it (src-renderer/lib/sessions/session-state
 * .svelte.ts, which needs the Svelte compiler and so is replayed here step by step): the
 * size check, `parseSessionFile` (src-shared/session: format, version, migrations, schema),
 * `lab:check-session` on the real LabHost for every session (actions against the
 * scenario), then `SessionRepo.importAll` into Dexie on fake-indexeddb. A rejected import
 * must leave the database exactly as it was; an accepted one adds the file's sessions and
 * changes nothing already stored.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabHost } from '../../src-main/host/lab-host';
import { createSessionDb, type SessionDb } from '../../src-renderer/lib/sessions/db';
import { SessionRepo } from '../../src-renderer/lib/sessions/repo';
import {
  LIBRARY_FILE_FORMAT,
  MAX_LIBRARY_FILE_BYTES,
  parseSessionFile,
  SESSION_FILE_FORMAT,
  SESSION_VERSION,
  SessionFileError,
  type SessionData,
} from '../../src-shared/session';
import { session, v1Record, v2Record } from '../helpers/sessions';
import { jsonText, mutateObject, mutateText, randomText } from './arbitraries';
import { DoorTally, expectPreciseMessage, FUZZ_RUNS, FUZZ_SEED, preview, timed } from './verdict';

const manualClock = { setInterval: () => 1, clearInterval: () => {} };
const META = { exported_at: '2026-11-29T10:00:00.000Z', app: 'Impossibility Lab 0.1.0' };

const sessionFile = (s: unknown, version = SESSION_VERSION) => ({ format: SESSION_FILE_FORMAT, version, ...META, session: s });
const libraryFile = (list: unknown[], version = SESSION_VERSION) => ({ format: LIBRARY_FILE_FORMAT, version, ...META, sessions: list });

/** Valid files of every stored version, to mutate. */
const SESSION_BASES = [sessionFile(session()), sessionFile(v1Record(), 1), sessionFile(v2Record(), 2), sessionFile(session({ id: 'sess-other-1', actions: [] }))];
const LIBRARY_BASES = [
  libraryFile([session(), session({ id: 'sess-two-22', name: 'Second', actions: [{ at_ms: 5000, action: { do: 'kill', node: 'apac-1' }, source: 'script' }] })]),
  libraryFile([v1Record(), v1Record({ id: 'sess-v1-bbbb' })], 1),
  libraryFile([v2Record()], 2),
  libraryFile([]),
];

function fileText(bases: readonly object[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom(...bases).chain((b) => mutateObject(b, 2)).map((doc) => jsonText(doc)) },
    { weight: 8, arbitrary: fc.constantFrom(...bases).map((b) => jsonText(b)) },
    { weight: 6, arbitrary: fc.constantFrom(...bases).chain((b) => mutateText(jsonText(b, 1))) },
    { weight: 2, arbitrary: randomText },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__": {"format": "impossibility-lab.session"}}',
        `{"format": "${SESSION_FILE_FORMAT}", "version": ${SESSION_VERSION + 1}, "session": {}}`,
        `{"format": "${LIBRARY_FILE_FORMAT}", "version": 1e999, "sessions": []}`,
        `{"format": "${LIBRARY_FILE_FORMAT}", "version": ${SESSION_VERSION}, "sessions": [${'0,'.repeat(5001)}0]}`,
        `{"format": "${SESSION_FILE_FORMAT}", "version": ${SESSION_VERSION}, "session": ${'['.repeat(3000)}${']'.repeat(3000)}}`,
      ),
    },
  );
}

// ---- the import path ------------------------------------------------------------------------

let host: LabHost;
let db: SessionDb;
let repo: SessionRepo;
let ids = 0;

type Verdict = { ok: true; added: SessionData[] } | { ok: false; error: string };

/** SessionState.importFile, step for step, without the Svelte state around it. */
async function importFile(file: { name: string; size: number; text(): Promise<string> }): Promise<Verdict> {
  const fail = (why: string): Verdict => ({ ok: false, error: `${file.name}: ${why} — nothing was imported.` });
  if (file.size > MAX_LIBRARY_FILE_BYTES) return fail('the file is too large');
  let parsed;
  try {
    parsed = parseSessionFile(await file.text());
  } catch (e) {
    if (!(e instanceof SessionFileError)) throw e; // the app would say "cannot be read (…)"; here it is a finding
    return fail(e.message);
  }
  for (let i = 0; i < parsed.sessions.length; i++) {
    const s = parsed.sessions[i]!;
    const res = await host.handle('lab:check-session', { scenario: s.scenario, strategy: s.strategy, actions: s.actions });
    if (!res.ok) return fail(`${parsed.kind === 'session' ? 'session' : `sessions[${i}]`}: ${res.error}`);
  }
  const result = await repo.importAll(parsed.sessions);
  return { ok: true, added: result.added };
}

async function snapshot(): Promise<string> {
  const [sessions, meta] = await Promise.all([db.sessions.toArray(), db.meta.toArray()]);
  return JSON.stringify({ sessions: sessions.sort((a, b) => (a.id < b.id ? -1 : 1)), meta });
}

beforeAll(async () => {
  host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
  db = createSessionDb(`lab-fuzz-sessions-${process.pid}`);
  repo = new SessionRepo(db, { newId: () => `fuzz-${String(++ids).padStart(6, '0')}` });
  await repo.importAll([session({ id: 'stored-aaaa', name: 'Already here' })]);
  await repo.setLastSessionId('stored-aaaa');
});

afterAll(async () => {
  db.close();
  await Dexie.delete(db.name);
  host.dispose();
});

function door(name: string, text: fc.Arbitrary<string>): void {
  it(`${FUZZ_RUNS} ${name} files: a precise error and the database unchanged, or every session stored`, async () => {
    const tally = new DoorTally(name);
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        // Keep the library small so snapshots stay cheap (the seed session stays; clearing is the harness, not an import).
        let before = await snapshot();
        if ((JSON.parse(before) as { sessions: unknown[] }).sessions.length > 6) {
          await db.sessions.where('id').notEqual('stored-aaaa').delete();
          before = await snapshot();
        }
        const countBefore = (JSON.parse(before) as { sessions: unknown[] }).sessions.length;
        const verdict = await timed(tally, t, () => importFile({ name: 'fuzz.json', size: t.length, text: async () => t }));
        if (!verdict.ok) {
          expectPreciseMessage(verdict.error, t);
          expect(await snapshot(), `a rejected import changed the database: ${preview(t)}`).toBe(before);
          tally.reject();
          return;
        }
        // Accepted: what was stored is still there, unchanged, and the file's sessions were added.
        const after = JSON.parse(await snapshot()) as { sessions: { id: string }[] };
        const old = JSON.parse(before) as { sessions: { id: string }[] };
        for (const s of old.sessions) expect(after.sessions.find((x) => x.id === s.id)).toEqual(s);
        expect(after.sessions.length).toBe(countBefore + verdict.added.length);
        for (const s of verdict.added) expect(after.sessions.some((x) => x.id === s.id)).toBe(true);
        tally.accept();
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    tally.check();
  });
}

describe('fuzz doors: session files and library backups', () => {
  door('session-file', fileText(SESSION_BASES));
  door('library-backup', fileText(LIBRARY_BASES));
});
