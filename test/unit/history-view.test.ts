import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHistoryText, HistoryTextError } from '../../src-shared/history/check-text';
import { layoutHistory, renderHistorySvg } from '../../src-shared/history/svg';
import type { HistoryView } from '../../src-shared/history/types';
import { checkWithWitness } from '../../src-shared/history/witness';
import { casRegisterModel, parseJepsenRegisterLog, type Verdict } from '../../src-shared/linearizability';
import { defaultKey, defaultWindow, focusRange, keysOf, windowsOf } from '../../src-renderer/lib/history-view';
import { LabHost } from '../../src-main/host/lab-host';
import { MAX_HISTORY_TEXT_CHARS, validateRequest } from '../../src-shared/ipc/contract';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../..', '../shared/external/porcupine-histories');
if (!existsSync(DATA)) throw new Error(`porcupine-histories data not found at ${DATA}`);
const read = (rel: string) => readFileSync(join(DATA, rel), 'utf8');
const known = new Map<string, Verdict>(
  readFileSync(join(DATA, 'etcd-verdicts-sample.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t') as [string, Verdict]),
);

const check = (text: string, name = 'h') => checkHistoryText(text, { name, budgetSteps: 20_000_000 });

describe('outside histories: checked with a witness', () => {
  it('agrees with every known etcd verdict, with a full linearization or a failure point', () => {
    let bad = 0;
    for (const [file, verdict] of known) {
      const v = check(read(`etcd/${file}`), file);
      expect(v.verdict, file).toBe(verdict);
      const w = v.windows[0]!;
      if (verdict === 'linearizable') {
        // Every definite operation is in the linearization.
        const definite = v.ops.filter((o) => o.status !== 'info').map((o) => o.id);
        expect(new Set(w.linearization), file).toEqual(new Set([...definite, ...w.linearization]));
        expect(w.offending).toEqual([]);
      } else {
        bad++;
        expect(w.stuck, file).toBeDefined();
        expect(w.offending, file).toContain(w.stuck);
        const stuck = v.ops.find((o) => o.id === w.stuck)!;
        expect(w.fail_at).toBe(stuck.ret);
        expect(w.linearization).not.toContain(w.stuck);
      }
    }
    expect(bad).toBeGreaterThan(20);
  });

  it('etcd_000: the view names the register, the model, the lines and the operations', () => {
    const v = check(read('etcd/etcd_000.log'), 'etcd_000.log');
    expect(v).toMatchObject({ source: 'file', title: 'etcd_000.log', model: 'cas-register', time_unit: 'line', verdict: 'not-linearizable' });
    expect(v.ops).toHaveLength(85);
    expect(v.ops[0]).toMatchObject({ id: 0, client: expect.stringMatching(/^p\d+$/), key: '', call: 1 });
    expect(v.ops.some((o) => o.status === 'info' && o.ret === null)).toBe(true);
    expect(v.summary).toMatch(/not linearizable: the register; longest linearizable prefix \d+ of 85/);
    // The same result as the checker (failing ops = the checker's).
    const res = checkWithWitness(parseJepsenRegisterLog(read('etcd/etcd_000.log')), casRegisterModel());
    expect(v.windows[0]!.offending).toEqual(res.partitions[0]!.failing);
  });

  it('kv histories: one window per key, the bad one found', () => {
    const ok = check(read('kv/c10-ok.txt'));
    expect(ok.verdict).toBe('linearizable');
    expect(ok.model).toMatch(/^kv/);
    expect(ok.windows.length).toBeGreaterThan(1);
    const bad = check(read('kv/c10-bad.txt'));
    expect(bad.verdict).toBe('not-linearizable');
    expect(bad.windows.some((w) => w.verdict === 'not-linearizable' && w.offending.length > 0)).toBe(true);
  });

  it('an empty etcd log (095) is vacuously linearizable; a budget of 1 step is unknown, never a verdict', () => {
    expect(check(read('etcd/etcd_095.log')).verdict).toBe('linearizable');
    const v = checkHistoryText(read('etcd/etcd_000.log'), { budgetSteps: 1 });
    expect(v.verdict).toBe('unknown');
    expect(v.windows[0]!.note).toMatch(/budget/);
  });

  it('text that is not a history throws naming the line', () => {
    expect(() => check('hello\n')).toThrow(HistoryTextError);
    expect(() => check('hello\n')).toThrow(/line 1/);
    expect(() => check('INFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:write\t3\n')).toThrow(/line 2/);
  });
});

