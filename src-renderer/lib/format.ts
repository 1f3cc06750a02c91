/** Formatting for the top bar, metrics and timeline. Pure. */
import type { MetricValue } from '../../src-shared/ipc/frames';

/** 42_300 → 't = 42.3 s'; minutes beyond 10 min: 't = 12:03.4'. */
export function formatClock(t_ms: number): string {
  if (!Number.isFinite(t_ms)) return 't = —';
  const s = Math.max(0, t_ms) / 1000;
  if (s < 600) return `t = ${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `t = ${m}:${rest.toFixed(1).padStart(4, '0')}`;
}

/** Time stamp in the timeline: 12_345 → '12.345 s'. */
export function formatStamp(t_ms: number): string {
  return `${(t_ms / 1000).toFixed(3)} s`;
}

export function shortDigest(digest: string, n = 8): string {
  const hex = digest.replace(/^sha-?256:/i, '');
  return hex.length > n ? hex.slice(0, n) : hex || '—';
}

/** 'US East (Virginia)' → 'US East': the map and panel headings use the short form. */
export function shortLabel(label: string): string {
  const s = label.replace(/\s*\([^)]*\)\s*$/, '').trim();
  return s || label;
}

export function formatSpeed(speed: number): string {
  return `×${speed}`;
}

export interface MetricRow {
  key: string;
  label: string;
  value: string;
}

const UNIT_RE = /_(ms|s|pct|percent|bytes|count)$/;
/** Statistics that keep their parent's unit (write_latency_ms.p99 is in ms; .count is not). */
const SAME_UNIT_STATS = /^(p\d+(\.\d+)?|mean|avg|average|median|min|max|last|sum)$/i;

/** Units from the key's suffix: write_latency_ms → 'ms', write_latency_ms.p99 → 'ms'. */
export function unitOf(path: string[]): string {
  const own = (seg: string) => {
    const m = UNIT_RE.exec(seg);
    if (!m) return null;
    return m[1] === 'pct' || m[1] === 'percent' ? '%' : m[1] === 'count' ? '' : m[1]!;
  };
  const last = path[path.length - 1] ?? '';
  const u = own(last);
  if (u !== null) return u;
  if (path.length > 1 && SAME_UNIT_STATS.test(last)) return own(path[path.length - 2]!) ?? '';
  return '';
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '−∞' : '—';
  const abs = Math.abs(n);
  if (abs >= 10_000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100 || Number.isInteger(n)) return String(Math.round(n * 10) / 10);
  if (abs >= 1) return n.toFixed(1);
  return n === 0 ? '0' : n.toPrecision(2);
}

function labelOf(path: string[]): string {
  return path
    .map((p) => p.replace(/_(ms|s|pct|percent|bytes|count)$/, '').replace(/_/g, ' '))
    .join(' ');
}

/** A number with the unit its metric key names: (252, 'write_latency_ms.p99') → '252 ms'. */
export function formatWithUnit(value: number, metricKey: string): string {
  const unit = unitOf(metricKey.split('.'));
  return `${formatNumber(value)}${unit ? (unit === '%' ? '%' : ` ${unit}`) : ''}`;
}

/** Flattens nested metrics into rows ('write_latency_ms' {p50, p99} → two rows). */
export function flattenMetrics(metrics: Record<string, MetricValue>, limit = 60): MetricRow[] {
  const rows: MetricRow[] = [];
  const walk = (v: MetricValue, path: string[]) => {
    if (rows.length >= limit) return;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      return;
    }
    const unit = unitOf(path);
    let value: string;
    if (typeof v === 'number') value = `${formatNumber(v)}${unit ? (unit === '%' ? '%' : ` ${unit}`) : ''}`;
    else if (typeof v === 'boolean') value = v ? 'yes' : 'no';
    else if (v === null) value = '—';
    else if (Array.isArray(v)) value = v.length <= 6 ? v.map((x) => (typeof x === 'number' ? formatNumber(x) : String(x))).join(', ') : `${v.length} items`;
    else value = String(v);
    rows.push({ key: path.join('.'), label: labelOf(path), value });
  };
  for (const [k, v] of Object.entries(metrics)) walk(v, [k]);
  return rows;
}
