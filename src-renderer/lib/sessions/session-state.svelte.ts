/**
 * The open session and the library, tied to the run the app shows.
 *
 * - Every run is a session. A fresh one is kept in memory until the first command, note
 *   or answer; from then on it autosaves (debounced, at most one second behind, flushed
 *   when the page hides). What is saved about the run — strategy, action log, position
 *   and digest — always comes from one `lab:run-log` answer of the host, so it is
 *   consistent: replaying that log to that position gives that digest.
 * - Reopening a session replays its log in a new run, seeks to where it was left, and
 *   checks the digest against the stored one (match ✓ / mismatch ✗).
 * - "Fork here" starts a new session from the current position: the log truncated there.
 * - Library: list/search, rename, duplicate, open, delete with undo; export a session or
 *   the whole library as a file; import either (validated whole, then stored in one
 *   transaction); reports in four formats through `lab:report`.
 */
import type { ReportFormat, RunLog } from '../../../src-shared/ipc/contract';
import type { RunDescription } from '../../../src-shared/ipc/frames';
import {
  emptyScores,
  libraryFileParts,
  MAX_LIBRARY_FILE_BYTES,
  parseSessionFile,
  SessionFileError,
  sessionFileName,
  sessionFileText,
  type RubricLevelId,
  type SessionData,
} from '../../../src-shared/session';
import type { ReportSessionInput } from '../../../src-shared/session/schema';
import type { OpenOptions, RunEvent, RunState } from '../run-state.svelte';
import { Autosaver, type AutosaveOptions, type SaveState } from './autosave';
import { base64ToBytes, downloadBlob, downloadText } from './download';
import type { SessionRepo } from './repo';
import { thumbnailSvg } from './thumbnail';

export type ReplayCheck =
  | { status: 'none' }
  | { status: 'checking' }
  | { status: 'match'; digest: string }
  | { status: 'mismatch'; expected: string; actual: string };

export interface Progress {
  label: string;
  done: number;
  total: number;
}

export interface Downloader {
  text(text: string, filename: string, mime: string): void;
  blob(blob: Blob, filename: string): void;
}

export interface SessionEnv {
  lab: RunState;
  repo: SessionRepo;
  autosave?: AutosaveOptions;
  download?: Downloader;
  /** How long "Undo delete" stays offered before the trash is emptied. */
  undoMs?: number;
  appName?: string;
}

const REPORT_LABEL: Record<ReportFormat, string> = { html: 'HTML', md: 'Markdown', json: 'JSON', pdf: 'PDF' };
const SEEK_STEP_MS = 5000;

export class SessionState {
  /** The open session (in memory; `persisted` says whether it is in the library yet). */
  current = $state<SessionData | null>(null);
  persisted = $state(false);
  saveState = $state<SaveState>('idle');
  savedAt = $state<number | null>(null);
  replay = $state<ReplayCheck>({ status: 'none' });
  library = $state.raw<SessionData[]>([]);
  query = $state('');
  panel = $state<'library' | 'exercises' | null>(null);
  /** The library row that keyboard commands act on. */
  selectedId = $state<string | null>(null);
  /** The library row being renamed in place. */
  renamingId = $state<string | null>(null);
  progress = $state<Progress | null>(null);
  importError = $state<string | null>(null);
  importMessage = $state<string | null>(null);
  deleted = $state<{ ids: string[]; label: string } | null>(null);

  readonly lab: RunState;
  readonly repo: SessionRepo;
  readonly autosaver: Autosaver;
  #download: Downloader;
  #undoMs: number;
  #appName: string;
  /** The run the current session is bound to (the app may have opened another meanwhile). */
  #runId: string | null = null;
  #log: RunLog | null = null;
  #logSeq = 0;
  /** Our own opens and replays: their run events are not user commands. */
  #quiet = 0;
  #rewritten = false;
  #seekTarget: number | null = null;
  #undoTimer: ReturnType<typeof setTimeout> | null = null;
  #unsubscribe: () => void;

