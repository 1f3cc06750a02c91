/**
 * Door 5: fault scripts (JSON or YAML text) through the real validator
 * (src-main/scenarios/scenario-store.ts `parseFaultScript` → src-shared/actions/validate.ts)
 * against the real NT-1 scenario. Accepted scripts must be whole, sorted and name only
 * known nodes and groups.
 * Door 6: imported outside histories (Jepsen etcd register logs, EDN key-value histories)
 * through the real import path (src-main/host/history-check.ts → src-shared/history →
 * the Porcupine log parser and the linearizability checker).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FAULT_VERBS } from '../../src-shared/actions/fault-actions';
import { parseScenarioText } from '../../src-shared/scenario/load';
import { parseFaultScript } from '../../src-main/scenarios/scenario-store';
import { checkHistoryFile } from '../../src-main/host/history-check';
import { actionArb, DEEP_JSON_TEXT, historyText, jsonText, mutateText, randomText, smallJunk } from './arbitraries';
import { NT1_NAMES } from './ipc-inputs';
import { DoorTally, expectPreciseError, FUZZ_RUNS, FUZZ_SEED, timedSync } from './verdict';

const nt1 = parseScenarioText(readFileSync('scenarios/nt1-log-replication.yaml', 'utf8'), 'nt1');
const CUT_APAC = readFileSync('scenarios/scripts/nt1-cut-apac.yaml', 'utf8');
const known = new Set([...nt1.groups.map((g) => g.id), ...nt1.groups.flatMap((g) => g.nodes), '@leader']);

function yamlText(doc: unknown): string {
  try {
    return stringify(doc, { lineWidth: 0 });
  } catch {
    return DEEP_JSON_TEXT;
  }
}

const script = fc.oneof(
  { weight: 600, arbitrary: fc.array(actionArb(NT1_NAMES, true, smallJunk), { maxLength: 5 }).map((actions) => jsonText({ actions })) },
  { weight: 300, arbitrary: fc.array(actionArb(NT1_NAMES, true, smallJunk), { maxLength: 4 }).map((actions) => yamlText({ actions })) },
  { weight: 200, arbitrary: mutateText(CUT_APAC) },
  { weight: 100, arbitrary: smallJunk.map((j) => jsonText(j)) },
  { weight: 100, arbitrary: randomText },
  // Self-referencing aliases (a cycle after parsing), anchors in odd places: cheap, so common.
  { weight: 40, arbitrary: fc.constantFrom('actions: &a [*a]', 'actions: [{at: 1s, do: cut, link: &l [*l, apac]}]', 'actions: [&e {at: 1s, do: partition, groups: [[*e], [apac]]}]', '{"actions": null}', 'actions:\n  - at: 1s\n    do: kill\n    node: &n [*n]') },
  // Expensive to parse (too deep, too many actions): rare.
  { weight: 2, arbitrary: fc.constantFrom(DEEP_JSON_TEXT, `{"actions": [${'0,'.repeat(10_000)}0]}`) },
);

function namesIn(action: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (Array.isArray(action.link)) out.push(...(action.link as string[]));
  if (typeof action.node === 'string') out.push(action.node);
  if (Array.isArray(action.groups)) out.push(...(action.groups as string[][]).flat());
  return out;
}

describe('fuzz doors: fault scripts and outside histories', () => {
  it('a YAML alias that makes an action contain itself is named, not a JSON crash', () => {
    expect(() => parseFaultScript('actions: [{at: 1s, do: cut, link: &l [*l, apac]}]', nt1, 'x.yaml')).toThrow(
      'x.yaml: actions[0].link[0]: expected a node or group name, got a value that contains itself',
    );
    expect(() => parseFaultScript('[[[['.repeat(1) + '['.repeat(1500), nt1, 'x.yaml')).toThrow(/^x\.yaml: not valid YAML\/JSON: /);
    expect(() => parseFaultScript(`${'['.repeat(1500)}${']'.repeat(1500)}`, nt1, 'x.yaml')).toThrow(/^x\.yaml: not valid YAML\/JSON: nested too deeply/);
  });

  it(`${FUZZ_RUNS} fault scripts: an error naming the entry, or a whole, sorted, known-names script`, () => {
    const tally = new DoorTally('fault-script');
    fc.assert(
      fc.property(script, (text) => {
        let actions;
        try {
          actions = timedSync(tally, text, () => parseFaultScript(text, nt1, 'fuzz.yaml'));
        } catch (e) {
          const message = expectPreciseError(e, text);
          expect(message.startsWith('fuzz.yaml: ')).toBe(true);
          tally.reject();
          return;
        }
        for (let i = 0; i < actions.length; i++) {
          const a = actions[i]!;
          expect(Number.isFinite(a.at_ms) && a.at_ms >= 0).toBe(true);
          if (i > 0) expect(a.at_ms).toBeGreaterThanOrEqual(actions[i - 1]!.at_ms);
          expect(FAULT_VERBS).toContain(a.action.do);
          for (const n of namesIn(a.action as unknown as Record<string, unknown>)) expect(known.has(n), n).toBe(true);
        }
        tally.accept();
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    tally.check();
  });

  it(`${FUZZ_RUNS} outside histories: an error naming the line, or a checked history`, () => {
    const tally = new DoorTally('history');
    const input = fc.tuple(historyText, fc.constantFrom<'auto' | 'cas-register' | 'kv'>('auto', 'auto', 'cas-register', 'kv'));
    fc.assert(
      fc.property(input, ([text, model]) => {
        let view;
        try {
          view = timedSync(tally, text, () => checkHistoryFile(text, model, 'fuzz.log'));
        } catch (e) {
          const message = expectPreciseError(e, text);
          expect(message.startsWith('fuzz.log: ')).toBe(true);
          tally.reject();
          return;
        }
        expect(view).toBeTypeOf('object');
        expect(JSON.stringify(view).length).toBeGreaterThan(2);
        tally.accept();
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    tally.check();
  });
});
