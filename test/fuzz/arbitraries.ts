/**
 * Cheap generators for hostile input. Each produces values *near* the valid shape (so
 * that inputs get past the first check and reach deeper code) mixed with junk of every
 * JSON type, a few prebuilt huge values, and structured-clone values JSON does not have.
 * Sizes are kept small on purpose: 10 000 inputs per door must stay fast.
 */
import fc from 'fast-check';
import { FAULT_VERBS } from '../../src-shared/actions/fault-actions';

/** Prebuilt huge values (built once; generating them per input would be slow). */
export const HUGE_STRING = 'x'.repeat(310_000);
export const HUGE_ARRAY = labelled(Array.from({ length: 40_000 }, (_, i) => i), '[0, 1, … 40 000 numbers]');
export function deepNest(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}
/** Labels a prebuilt value for fast-check's reports (printing it whole would overflow the stack). */
function labelled<T extends object>(value: T, label: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => label, enumerable: false });
  return value;
}
export const DEEP = labelled(deepNest(20_000) as unknown[], '[[[… 20 000 levels …]]]');
export const DEEP_OBJECT = labelled(
  (() => {
    let v: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) v = { a: v };
    return v;
  })(),
  '{a:{a:… 3000 levels …}}',
);
/** An object that lies about its prototype. */
export const PROTO_BOMB = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown;

/** Small junk of every JSON type, plus numbers JSON cannot write. */
export const junkScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -0, -1, 1e308, -1e308, NaN, Infinity, -Infinity, 2 ** 53, 0.5, '', ' ', '0', 'null', 'undefined', '__proto__', 'constructor', 'toString', '\u0000', '\u202e', '😀', 'a'.repeat(300)),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
);

/** Junk of every shape, small. */
export const smallJunk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: junkScalar },
  { weight: 2, arbitrary: fc.array(junkScalar, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), junkScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(PROTO_BOMB, [[[[]]]], {}, []) },
);

/** Junk including, now and then, a huge or pathologically deep value. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: smallJunk },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(HUGE_STRING, HUGE_ARRAY, DEEP, DEEP_OBJECT) },
);

/** Values a structured clone carries that JSON does not (what a renderer can put into IPC). */
export const cloneOnly: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  10n,
  new Date(0),
  new Map([['a', 1]]),
  new Set([1]),
  new Uint8Array([1, 2, 3]),
  /re/g,
  new Error('boom'),
);

/** Mostly `good`, sometimes junk. */
const mostlyOf = <T>(good: fc.Arbitrary<T>, jw: number, gw: number, junkArb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: gw, arbitrary: good as fc.Arbitrary<unknown> }, { weight: jw, arbitrary: junkArb });
export function mostly<T>(good: fc.Arbitrary<T>, junkWeight = 1, goodWeight = 4, junkArb: fc.Arbitrary<unknown> = junk): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: goodWeight, arbitrary: good as fc.Arbitrary<unknown> }, { weight: junkWeight, arbitrary: junkArb });
}

/** An object whose fields come from `fields`; each field is sometimes dropped, and sometimes an extra key is added. */
export function looseRecord(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const keys = Object.keys(fields);
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'then', 'at', 'x'), junkScalar), { freq: 8 }),
    )
    .map(([rec, extra]) => {
      const out: Record<string, unknown> = {};
      for (const k of keys) if (k in rec) out[k] = (rec as Record<string, unknown>)[k];
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      return out;
    });
}

/** Names for actions: real node/group ids of the scenario, role selectors, near misses and junk. */
export function nameArb(names: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom('@leader', '@coordinator', '@nobody', '@', 'mars', 'us-east ', 'US-EAST', '') },
    { weight: 1, arbitrary: junkScalar },
  );
}

export const durationArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: 90 }), fc.constantFrom('ms', 's', 'min', 'h')).map(([n, u]) => `${n}${u}`) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('-1s', '1e9h', '25h', 'soon', '10 s', '∞', '1.5s', '0x10ms', 'NaNs', '') },
  { weight: 1, arbitrary: junkScalar },
);

