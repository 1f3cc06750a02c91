/**
 * The history view's geometry, and the same picture as a standalone SVG string for reports.
 *
 *   const layout = layoutHistory(view, { width: 960, key: 'k2' });   // the app draws this
 *   const svg = renderHistorySvg(view, { width: 960, key: 'k2' });   // a report embeds this
 *
 * One lane per client; each operation is a bar from its call to its return (an operation
 * that never returned runs to the right edge, dashed). Bars of the linearization carry their
 * position in it (1, 2, 3…) and a thin path joins them in that order. In a window that is not
 * linearizable the offending operations are outlined in red, the operation whose return
 * could not be passed is filled red, and a red line marks that return: the point where
 * every linearization fails. Windows are shaded bands labelled with their verdict.
 *
 * Pure: no DOM. Text is escaped; the SVG carries its own styles (light, print-friendly).
 */
import type { HistoryOpView, HistoryView, HistoryWindowView, WindowVerdict } from './types';

export type HistoryZoom = 'failure' | 'window' | 'key';

export interface HistoryLayoutOptions {
  /** Total width in px (default 960). */
  width?: number;
  /** Only the operations (and windows) of this key; default: every key. */
  key?: string | null;
  /** Only operations that overlap [from, to] (view time units). */
  from?: number;
  to?: number;
  /** Keep at most this many operations, the latest ones (default 400). */
  maxOps?: number;
  /** Height of one row of bars (default 22). */
  rowHeight?: number;
  /** Draw the linearization path only for windows with at most this many linearized ops (default 120). */
  maxPath?: number;
}

export type BarKind = 'read' | 'write' | 'cas' | 'other';

export interface BarLayout {
  op: HistoryOpView;
  x0: number;
  x1: number;
  y: number;
  h: number;
  kind: BarKind;
  /** Runs off the right edge (never returned). */
  open: boolean;
  /** 1-based position in its window's linearization, if linearized. */
  order?: number;
  offending: boolean;
  stuck: boolean;
  /** The label, clipped to fit inside the bar or beside it ('' if nothing fits). */
  text: string;
  /** Where the label starts; beside the bar (to its right) when it does not fit inside. */
  textX: number;
  textOutside: boolean;
  /** Full description for tooltips. */
  title: string;
}

export interface LaneLayout {
  client: string;
  y: number;
  h: number;
}

export interface BandLayout {
  window: HistoryWindowView;
  x0: number;
  x1: number;
  label: string;
}

export interface FailLayout {
  window: number;
  x: number;
  label: string;
}

export interface TickLayout {
  x: number;
  label: string;
}

export interface HistoryLayout {
  width: number;
  height: number;
  /** Plot area. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  t0: number;
  t1: number;
  lanes: LaneLayout[];
  bars: BarLayout[];
  bands: BandLayout[];
  /** One polyline per window, through its linearized bars in order. */
  paths: { window: number; points: [number, number][] }[];
  fails: FailLayout[];
  ticks: TickLayout[];
  /** Operations of the chosen key left out by the time range and the size limit. */
  hidden: number;
  timeUnit: 'ms' | 'line';
}

const LEFT = 118;
const RIGHT = 16;
const TOP = 50;
const AXIS = 48;
const CHAR_W = 6.1;
/** Narrowest bar drawn (an operation that took no time is still visible). */
const MIN_BAR = 7;

export const VERDICT_LABEL: Record<WindowVerdict | 'none', string> = {
  linearizable: '✓ linearizable',
  'not-linearizable': '✗ not linearizable',
  unknown: '? unknown (budget)',
  open: '… open',
  queued: '… checking',
  none: 'nothing checked yet',
};

function kindOf(f: string): BarKind {
  if (f === 'read' || f === 'get') return 'read';
  if (f === 'write' || f === 'put' || f === 'append') return 'write';
  if (f === 'cas') return 'cas';
  return 'other';
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

function formatTime(t: number, unit: 'ms' | 'line', step: number): string {
  if (unit === 'line') return `line ${Math.round(t)}`;
  // As many decimals of a second as the tick step needs (step 2 ms → 3 decimals).
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step / 1000) - 1e-9)));
  return `${(t / 1000).toFixed(decimals)} s`;
}

