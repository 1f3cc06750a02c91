import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../src-main/engine/simulation';
import {
  cost,
  dcView,
  evidenceOf,
  invalidation,
  ISOLATE_PRIMARY,
  modeOf,
  modePath,
  modeRecords,
  mt1Sim,
  noViolations,
  OTHER_DCS,
  PARTITION_EU_SHORT,
  staleness,
  stalenessNow,
  writeLatency,
} from './mt1-helpers';

/** eu-west is cut off from the primary (and everything else) from 30 s to 150 s. */

describe('MT-1 push (fire and forget) with eu-west partitioned 30–150 s', () => {
  const sim = mt1Sim({ strategy: 'push', script: PARTITION_EU_SHORT });
  let costAt60 = 0;

  it('eu-west goes Degraded on three missed heartbeats and keeps serving cached prices marked STALE', () => {
    sim.runUntil(60_000);
    costAt60 = cost(sim).refunds;
    expect(modeOf(sim, 'eu-west')).toBe('Degraded');
    const deg = modeRecords(sim, 'eu-west').find((r) => r.to === 'Degraded')!;
    expect(deg.t_ms).toBeGreaterThan(32_000);
    expect(deg.t_ms).toBeLessThan(36_000);
    const cited = evidenceOf(sim, deg.evidence[0]!);
    expect(cited.type).toBe('probe');
    expect(cited.detail).toMatchObject({ gauge: 'missed_heartbeats' });
    expect(Number(cited.detail!.value)).toBeGreaterThanOrEqual(3);
    for (const d of OTHER_DCS) expect(modeOf(sim, d)).toBe('Target');
    const eu = dcView(sim, 'eu-west');
    expect(eu.last_stale_read).not.toBeNull();
    expect(eu.last_stale_read!.cache_status).toBe('STALE');
    expect(eu.last_stale_read!.mode).toBe('Degraded');
    expect(eu.last_stale_read!.warning).toMatch(/WARNING/);
  });

  it('eu-west staleness climbs past 5 s, then past a minute; the refund meter runs; the others stay under a second', () => {
    sim.runUntil(140_000);
    expect(stalenessNow(sim)['eu-west']).toBeGreaterThan(60_000);
    expect(staleness(sim)['eu-west']!.max).toBeGreaterThan(60_000);
    expect(staleness(sim)['eu-west']!.p99).toBeGreaterThan(5000);
    for (const d of OTHER_DCS) expect(staleness(sim)[d]!.max).toBeLessThan(1000);
    expect(cost(sim).refunds).toBeGreaterThan(costAt60 + 50);
    // The response states how stale it may be, honestly (the bound grows with the partition).
    const eu = dcView(sim, 'eu-west');
    expect(Number.parseFloat(eu.staleness_bound)).toBeGreaterThan(100);
    expect(eu.last_stale_read!.true_staleness_ms!).toBeLessThanOrEqual(Number.parseFloat(eu.last_stale_read!.staleness_bound) * 1000);
    // The writer never noticed: fire and forget.
    expect(writeLatency(sim).p99).toBe(10);
    expect(writeLatency(sim).refused).toBe(0);
  });

  it('after the heal the queue replays the backlog (~12 000 invalidations at 10 000/s), Recovery → Target', () => {
    sim.runUntil(170_000);
    const r = invalidation(sim).replays.find((x) => x.dc === 'eu-west')!;
    expect(r).toBeDefined();
    expect(r.invalidations).toBeGreaterThan(11_000);
    expect(r.invalidations).toBeLessThan(13_500);
    expect(r.duration_ms).toBeGreaterThan(800);
    expect(r.duration_ms).toBeLessThan(4000);
    const catchUp = sim.timeline.find((x) => x.kind === 'evidence' && x.type === 'catch-up' && x.scope === 'eu-west');
    expect(catchUp).toBeDefined();
    expect(modePath(sim, 'eu-west')).toEqual(['Degraded', 'Recovery', 'Target']);
    expect(stalenessNow(sim)['eu-west']).toBeLessThan(1000);
    expect(noViolations(sim)).toBe(true);
  });
});