/** A fault action (DESIGN §4) over the given names; `withAt` adds a script time. */
export function actionArb(names: readonly string[], withAt: boolean, junkArb: fc.Arbitrary<unknown> = junk): fc.Arbitrary<unknown> {
  const mostly = <T>(good: fc.Arbitrary<T>, jw = 1, gw = 4) => mostlyOf(good, jw, gw, junkArb);
  const name = nameArb(names);
  const pair = mostly(fc.tuple(name, name), 1, 8);
  const verb = fc.oneof({ weight: 12, arbitrary: fc.constantFrom<string>(...FAULT_VERBS) }, { weight: 1, arbitrary: fc.constantFrom('explode', 'CUT', '', 'heal_all') }, { weight: 1, arbitrary: junkScalar });
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    do: verb,
    link: pair,
    node: name,
    groups: mostly(fc.array(fc.array(name, { minLength: 1, maxLength: 3 }), { minLength: 0, maxLength: 3 })),
    latency: durationArb,
    loss: mostly(fc.double({ min: -0.5, max: 1.5, noNaN: true })),
    behavior: mostly(fc.constantFrom('equivocate', 'silent', 'forge', 'lie')),
    ppm: mostly(fc.integer({ min: -2000, max: 2000 })),
  };
  if (withAt) fields.at = durationArb;
  // Pick the fields that make sense for the verb most of the time, so many actions are valid.
  return fc.tuple(looseRecord(fields), fc.boolean(), fc.boolean()).map(([raw, tidy, keepAt]) => {
    const r = raw as Record<string, unknown>;
    if (!tidy) return r;
    const keep: Record<string, string[]> = {
      cut: ['link'],
      heal: ['link'],
      kill: ['node'],
      restart: ['node'],
      partition: ['groups'],
      'heal-all': [],
      'set-link': ['link', 'latency', 'loss'],
      byzantine: ['node', 'behavior'],
      'clock-drift': ['node', 'ppm'],
    };
    const verbKeys = typeof r.do === 'string' && Object.hasOwn(keep, r.do) ? keep[r.do] : undefined;
    if (!verbKeys) return r;
    const out: Record<string, unknown> = { do: r.do };
    if (withAt && (keepAt || r.at !== undefined)) out.at = r.at ?? '1s';
    for (const k of verbKeys) if (k in r) out[k] = r[k];
    return out;
  });
}

/** Text mutations: the way a hand-edited or corrupted file goes wrong. */
export function mutateText(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  const op = fc.oneof(
    fc.tuple(fc.constant('delete-line' as const), fc.nat(lines.length - 1), fc.constant('')),
    fc.tuple(fc.constant('dup-line' as const), fc.nat(lines.length - 1), fc.constant('')),
    fc.tuple(fc.constant('insert' as const), fc.nat(text.length), fc.constantFrom('"', "'", '{', '}', '[', ']', ':', ',', '\n', '\t', '- ', '&a ', '*a', '!!binary ', '!!js/function ', '? ', '|', '>', '#', '%YAML 1.2\n---\n', '\u0000', '\ufeff', '…', '⟨')),
    fc.tuple(fc.constant('truncate' as const), fc.nat(text.length), fc.constant('')),
    fc.tuple(fc.constant('replace' as const), fc.nat(text.length), fc.string({ maxLength: 6 })),
    fc.tuple(fc.constant('swap-digit' as const), fc.nat(text.length), fc.constantFrom('0', '9', '-1', '1e999', 'NaN', '.5', '99999999999')),
  );
  return fc.array(op, { minLength: 0, maxLength: 3 }).map((ops) => {
    let t = text;
    for (const [kind, at, s] of ops) {
      const ls = t.split('\n');
      const i = ls.length ? at % ls.length : 0;
      const p = t.length ? at % (t.length + 1) : 0;
      switch (kind) {
        case 'delete-line':
          ls.splice(i, 1);
          t = ls.join('\n');
          break;
        case 'dup-line':
          ls.splice(i, 0, ls[i] ?? '');
          t = ls.join('\n');
          break;
        case 'insert':
          t = t.slice(0, p) + s + t.slice(p);
          break;
        case 'truncate':
          t = t.slice(0, p);
          break;
        case 'replace':
          t = t.slice(0, p) + s + t.slice(p + s.length);
          break;
        case 'swap-digit': {
          const m = /\d+/.exec(t.slice(p));
          if (m) t = t.slice(0, p + m.index) + s + t.slice(p + m.index + m[0].length);
          break;
        }
      }
    }
    return t;
  });
}

/** Anything a file picker could hand us: near-valid text, random text, binary-looking text. */
export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => String.fromCharCode(...b)),
  fc.constantFrom('', '{}', '[]', 'null', '0', '"x"', '---', '{"format": null}', 'a: &a [*a]', '!!binary aGVsbG8=', '{{{{{{{{{{', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'),
);

/** One line of a Jepsen etcd register log, near valid. */
const jepsenLine: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 4 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('-1', 'x', '', '99999999999999999999') }),
    fc.oneof({ weight: 9, arbitrary: fc.constantFrom(':invoke', ':ok', ':fail', ':info') }, { weight: 1, arbitrary: fc.constantFrom(':nope', 'ok', '') }),
    fc.oneof({ weight: 9, arbitrary: fc.constantFrom(':read', ':write', ':cas') }, { weight: 1, arbitrary: fc.constantFrom(':append', ':get', 'read', '') }),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('nil', '0', '1', '2', '3', '4') },
      { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })).map(([a, b]) => `[${a} ${b}]`) },
      { weight: 1, arbitrary: fc.constantFrom('[1', '[1 2 3]', '"s"', '-0', '1e9', '[nil nil]', '') },
    ),
    fc.constantFrom('\t', ' ', '  '),
  )
  .map(([p, t, f, v, sep]) => `INFO  jepsen.util - ${p}${sep}${t}${sep}${f}${sep}${v}`);