function clip(text: string, px: number): string {
  const n = Math.floor((px - 8) / CHAR_W);
  if (n < 4) return '';
  return text.length <= n ? text : text.slice(0, n - 1) + '…';
}

function opTitle(op: HistoryOpView, unit: 'ms' | 'line'): string {
  const at = (t: number) => (unit === 'line' ? `line ${t}` : `${(t / 1000).toFixed(3)} s`);
  const span = op.ret === null ? `${at(op.call)} → ${op.status === 'pending' ? 'pending' : 'never returned'}` : `${at(op.call)} → ${at(op.ret)}`;
  return `#${op.id} ${op.client}${op.key ? ` [${op.key}]` : ''}: ${op.label} (${span})`;
}

/** Windows to draw for a key filter: the key's windows, or all of them when there is one key only. */
function windowsFor(view: HistoryView, key: string | null | undefined): HistoryWindowView[] {
  if (key !== null && key !== undefined) return view.windows.filter((w) => w.key === key);
  const keys = new Set(view.windows.map((w) => w.key));
  return keys.size <= 1 ? view.windows : [];
}

export function layoutHistory(view: HistoryView, opts: HistoryLayoutOptions = {}): HistoryLayout {
  const width = Math.max(320, opts.width ?? 960);
  const rowH = opts.rowHeight ?? 22;
  const maxOps = opts.maxOps ?? 400;
  const key = opts.key;
  const unit = view.time_unit;

  let ops = view.ops.filter((o) => key === null || key === undefined || o.key === key);
  const keyed = ops.length;
  const lastT = (o: HistoryOpView) => (o.ret === null ? Infinity : o.ret);
  if (opts.from !== undefined) ops = ops.filter((o) => lastT(o) >= opts.from!);
  if (opts.to !== undefined) ops = ops.filter((o) => o.call <= opts.to!);
  if (ops.length > maxOps) ops = [...ops].sort((a, b) => a.call - b.call || a.id - b.id).slice(ops.length - maxOps);

  // Time range.
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const o of ops) {
    t0 = Math.min(t0, o.call);
    t1 = Math.max(t1, o.call, o.ret ?? o.call);
  }
  if (opts.from !== undefined) t0 = Math.max(Number.isFinite(t0) ? t0 : opts.from, opts.from);
  if (opts.to !== undefined) t1 = Math.min(Number.isFinite(t1) ? t1 : opts.to, opts.to);
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) {
    t0 = opts.from ?? 0;
    t1 = opts.to ?? t0 + (unit === 'line' ? 10 : 1000);
  }
  const pad = Math.max((t1 - t0) * 0.04, unit === 'line' ? 1 : 5);
  const anyOpen = ops.some((o) => o.ret === null);
  t1 += anyOpen ? pad * 2 : pad;
  t0 -= pad / 2;
  const left = LEFT;
  const right = width - RIGHT;
  const x = (t: number) => left + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * (right - left);

  // Lanes: one per client, with as many rows as its overlapping operations need.
  const byClient = new Map<string, HistoryOpView[]>();
  for (const o of ops) {
    const list = byClient.get(o.client) ?? [];
    list.push(o);
    byClient.set(o.client, list);
  }
  const clients = [...byClient.keys()].sort(naturalCompare);
  const lanes: LaneLayout[] = [];
  const rowOf = new Map<number, { lane: number; row: number }>();
  let y = TOP;
  const rowsPerLane: number[] = [];
  clients.forEach((c, li) => {
    const list = byClient.get(c)!.sort((a, b) => a.call - b.call || a.id - b.id);
    const rowEnd: number[] = [];
    for (const o of list) {
      const x0 = x(o.call);
      let r = rowEnd.findIndex((end) => end + 2 <= x0);
      if (r < 0) {
        r = rowEnd.length;
        rowEnd.push(0);
      }
      rowEnd[r] = Math.max(x(o.ret ?? t1), x0 + MIN_BAR);
      rowOf.set(o.id, { lane: li, row: r });
    }
    const rows = Math.max(1, rowEnd.length);
    rowsPerLane.push(rows);
    lanes.push({ client: c, y, h: rows * rowH + 6 });
    y += rows * rowH + 6;
  });
  const plotBottom = Math.max(y, TOP + rowH + 6);

  // Windows: order of each linearized op, offending and stuck sets.
  const windows = windowsFor(view, key);
  const order = new Map<number, number>();
  const offending = new Set<number>();
  const stuck = new Set<number>();
  for (const w of windows) {
    w.linearization.forEach((id, i) => order.set(id, i + 1));
    for (const id of w.offending) offending.add(id);
    if (w.stuck !== undefined) stuck.add(w.stuck);
  }

  const bars: BarLayout[] = [];
  for (const o of ops) {
    const pos = rowOf.get(o.id)!;
    const lane = lanes[pos.lane]!;
    const x0 = x(o.call);
    const open = o.ret === null;
    const x1 = Math.max(x0 + MIN_BAR, open ? right : x(o.ret!));
    const b: BarLayout = {
      op: o,
      x0,
      x1,
      y: lane.y + 3 + pos.row * rowH,
      h: rowH - 6,
      kind: kindOf(o.f),
      open,
      offending: offending.has(o.id),
      stuck: stuck.has(o.id),
      text: '',
      textX: x0 + 4,
      textOutside: false,
      title: opTitle(o, unit),
    };
    const ord = order.get(o.id);
    if (ord !== undefined) b.order = ord;
    bars.push(b);
  }
  // Labels: inside the bar when they fit, else beside it up to the next bar of the row.
  const rows = new Map<string, BarLayout[]>();
  for (const b of bars) {
    const k = `${b.y}`;
    const list = rows.get(k) ?? [];
    list.push(b);
    rows.set(k, list);
  }
  for (const list of rows.values()) {
    list.sort((a, b) => a.x0 - b.x0);
    list.forEach((b, i) => {
      const badge = b.order !== undefined ? 10 + String(b.order).length * 6 : 0;
      const inside = b.x1 - b.x0 - badge;
      const full = clip(b.op.label, Number.MAX_SAFE_INTEGER);
      if (full.length * CHAR_W + 8 <= inside) {
        b.text = full;
        b.textX = b.x0 + 4 + badge;
        return;
      }
      const next = list[i + 1]?.x0 ?? right;
      // Beside the bar, after its order badge when the badge is wider than the bar.
      const start = Math.max(b.x1, b.x0 + 2 + (badge ? badge - 2 : 0)) + 4;
      const beside = next - start - 2;
      if (beside >= 48 && beside > inside) {
        b.text = clip(b.op.label, beside);
        b.textX = start;
        b.textOutside = true;
      } else {
        b.text = clip(b.op.label, inside);
        b.textX = b.x0 + 4 + badge;
      }
    });
  }

  const barById = new Map(bars.map((b) => [b.op.id, b]));
  const maxPath = opts.maxPath ?? 120;
  const paths: HistoryLayout['paths'] = [];
  const bands: BandLayout[] = [];
  const fails: FailLayout[] = [];
  for (const w of windows) {
    const from = Math.max(w.from, t0);
    const to = w.to === null ? t1 : Math.min(w.to, t1);
    if (to >= t0 && from <= t1) bands.push({ window: w, x0: x(from), x1: x(to), label: `#${w.id} ${VERDICT_LABEL[w.verdict]}` });
    if (w.linearization.length > 1 && w.linearization.length <= maxPath) {
      const pts: [number, number][] = [];
      for (const id of w.linearization) {
        const b = barById.get(id);
        if (b) pts.push([(b.x0 + Math.min(b.x1, b.open ? b.x0 + 40 : b.x1)) / 2, b.y + b.h / 2]);
      }
      if (pts.length > 1) paths.push({ window: w.id, points: pts });
    }
    if (w.verdict === 'not-linearizable' && w.fail_at !== undefined && w.fail_at >= t0 && w.fail_at <= t1) {
      const s = w.stuck === undefined ? undefined : view.ops.find((o) => o.id === w.stuck);
      fails.push({ window: w.id, x: x(w.fail_at), label: s ? `fails here: ${s.client} ${s.label} cannot be linearized` : 'fails here' });
    }
  }

  const span = t1 - t0;
  const step = unit === 'line' ? Math.max(1, niceStep(span, (right - left) / 110)) : niceStep(span, (right - left) / 110);
  const ticks: TickLayout[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push({ x: x(t), label: formatTime(t, unit, step) });

  return {
    width,
    height: plotBottom + AXIS + 6,
    left,
    right,
    top: TOP,
    bottom: plotBottom,
    t0,
    t1,
    lanes,
    bars,
    bands,
    paths,
    fails,
    ticks,
    hidden: keyed - ops.length,
    timeUnit: unit,
  };
}

