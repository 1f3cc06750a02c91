/**
 * The scenario file format (YAML or JSON in scenarios/), as a valibot schema. The
 * loader (./load.ts) turns a file that passes this schema into a ScenarioSpec, and then
 * checks what a schema cannot: unique ids, known modes in transitions, parsable claims.
 */
import * as v from 'valibot';

const Id = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'ids are letters, digits, "-", "_" or "."'), v.maxLength(64));
const Duration = v.union([v.string(), v.number()], 'expected a duration such as "250ms" or "10s"');
const Param = v.union([v.number(), v.string(), v.boolean()]);

const LinkFile = v.strictObject({
  latency: Duration,
  jitter: v.optional(Duration),
  loss: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
});

const QuorumFile = v.strictObject({
  of: v.picklist(['groups', 'group-nodes']),
  misses_in_a_row: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
});

export type PredicateFile =
  | { all: PredicateFile[] }
  | { any: PredicateFile[] }
  | { not: PredicateFile }
  | { quorum_lost: v.InferOutput<typeof QuorumFile> }
  | { quorum_held: v.InferOutput<typeof QuorumFile> }
  | { seen: string; within?: string | number; since_entry?: boolean; detail?: Record<string, string | number | boolean> }
  | { gauge: string; op: string; value: number; since_entry?: boolean }
  | { for: string | number; hold: PredicateFile };

export const PredicateSchema: v.GenericSchema<PredicateFile> = v.lazy(() =>
  v.union([
    v.strictObject({ all: v.array(PredicateSchema) }),
    v.strictObject({ any: v.array(PredicateSchema) }),
    v.strictObject({ not: PredicateSchema }),
    v.strictObject({ quorum_lost: QuorumFile }),
    v.strictObject({ quorum_held: QuorumFile }),
    v.strictObject({
      seen: v.string(),
      within: v.optional(Duration),
      since_entry: v.optional(v.boolean()),
      detail: v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]))),
    }),
    v.strictObject({ gauge: v.string(), op: v.picklist(['>', '>=', '<', '<=', '==', '!=']), value: v.number(), since_entry: v.optional(v.boolean()) }),
    v.strictObject({ for: Duration, hold: PredicateSchema }),
  ], 'expected a trigger predicate (all, any, not, quorum_lost, quorum_held, seen, gauge or for)'),
);

export const ScenarioFileSchema = v.strictObject({
  id: Id,
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  test: v.string(),
  distance: v.picklist(['near', 'medium', 'far']),
  impossibility: v.array(v.string()),
  summary: v.string(),
  model: Id,
  view: v.string(),
  groups: v.pipe(
    v.array(
      v.strictObject({
        id: Id,
        label: v.string(),
        location: v.optional(v.tuple([v.number(), v.number()])),
        nodes: v.union([
          v.pipe(v.array(Id), v.minLength(1)),
          v.strictObject({ count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), prefix: v.string() }),
        ]),
      }),
    ),
    v.minLength(1),
  ),
  network: v.strictObject({
    intra_group: LinkFile,
    inter_group: LinkFile,
    pairs: v.optional(v.array(v.strictObject({ between: v.tuple([Id, Id]), link: LinkFile }))),
  }),
  parameters: v.optional(v.record(v.string(), Param)),
  symbols: v.optional(v.record(v.string(), Duration)),
  strategies: v.pipe(
    v.array(
      v.strictObject({
        id: Id,
        label: v.string(),
        description: v.optional(v.string()),
        params: v.optional(v.record(v.string(), Param)),
        claims: v.optional(v.record(v.string(), v.string())),
      }),
    ),
    v.minLength(1),
  ),
  default_strategy: v.optional(Id),
  initial_mode: v.optional(Id),
  modes: v.pipe(
    v.array(
      v.strictObject({
        id: Id,
        label: v.optional(v.string()),
        description: v.optional(v.string()),
        claim: v.string(),
        severity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(5))),
      }),
    ),
    v.minLength(1),
  ),
  transitions: v.array(
    v.strictObject({
      from: v.union([v.literal('*'), Id, v.array(Id)]),
      to: Id,
      when: PredicateSchema,
    }),
  ),
  invariants: v.array(
    v.strictObject({ id: Id, name: v.string(), kind: v.picklist(['safety', 'liveness']), description: v.optional(v.string()) }),
  ),
  requirements: v.optional(
    v.array(
      v.strictObject({ id: Id, text: v.string(), metric: v.string(), op: v.picklist(['<', '<=', '>', '>=', '==']), value: v.number() }),
    ),
  ),
  questions: v.optional(v.array(v.string())),
  /**
   * Path composition (DESIGN §2): what a client asks for, what a hop between two groups
   * guarantees while its link is up (Recency becomes the link's measured latency), and
   * the fixed hops behind every replica (storage). The replica hop is the target group's
   * observed G-vector, from the engine.
   */
  composition: v.optional(
    v.strictObject({
      client: v.optional(v.string()),
      request: v.string(),
      link: v.string(),
      gateway: v.optional(v.string()),
      replica: v.optional(v.string()),
      tail: v.optional(v.array(v.strictObject({ id: Id, label: v.string(), g: v.string() }))),
    }),
  ),
  /** The analysis panel: answers to `questions` with placeholders bound to the run (src-shared/analysis). */
  analysis: v.optional(
    v.strictObject({
      seeds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
      horizon: v.optional(Duration),
      answers: v.array(
        v.strictObject({
          question: v.pipe(v.number(), v.integer(), v.minValue(1)),
          title: v.optional(v.string()),
          text: v.string(),
          figures: v.optional(v.array(v.strictObject({ label: v.string(), value: v.string() }))),
        }),
      ),
    }),
  ),
});

export type ScenarioFile = v.InferOutput<typeof ScenarioFileSchema>;