describe('MT-1 lease/TTL (TTL 60 s for a short run) with eu-west partitioned 30–150 s', () => {
  const sim = mt1Sim({ strategy: 'lease', script: PARTITION_EU_SHORT, params: { ttl_ms: 60_000, propagation_deadline_ms: 90_000 } });

  it('keeps eu-west staleness under the TTL, then refuses reads once leases expire (Floor, HTTP 503)', () => {
    sim.runUntil(140_000);
    expect(staleness(sim)['eu-west']!.max).toBeGreaterThan(5000);
    expect(staleness(sim)['eu-west']!.max).toBeLessThan(60_000);
    expect(modePath(sim, 'eu-west')).toEqual(['Degraded', 'Floor']);
    const eu = dcView(sim, 'eu-west');
    expect(eu.last_refused_read!.http).toBe(503);
    expect(eu.last_refused_read!.cache_status).toBe('REFUSED');
    expect(eu.last_refused_read!.mode).toBe('Floor');
    expect(eu.refused).toBeGreaterThan(0.3 * (eu.served + eu.refused));
    expect(cost(sim).lost_conversions).toBeGreaterThan(cost(sim).refunds);
  });

  it('comes back after the heal without a backlog (nothing to replay) and never overstates freshness', () => {
    sim.runUntil(170_000);
    expect(modePath(sim, 'eu-west')).toEqual(['Degraded', 'Floor', 'Recovery', 'Target']);
    expect(invalidation(sim).replays).toEqual([]);
    expect(noViolations(sim)).toBe(true);
  });
});

describe('MT-1 quorum invalidation with eu-west partitioned 30–150 s', () => {
  const sim = mt1Sim({ strategy: 'quorum', script: PARTITION_EU_SHORT });

  it('fences eu-west (CP): staleness stays bounded by the fence, its reads are refused, writes go on with the majority', () => {
    sim.runUntil(140_000);
    expect(staleness(sim)['eu-west']!.max).toBeLessThan(5000);
    expect(modeOf(sim, 'eu-west')).toBe('Floor');
    expect(dcView(sim, 'eu-west').fenced).toBe(true);
    expect(dcView(sim, 'eu-west').last_refused_read!.http).toBe(503);
    const w = writeLatency(sim);
    expect(w.refused).toBe(0);
    expect(w.acked).toBeGreaterThan(0.98 * w.committed);
    expect(w.p99).toBeLessThan(400);
    expect(cost(sim).refunds).toBeLessThan(cost(sim).lost_conversions / 10);
  });

  it('unfences after the heal and catches up', () => {
    sim.runUntil(170_000);
    expect(modeOf(sim, 'eu-west')).toBe('Target');
    expect(dcView(sim, 'eu-west').fenced).toBe(false);
    expect(noViolations(sim)).toBe(true);
  });
});

describe('MT-1 the primary loses every other data centre (30–90 s)', () => {
  const runs: Record<string, Simulation> = {};
  const run = (strategy: string) => (runs[strategy] ??= (() => {
    const sim = mt1Sim({ strategy, script: ISOLATE_PRIMARY });
    sim.runUntil(80_000);
    return sim;
  })());

  it('quorum: writes block without a majority of caches, then are refused; the primary goes Floor', () => {
    const sim = run('quorum');
    const w = writeLatency(sim);
    expect(w.blocked).toBeGreaterThan(1500);
    expect(w.refused).toBeGreaterThan(1000);
    expect(modeOf(sim, 'primary')).toBe('Floor');
    const refusedEv = sim.timeline.filter((r) => r.kind === 'evidence' && r.type === 'write-refused');
    expect(refusedEv.length).toBeGreaterThan(0);
    // Fenced everywhere but us-east: prices are not served stale, they are refused.
    for (const d of OTHER_DCS.filter((x) => x !== 'us-east')) expect(staleness(sim)[d]!.max).toBeLessThan(5000);
  });

  it('quorum: the blocked writes complete after the heal, minutes late', () => {
    const sim = run('quorum');
    sim.runUntil(100_000);
    const w = writeLatency(sim);
    expect(w.blocked).toBeLessThan(100); // only the writes of the last few hundred ms, waiting for their round trips
    expect(w.refused).toBeGreaterThan(1000);
    expect(w.max).toBeGreaterThan(30_000);
    expect(modeOf(sim, 'primary')).toBe('Target');
  });

  it('push keeps accepting writes in 10 ms and lets the other data centres go stale', () => {
    const sim = run('push');
    const w = writeLatency(sim);
    expect(w.refused).toBe(0);
    expect(w.blocked).toBe(0);
    expect(w.max).toBe(10);
    expect(staleness(sim)['ap-northeast']!.max).toBeGreaterThan(30_000);
    expect(modeOf(sim, 'primary')).toBe('Degraded');
  });
});

describe('MT-1 checkout reads that bypass the cache', () => {
  it('price every order from the database: no refunds, at the cost of database reads', () => {
    const a = mt1Sim({ strategy: 'hybrid', script: PARTITION_EU_SHORT });
    const b = mt1Sim({ strategy: 'hybrid-checkout', script: PARTITION_EU_SHORT });
    a.runUntil(120_000);
    b.runUntil(120_000);
    expect(cost(a).refunds).toBeGreaterThan(0);
    expect(cost(b).refunds).toBe(0);
    const load = (s: Simulation) => (s.metrics().db_load as { total_reads: number }).total_reads;
    expect(load(b)).toBeGreaterThan(load(a) * 1.2);
  });
});