// ---- SVG string ------------------------------------------------------------------------

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const n = (v: number) => (Math.round(v * 10) / 10).toString();

const STYLE = `
.hv-bg{fill:#ffffff}
.hv-title{font:600 14px sans-serif;fill:#0d1117}
.hv-sub{font:12px sans-serif;fill:#3d4856}
.hv-lane{fill:#f4f6f9}
.hv-lane-alt{fill:#ffffff}
.hv-client{font:600 12px monospace;fill:#0d1117}
.hv-band{fill:none;stroke:#c5ccd6;stroke-dasharray:2 3}
.hv-band-label{font:11px sans-serif;fill:#3d4856}
.hv-band.v-linearizable{fill:#00795a;fill-opacity:.05}
.hv-band.v-not-linearizable{fill:#c0392b;fill-opacity:.07}
.hv-band.v-unknown{fill:#a86f00;fill-opacity:.06}
.hv-bar{stroke-width:1.2}
.hv-bar.k-read{fill:#cfe6f7;stroke:#0072b2}
.hv-bar.k-write{fill:#fbe3c0;stroke:#a86f00}
.hv-bar.k-cas{fill:#ecd3e5;stroke:#a0457e}
.hv-bar.k-other{fill:#e3e7ec;stroke:#56657a}
.hv-bar.s-fail{fill:#eef1f5;stroke:#8592a3;stroke-dasharray:3 2}
.hv-bar.s-info,.hv-bar.s-pending{fill-opacity:.35;stroke-dasharray:6 3}
.hv-bar.offending{stroke:#c0392b;stroke-width:2.6}
.hv-bar.stuck{fill:#f5c6bf}
.hv-text{font:11px monospace;fill:#0d1117}
.hv-text.outside{fill:#3d4856}
.hv-order{font:700 10px sans-serif;fill:#ffffff}
.hv-order-dot{fill:#0d1117}
.hv-path{fill:none;stroke:#0d1117;stroke-opacity:.45;stroke-width:1;stroke-dasharray:1 2}
.hv-fail{stroke:#c0392b;stroke-width:2;stroke-dasharray:5 3}
.hv-fail-label{font:700 11px sans-serif;fill:#c0392b}
.hv-axis{stroke:#6a7582}
.hv-tick{font:10px sans-serif;fill:#3d4856}
.hv-legend{font:11px sans-serif;fill:#3d4856}
`;

