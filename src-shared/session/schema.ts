/**
 * A session (DESIGN §4): scenario, strategy, parameters, seed and the ordered action log,
 * plus what the learner adds (notes, exercise answers and self-scores) and what the
 * library shows (name, thumbnail, position). This is the *current* shape of a stored
 * session and of the `session` inside an exported file; older shapes are upgraded by
 * ./migrations.ts first. Every limit here is also a defence against hostile files.
 */
import * as v from 'valibot';
import type { FaultAction } from '../actions/fault-actions';
import type { ParamValue } from '../scenario/types';
import type { RubricScores } from './rubric';

export const MAX_SESSION_ACTIONS = 2000;
export const MAX_ACTION_CHARS = 10_000;
export const MAX_NAME = 200;
export const MAX_NOTES = 50_000;
export const MAX_ANSWER = 20_000;
export const MAX_ANSWERS = 20;
export const MAX_THUMBNAIL = 100_000;
export const MAX_TIME_MS = 24 * 3600_000;
export const MAX_UNTIL_MS = 4 * 3600_000;

/** Control characters other than tab and newlines make no sense in user text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (max: number, _what: string) =>
  v.pipe(
    v.string('expected text'),
    v.maxLength(max, `too long (at most ${max} characters)`),
    v.check((s) => !CONTROL.test(s), 'contains control characters'),
  );

export const SessionId = v.pipe(v.string('expected an id'), v.regex(/^[A-Za-z0-9_-]{6,64}$/, 'not a session id (6–64 letters, digits, "-" or "_")'));
export const ShortIdSchema = v.pipe(v.string('expected an id'), v.maxLength(64, 'id is too long'), v.regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'not an id'));
export const SeedSchema = v.pipe(v.number('the seed must be a number'), v.integer('the seed must be an integer'), v.minValue(0), v.maxValue(2 ** 32 - 1));
const TimeMs = (what: string, max = MAX_TIME_MS) =>
  v.pipe(v.number(`${what} must be a number of ms`), v.finite(`${what} must be finite`), v.minValue(0, `${what} cannot be negative`), v.maxValue(max, `${what} is out of range`));
const WallMs = v.pipe(v.number('expected a time stamp'), v.integer('expected a time stamp'), v.minValue(0), v.maxValue(8.64e15));

/** One entry of the action log. The action itself is checked against the scenario by the host. */
export const LoggedActionSchema = v.strictObject({
  at_ms: TimeMs('at_ms'),
  action: v.pipe(
    v.record(v.string(), v.unknown(), 'expected an action object such as {"do": "cut", "link": ["a", "b"]}'),
    v.check((o) => JSON.stringify(o).length <= MAX_ACTION_CHARS, 'action is too large'),
  ),
  source: v.picklist(['script', 'user'], 'source must be "script" or "user"'),
});

export const ActionLogSchema = v.pipe(
  v.array(LoggedActionSchema, 'expected a list of actions'),
  v.maxLength(MAX_SESSION_ACTIONS, `too many actions (at most ${MAX_SESSION_ACTIONS})`),
  v.check((list) => list.every((a, i) => i === 0 || a.at_ms >= list[i - 1]!.at_ms), 'actions must be in time order (at_ms never decreases)'),
);

const ParamKey = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,63}$/i, 'not a parameter name'));
export const ParametersSchema = v.pipe(
  v.record(ParamKey, v.union([v.pipe(v.number(), v.finite()), v.pipe(v.string(), v.maxLength(200)), v.boolean()], 'a parameter is a number, text or true/false')),
  v.check((o) => Object.keys(o).length <= 200, 'too many parameters'),
);

const Level = (max: number) => v.nullable(v.pipe(v.number('a score is a number'), v.integer('a score is a whole number'), v.minValue(0, 'a score cannot be negative'), v.maxValue(max, `this level gives at most ${max} points`)));
export const ScoresSchema = v.strictObject({ recognition: Level(2), framework: Level(3), gvector: Level(3), circumvention: Level(2) });

export const ExerciseSchema = v.strictObject({
  answers: v.pipe(v.array(text(MAX_ANSWER, 'an answer')), v.maxLength(MAX_ANSWERS, `too many answers (at most ${MAX_ANSWERS})`)),
  scores: ScoresSchema,
});

export const ThumbnailSchema = v.union(
  [
    v.literal(''),
    v.pipe(
      v.string(),
      v.maxLength(MAX_THUMBNAIL, 'thumbnail is too large'),
      v.regex(/^data:image\/(svg\+xml|png)(;[a-z0-9=.+-]+)*,/i, 'thumbnail must be an SVG or PNG data URL'),
    ),
  ],
  'thumbnail must be an SVG or PNG data URL',
);

