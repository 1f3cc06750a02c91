/**
 * Session files: one session (a lecturer's prepared demo) or a whole library (a backup),
 * as JSON with a format/version header:
 *
 *   {"format": "impossibility-lab.session", "version": 3, "exported_at": "…", "app": "…",
 *    "session": {…}}
 *   {"format": "impossibility-lab.library", "version": 3, "exported_at": "…", "app": "…",
 *    "sessions": [{…}, …]}
 *
 * `version` is the session version (./migrations.ts): older files are upgraded on import,
 * newer ones are refused. Parsing is all-or-nothing and every error names the offending
 * part (`sessions[2].actions[0].at_ms: …`). The actions themselves are checked against
 * the scenario by the host (`lab:check-session`), since only it knows the topology.
 */
import * as v from 'valibot';
import { MigrationError, migrateSession, SESSION_VERSION } from './migrations';
import { issuePath, SessionSchema, type SessionData } from './schema';

export const SESSION_FILE_FORMAT = 'impossibility-lab.session';
export const LIBRARY_FILE_FORMAT = 'impossibility-lab.library';
/** A single session file; the renderer checks File.size against these before reading. */
export const MAX_SESSION_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_LIBRARY_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_LIBRARY_SESSIONS = 5000;

export class SessionFileError extends Error {
  override name = 'SessionFileError';
  constructor(
    /** Where in the file, e.g. `sessions[2].actions[0].at_ms`; '' for the whole file. */
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
  }
}

export interface ParsedSessionFile {
  kind: 'session' | 'library';
  /** The version the file was written with (sessions are upgraded to SESSION_VERSION). */
  version: number;
  sessions: SessionData[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const show = (x: unknown): string => {
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
};
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 1)} MB`;

/** Validates one (already upgraded) session; throws SessionFileError with its path. */
export function validateSession(raw: unknown, path: string): SessionData {
  const res = v.safeParse(SessionSchema, raw);
  if (!res.success) {
    const issue = res.issues[0];
    throw new SessionFileError(issuePath(issue, path), issue.message);
  }
  // Imported sessions are never in the trash, whatever the file says.
  return { ...(res.output as SessionData), deleted_at: null };
}

/**
 * Parses and validates a session or library file. Throws SessionFileError naming what is
 * wrong; never returns a partial result.
 */
export function parseSessionFile(text: string, maxChars = MAX_LIBRARY_FILE_BYTES): ParsedSessionFile {
  if (typeof text !== 'string') throw new SessionFileError('', 'the file is not text');
  if (text.length > maxChars) throw new SessionFileError('', `the file is too large (${mb(text.length)}; at most ${mb(maxChars)})`);
  let raw: unknown;
  try {
    raw = JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new SessionFileError('', 'the file contains a "__proto__" key, which is not allowed');
      return value;
    });
  } catch (e) {
    if (e instanceof SessionFileError) throw e;
    // A hostile file can nest deeper than the parser's stack (`[[[[…`).
    if (e instanceof RangeError) throw new SessionFileError('', 'not a session file (nested too deeply)');
    throw new SessionFileError('', `not a JSON file (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObject(raw)) throw new SessionFileError('', 'not an Impossibility Lab session file (expected a JSON object with "format" and "version")');
  const format = raw.format;
  if (format !== SESSION_FILE_FORMAT && format !== LIBRARY_FILE_FORMAT) {
    throw new SessionFileError(
      'format',
      format === undefined
        ? `missing: not an Impossibility Lab session file (expected "${SESSION_FILE_FORMAT}" or "${LIBRARY_FILE_FORMAT}")`
        : `expected "${SESSION_FILE_FORMAT}" or "${LIBRARY_FILE_FORMAT}", got ${show(format)}`,
    );
  }
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SessionFileError('version', `expected a whole number ≥ 1, got ${show(version)}`);
  }
  if (version > SESSION_VERSION) {
    throw new SessionFileError('version', `this file was written by a newer version of Impossibility Lab (version ${version}; this app reads up to ${SESSION_VERSION})`);
  }
  const allowed = new Set(['format', 'version', 'exported_at', 'app', format === SESSION_FILE_FORMAT ? 'session' : 'sessions']);
  for (const key of Object.keys(raw)) if (!allowed.has(key)) throw new SessionFileError(key, `unexpected field in a ${format} file`);
  for (const key of ['exported_at', 'app'] as const) {
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || (raw[key] as string).length > 200)) {
      throw new SessionFileError(key, 'expected a short text');
    }
  }

  const upgrade = (entry: unknown, path: string): SessionData => {
    let upgraded: unknown;
    try {
      upgraded = migrateSession(entry, version);
    } catch (e) {
      throw new SessionFileError(path, e instanceof MigrationError ? e.message : `cannot be read: ${(e as Error).message}`);
    }
    return validateSession(upgraded, path);
  };

  if (format === SESSION_FILE_FORMAT) {
    if (raw.session === undefined) throw new SessionFileError('session', 'missing');
    return { kind: 'session', version, sessions: [upgrade(raw.session, 'session')] };
  }
  const list = raw.sessions;
  if (!Array.isArray(list)) throw new SessionFileError('sessions', `expected a list of sessions, got ${show(list)}`);
  if (list.length > MAX_LIBRARY_SESSIONS) throw new SessionFileError('sessions', `too many sessions (${list.length}; at most ${MAX_LIBRARY_SESSIONS})`);
  const seen = new Set<string>();
  const sessions = list.map((entry, i) => {
    const s = upgrade(entry, `sessions[${i}]`);
    if (seen.has(s.id)) throw new SessionFileError(`sessions[${i}].id`, `"${s.id}" appears twice in the file`);
    seen.add(s.id);
    return s;
  });
  return { kind: 'library', version, sessions };
}

