/** What the history panel shows of a HistoryView: keys, windows, focus ranges, words. Pure. */
import type { HistoryOpView, HistoryView, HistoryWindowView, WindowVerdict } from '../../src-shared/history/types';
import type { Verdict } from '../../src-shared/linearizability/history';
import { windowRange, type HistoryZoom } from '../../src-shared/history/svg';

export type Zoom = HistoryZoom;

function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The keys (objects) of a view, in natural order. */
export function keysOf(view: HistoryView | null): string[] {
  if (!view) return [];
  const keys = new Set<string>();
  for (const w of view.windows) keys.add(w.key);
  for (const o of view.ops) keys.add(o.key);
  return [...keys].sort(natural);
}

/** The windows of one key, oldest first. */
export function windowsOf(view: HistoryView | null, key: string | null): HistoryWindowView[] {
  if (!view || key === null) return [];
  return view.windows.filter((w) => w.key === key).sort((a, b) => a.from - b.from || a.id - b.id);
}

const DECIDED: ReadonlySet<WindowVerdict> = new Set(['linearizable', 'not-linearizable', 'unknown']);

/** The key to show first: where the latest violation is, else the latest checked window's key. */
export function defaultKey(view: HistoryView | null): string | null {
  if (!view) return null;
  const bad = view.windows.filter((w) => w.verdict === 'not-linearizable').sort((a, b) => b.from - a.from);
  if (bad.length) return bad[0]!.key;
  const decided = view.windows.filter((w) => DECIDED.has(w.verdict)).sort((a, b) => b.from - a.from);
  if (decided.length) return decided[0]!.key;
  return keysOf(view)[0] ?? null;
}

/** The window to show first for a key: its latest violation, else its latest decided window, else the open one. */
export function defaultWindow(view: HistoryView | null, key: string | null): number | null {
  const ws = windowsOf(view, key);
  const bad = ws.filter((w) => w.verdict === 'not-linearizable');
  if (bad.length) return bad[bad.length - 1]!.id;
  const decided = ws.filter((w) => DECIDED.has(w.verdict));
  if (decided.length) return decided[decided.length - 1]!.id;
  return ws.length ? ws[ws.length - 1]!.id : null;
}

/** The time range to draw: around the failure, the window, or everything of the key (shared with reports). */
export const focusRange = windowRange;

export function verdictTone(v: WindowVerdict | Verdict | 'none'): 'good' | 'bad' | 'warn' | 'muted' {
  return v === 'linearizable' ? 'good' : v === 'not-linearizable' ? 'bad' : v === 'unknown' ? 'warn' : 'muted';
}

export const VERDICT_WORDS: Record<WindowVerdict | 'none', string> = {
  linearizable: 'Linearizable',
  'not-linearizable': 'Not linearizable',
  unknown: 'Unknown (budget)',
  open: 'Collecting',
  queued: 'Checking',
  none: 'Nothing checked yet',
};

export const VERDICT_ICON: Record<WindowVerdict | 'none', string> = {
  linearizable: '✓',
  'not-linearizable': '✗',
  unknown: '?',
  open: '…',
  queued: '…',
  none: '·',
};

/** 12_345 ms → '12.345 s'; line numbers stay lines. */
export function formatAt(t: number, unit: 'ms' | 'line'): string {
  return unit === 'line' ? `line ${Math.round(t)}` : `${(t / 1000).toFixed(3)} s`;
}

export function describeOp(o: HistoryOpView | undefined, unit: 'ms' | 'line'): string {
  if (!o) return '(no longer kept)';
  const end = o.ret === null ? (o.status === 'pending' ? 'pending' : 'never returned') : formatAt(o.ret, unit);
  return `${o.client}: ${o.label}  [${formatAt(o.call, unit)} → ${end}]`;
}
