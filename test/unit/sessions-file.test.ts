/**
 * Session files (one session, or a library backup): the header, the upgrade of older
 * versions, and a clear error naming what is wrong for every kind of corrupt or hostile
 * file. Plus the seed's rubric and mastery bands.
 */
import { describe, expect, it } from 'vitest';
import {
  clampLevelScore,
  emptyScores,
  LIBRARY_FILE_FORMAT,
  libraryFileParts,
  libraryFileText,
  libraryMastery,
  MASTERY_BANDS,
  masteryBand,
  parseSessionFile,
  POINTS_PER_TEST,
  RUBRIC_LEVELS,
  SESSION_FILE_FORMAT,
  SESSION_VERSION,
  SessionFileError,
  sessionFileName,
  sessionFileText,
  testScore,
  TOTAL_POINTS,
} from '../../src-shared/session';
import { session, v1Record, v2Record } from '../helpers/sessions';

const META = { exported_at_ms: Date.UTC(2025, 10, 29, 8, 30), app: 'Impossibility Lab 0.1.0' };

function fileWith(over: Record<string, unknown>, sessionOver: Record<string, unknown> = {}): string {
  const f = JSON.parse(sessionFileText(session(), META)) as Record<string, unknown>;
  return JSON.stringify({ ...f, session: { ...(f.session as object), ...sessionOver }, ...over });
}