/** One line of an EDN key-value history, near valid. */
const ednLine: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('-1', 'x', 'nil') }),
    fc.oneof({ weight: 9, arbitrary: fc.constantFrom(':invoke', ':ok', ':fail', ':info') }, { weight: 1, arbitrary: fc.constantFrom(':nope', '') }),
    fc.oneof({ weight: 9, arbitrary: fc.constantFrom(':get', ':put', ':append') }, { weight: 1, arbitrary: fc.constantFrom(':cas', ':read', '') }),
    fc.oneof({ weight: 9, arbitrary: fc.constantFrom('"0"', '"1"') }, { weight: 1, arbitrary: fc.constantFrom('0', 'nil', '"', '') }),
    fc.oneof({ weight: 8, arbitrary: fc.constantFrom('nil', '"x 0 0 y"', '"x 1 0 y"', '""', '"x 0 0 yx 1 0 y"') }, { weight: 1, arbitrary: fc.constantFrom('"unterminated', '[1 2]', '', '\\"') }),
    fc.boolean(),
  )
  .map(([p, t, f, k, v, close]) => `{:process ${p}, :type ${t}, :f ${f}, :key ${k}, :value ${v}${close ? '}' : ''}`);

/** A small recorded history as text (either format), sometimes corrupted. */
export const historyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(jepsenLine, { maxLength: 14 }).map((ls) => ls.join('\n')) },
  { weight: 4, arbitrary: fc.array(ednLine, { maxLength: 12 }).map((ls) => ls.join('\n')) },
  { weight: 1, arbitrary: fc.tuple(fc.array(jepsenLine, { maxLength: 4 }), fc.array(ednLine, { maxLength: 4 })).map(([a, b]) => [...a, ...b].join('\n')) },
  { weight: 1, arbitrary: randomText },
);

type Path = (string | number)[];

/** Every path to a value inside `root` (objects and arrays included). */
export function allPaths(root: unknown): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: Path): void => {
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(root, []);
  return out;
}

function getAt(root: unknown, p: Path): unknown {
  let v = root;
  for (const k of p) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/**
 * Structural mutations of a valid document: delete a field, put junk or another field's
 * value in its place (type confusion), duplicate or drop list entries, rename a key.
 */
export function mutateObject<T>(base: T, maxOps = 3, junkArb: fc.Arbitrary<unknown> = smallJunk): fc.Arbitrary<T> {
  const paths = allPaths(base).filter((p) => p.length > 0);
  const op = fc.tuple(
    fc.constantFrom('delete', 'junk', 'swap', 'dup', 'rename', 'junk'),
    fc.nat(paths.length - 1),
    fc.nat(paths.length - 1),
    junkArb,
    fc.constantFrom('id', 'extra', '__proto__', 'nodes', 'ID', ''),
  );
  return fc.array(op, { minLength: 1, maxLength: maxOps }).map((ops) => {
    const doc = structuredClone(base) as unknown;
    for (const [kind, a, b, j, key] of ops) {
      const p = paths[a]!;
      const parent = getAt(doc, p.slice(0, -1));
      if (!parent || typeof parent !== 'object') continue;
      const last = p[p.length - 1]!;
      const box = parent as Record<string | number, unknown>;
      switch (kind) {
        case 'delete':
          if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
          else delete box[last];
          break;
        case 'junk':
          box[last] = j;
          break;
        case 'swap':
          box[last] = structuredClone(getAt(base, paths[b]!));
          break;
        case 'dup':
          if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 0, structuredClone(parent[last]));
          break;
        case 'rename':
          if (!Array.isArray(parent)) {
            Object.defineProperty(box, key, { value: box[last], enumerable: true, writable: true, configurable: true });
            if (key !== last) delete box[last];
          }
          break;
      }
    }
    return doc as T;
  });
}

/** JSON of a nesting too deep to write: what such a value would look like in a file. */
export const DEEP_JSON_TEXT = `{"a": ${'['.repeat(1500)}${']'.repeat(1500)}}`;

/** JSON.stringify that never throws (deep junk becomes DEEP_JSON_TEXT, BigInt a number). */
export function jsonText(x: unknown, space?: number): string {
  try {
    return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), space) ?? 'null';
  } catch {
    return DEEP_JSON_TEXT;
  }
}
