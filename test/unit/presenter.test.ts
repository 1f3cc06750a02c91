/**
 * Presenter mode and the command palette (issue 7): demo presets are validated whole with
 * errors naming the entry; the clicker steps through them; the spotlight repeats mode
 * changes and broken claims; Ctrl combinations and F-keys reach the one action registry.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ActionRegistry, keyLabel } from '../../src-renderer/lib/actions';
import { matchActions } from '../../src-renderer/lib/palette';
import { spotsOf, strategyAt } from '../../src-renderer/lib/presenter/presenter.svelte';
import { loadScenarioDir } from '../../src-main/scenarios/scenario-store';
import { loadDemoDir, parseDemoText } from '../../src-main/scenarios/demo-store';
import type { DemoPreset } from '../../src-shared/demo/demo';

const scenarios = loadScenarioDir('scenarios').scenarios;
const nt1 = readFileSync('scenarios/demos/nt1-log-replication.yaml', 'utf8');

describe('demo presets', () => {
  it('every built-in preset loads, one or more per scenario that has a DEMOS.md story', () => {
    const store = loadDemoDir('scenarios/demos', scenarios);
    expect(store.errors).toEqual([]);
    const covered = new Set(store.demos.map((d) => d.scenario));
    for (const id of ['nt1-log-replication', 'nt2-iot-election', 'nt3-satellite-smr', 'mt2-checkout-transactions', 'mt3-cdn-config']) expect(covered).toContain(id);
    for (const d of store.demos) expect(d.steps.every((s) => s.say.length > 20)).toBe(true);
  });

  it('a bad entry is named precisely, and the file is refused whole', () => {
    const cases: [string, RegExp][] = [
      [nt1.replace('groups: [[apac], [us-east, eu-west]]', 'groups: [[apax], [us-east, eu-west]]'), /steps\[2\]\.do\[0\]\.groups\[0\]\[0\]: unknown node or group "apax"/],
      [nt1.replace('strategy: async-ap', 'strategy: async-xx'), /steps\[4\]\.strategy: "async-xx" is not a strategy/],
      [nt1.replace('scenario: nt1-log-replication', 'scenario: nt9'), /scenario: unknown scenario "nt9"/],
      [nt1.replace('run_for: 10s\n    speed: 5', 'run_for: soon\n    speed: 5'), /steps\[0\]\.run_for: expected a duration/],
      [nt1.replace('speed: 5', 'speed: 7'), /steps\[0\]\.speed: expected one of/],
      [nt1.replace('    say: Every write', '    sya: oops\n    say: Every write'), /steps\[0\]\.sya: unknown field/],
      ['steps: [', /not valid YAML\/JSON/],
    ];
    for (const [text, err] of cases) expect(() => parseDemoText(text, scenarios, 'demos/x.yaml')).toThrow(err);
  });

  it('the strategy in effect at a step is the last one named up to it', () => {
    const demo = parseDemoText(nt1, scenarios, 'nt1.yaml');
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => strategyAt(demo, i))).toEqual(['sync-cp', 'async-cp', 'async-cp', 'async-cp', 'async-ap', 'async-ap', 'async-ap']);
    const plain: DemoPreset = { ...demo, steps: demo.steps.map((s) => ({ ...s, strategy: null })) };
    expect(strategyAt(plain, 3)).toBe('sync-cp');
  });
});

describe('spotlight', () => {
  it('mode changes, broken claims and violations, with scope labels; nothing else', () => {
    const spots = spotsOf(
      {
        records: [
          { seq: 1, t_ms: 1, kind: 'mode', scope: 'apac', from: 'Target', to: 'Degraded', evidence: [], reason: '' },
          { seq: 2, t_ms: 1, kind: 'claim', scope: 'apac', status: 'broken', components: ['scope', 'recency'], observed: '', claimed: '', evidence: [] },
          { seq: 3, t_ms: 1, kind: 'claim', scope: 'apac', status: 'restored', components: ['scope'], observed: '', claimed: '', evidence: [] },
          { seq: 4, t_ms: 1, kind: 'invariant', invariant: 'x', status: 'violated', text: 'two coordinators in term 2', evidence: [] },
          { seq: 5, t_ms: 1, kind: 'evidence', type: 'heartbeat-missed', scope: 'apac', node: 'apac-1', detail: {} } as never,
        ],
      },
      (id) => (id === 'apac' ? 'Asia-Pacific' : id),
    );
    expect(spots).toEqual([
      { text: 'Asia-Pacific: Target → Degraded', tone: 'mode' },
      { text: 'Asia-Pacific: claim broken — Scope, Recency', tone: 'broken' },
      { text: 'Invariant violated: two coordinators in term 2', tone: 'violation' },
    ]);
  });
});

describe('keys and the palette read one registry', () => {
  const reg = new ActionRegistry().register(
    { id: 'palette', label: 'Command palette', keys: ['F1', 'Ctrl+k'], group: 'View', run: () => {} },
    { id: 'cut', label: 'Isolate Asia-Pacific', keys: ['3'], group: 'Faults', run: () => {} },
    { id: 'pdf', label: 'Export the report as PDF', keys: ['p'], group: 'Session', run: () => {} },
    { id: 'next', label: 'Demo: next step (clicker)', keys: ['PageDown'], group: 'Run', run: () => {} },
  );

  it('Ctrl+K (or ⌘K) and F1 open the palette, even from a text field; plain keys do not fire in a text field', () => {
    const input = { tagName: 'INPUT', type: 'text' };
    expect(reg.handleKey({ key: 'k', ctrlKey: true, target: input })?.id).toBe('palette');
    expect(reg.handleKey({ key: 'K', metaKey: true })?.id).toBe('palette');
    expect(reg.handleKey({ key: 'F1' })?.id).toBe('palette');
    expect(reg.handleKey({ key: 'p', target: input })).toBeNull();
    expect(reg.handleKey({ key: 'p', ctrlKey: true })).toBeNull(); // Ctrl+P is not ours
    expect(reg.handleKey({ key: 'PageDown' })?.id).toBe('next');
    expect(keyLabel('Ctrl+k')).toBe('Ctrl+K');
  });

  it('searches by word starts in labels and groups', () => {
    const ids = (q: string) => matchActions(reg.all(), q).map((a) => a.id);
    expect(ids('')).toHaveLength(4);
    expect(ids('isol')).toEqual(['cut']);
    expect(ids('exp pdf')).toEqual(['pdf']);
    expect(ids('faults')).toEqual(['cut']);
    expect(ids('clicker next')).toEqual(['next']);
    expect(ids('zzz')).toEqual([]);
  });
});