describe('the history picture (layout and SVG for reports)', () => {
  const view = check(read('etcd/etcd_000.log'), 'etcd_000.log');

  it('one lane per client; every op is a bar inside the plot; linearized ops are numbered', () => {
    const L = layoutHistory(view, { width: 900 });
    expect(L.lanes.map((l) => l.client)).toEqual([...new Set(view.ops.map((o) => o.client))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(L.bars).toHaveLength(view.ops.length);
    for (const b of L.bars) {
      expect(b.x0).toBeGreaterThanOrEqual(L.left);
      expect(b.x1).toBeLessThanOrEqual(L.right + 0.001);
      expect(b.x1).toBeGreaterThan(b.x0);
    }
    const w = view.windows[0]!;
    expect(L.bars.filter((b) => b.order !== undefined)).toHaveLength(w.linearization.length);
    expect(L.bars.find((b) => b.op.id === w.stuck)!.stuck).toBe(true);
    expect(L.fails).toHaveLength(1);
    // Bars of one lane never overlap within a row.
    const rows = new Map<number, [number, number][]>();
    for (const b of L.bars) rows.set(b.y, [...(rows.get(b.y) ?? []), [b.x0, b.x1]]);
    for (const spans of rows.values()) {
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
  });

  it('renders a standalone, escaped SVG string with its own styles', () => {
    const svg = renderHistorySvg(view, { width: 800 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<style>');
    expect(svg).toContain('hv-fail');
    expect(svg).toContain('not linearizable');
    expect(svg).not.toMatch(/<script/i);
    const evil: HistoryView = { ...view, title: '<script>alert(1)</script>', ops: view.ops.map((o, i) => (i === 0 ? { ...o, label: '"><img src=x onerror=alert(1)>' } : o)) };
    const s2 = renderHistorySvg(evil);
    expect(s2).not.toContain('<script>');
    expect(s2).not.toContain('<img');
    expect(s2).toContain('&lt;script&gt;');
  });

  it('a time range and a key filter keep what overlaps them', () => {
    const w = view.windows[0]!;
    const L = layoutHistory(view, { from: w.fail_at! - 3, to: w.fail_at! + 3 });
    expect(L.bars.length).toBeGreaterThan(0);
    expect(L.bars.length).toBeLessThan(view.ops.length);
    expect(L.hidden).toBe(view.ops.length - L.bars.length);
    expect(layoutHistory(view, { key: 'nope' }).bars).toEqual([]);
  });
});

describe('renderer: what the history panel shows first', () => {
  const kv = check(read('kv/c10-bad.txt'));

  it('the failing key and its failing window first; focus around the failure', () => {
    const key = defaultKey(kv)!;
    expect(kv.windows.find((w) => w.key === key)!.verdict).toBe('not-linearizable');
    expect(keysOf(kv)).toContain(key);
    const id = defaultWindow(kv, key)!;
    const w = windowsOf(kv, key).find((x) => x.id === id)!;
    expect(w.verdict).toBe('not-linearizable');
    const r = focusRange(kv, w, 'failure')!;
    expect(r.from).toBeLessThanOrEqual(w.fail_at!);
    expect(r.to).toBeGreaterThanOrEqual(w.fail_at!);
    expect(focusRange(kv, w, 'key')).toBeUndefined();
    expect(defaultKey(null)).toBeNull();
  });
});

describe('lab:check-history through the host', () => {
  const host = new LabHost({ scenarioDir: 'scenarios' });

  it('checks the text and answers with the view; a bad text is an error naming the line', async () => {
    const env = await host.handle('lab:check-history', { text: read('etcd/etcd_002.log'), name: 'etcd_002.log' });
    expect(env.ok).toBe(true);
    const v = (env as { ok: true; value: HistoryView }).value;
    expect(v.verdict).toBe('linearizable');
    expect(v.title).toBe('etcd_002.log');
    const bad = await host.handle('lab:check-history', { text: 'garbage', name: 'x.log' });
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/x\.log: .*line 1/) });
  });

  it('the contract bounds the text and the model', () => {
    expect(() => validateRequest('lab:check-history', { text: 'x'.repeat(MAX_HISTORY_TEXT_CHARS + 1) })).toThrow(/longer than/);
    expect(() => validateRequest('lab:check-history', { text: 'x', model: 'sql' })).toThrow(/model/);
    expect(() => validateRequest('lab:check-history', { text: 'x', extra: 1 })).toThrow();
    expect(() => validateRequest('lab:check-history', { text: read('kv/c50-bad.txt') })).not.toThrow();
  });

  it('a run answers lab:history with its view, and null when nothing changed', async () => {
    const open = (await host.handle('lab:open-run', { scenario: 'nt1-log-replication', strategy: 'async-cp' })) as { ok: true; value: { run_id: string } };
    const run_id = open.value.run_id;
    await host.handle('lab:control', { run_id, cmd: 'step', value: 8000 });
    const first = (await host.handle('lab:history', { run_id })) as { ok: true; value: { version: number; view: HistoryView } };
    expect(first.value.view.source).toBe('run');
    expect(first.value.view.ops.length).toBeGreaterThan(10);
    expect(first.value.view.windows.some((w) => w.verdict === 'linearizable')).toBe(true);
    const again = (await host.handle('lab:history', { run_id, since: first.value.version })) as { ok: true; value: { version: number; view: HistoryView | null } };
    expect(again.value).toEqual({ version: first.value.version, view: null });
    await host.handle('lab:control', { run_id, cmd: 'step', value: 1000 });
    const later = (await host.handle('lab:history', { run_id, since: first.value.version })) as { ok: true; value: { version: number; view: HistoryView | null } };
    expect(later.value.view).not.toBeNull();
    host.dispose();
  });
});

it('every etcd log parses and gets a view (103 files)', () => {
  const files = readdirSync(join(DATA, 'etcd')).filter((f) => f.endsWith('.log'));
  expect(files).toHaveLength(103);
  for (const f of files.slice(0, 103)) {
    const v = checkHistoryText(read(`etcd/${f}`), { name: f, budgetSteps: 2_000_000 });
    expect(['linearizable', 'not-linearizable', 'unknown']).toContain(v.verdict);
  }
});

describe('report figures (historyFigures)', () => {
  it('one figure per key, the failing key first, zoomed to its failure, with a caption', async () => {
    const { historyFigures } = await import('../../src-shared/history/svg');
    const figs = historyFigures(check(read('kv/c10-bad.txt'), 'c10-bad.txt'), { maxFigures: 3 });
    expect(figs).toHaveLength(3);
    expect(figs[0]!.verdict).toBe('not-linearizable');
    expect(figs[0]!.caption).toMatch(/^key \S+: not linearizable — \d+ offending operations; no linearization passes the return of p\d+: get/);
    expect(figs[0]!.svg).toContain('hv-fail');
    const one = historyFigures(check(read('etcd/etcd_002.log'), 'etcd_002.log'));
    expect(one).toHaveLength(1);
    expect(one[0]!.caption).toMatch(/^the register: linearizable \(77 operations, from nil\)$/);
  });
});