  constructor(env: SessionEnv) {
    this.lab = env.lab;
    this.repo = env.repo;
    this.#download = env.download ?? { text: downloadText, blob: downloadBlob };
    this.#undoMs = env.undoMs ?? 10_000;
    this.#appName = env.appName ?? 'Impossibility Lab';
    this.autosaver = new Autosaver(() => this.#save(), {
      ...env.autosave,
      onState: (state, error) => {
        this.saveState = state;
        if (state === 'error') this.lab.notify(`Could not save the session: ${error instanceof Error ? error.message : String(error)}`);
        env.autosave?.onState?.(state, error);
      },
    });
    this.#unsubscribe = this.lab.on((e) => this.#onRunEvent(e));
  }

  dispose(): void {
    this.#unsubscribe();
    this.autosaver.dispose();
    if (this.#undoTimer) clearTimeout(this.#undoTimer);
  }

  // ── start-up and switching ───────────────────────────────────────────────────

  /**
   * After connecting: reopen `?session=…`, else (without `?scenario=`) the session that was
   * open last — this is how work survives a crash or a forced quit — else a fresh session.
   */
  async start(query: URLSearchParams, initialScenario: string | null, opts: OpenOptions = {}): Promise<void> {
    try {
      await this.repo.purge();
    } catch (e) {
      this.lab.notify(`The session library is not available: ${message(e)}`);
    }
    const requested = query.get('session');
    const last = requested ?? (query.has('scenario') ? null : await this.repo.lastSessionId().catch(() => null));
    if (last && (await this.repo.get(last).catch(() => undefined))) {
      if (await this.open(last)) return;
    } else if (requested) this.lab.notify(`There is no session “${requested}” in the library.`);
    if (initialScenario) await this.newSession(initialScenario, opts);
  }

  /** A fresh session (not stored until something happens in it). */
  async newSession(scenario: string, opts: OpenOptions = {}): Promise<boolean> {
    await this.#leave();
    this.#quiet++;
    let ok: boolean;
    try {
      ok = await this.lab.open(scenario, opts);
    } finally {
      this.#quiet--;
    }
    if (ok && this.lab.run) this.#bindFresh(this.lab.run);
    return ok;
  }

  /** Reopens a stored session: replays its action log and checks the digest. */
  async open(id: string): Promise<boolean> {
    const s = await this.repo.get(id);
    if (!s) {
      this.lab.notify('That session is not in the library any more.');
      return false;
    }
    await this.#leave();
    this.replay = { status: 'checking' };
    this.#quiet++;
    try {
      const opened = await this.lab.open(s.scenario, { strategy: s.strategy, seed: s.seed, until_ms: s.until_ms, actions: s.actions });
      const run = this.lab.run;
      if (!opened || !run) {
        this.replay = { status: 'none' };
        return false;
      }
      if (s.t_ms > 0) await this.lab.seek(s.t_ms);
      const res = await this.lab.request('lab:run-log', { run_id: run.run_id }, 'replay the session');
      this.current = s;
      this.persisted = true;
      this.#runId = run.run_id;
      this.#rewritten = false;
      this.autosaver.reset();
      this.saveState = 'saved';
      this.savedAt = s.updated_at;
      if (!res.ok) {
        this.replay = { status: 'none' };
        this.lab.notify(res.message);
      } else {
        this.#log = res.value;
        this.replay = !s.digest
          ? { status: 'none' }
          : res.value.digest === s.digest
            ? { status: 'match', digest: s.digest }
            : { status: 'mismatch', expected: s.digest, actual: res.value.digest };
      }
      await this.repo.setLastSessionId(s.id).catch(() => undefined);
      this.selectedId = s.id;
      return true;
    } finally {
      this.#quiet--;
    }
  }

  /** Re-runs the open session from its log and checks that it reaches the same digest. */
  async verify(): Promise<boolean> {
    const s = this.current;
    if (!s) return false;
    await this.autosaver.flush();
    if (!this.persisted) {
      this.lab.notify('This session has no stored digest yet: act, take notes or rename it to keep it.');
      return false;
    }
    return this.open(s.id);
  }

  /** "Fork here": a new session with the action log cut at the current position. */
  async forkHere(): Promise<boolean> {
    const cur = this.current;
    if (!cur || !this.#runId) return false;
    const log = await this.#refreshLog();
    if (!log) return false;
    const t = log.t_ms;
    const now = this.repo.now();
    const fork: SessionData = {
      ...($state.snapshot(cur) as SessionData),
      id: this.repo.newId(),
      name: `${cur.name} — fork at ${(t / 1000).toFixed(1)} s`.slice(0, 200),
      strategy: log.strategy,
      seed: log.seed,
      until_ms: log.until_ms,
      parameters: log.parameters,
      actions: log.actions.filter((a) => a.at_ms <= t),
      t_ms: t,
      horizon_ms: t,
      // The parent's digest at this instant: the fork's replay must reproduce it.
      digest: log.digest,
      forked_from: { id: cur.id, t_ms: t },
      created_at: now,
      updated_at: now,
      deleted_at: null,
      thumbnail: this.#thumbnail() || cur.thumbnail,
    };
    await this.autosaver.flush();
    await this.repo.put(fork);
    const ok = await this.open(fork.id);
    await this.refreshLibrary();
    return ok;
  }

  // ── edits ────────────────────────────────────────────────────────────────────

  setNotes(notes: string): void {
    this.#edit((s) => (s.notes = notes.slice(0, 50_000)));
  }

  setAnswer(i: number, text: string): void {
    this.#edit((s) => {
      const answers = [...s.exercise.answers];
      while (answers.length <= i) answers.push('');
      answers[i] = text.slice(0, 20_000);
      s.exercise.answers = answers.slice(0, 20);
    });
  }

  setScore(level: RubricLevelId, value: number | null): void {
    this.#edit((s) => (s.exercise.scores = { ...s.exercise.scores, [level]: value }));
  }

  async rename(id: string, name: string): Promise<boolean> {
    const clean = name.trim().slice(0, 200);
    if (!clean) {
      this.lab.notify('A session needs a name.');
      return false;
    }
    this.renamingId = null;
    if (this.current?.id === id) {
      this.#edit((s) => (s.name = clean));
      await this.autosaver.flush();
    } else {
      try {
        await this.repo.rename(id, clean);
      } catch (e) {
        this.lab.notify(`Could not rename the session: ${message(e)}`);
        return false;
      }
    }
    await this.refreshLibrary();
    return true;
  }

  // ── library ──────────────────────────────────────────────────────────────────

  async refreshLibrary(): Promise<void> {
    try {
      this.library = await this.repo.list(this.query);
    } catch (e) {
      this.lab.notify(`Could not read the session library: ${message(e)}`);
    }
    if (this.selectedId && !this.library.some((s) => s.id === this.selectedId)) this.selectedId = this.library[0]?.id ?? null;
  }

  async search(query: string): Promise<void> {
    this.query = query;
    await this.refreshLibrary();
  }

  async togglePanel(panel: 'library' | 'exercises'): Promise<void> {
    this.panel = this.panel === panel ? null : panel;
    if (this.panel === 'library') {
      await this.autosaver.flush();
      await this.refreshLibrary();
      this.selectedId ??= this.current?.id ?? this.library[0]?.id ?? null;
    }
  }

  /** The library row keyboard commands act on: the selection while the library is open, else the open session. */
  target(): string | null {
    if (this.panel === 'library') return this.selectedId;
    return this.persisted ? (this.current?.id ?? null) : null;
  }

  moveSelection(delta: number): void {
    const list = this.library;
    if (!list.length) return;
    const i = list.findIndex((s) => s.id === this.selectedId);
    const next = list[Math.min(list.length - 1, Math.max(0, (i < 0 ? 0 : i) + delta))]!;
    this.selectedId = next.id;
  }

  async duplicate(id: string): Promise<SessionData | null> {
    if (this.current?.id === id) await this.autosaver.flush();
    try {
      const copy = await this.repo.duplicate(id);
      await this.refreshLibrary();
      this.selectedId = copy.id;
      return copy;
    } catch (e) {
      this.lab.notify(`Could not duplicate the session: ${message(e)}`);
      return null;
    }
  }

  /** Moves a session to the trash; Undo (U) brings it back for a few seconds. */
  async remove(id: string): Promise<void> {
    const isCurrent = this.current?.id === id;
    const s = isCurrent ? this.current : this.library.find((x) => x.id === id);
    if (isCurrent) {
      await this.autosaver.flush();
      this.autosaver.reset();
    }
    await this.#finishUndo();
    try {
      await this.repo.softDelete([id]);
    } catch (e) {
      this.lab.notify(`Could not delete the session: ${message(e)}`);
      return;
    }
    this.deleted = { ids: [id], label: s?.name ?? 'session' };
    this.#undoTimer = setTimeout(() => void this.#finishUndo(), this.#undoMs);
    if (isCurrent && s) {
      this.persisted = false;
      this.current = null;
      await this.repo.setLastSessionId(null).catch(() => undefined);
      await this.newSession(s.scenario, { strategy: s.strategy, seed: s.seed });
    }
    await this.refreshLibrary();
  }

  async undoDelete(): Promise<boolean> {
    const d = this.deleted;
    if (!d) return false;
    if (this.#undoTimer) clearTimeout(this.#undoTimer);
    this.#undoTimer = null;
    this.deleted = null;
    await this.repo.restore(d.ids);
    await this.refreshLibrary();
    this.selectedId = d.ids[0] ?? this.selectedId;
    return true;
  }

  async #finishUndo(): Promise<void> {
    const d = this.deleted;
    if (this.#undoTimer) clearTimeout(this.#undoTimer);
    this.#undoTimer = null;
    this.deleted = null;
    if (d) await this.repo.purge(d.ids).catch(() => undefined);
  }

  // ── files ────────────────────────────────────────────────────────────────────

  async exportSession(id: string | null = this.current?.id ?? null): Promise<boolean> {
    if (!id) return false;
    if (this.current?.id === id) {
      this.autosaver.schedule();
      await this.autosaver.flush();
    }
    const s = await this.repo.get(id);
    if (!s) {
      this.lab.notify('Nothing to export yet: this session is not stored.');
      return false;
    }
    this.#download.text(sessionFileText(s, this.#meta()), sessionFileName(s.name), 'application/json');
    return true;
  }

  /** A backup of the whole library as one file, with progress. */
  async exportLibrary(): Promise<boolean> {
    await this.autosaver.flush();
    this.progress = { label: 'Reading the library…', done: 0, total: 1 };
    try {
      const all = await this.repo.all();
      const parts = libraryFileParts(this.#meta());
      const chunks: string[] = [parts.head];
      for (let i = 0; i < all.length; i++) {
        chunks.push(`${parts.entry(all[i]!)}${i < all.length - 1 ? ',\n' : '\n'}`);
        if (i % 25 === 24) {
          this.progress = { label: `Exporting ${all.length} sessions…`, done: i + 1, total: all.length };
          await nextTick();
        }
      }
      chunks.push(parts.tail);
      this.progress = { label: `Exported ${all.length} session${all.length === 1 ? '' : 's'}`, done: all.length, total: Math.max(1, all.length) };
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off formatting value
      const day = new Date(this.repo.now()).toISOString().slice(0, 10);
      this.#download.blob(new Blob(chunks, { type: 'application/json;charset=utf-8' }), `impossibility-lab-library-${day}.lab-library.json`);
      return true;
    } catch (e) {
      this.lab.notify(`Could not export the library: ${message(e)}`);
      return false;
    } finally {
      this.#clearProgressSoon();
    }
  }

  /**
   * Imports a session file or a library backup. Everything is checked first — the file's
   * format and size, every field, every action against its scenario (by the host) — and
   * only then stored, in one transaction. A bad file changes nothing and says what is wrong.
   */
  async importFile(file: Pick<File, 'name' | 'size' | 'text'>): Promise<boolean> {
    this.importError = null;
    this.importMessage = null;
    const fail = (why: string): false => {
      this.importError = `${file.name}: ${why} — nothing was imported.`;
      this.lab.notify(`Import failed: ${this.importError}`);
      return false;
    };
    if (file.size > MAX_LIBRARY_FILE_BYTES) return fail(`the file is too large (${(file.size / 1024 / 1024).toFixed(1)} MB; at most ${MAX_LIBRARY_FILE_BYTES / 1024 / 1024} MB)`);
    this.progress = { label: `Reading ${file.name}…`, done: 0, total: 1 };
    try {
      let parsed;
      try {
        parsed = parseSessionFile(await file.text());
      } catch (e) {
        return fail(e instanceof SessionFileError ? e.message : `cannot be read (${message(e)})`);
      }
      const n = parsed.sessions.length;
      for (let i = 0; i < n; i++) {
        const s = parsed.sessions[i]!;
        this.progress = { label: `Checking ${n === 1 ? 'the session' : `${n} sessions`} against their scenarios…`, done: i, total: n };
        const res = await this.lab.request('lab:check-session', { scenario: s.scenario, strategy: s.strategy, actions: s.actions }, 'check the session');
        if (!res.ok) {
          const where = parsed.kind === 'session' ? 'session' : `sessions[${i}]`;
          const why = res.message.replace(/^Could not check the session: /, '').replace(/^lab:check-session: /, '');
          return fail(/^actions[[.]/.test(why) ? `${where}.${why}` : `${where} (“${s.name}”): ${why}`);
        }
      }
      this.progress = { label: 'Storing…', done: n, total: n };
      let result;
      try {
        result = await this.repo.importAll(parsed.sessions);
      } catch (e) {
        return fail(`could not store the sessions (${message(e)})`);
      }
      const parts = [`Imported ${result.added.length} session${result.added.length === 1 ? '' : 's'} from ${file.name}`];
      if (result.skipped) parts.push(`${result.skipped} already in the library`);
      if (result.renamedIds) parts.push(`${result.renamedIds} stored as copies (their ids were taken)`);
      this.importMessage = `${parts.join('; ')}.`;
      await this.refreshLibrary();
      this.selectedId = result.added[0]?.id ?? this.selectedId;
      return true;
    } finally {
      this.#clearProgressSoon();
    }
  }

  /** The report of the open run, with this session's notes and exercise, as a download. */
  async exportReport(format: ReportFormat): Promise<boolean> {
    const run = this.lab.run;
    if (!run) return false;
    const label = REPORT_LABEL[format];
    this.progress = { label: `Building the ${label} report…`, done: 0, total: 2 };
    try {
      const res = await this.lab.request('lab:report', { run_id: run.run_id, format, ...(this.current ? { session: this.reportSession() } : {}) }, `export the ${label} report`);
      if (!res.ok) {
        this.lab.notify(res.message);
        return false;
      }
      this.progress = { label: `Saving the ${label} report…`, done: 1, total: 2 };
      const f = res.value;
      if (f.base64 !== undefined) this.#download.blob(new Blob([base64ToBytes(f.base64)], { type: f.mime }), f.filename);
      else this.#download.text(f.text ?? '', f.filename, f.mime);
      this.progress = { label: `${label} report ready: ${f.filename}`, done: 2, total: 2 };
      return true;
    } finally {
      this.#clearProgressSoon();
    }
  }

  reportSession(): ReportSessionInput {
    const s = this.current!;
    const r = this.replay;
    return {
      id: s.id,
      name: s.name,
      notes: s.notes,
      answers: [...s.exercise.answers],
      scores: { ...s.exercise.scores },
      ...(r.status === 'match' ? { stored_digest: r.digest, replay: 'match' as const } : r.status === 'mismatch' ? { stored_digest: r.expected, replay: 'mismatch' as const } : {}),
      created_at: s.created_at,
      updated_at: s.updated_at,
    };
  }

  // ── leaving the page ─────────────────────────────────────────────────────────

  /**
   * Page hide / window close: write what we have now, without waiting for the host (the
   * page may not live long enough for a round trip). Regular saves are at most a second
   * behind anyway.
   */
  flushOnHide(): void {
    if (!this.autosaver.dirty || !this.current) return;
    this.autosaver.reset();
    const record = this.#record(this.#log);
    if (record) void this.repo.put(record).catch(() => undefined);
  }

  // ── seeking ──────────────────────────────────────────────────────────────────

  /** The scrubber's range: everything this session has reached. */
  horizon(): number {
    return Math.max(this.current?.horizon_ms ?? 0, this.lab.t_ms, 1000);
  }

  /** Relative seeks add up while earlier ones are still on their way (key repeat). */
  async seekBy(delta_ms: number): Promise<boolean> {
    const base = this.#seekTarget ?? this.lab.t_ms;
    const target = Math.min(this.horizon(), Math.max(0, base + delta_ms));
    this.#seekTarget = target;
    try {
      return await this.lab.seek(target);
    } finally {
      if (this.#seekTarget === target) this.#seekTarget = null;
    }
  }

  static readonly SEEK_STEP_MS = SEEK_STEP_MS;

  // ── internals ────────────────────────────────────────────────────────────────

  #onRunEvent(e: RunEvent): void {
    if (this.#quiet > 0) return;
    switch (e.type) {
      case 'opened':
        // The app opened a run itself (e.g. the scenario picker): that is a new session.
        void this.#adopt(e.run);
        break;
      case 'command':
        if (!this.current || this.lab.run?.run_id !== this.#runId) return;
        if (e.cmd === 'act') this.#rewritten = true;
        this.autosaver.schedule();
        void this.#refreshLog();
        break;
      case 'frame':
        if (this.current && e.frame.run_id === this.#runId && e.frame.playing) this.autosaver.schedule();
        break;
    }
  }

  async #adopt(run: RunDescription): Promise<void> {
    // The previous session's run may be closed already: #leave saves from the cached log.
    await this.#leave();
    this.#bindFresh(run);
  }

  #bindFresh(run: RunDescription): void {
    const now = this.repo.now();
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off formatting value
    const when = new Date(now).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    this.current = {
      id: this.repo.newId(),
      name: `${run.scenario.test} · ${run.strategy} · ${when}`.slice(0, 200),
      scenario: run.scenario.id,
      strategy: run.strategy,
      seed: run.seed,
      until_ms: 30 * 60_000,
      parameters: {},
      actions: [],
      t_ms: 0,
      digest: '',
      horizon_ms: 0,
      notes: '',
      exercise: { answers: [], scores: emptyScores() },
      thumbnail: '',
      created_at: now,
      updated_at: now,
      forked_from: null,
      deleted_at: null,
    };
    this.persisted = false;
    this.replay = { status: 'none' };
    this.#runId = run.run_id;
    this.#log = null;
    this.#rewritten = false;
    this.autosaver.reset();
    this.saveState = 'idle';
    this.savedAt = null;
    void this.#refreshLog();
  }

  /** Saves the current session (if it has anything worth keeping) before switching away. */
  async #leave(): Promise<void> {
    if (this.current && this.autosaver.dirty) await this.autosaver.flush();
    this.autosaver.reset();
  }

  #edit(fn: (s: SessionData) => void): void {
    if (!this.current) return;
    fn(this.current);
    this.autosaver.schedule();
  }

  /** Asks the host where the bound run stands; keeps the newest answer. */
  async #refreshLog(): Promise<RunLog | null> {
    const runId = this.#runId;
    if (!runId) return null;
    const seq = ++this.#logSeq;
    const res = await this.lab.request('lab:run-log', { run_id: runId }, 'read the run’s action log');
    if (!res.ok || runId !== this.#runId) return null;
    if (seq === this.#logSeq) this.#log = res.value;
    return res.value;
  }

  async #save(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    const log = (await this.#refreshLog()) ?? this.#log;
    if (this.current?.id !== cur.id) return;
    const record = this.#record(log);
    if (!record) return;
    await this.repo.put(record);
    if (this.current?.id === cur.id) {
      this.savedAt = record.updated_at;
      if (!this.persisted) {
        this.persisted = true;
        await this.repo.setLastSessionId(record.id).catch(() => undefined);
      }
    }
    if (this.panel === 'library') void this.refreshLibrary();
  }

  /**
   * Brings the current session up to date with the run's state from `log` (one host
   * answer: consistent) and returns a snapshot to store. It writes those fields into the
   * live session in place — never replacing it — so that an edit made while a save is on
   * its way (a note, a score) is not lost; that edit schedules the next save.
   */
  #record(log: RunLog | null): SessionData | null {
    const cur = this.current;
    if (!cur) return null;
    if (log && log.run_id === this.#runId) {
      cur.strategy = log.strategy;
      cur.seed = log.seed;
      cur.until_ms = log.until_ms;
      cur.parameters = log.parameters;
      cur.actions = log.actions;
      cur.t_ms = log.t_ms;
      cur.digest = log.digest;
      cur.horizon_ms = this.#rewritten ? log.t_ms : Math.max(cur.horizon_ms, log.t_ms);
      this.#rewritten = false;
    }
    const thumbnail = this.#thumbnail();
    if (thumbnail) cur.thumbnail = thumbnail;
    cur.updated_at = this.repo.now();
    return $state.snapshot(cur) as SessionData;
  }

  #thumbnail(): string {
    const spec = this.lab.scenario;
    if (!spec || this.lab.run?.run_id !== this.#runId) return '';
    try {
      return thumbnailSvg({ view: spec.view, groups: spec.groups, modes: spec.modes, frame: this.lab.frame });
    } catch {
      return '';
    }
  }

  #meta() {
    return { exported_at_ms: this.repo.now(), app: this.#appName };
  }

  #clearProgressSoon(): void {
    const p = this.progress;
    setTimeout(() => {
      if (this.progress === p) this.progress = null;
    }, 1500);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function nextTick(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}
