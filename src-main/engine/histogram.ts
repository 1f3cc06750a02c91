/**
 * A fixed-size log-bucketed histogram (1 % relative resolution from 0.1 to ~10^7) for
 * latency-like metrics. Model state must stay small because checkpoints clone it; a raw
 * list of every latency would make checkpoints grow with the run.
 */
const MIN = 0.1;
const BASE = Math.log(1.01);
const BUCKETS = 1900;

export interface Histogram {
  counts: number[];
  n: number;
  max: number;
}

export function newHistogram(): Histogram {
  return { counts: new Array<number>(BUCKETS).fill(0), n: 0, max: 0 };
}

export function record(h: Histogram, v: number): void {
  const i = v <= MIN ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(v / MIN) / BASE) + 1);
  h.counts[i]! += 1;
  h.n += 1;
  if (v > h.max) h.max = v;
}

/** The p-th percentile, as the upper edge of its bucket (within 1 %), or null when empty. */
export function quantile(h: Histogram, p: number): number | null {
  if (h.n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * h.n));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += h.counts[i]!;
    if (seen >= rank) return Math.min(h.max, i === 0 ? MIN : MIN * Math.exp(i * BASE));
  }
  return h.max;
}