function errorOf(text: string): string {
  try {
    parseSessionFile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SessionFileError);
    return (e as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('session files', () => {
  it('a session round-trips through its file, with a format/version header', () => {
    const text = sessionFileText(session(), META);
    const raw = JSON.parse(text) as Record<string, unknown>;
    expect(raw).toMatchObject({ format: SESSION_FILE_FORMAT, version: SESSION_VERSION, exported_at: '2025-11-29T08:30:00.000Z', app: 'Impossibility Lab 0.1.0' });
    expect(parseSessionFile(text)).toEqual({ kind: 'session', version: SESSION_VERSION, sessions: [session()] });
  });

  it('a library backup round-trips, also when built piece by piece (export with progress)', () => {
    const list = [session(), session({ id: 'other-session', name: 'Second', deleted_at: 5 })];
    const text = libraryFileText(list, META);
    const parts = libraryFileParts(META);
    const pieced = parts.head + list.map(parts.entry).join(',\n') + '\n' + parts.tail;
    expect(JSON.parse(pieced)).toEqual(JSON.parse(text));
    const parsed = parseSessionFile(pieced);
    expect(parsed.kind).toBe('library');
    expect(parsed.sessions.map((s) => s.id)).toEqual(['sess-v3-cccc', 'other-session']);
    // A backup never carries a session into the trash.
    expect(parsed.sessions.every((s) => s.deleted_at === null)).toBe(true);
  });

  it('files of older versions are upgraded by the same migrations as the database', () => {
    const v1 = parseSessionFile(JSON.stringify({ format: SESSION_FILE_FORMAT, version: 1, session: v1Record() }));
    expect(v1.version).toBe(1);
    expect(v1.sessions[0]!.exercise.answers[0]).toBe('CAP: a partition forces a choice');
    expect(v1.sessions[0]!.horizon_ms).toBe(30_000);
    const v2 = parseSessionFile(JSON.stringify({ format: LIBRARY_FILE_FORMAT, version: 2, sessions: [v2Record()] }));
    expect(v2.sessions[0]!.exercise.scores.recognition).toBe(2);
  });

  it('names what is wrong in a corrupt or hostile file', () => {
    expect(errorOf('{"format": "impossibility-lab.session", "version": 3, "session": {')).toMatch(/^not a JSON file/);
    expect(errorOf('[1, 2, 3]')).toMatch(/not an Impossibility Lab session file/);
    expect(errorOf('{"hello": "world"}')).toMatch(/^format: missing/);
    expect(errorOf(fileWith({ format: 'zip' }))).toBe('format: expected "impossibility-lab.session" or "impossibility-lab.library", got "zip"');
    expect(errorOf(fileWith({ version: 'three' }))).toMatch(/^version: expected a whole number/);
    expect(errorOf(fileWith({ version: 99 }))).toMatch(/^version: this file was written by a newer version of Impossibility Lab \(version 99; this app reads up to 3\)/);
    expect(errorOf(fileWith({ extra: 1 }))).toBe('extra: unexpected field in a impossibility-lab.session file');
    expect(errorOf(fileWith({ session: undefined }))).toBe('session: missing');
    expect(errorOf(fileWith({}, { seed: -1 }))).toMatch(/^session\.seed: /);
    expect(errorOf(fileWith({}, { scenario: '../../etc/passwd' }))).toBe('session.scenario: not an id');
    expect(errorOf(fileWith({}, { actions: [{ at_ms: 'soon', action: { do: 'cut' }, source: 'user' }] }))).toBe('session.actions[0].at_ms: at_ms must be a number of ms');
    expect(errorOf(fileWith({}, { actions: [{ at_ms: 10, action: { do: 'cut' }, source: 'hacker' }] }))).toBe('session.actions[0].source: source must be "script" or "user"');
    expect(
      errorOf(
        fileWith({}, {
          actions: [
            { at_ms: 10, action: { do: 'heal-all' }, source: 'user' },
            { at_ms: 5, action: { do: 'heal-all' }, source: 'user' },
          ],
        }),
      ),
    ).toBe('session.actions: actions must be in time order (at_ms never decreases)');
    expect(errorOf(fileWith({}, { exercise: { answers: [], scores: { ...emptyScores(), recognition: 7 } } }))).toBe('session.exercise.scores.recognition: this level gives at most 2 points');
    expect(errorOf(fileWith({}, { thumbnail: 'javascript:alert(1)' }))).toMatch(/^session\.thumbnail: /);
    expect(errorOf(fileWith({}, { notes: 'x'.repeat(60_000) }))).toBe('session.notes: too long (at most 50000 characters)');
    expect(errorOf(fileWith({}, { name: 'bell\u0007' }))).toBe('session.name: contains control characters');
    expect(errorOf(fileWith({}, { t_ms: 2_000_000 }))).toBe('session: t_ms is after until_ms');
    expect(errorOf(fileWith({}, { evil: true }))).toMatch(/^session\.evil: /);
    expect(errorOf('{"format":"impossibility-lab.session","version":3,"session":{"__proto__":{"polluted":true}}}')).toMatch(/"__proto__" key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(errorOf(JSON.stringify({ format: LIBRARY_FILE_FORMAT, version: 3, sessions: 'all of them' }))).toMatch(/^sessions: expected a list/);
    expect(errorOf(JSON.stringify({ format: LIBRARY_FILE_FORMAT, version: 3, sessions: [session(), { ...session(), id: 'broken!' }] }))).toMatch(/^sessions\[1\]\.id: not a session id/);
    expect(errorOf(JSON.stringify({ format: LIBRARY_FILE_FORMAT, version: 3, sessions: [session(), session()] }))).toBe('sessions[1].id: "sess-v3-cccc" appears twice in the file');
    expect(errorOf(JSON.stringify({ format: SESSION_FILE_FORMAT, version: 1, session: 'nope' }))).toMatch(/^session: expected a session object/);
  });

  it('refuses files over the size limit before parsing them', () => {
    expect(() => parseSessionFile('x'.repeat(2000), 1000)).toThrow(/too large/);
  });

  it('names export files after the session', () => {
    expect(sessionFileName('Lecture 3: cut apac off!')).toBe('lecture-3-cut-apac-off.lab-session.json');
    expect(sessionFileName('???')).toBe('session.lab-session.json');
  });
});

describe('the seed’s rubric', () => {
  it('has four levels with the seed’s ranges, 10 points per test, 90 in total', () => {
    expect(RUBRIC_LEVELS.map((l) => [l.level, l.title, l.max])).toEqual([
      [1, 'Recognition', 2],
      [2, 'Framework Application', 3],
      [3, 'G-Vector Reasoning', 3],
      [4, 'Circumvention Analysis', 2],
    ]);
    expect(RUBRIC_LEVELS.reduce((a, l) => a + l.max, 0)).toBe(POINTS_PER_TEST);
    expect(TOTAL_POINTS).toBe(90);
  });

  it('scores a test and clamps scores into their level’s range', () => {
    expect(testScore(emptyScores())).toEqual({ points: 0, scored: 0, complete: false });
    expect(testScore({ recognition: 2, framework: 3, gvector: 3, circumvention: 2 })).toEqual({ points: 10, scored: 4, complete: true });
    expect(testScore({ recognition: 1, framework: null, gvector: 2, circumvention: null })).toEqual({ points: 3, scored: 2, complete: false });
    expect(clampLevelScore('recognition', 5)).toBe(2);
    expect(clampLevelScore('framework', -1)).toBe(0);
    expect(clampLevelScore('gvector', null)).toBeNull();
  });

  it('maps totals to the mastery bands (90–80 Expert, 79–65 Proficient, 64–50 Developing, 49–0 Novice)', () => {
    expect(MASTERY_BANDS.map((b) => [b.label, b.max, b.min])).toEqual([
      ['Expert', 90, 80],
      ['Proficient', 79, 65],
      ['Developing', 64, 50],
      ['Novice', 49, 0],
    ]);
    expect([90, 80, 79, 65, 64, 50, 49, 0].map((t) => masteryBand(t).id)).toEqual(['expert', 'expert', 'proficient', 'proficient', 'developing', 'developing', 'novice', 'novice']);
  });

  it('library mastery takes the best fully scored session per test', () => {
    const full = (n: number) => ({ recognition: 2, framework: 3, gvector: 3, circumvention: n });
    const m = libraryMastery([
      { test: 'NT-1', scores: full(0) },
      { test: 'NT-1', scores: full(2) },
      { test: 'NT-2', scores: { ...full(2), gvector: null } }, // not complete: does not count
      { test: 'NT-3', scores: full(1) },
    ]);
    expect(m).toMatchObject({ points: 19, tests: ['NT-1', 'NT-3'], final: false });
    expect(m.band.id).toBe('novice');
    const all = libraryMastery(['NT-1', 'NT-2', 'NT-3', 'MT-1', 'MT-2', 'MT-3', 'FT-1', 'FT-2', 'FT-3'].map((test) => ({ test, scores: full(1) })));
    expect(all).toMatchObject({ points: 81, final: true });
    expect(all.band.label).toBe('Expert');
  });
});
