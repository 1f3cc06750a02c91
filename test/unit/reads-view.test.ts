import { describe, expect, it } from 'vitest';
import { boundHonest, readCost, readServedReads, responseHeaders } from '../../src-renderer/lib/reads-view';

const read = { t_ms: 31_000, dc: 'eu-west', server: 'eu-west-7', product: 'p-42', cache_status: 'HIT', http: 200, cache_age_ms: 9000, version: 17, mode: 'Target', staleness_bound: '0.5s', true_staleness_ms: 8200, latency_ms: 2, warning: '' };

describe('served reads (MT-1 response metadata)', () => {
  it('reads the extras safely; a model without reads gives null', () => {
    expect(readServedReads({})).toBeNull();
    expect(readServedReads({ recent_reads: [read, null, 7] })).toHaveLength(1);
    expect(readServedReads({ recent_reads: [{ dc: 3 }] })![0]).toMatchObject({ dc: '3', http: 0, cache_age_ms: null });
  });
  it('shows the response as a client sees it, and whether its bound was honest', () => {
    expect(responseHeaders(read)).toContainEqual(['X-Staleness-Bound', '0.5s']);
    expect(responseHeaders({ ...read, warning: '110 stale' })).toContainEqual(['Warning', '110 stale']);
    expect(boundHonest(read)).toBe(false); // 8.2 s stale behind a 0.5 s bound: a lie the partition forced
    expect(boundHonest({ ...read, true_staleness_ms: 300 })).toBe(true);
    expect(boundHonest({ ...read, staleness_bound: 'none' })).toBeNull();
  });
  it('the cost, or null when incomplete', () => {
    expect(readCost({ business_cost_usd: { refunds: 10, lost_conversions: 20, total: 30 } })).toEqual({ refunds: 10, lost_conversions: 20, total: 30 });
    expect(readCost({ business_cost_usd: { refunds: 10 } })).toBeNull();
  });
});
