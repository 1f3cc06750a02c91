/**
 * The IPC contract between the renderer and the main-process host. The renderer is
 * untrusted: every request is validated here (valibot) before the host sees it, in
 * Electron (ipcMain.handle) and in the loopback bridge used by tests alike.
 *
 * Requests are `invoke(channel, payload) → Response`; frames are pushed on `lab:frame`.
 */
import * as v from 'valibot';
import type { Frame, RunDescription } from './frames';
import type { ParamValue, ScenarioSummary } from '../scenario/types';
import type { DemoPreset } from '../demo/demo';
import { ActionLogSchema, ReportSessionSchema, type LoggedAction } from '../session/schema';
import type { HistoryView } from '../history/types';
import type { AnalysisView } from '../analysis/types';

/** Largest history text `lab:check-history` accepts (the biggest Porcupine kv history is ~320 000). */
export const MAX_HISTORY_TEXT_CHARS = 400_000;

const RunId = v.pipe(v.string(), v.regex(/^run-[0-9]{1,9}$/, 'not a run id'));
const Seed = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1));
const ShortId = v.pipe(v.string(), v.maxLength(64), v.regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'not an id'));
/** A fault action from the UI; the host validates names against the run's topology. */
const ActionPayload = v.pipe(
  v.record(v.string(), v.unknown()),
  v.check((o) => JSON.stringify(o).length <= 10_000, 'action is too large'),
);

export const RequestSchemas = {
  'lab:scenarios': v.strictObject({}),
  /** The built-in demo presets (scenarios/demos), with the files that failed to load. */
  'lab:demos': v.strictObject({}),
  'lab:open-run': v.strictObject({
    scenario: ShortId,
    strategy: v.optional(ShortId),
    seed: v.optional(Seed),
    /** A fault script as text (JSON or YAML), validated against the scenario. */
    script: v.optional(v.pipe(v.string(), v.maxLength(200_000))),
    until_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(4 * 3600_000))),
    /** A session's action log to replay (instead of a script); each action is checked against the scenario. */
    actions: v.optional(ActionLogSchema),
  }),
  'lab:close-run': v.strictObject({ run_id: RunId }),
  'lab:act': v.strictObject({ run_id: RunId, action: ActionPayload }),
  'lab:control': v.strictObject({
    run_id: RunId,
    cmd: v.picklist(['play', 'pause', 'step', 'speed', 'seek', 'strategy', 'restart']),
    /** speed: multiplier; seek: t_ms; step: ms to advance; strategy: id. */
    value: v.optional(v.union([v.pipe(v.number(), v.minValue(0), v.maxValue(4 * 3600_000)), ShortId])),
  }),
  /** The run's action log and where it stands (for saving it as a session). */
  'lab:run-log': v.strictObject({ run_id: RunId }),
  /** Checks a session (scenario, strategy, action log) against the scenario without opening a run. */
  'lab:check-session': v.strictObject({ scenario: ShortId, strategy: ShortId, actions: ActionLogSchema }),
  /** The report of a run at its current time, as JSON, Markdown, HTML or PDF (base64). */
  'lab:report': v.strictObject({
    run_id: RunId,
    format: v.picklist(['json', 'md', 'html', 'pdf']),
    session: v.optional(ReportSessionSchema),
  }),
  /** Parses and checks a recorded history (the TEXT of a Jepsen register log or an EDN kv history) within a step budget. */
  'lab:check-history': v.strictObject({
    text: v.pipe(v.string(), v.maxLength(MAX_HISTORY_TEXT_CHARS, `history text longer than ${MAX_HISTORY_TEXT_CHARS} characters`)),
    model: v.optional(v.picklist(['auto', 'cas-register', 'kv'])),
    /** File name, for the title. */
    name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  }),
  /** A run's client history and the checker's verdicts; `view` is null when unchanged since `since`. */
  'lab:history': v.strictObject({ run_id: RunId, since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
  /** The analysis panel: the scenario's answers bound to the run's figures (null when the scenario has none). */
  'lab:analysis': v.strictObject({ run_id: RunId, seeds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500))) }),
} as const;

export type Channel = keyof typeof RequestSchemas;
export const CHANNELS = Object.keys(RequestSchemas) as Channel[];
export const FRAME_CHANNEL = 'lab:frame';

export type Request<C extends Channel> = v.InferOutput<(typeof RequestSchemas)[C]>;

export interface Responses {
  'lab:scenarios': ScenarioSummary[];
  'lab:demos': { demos: DemoPreset[]; errors: { file: string; error: string }[] };
  'lab:open-run': RunDescription;
  'lab:close-run': { closed: true };
  'lab:act': { applied: string };
  'lab:control': { t_ms: number; playing: boolean; speed: number; strategy: string };
  'lab:run-log': RunLog;
  'lab:check-session': { actions: number; parameters: Record<string, ParamValue> };
  'lab:report': ReportFile;
  'lab:check-history': HistoryView;
  'lab:history': { version: number; view: HistoryView | null };
  'lab:analysis': AnalysisView | null;
}

/** A run as a session sees it: replaying `actions` with this seed and strategy to `t_ms` gives `digest`. */
export interface RunLog {
  run_id: string;
  scenario: string;
  strategy: string;
  seed: number;
  until_ms: number;
  t_ms: number;
  digest: string;
  actions: LoggedAction[];
  /** The effective model parameters (scenario defaults with the strategy's overrides). */
  parameters: Record<string, ParamValue>;
}

export type ReportFormat = 'json' | 'md' | 'html' | 'pdf';

/** A report file: text for json/md/html, base64 bytes for pdf. */
export interface ReportFile {
  format: ReportFormat;
  filename: string;
  mime: string;
  text?: string;
  base64?: string;
}

/** Every response crosses IPC in this envelope so errors arrive as data, not throws. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

export class RequestError extends Error {
  override name = 'RequestError';
}

const MAX_PAYLOAD_CHARS = 300_000;
/** Channels that carry more (a history file's text, JSON-escaped). */
const PAYLOAD_LIMITS: Partial<Record<Channel, number>> = { 'lab:check-history': 1_000_000 };

/** Validates an untrusted (channel, payload) pair. Throws RequestError naming the problem. */
export function validateRequest(channel: unknown, payload: unknown): { channel: Channel; payload: Request<Channel> } {
  if (typeof channel !== 'string' || !(CHANNELS as string[]).includes(channel)) {
    throw new RequestError(`unknown channel ${JSON.stringify(String(channel).slice(0, 40))}`);
  }
  let size: number;
  try {
    size = JSON.stringify(payload ?? null).length;
  } catch {
    throw new RequestError(`${channel}: payload is not plain data`);
  }
  if (size > (PAYLOAD_LIMITS[channel as Channel] ?? MAX_PAYLOAD_CHARS)) throw new RequestError(`${channel}: payload too large (${size} characters)`);
  const result = v.safeParse(RequestSchemas[channel as Channel], payload ?? {});
  if (!result.success) {
    const issue = result.issues[0];
    const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
    throw new RequestError(`${channel}: ${path ? `${path}: ` : ''}${issue.message}`);
  }
  return { channel: channel as Channel, payload: result.output as Request<Channel> };
}

/** The API the renderer sees, whether through Electron's preload or the test bridge. */
export interface LabApi {
  invoke<C extends Channel>(channel: C, payload: Request<C>): Promise<Envelope<Responses[C]>>;
  onFrame(listener: (frame: Frame) => void): () => void;
}