export interface HistorySvgOptions extends HistoryLayoutOptions {
  /** Heading drawn above the lanes (default: the view's title and verdict). */
  heading?: string;
}

/**
 * The history view as a standalone SVG document fragment (`<svg …>…</svg>`), for HTML
 * reports. Same geometry as the app's view (layoutHistory).
 */
export function renderHistorySvg(view: HistoryView, opts: HistorySvgOptions = {}): string {
  const L = layoutHistory(view, opts);
  const out: string[] = [];
  const heading = opts.heading ?? `${view.title}${opts.key ? ` · key ${opts.key}` : ''} — ${VERDICT_LABEL[view.verdict]}`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="history-view" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" role="img" aria-label="${escapeXml(`Operation history: ${view.summary}`)}">`,
  );
  out.push(`<style>${STYLE}</style>`);
  out.push(`<rect class="hv-bg" x="0" y="0" width="${L.width}" height="${L.height}"/>`);
  out.push(`<text class="hv-title" x="8" y="16">${escapeXml(heading)}</text>`);
  out.push(`<text class="hv-sub" x="8" y="29">${escapeXml(`${view.summary} · model ${view.model}`)}</text>`);
  L.lanes.forEach((lane, i) => {
    out.push(`<rect class="${i % 2 ? 'hv-lane-alt' : 'hv-lane'}" x="0" y="${n(lane.y)}" width="${L.width}" height="${n(lane.h)}"/>`);
    out.push(`<text class="hv-client" x="8" y="${n(lane.y + Math.min(lane.h, 22) / 2 + 4)}">${escapeXml(clip(lane.client, L.left - 12))}</text>`);
  });
  for (const b of L.bands) {
    out.push(`<rect class="hv-band v-${b.window.verdict}" x="${n(b.x0)}" y="${n(L.top - 2)}" width="${n(Math.max(1, b.x1 - b.x0))}" height="${n(L.bottom - L.top + 4)}"/>`);
    out.push(`<text class="hv-band-label" x="${n(b.x0 + 3)}" y="${n(L.top - 7)}">${escapeXml(clip(b.label, Math.max(0, b.x1 - b.x0)))}</text>`);
  }
  for (const p of L.paths) out.push(`<polyline class="hv-path" points="${p.points.map(([px, py]) => `${n(px)},${n(py)}`).join(' ')}"/>`);
  for (const b of L.bars) {
    const cls = ['hv-bar', `k-${b.kind}`, `s-${b.op.status}`, b.offending ? 'offending' : '', b.stuck ? 'stuck' : ''].filter(Boolean).join(' ');
    out.push(`<g><title>${escapeXml(b.title)}</title>`);
    out.push(`<rect class="${cls}" x="${n(b.x0)}" y="${n(b.y)}" width="${n(b.x1 - b.x0)}" height="${n(b.h)}" rx="3"/>`);
    if (b.order !== undefined) {
      const w = 8 + String(b.order).length * 6;
      out.push(`<rect class="hv-order-dot" x="${n(b.x0 + 2)}" y="${n(b.y + 2)}" width="${w}" height="${n(b.h - 4)}" rx="${n((b.h - 4) / 2)}"/>`);
      out.push(`<text class="hv-order" x="${n(b.x0 + 2 + w / 2)}" y="${n(b.y + b.h / 2 + 3.5)}" text-anchor="middle">${b.order}</text>`);
    }
    if (b.text) out.push(`<text class="hv-text${b.textOutside ? ' outside' : ''}" x="${n(b.textX)}" y="${n(b.y + b.h / 2 + 4)}">${escapeXml(b.text)}</text>`);
    out.push('</g>');
  }
  for (const f of L.fails) {
    out.push(`<line class="hv-fail" x1="${n(f.x)}" x2="${n(f.x)}" y1="${n(L.top - 4)}" y2="${n(L.bottom + 22)}"/>`);
    const anchor = f.x > (L.left + L.right) / 2 ? 'end' : 'start';
    out.push(`<text class="hv-fail-label" x="${n(f.x + (anchor === 'end' ? -4 : 4))}" y="${n(L.bottom + 32)}" text-anchor="${anchor}">${escapeXml(f.label)}</text>`);
  }
  out.push(`<line class="hv-axis" x1="${n(L.left)}" x2="${n(L.right)}" y1="${n(L.bottom + 2)}" y2="${n(L.bottom + 2)}"/>`);
  for (const t of L.ticks) {
    out.push(`<line class="hv-axis" x1="${n(t.x)}" x2="${n(t.x)}" y1="${n(L.bottom + 2)}" y2="${n(L.bottom + 6)}"/>`);
    out.push(`<text class="hv-tick" x="${n(t.x)}" y="${n(L.bottom + 17)}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  const legend = 'bars: call → return · dashed: indeterminate / failed · n: position in the linearization · red: offending operations, red line: where it fails';
  out.push(`<text class="hv-legend" x="8" y="${n(L.height - 5)}">${escapeXml(legend + (L.hidden > 0 ? ` · ${L.hidden} operations not shown` : ''))}</text>`);
  out.push('</svg>');
  return out.join('');
}

// ---- ranges and report figures -----------------------------------------------------------

/** The time range to draw for a window: around its failure, the whole window, or (undefined) everything. */
export function windowRange(view: HistoryView, w: HistoryWindowView | null, zoom: HistoryZoom): { from: number; to: number } | undefined {
  if (!w || zoom === 'key') return undefined;
  const byId = new Map(view.ops.map((o) => [o.id, o]));
  if (zoom === 'failure' && w.verdict === 'not-linearizable' && w.offending.length) {
    let from = Infinity;
    let to = w.fail_at ?? -Infinity;
    for (const id of w.offending) {
      const o = byId.get(id);
      if (!o) continue;
      from = Math.min(from, o.call);
      to = Math.max(to, o.ret ?? o.call);
    }
    if (Number.isFinite(from) && Number.isFinite(to)) {
      const pad = Math.max((to - from) * 0.15, view.time_unit === 'line' ? 2 : 20);
      return { from: from - pad, to: to + pad };
    }
  }
  let from = w.from;
  let to = w.to ?? -Infinity;
  for (const id of w.ops) {
    const o = byId.get(id);
    if (!o) continue;
    from = Math.min(from, o.call);
    to = Math.max(to, o.ret ?? o.call);
  }
  return Number.isFinite(to) ? { from, to } : undefined;
}

export interface HistoryFigure {
  key: string;
  window: number;
  verdict: WindowVerdict;
  /** One line for under the figure. */
  caption: string;
  /** Standalone SVG (renderHistorySvg). */
  svg: string;
}

/**
 * Figures for a report, one per key (failing keys first): the key's first window proven not
 * linearizable, zoomed to where it fails, else its latest checked window.
 */
export function historyFigures(view: HistoryView, opts: { width?: number; maxFigures?: number } = {}): HistoryFigure[] {
  const byKey = new Map<string, HistoryWindowView[]>();
  for (const w of view.windows) byKey.set(w.key, [...(byKey.get(w.key) ?? []), w]);
  const picks: HistoryWindowView[] = [];
  for (const ws of byKey.values()) {
    ws.sort((a, b) => a.from - b.from || a.id - b.id);
    const bad = ws.find((w) => w.verdict === 'not-linearizable');
    const decided = ws.filter((w) => w.verdict === 'linearizable' || w.verdict === 'unknown');
    const pick = bad ?? decided[decided.length - 1];
    if (pick) picks.push(pick);
  }
  picks.sort((a, b) => Number(b.verdict === 'not-linearizable') - Number(a.verdict === 'not-linearizable') || a.key.localeCompare(b.key, 'en', { numeric: true }));
  const byId = new Map(view.ops.map((o) => [o.id, o]));
  return picks.slice(0, opts.maxFigures ?? 4).map((w) => {
    const range = windowRange(view, w, w.verdict === 'not-linearizable' ? 'failure' : 'window');
    const where = view.source === 'run' ? `window #${w.id} of key ${w.key}` : w.key === '' ? 'the register' : `key ${w.key}`;
    const stuck = w.stuck === undefined ? undefined : byId.get(w.stuck);
    const caption =
      w.verdict === 'not-linearizable'
        ? `${where}: not linearizable — ${w.offending.length} offending operations${stuck ? `; no linearization passes the return of ${stuck.client}: ${stuck.label}` : ''}`
        : `${where}: ${VERDICT_LABEL[w.verdict].replace(/^\S+ /, '')} (${w.ops.length} operations${w.start ? `, from ${w.start}` : ''})`;
    const heading = `${view.title} — ${where}: ${VERDICT_LABEL[w.verdict]}`;
    return { key: w.key, window: w.id, verdict: w.verdict, caption, svg: renderHistorySvg(view, { width: opts.width ?? 900, key: w.key, heading, ...(range ?? {}) }) };
  });
}