const Digest = v.pipe(v.string(), v.regex(/^([0-9a-f]{64})?$/, 'digest must be 64 hex digits (sha-256)'));

/** The session as exported and as stored (stored records add the `words` search index). */
export const SessionSchema = v.pipe(
  v.strictObject({
    id: SessionId,
    name: v.pipe(text(MAX_NAME, 'the name'), v.check((s) => s.trim().length > 0, 'the name is empty')),
    scenario: ShortIdSchema,
    strategy: ShortIdSchema,
    seed: SeedSchema,
    until_ms: v.pipe(v.number(), v.integer(), v.minValue(1000, 'until_ms must be at least 1000'), v.maxValue(MAX_UNTIL_MS, 'until_ms is out of range')),
    parameters: ParametersSchema,
    actions: ActionLogSchema,
    /** Where the session was left (simulated ms) and the timeline digest there. */
    t_ms: TimeMs('t_ms', MAX_UNTIL_MS),
    digest: Digest,
    /** The furthest simulated time reached (the scrubber's range). */
    horizon_ms: TimeMs('horizon_ms', MAX_UNTIL_MS),
    notes: text(MAX_NOTES, 'the notes'),
    exercise: ExerciseSchema,
    thumbnail: ThumbnailSchema,
    created_at: WallMs,
    updated_at: WallMs,
    forked_from: v.nullable(v.strictObject({ id: SessionId, t_ms: TimeMs('forked_from.t_ms', MAX_UNTIL_MS) })),
    deleted_at: v.nullable(WallMs),
  }),
  v.check((s) => s.t_ms <= s.until_ms, 't_ms is after until_ms'),
  v.check((s) => s.horizon_ms >= s.t_ms, 'horizon_ms is before t_ms'),
  v.check((s) => s.actions.every((a) => a.at_ms <= s.until_ms), 'an action is after until_ms'),
);

export interface LoggedAction {
  at_ms: number;
  action: FaultAction;
  source: 'script' | 'user';
}

/** A session in its current version (SESSION_VERSION). */
export interface SessionData {
  id: string;
  name: string;
  scenario: string;
  strategy: string;
  seed: number;
  until_ms: number;
  parameters: Record<string, ParamValue>;
  actions: LoggedAction[];
  t_ms: number;
  digest: string;
  horizon_ms: number;
  notes: string;
  exercise: { answers: string[]; scores: RubricScores };
  thumbnail: string;
  created_at: number;
  updated_at: number;
  forked_from: { id: string; t_ms: number } | null;
  deleted_at: number | null;
}

/** A stored session: the data plus a derived, indexed list of search words. */
export interface StoredSession extends SessionData {
  words: string[];
}

/** Formats a valibot issue path as `actions[3].at_ms`. */
export function issuePath(issue: v.BaseIssue<unknown>, prefix = ''): string {
  let out = prefix;
  for (const p of issue.path ?? []) {
    const key = p.key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * Words a library search matches by prefix: name, scenario id, strategy and notes,
 * lower-cased, split at anything that is not a letter or digit (at most 400 words).
 */
export function searchWords(s: Pick<SessionData, 'name' | 'scenario' | 'strategy' | 'notes'>): string[] {
  const words = new Set<string>();
  for (const source of [s.name, s.scenario, s.strategy, s.notes]) {
    for (const w of source.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (w.length >= 1 && w.length <= 40) words.add(w);
      if (words.size >= 400) return [...words];
    }
  }
  return [...words];
}

/**
 * What the renderer sends with `lab:report` so that the report carries the session's
 * notes and self-assessed exercise (the host adds the scenario's questions itself).
 */
export const ReportSessionSchema = v.strictObject({
  id: v.optional(SessionId),
  name: v.pipe(text(MAX_NAME, 'the name'), v.check((s) => s.trim().length > 0, 'the name is empty')),
  notes: text(MAX_NOTES, 'the notes'),
  answers: ExerciseSchema.entries.answers,
  scores: ScoresSchema,
  stored_digest: v.optional(Digest),
  stored_t_ms: v.optional(TimeMs('stored_t_ms', MAX_UNTIL_MS)),
  replay: v.optional(v.picklist(['match', 'mismatch', 'unchecked'])),
  created_at: v.optional(WallMs),
  updated_at: v.optional(WallMs),
});
export type ReportSessionInput = v.InferOutput<typeof ReportSessionSchema>;
