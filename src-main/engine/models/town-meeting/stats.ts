/**
 * FT-2 town meeting — the pure arithmetic of counting: medians of tallies, the
 * disagreement between counters, and the audit's confidence interval. No engine state,
 * no randomness: unit-tested on its own (test/unit/town-meeting-stats.test.ts).
 */

export type Choice = 'yes' | 'no' | 'abstain';
export const CHOICES: readonly Choice[] = ['yes', 'no', 'abstain'];

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
}

export const emptyTally = (): Tally => ({ yes: 0, no: 0, abstain: 0 });

/** The median of a list (mean of the middle two for an even count); 0 for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Component-wise median of tallies, rounded to whole votes. */
export function medianTally(ts: readonly Tally[]): Tally {
  return {
    yes: Math.round(median(ts.map((t) => t.yes))),
    no: Math.round(median(ts.map((t) => t.no))),
    abstain: Math.round(median(ts.map((t) => t.abstain))),
  };
}

/** The motion carries on a strict majority of yes over no (abstentions do not count). */
export function outcomeOf(t: Tally): 'yes' | 'no' {
  return t.yes > t.no ? 'yes' : 'no';
}

/**
 * Disagreement between counters, in percent of the residents counted: the largest
 * spread (max − min) over yes / no / abstain. The seed's example (A 278/210/12,
 * B 282/205/13, C 275/212/13 of 500) is 7/500 = 1.4%.
 */
export function disagreementPct(ts: readonly Tally[], residents: number): number {
  if (ts.length < 2 || residents <= 0) return 0;
  let spread = 0;
  for (const c of CHOICES) {
    const xs = ts.map((t) => t[c]);
    spread = Math.max(spread, Math.max(...xs) - Math.min(...xs));
  }
  return round2((100 * spread) / residents);
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export interface Interval {
  /** Point estimate of the yes share among decisive (yes or no) answers. */
  share: number;
  low: number;
  high: number;
  /** Half the width, in share units. */
  halfwidth: number;
}

/**
 * Wilson score interval for the yes share among the decisive answers of a sample drawn
 * without replacement from `population` residents, with the finite-population
 * correction (a full roll call has width 0). z = 1.96 for 95%.
 */
export function wilsonInterval(yes: number, no: number, sampled: number, population: number, z = 1.96): Interval {
  const m = yes + no;
  if (m === 0) return { share: 0.5, low: 0, high: 1, halfwidth: 0.5 };
  const p = yes / m;
  const fpc = !Number.isFinite(population) ? 1 : population > 1 ? Math.sqrt(Math.max(0, population - sampled) / (population - 1)) : 0;
  const zz = z * fpc;
  if (zz === 0) return { share: round4(p), low: round4(p), high: round4(p), halfwidth: 0 };
  const denom = 1 + (zz * zz) / m;
  const centre = (p + (zz * zz) / (2 * m)) / denom;
  const half = (zz * Math.sqrt((p * (1 - p)) / m + (zz * zz) / (4 * m * m))) / denom;
  const low = Math.max(0, centre - half);
  const high = Math.min(1, centre + half);
  return { share: round4(p), low: round4(low), high: round4(high), halfwidth: round4((high - low) / 2) };
}

/** What an audit stage concludes: the motion carried / failed at the confidence, or sample more. */
export function auditDecision(ci: Interval, complete: boolean, yes: number, no: number): 'yes' | 'no' | 'escalate' {
  if (complete) return yes > no ? 'yes' : 'no';
  if (ci.low > 0.5) return 'yes';
  if (ci.high < 0.5) return 'no';
  return 'escalate';
}

/** The yes share a tally implies among decisive votes. */
export function yesShare(t: Tally): number {
  const m = t.yes + t.no;
  return m === 0 ? 0.5 : t.yes / m;
}

/** A deterministic 32-bit FNV-1a hash as 8 hex digits: the commitment printed on the board. */
export function commitHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A rigging counter's report: moves just enough votes from the leader to the runner-up to flip the outcome. */
export function rigTally(honest: Tally, extra: number): Tally {
  const shift = Math.floor(Math.abs(honest.yes - honest.no) / 2) + extra;
  return honest.yes > honest.no
    ? { yes: Math.max(0, honest.yes - shift), no: honest.no + shift, abstain: honest.abstain }
    : { yes: honest.yes + shift, no: Math.max(0, honest.no - shift), abstain: honest.abstain };
}
