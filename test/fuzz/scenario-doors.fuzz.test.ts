/**
 * Doors 3 and 4: scenario files, YAML and JSON, through the real loader
 * (src-shared/scenario/load.ts `parseScenarioText`, used by the app's scenario folder and
 * the CLI). Inputs: a small valid scenario mutated structurally (missing fields, junk,
 * type confusion, duplicated entries) and textually (broken quoting, anchors and aliases,
 * tags, truncation), plus random text. Verdict: a ScenarioError naming the file, or a
 * spec that is consistent with itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenarioText, ScenarioError } from '../../src-shared/scenario/load';
import { summarize, type ScenarioSpec } from '../../src-shared/scenario/types';
import { DEEP_JSON_TEXT, jsonText, mutateObject, mutateText, randomText } from './arbitraries';
import { BASE_SCENARIO } from './scenario-base';
import { DoorTally, expectPreciseError, FUZZ_RUNS, FUZZ_SEED, timedSync } from './verdict';

const BASE_YAML = stringify(BASE_SCENARIO, { lineWidth: 0 });
const BASE_JSON = JSON.stringify(BASE_SCENARIO, null, 1);

/** YAML's own bombs: alias expansion, deep flow nesting, tags, duplicate keys, a huge file. */
const YAML_SPECIALS = [
  'a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d]\n',
  'id: &a [*a]\n',
  '&r {id: x, title: *r}\n',
  `${BASE_YAML}\ngroups: &g [{id: g, label: G, location: [0, 0], nodes: *g}]\n`,
  'id: !!js/function "function(){}"\n',
  'id: x\nid: y\n',
  '<<: *missing\n',
  '%TAG ! tag:x,2000:\n--- !foo\nid: x\n',
  '--- a\n--- b\n',
  `id: ${'x'.repeat(2_000_001)}`,
];
/** Slow to parse by design (nesting that exhausts the parser's stack): kept rare. */
const YAML_EXPENSIVE = [`${'['.repeat(1500)}${']'.repeat(1500)}`, `${'- '.repeat(1500)}x`, DEEP_JSON_TEXT];

function yamlText(doc: unknown): string {
  try {
    return stringify(doc, { lineWidth: 0 });
  } catch {
    return DEEP_JSON_TEXT;
  }
}

function checkAccepted(spec: ScenarioSpec): void {
  expect(typeof spec.id).toBe('string');
  const modeIds = new Set(spec.modes.map((m) => m.id));
  expect(modeIds.size).toBe(spec.modes.length);
  for (const s of spec.strategies) expect(typeof s.id).toBe('string');
  expect(summarize(spec).id).toBe(spec.id);
  const nodes = spec.groups.flatMap((g) => g.nodes);
  expect(new Set(nodes).size).toBe(nodes.length);
}

function door(name: string, source: string, text: fc.Arbitrary<string>): void {
  it(`${FUZZ_RUNS} ${name} scenario files: a ScenarioError naming the file or a consistent spec`, () => {
    const tally = new DoorTally(name);
    fc.assert(
      fc.property(text, (t) => {
        let spec: ScenarioSpec;
        try {
          spec = timedSync(tally, t, () => parseScenarioText(t, source));
        } catch (e) {
          const message = expectPreciseError(e, t, [ScenarioError]);
          expect(message.startsWith(`${source}: `)).toBe(true);
          tally.reject();
          return;
        }
        checkAccepted(spec);
        tally.accept();
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    tally.check();
  });
}

describe('fuzz doors: scenario files', () => {
  door(
    'scenario-yaml',
    'fuzz.yaml',
    fc.oneof(
      { weight: 1200, arbitrary: mutateText(BASE_YAML) },
      { weight: 200, arbitrary: mutateObject(BASE_SCENARIO, 2).map((doc) => yamlText(doc)) },
      { weight: 60, arbitrary: fc.constantFrom(...YAML_SPECIALS) },
      { weight: 3, arbitrary: fc.constantFrom(...YAML_EXPENSIVE) },
      { weight: 100, arbitrary: randomText },
    ),
  );
  door(
    'scenario-json',
    'fuzz.json',
    fc.oneof(
      { weight: 1200, arbitrary: mutateObject(BASE_SCENARIO).map((doc) => jsonText(doc)) },
      { weight: 300, arbitrary: mutateText(BASE_JSON) },
      { weight: 100, arbitrary: randomText },
      { weight: 40, arbitrary: fc.constantFrom('{"id": 1e999}', '{"id": "\\ud800"}', '{"__proto__": {"id": "x"}}', '{"a": 1, "a": 2}') },
      { weight: 3, arbitrary: fc.constantFrom(DEEP_JSON_TEXT, `{"id": "${'x'.repeat(50_000)}"}`) },
    ),
  );
});
