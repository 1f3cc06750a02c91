/**
 * The simulation's only source of randomness: one seeded PRNG (pure-rand's
 * xoroshiro128+), whose state is plain numbers so that checkpoints can save and
 * restore it exactly. Never use Math.random in the engine: replay depends on this.
 */
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

export class Rng {
  private gen: JumpableRandomGenerator;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Exponentially distributed with the given mean (Poisson arrivals). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  getState(): number[] {
    return [...this.gen.getState()];
  }

  setState(state: readonly number[]): void {
    this.gen = xoroshiro128plusFromState(state);
  }
}