export interface FileMeta {
  /** Wall-clock ms of the export (the caller reads the clock; this module does not). */
  exported_at_ms: number;
  app: string;
}

/** Strips what is local to one library (search words, trash) from a stored session. */
export function portableSession(s: SessionData & { words?: unknown }): SessionData {
  const { words: _words, ...data } = s;
  return { ...data, deleted_at: null };
}

export function sessionFileText(s: SessionData, meta: FileMeta): string {
  return `${JSON.stringify(
    { format: SESSION_FILE_FORMAT, version: SESSION_VERSION, exported_at: new Date(meta.exported_at_ms).toISOString(), app: meta.app, session: portableSession(s) },
    null,
    1,
  )}\n`;
}

export function libraryFileText(list: readonly SessionData[], meta: FileMeta): string {
  return `${JSON.stringify(
    {
      format: LIBRARY_FILE_FORMAT,
      version: SESSION_VERSION,
      exported_at: new Date(meta.exported_at_ms).toISOString(),
      app: meta.app,
      sessions: list.map(portableSession),
    },
    null,
    1,
  )}\n`;
}

/** A file name for a session export: `nt1-cut-apac.lab-session.json`. */
export function sessionFileName(name: string, suffix = '.lab-session.json'): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'session'}${suffix}`;
}

/**
 * A library file built piece by piece (so a long export can show progress):
 * `head + entries.join(',\n') + tail` is exactly libraryFileText's JSON content.
 */
export function libraryFileParts(meta: FileMeta): { head: string; entry(s: SessionData): string; tail: string } {
  const header = { format: LIBRARY_FILE_FORMAT, version: SESSION_VERSION, exported_at: new Date(meta.exported_at_ms).toISOString(), app: meta.app };
  const headJson = JSON.stringify(header);
  return {
    head: `${headJson.slice(0, -1)},"sessions":[\n`,
    entry: (s) => JSON.stringify(portableSession(s)),
    tail: ']}\n',
  };
}
