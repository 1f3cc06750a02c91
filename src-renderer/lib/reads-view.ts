/**
 * Served reads with their response metadata (MT-1: cache age, mode, staleness bound…), read
 * safely from a frame's `extras.recent_reads` and `extras.business_cost_usd`. A scenario whose
 * model publishes no reads gets null and the panel stays hidden. Pure.
 */
import type { ServedRead } from '../../src-shared/views/served-read';

export type { ServedRead };

const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readServedReads(extras: Record<string, unknown> | undefined): ServedRead[] | null {
  const list = extras?.recent_reads;
  if (!Array.isArray(list)) return null;
  return list
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .map((r) => ({
      t_ms: num(r.t_ms) ?? 0,
      dc: str(r.dc),
      server: str(r.server),
      product: str(r.product),
      cache_status: str(r.cache_status),
      http: num(r.http) ?? 0,
      cache_age_ms: num(r.cache_age_ms),
      version: num(r.version),
      mode: str(r.mode),
      staleness_bound: str(r.staleness_bound),
      true_staleness_ms: num(r.true_staleness_ms),
      latency_ms: num(r.latency_ms) ?? 0,
      warning: str(r.warning),
    }));
}

/** The response as HTTP headers, the way a client sees it (the ground truth is not one of them). */
export function responseHeaders(r: ServedRead): [string, string][] {
  const h: [string, string][] = [
    ['Status', String(r.http)],
    ['X-Cache-Status', r.cache_status],
    ['X-Cache-Age', r.cache_age_ms === null ? '—' : `${Math.round(r.cache_age_ms)} ms`],
    ['X-Cache-Version', r.version === null ? '—' : String(r.version)],
    ['X-Mode', r.mode],
    ['X-Staleness-Bound', r.staleness_bound],
  ];
  if (r.warning) h.push(['Warning', r.warning]);
  return h;
}

/** Whether the response told the truth: its staleness is within the bound it stated (or it stated none). */
export function boundHonest(r: ServedRead): boolean | null {
  if (r.true_staleness_ms === null) return null;
  const m = /^([\d.]+)\s*(ms|s|min)$/.exec(r.staleness_bound.trim());
  if (!m) return null;
  const bound = Number(m[1]) * (m[2] === 'min' ? 60_000 : m[2] === 's' ? 1000 : 1);
  return r.true_staleness_ms <= bound;
}

export function readCost(extras: Record<string, unknown> | undefined): { refunds: number; lost_conversions: number; total: number } | null {
  const c = extras?.business_cost_usd as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object') return null;
  const refunds = num(c.refunds);
  const lost = num(c.lost_conversions);
  const total = num(c.total);
  return refunds === null || lost === null || total === null ? null : { refunds, lost_conversions: lost, total };
}
