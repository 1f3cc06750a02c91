/**
 * Verdicts for the hostile-input fuzz doors (test/fuzz). Every generated input must end
 * in a precise error or a correct result: never a crash (a non-Error throw, a TypeError /
 * RangeError / ReferenceError / SyntaxError escaping our code, a message that leaks
 * `undefined`), never a hang (each input is timed), never a change to stored data.
 */
import { expect } from 'vitest';

/** One fixed seed for every door, so a failure reproduces. */
export const FUZZ_SEED = 20_261_129;
/** Inputs per door. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** Wall time one input may take before it counts as a hang. */
export const HANG_MS = 5_000;

/** Messages that are not an answer but a bug showing through. */
const CRASH_TEXT =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|of undefined|of null|undefined is not|null is not|Maximum call stack|\[object Object\]|^undefined$|: undefined$|internal error|Converting circular structure|circular/;

/** Throws (fails the property) unless `message` reads as a precise, human error. */
export function expectPreciseMessage(message: unknown, input: unknown): void {
  if (typeof message !== 'string' || message.trim() === '' || CRASH_TEXT.test(message)) {
    throw new Error(`not a precise error: ${JSON.stringify(message)} for input ${preview(input)}`);
  }
}

/** An error thrown by our validators: an Error of an expected class with a precise message. */
export function expectPreciseError(e: unknown, input: unknown, allowed: readonly (new (...a: never[]) => Error)[] = []): string {
  if (!(e instanceof Error)) throw new Error(`non-Error thrown (${typeof e}: ${String(e)}) for input ${preview(input)}`);
  const builtIn = e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;
  if (builtIn && !allowed.some((C) => e instanceof C)) {
    throw new Error(`crash: ${e.name}: ${e.message} for input ${preview(input)}\n${e.stack ?? ''}`);
  }
  if (allowed.length > 0 && !allowed.some((C) => e instanceof C)) {
    throw new Error(`unexpected error class ${e.constructor.name}: ${e.message} for input ${preview(input)}`);
  }
  expectPreciseMessage(e.message, input);
  return e.message;
}

export function preview(x: unknown): string {
  let s: string;
  try {
    s = typeof x === 'string' ? JSON.stringify(x) : (JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(x));
  } catch {
    s = String(x);
  }
  return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
}

/** Counts per door and the line the issue asks for. */
export class DoorTally {
  inputs = 0;
  rejected = 0;
  accepted = 0;
  slowest_ms = 0;
  private readonly started = performance.now();
  private readonly cpu0 = process.cpuUsage();
  constructor(readonly door: string) {}

  /** Times one input; a hang fails the door. */
  time(input: unknown, ms: number): void {
    if (ms > this.slowest_ms) this.slowest_ms = ms;
    if (process.env.FUZZ_SLOW && ms > Number(process.env.FUZZ_SLOW)) console.log(`slow input (${ms.toFixed(0)} ms): ${preview(input)}`);
    if (ms > HANG_MS) throw new Error(`hang: ${ms.toFixed(0)} ms for input ${preview(input)}`);
  }

  reject(): void {
    this.inputs++;
    this.rejected++;
  }

  accept(): void {
    this.inputs++;
    this.accepted++;
  }

  report(): string {
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    const cpu = process.cpuUsage(this.cpu0);
    const cpuSecs = ((cpu.user + cpu.system) / 1e6).toFixed(1);
    const line = `fuzz door ${this.door}: ${this.inputs} inputs, ${this.rejected} rejected with a precise error, ${this.accepted} accepted (${secs} s wall, ${cpuSecs} s CPU, slowest input ${this.slowest_ms.toFixed(0)} ms)`;
    console.log(line);
    return line;
  }

  /** The door saw enough inputs, and both verdicts occurred (the generators are not trivially one-sided). */
  check(min = FUZZ_RUNS): void {
    this.report();
    expect(this.inputs).toBeGreaterThanOrEqual(min);
    if (min >= 1000) {
      expect(this.rejected).toBeGreaterThan(0);
      expect(this.accepted).toBeGreaterThan(0);
    }
  }
}

/** Runs `fn`, timing it against HANG_MS. */
export async function timed<T>(tally: DoorTally, input: unknown, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    tally.time(input, performance.now() - t0);
  }
}

export function timedSync<T>(tally: DoorTally, input: unknown, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    tally.time(input, performance.now() - t0);
  }
}
