import { describe, expect, it } from 'vitest';
import { cost, dcView, invalidation, modePath, mt1Sim, noViolations, OTHER_DCS, PARTITION_EU_30MIN, staleness, stalenessNow } from './mt1-helpers';

/**
 * The lecture demo (DEMOS.md MT-1): the EU partitioned for 30 minutes (60 s → 1860 s).
 * 1. Fire-and-forget push: EU staleness climbs past 5 s, then minutes; the refund meter runs;
 *    at the heal the queue replays ~180 000 invalidations in ~18 s (the seed's figures).
 * 2. Lease/TTL (5 min): staleness stays under the TTL; after the TTL reads fall back to the
 *    database, which is unreachable: 503, Floor. Lost conversions replace refunds.
 */
describe('MT-1 demo: EU partitioned for 30 minutes', () => {
  it('push: staleness climbs to ~30 minutes, refunds accrue, the backlog (~180 000) is replayed in ~18 s', () => {
    const sim = mt1Sim({ strategy: 'push', script: PARTITION_EU_30MIN });
    sim.runUntil(600_000);
    const refunds10min = cost(sim).refunds;
    expect(stalenessNow(sim)['eu-west']).toBeGreaterThan(8 * 60_000);
    sim.runUntil(1_900_000);
    const eu = staleness(sim)['eu-west']!;
    expect(eu.max).toBeGreaterThan(29 * 60_000);
    expect(eu.p50).toBeGreaterThan(5000);
    for (const d of OTHER_DCS) expect(staleness(sim)[d]!.max).toBeLessThan(1000);
    expect(cost(sim).refunds).toBeGreaterThan(refunds10min * 2);
    const r = invalidation(sim).replays.find((x) => x.dc === 'eu-west')!;
    expect(r.invalidations).toBeGreaterThan(175_000);
    expect(r.invalidations).toBeLessThan(185_000);
    expect(r.duration_ms).toBeGreaterThan(15_000);
    expect(r.duration_ms).toBeLessThan(22_000);
    expect(modePath(sim, 'eu-west')).toEqual(['Degraded', 'Recovery', 'Target']);
    expect(noViolations(sim)).toBe(true);
  });

  it('lease (5 min TTL): staleness saw-tooths under the TTL, then reads are refused (Floor): lost conversions outweigh refunds', () => {
    const sim = mt1Sim({ strategy: 'lease', script: PARTITION_EU_30MIN });
    sim.runUntil(1_200_000);
    const eu = staleness(sim)['eu-west']!;
    expect(eu.max).toBeLessThan(300_000);
    expect(modePath(sim, 'eu-west')).toEqual(['Degraded', 'Floor']);
    const v = dcView(sim, 'eu-west');
    // Every lease has expired: the EU refuses every price it cannot fetch.
    expect(v.refused).toBeGreaterThan(0.5 * (v.served + v.refused));
    expect(v.last_refused_read!.http).toBe(503);
    expect(cost(sim).lost_conversions).toBeGreaterThan(cost(sim).refunds);
  });
});
