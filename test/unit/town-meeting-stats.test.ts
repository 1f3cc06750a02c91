/** FT-2 town meeting: the pure arithmetic of counting (models/town-meeting/stats.ts). */
import { describe, expect, it } from 'vitest';
import { auditDecision, commitHash, disagreementPct, median, medianTally, outcomeOf, rigTally, wilsonInterval, yesShare } from '../../src-main/engine/models/town-meeting/stats';

describe('town meeting statistics', () => {
  it('the seed example: counters A 278/210/12, B 282/205/13, C 275/212/13 of 500 disagree by 1.4% (Degraded)', () => {
    const ts = [
      { yes: 278, no: 210, abstain: 12 },
      { yes: 282, no: 205, abstain: 13 },
      { yes: 275, no: 212, abstain: 13 },
    ];
    expect(disagreementPct(ts, 500)).toBe(1.4);
    expect(medianTally(ts)).toEqual({ yes: 278, no: 210, abstain: 13 });
    expect(outcomeOf(medianTally(ts))).toBe('yes');
    expect(disagreementPct([ts[0]!], 500)).toBe(0);
  });

  it('median of odd and even lists; a tie does not carry the motion', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
    expect(outcomeOf({ yes: 240, no: 240, abstain: 20 })).toBe('no');
  });

  it('a rigging counter moves just enough votes to flip its tally; the median of 3 outvotes one, not two', () => {
    const honest = { yes: 260, no: 220, abstain: 20 };
    const rigged = rigTally(honest, 8);
    expect(rigged).toEqual({ yes: 232, no: 248, abstain: 20 });
    expect(outcomeOf(rigged)).toBe('no');
    expect(outcomeOf(medianTally([honest, { yes: 258, no: 223, abstain: 19 }, rigged]))).toBe('yes');
    expect(outcomeOf(medianTally([honest, rigged, rigTally({ yes: 258, no: 223, abstain: 19 }, 8)]))).toBe('no');
    expect(rigTally({ yes: 200, no: 250, abstain: 50 }, 8)).toEqual({ yes: 233, no: 217, abstain: 50 });
  });

  it('Wilson interval: contains the sample share, narrows with the sample, is exact for a full roll call', () => {
    const small = wilsonInterval(30, 20, 50, 500);
    expect(small.share).toBe(0.6);
    expect(small.low).toBeLessThan(0.6);
    expect(small.high).toBeGreaterThan(0.6);
    const big = wilsonInterval(240, 160, 400, 500);
    expect(big.halfwidth).toBeLessThan(small.halfwidth);
    const full = wilsonInterval(250, 230, 500, 500);
    expect(full.halfwidth).toBe(0);
    expect(full.low).toBe(full.high);
    // Without a finite population (rates over seeds).
    const rate = wilsonInterval(0, 40, 0, Infinity);
    expect(rate.low).toBe(0);
    expect(rate.high).toBeCloseTo(0.0876, 3);
    // A higher z (99%) is wider than 95%.
    expect(wilsonInterval(30, 20, 50, 500, 2.576).halfwidth).toBeGreaterThan(small.halfwidth);
  });

  it('audit decision: carried / failed when the interval clears 50%, else sample more; a complete count decides', () => {
    expect(auditDecision({ share: 0.6, low: 0.52, high: 0.68, halfwidth: 0.08 }, false, 60, 40)).toBe('yes');
    expect(auditDecision({ share: 0.4, low: 0.32, high: 0.48, halfwidth: 0.08 }, false, 40, 60)).toBe('no');
    expect(auditDecision({ share: 0.52, low: 0.45, high: 0.59, halfwidth: 0.07 }, false, 52, 48)).toBe('escalate');
    expect(auditDecision({ share: 0.5, low: 0.5, high: 0.5, halfwidth: 0 }, true, 241, 241)).toBe('no');
    expect(yesShare({ yes: 0, no: 0, abstain: 5 })).toBe(0.5);
  });

  it('commitments are deterministic 8-hex-digit hashes that change with the vote', () => {
    expect(commitHash('yes|7919')).toMatch(/^[0-9a-f]{8}$/);
    expect(commitHash('yes|7919')).toBe(commitHash('yes|7919'));
    expect(commitHash('yes|7919')).not.toBe(commitHash('no|7919'));
  });
});
