/**
 * One served read and the response metadata it carried (seed MT-1: X-Cache-Status,
 * X-Cache-Age, X-Mode, X-Staleness-Bound…), as the cache model publishes it in a frame's
 * `extras.recent_reads` and the renderer's reads panel shows it. Shared so both sides agree.
 */
export interface ServedRead {
  t_ms: number;
  dc: string;
  server: string;
  product: string;
  /** HIT, STALE (served from cache outside Target), RECOVERING, MISS (fetched), BYPASS (checkout / long tail / down server), REFUSED. */
  cache_status: string;
  http: number;
  cache_age_ms: number | null;
  version: number | null;
  mode: string;
  staleness_bound: string;
  /** Ground truth (not in the response): how long the price served had been superseded. */
  true_staleness_ms: number | null;
  latency_ms: number;
  warning: string;
}
