/**
 * Small helpers shared by the benchmark modules: statistics, number formatting, a
 * plain-text table, CPU/wall timing, a seeded PRNG for choosing seek targets, and a
 * runner for the child processes (seek, profile, linearizability) that keeps their heaps
 * and their profilers away from the in-process measurements.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(BENCH_DIR, '..');

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function max(xs: readonly number[]): number {
  return xs.reduce((a, b) => Math.max(a, b), -Infinity);
}

export function fmtInt(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : String(x);
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtPct(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x >= 0.1 ? `${(x * 100).toFixed(1)} %` : `${(x * 100).toFixed(2)} %`;
}

/** Wall time (performance.now) and process CPU time (user + sys, all threads) of fn. */
export function timed<T>(fn: () => T): { value: T; wall_ms: number; cpu_ms: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall_ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wall_ms, cpu_ms: (c.user + c.system) / 1000 };
}

/** mulberry32: a tiny seeded PRNG so that seek targets are the same in every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Cell = string | number;

/** Renders rows as an aligned plain-text table; align is one letter per column, l or r. */
export function table(header: Cell[], rows: Cell[][], align = '', indent = '  '): string {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    indent +
    widths
      .map((w, i) => (align[i] === 'r' ? (r[i] ?? '').padStart(w) : (r[i] ?? '').padEnd(w)))
      .join('  ')
      .trimEnd();
  const sep = indent + widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(all[0]!), sep, ...all.slice(1).map(line)].join('\n');
}

export interface ChildResult<T> {
  ok: boolean;
  value?: T;
  error?: string;
  wall_ms: number;
}

const RESULT_PREFIX = 'BENCH_RESULT ';

/** Called by a child task: prints its JSON result as the marked last line of stdout. */
export function emitResult(value: unknown): void {
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}

/**
 * Runs bench/child.ts <task> in a fresh Node process (tsx loader), with a hard time limit.
 * The child is ended by its own pid if it overruns.
 */
export function runChild<T>(task: string, args: string[], timeout_ms: number, nodeFlags: string[] = []): Promise<ChildResult<T>> {
  const t0 = performance.now();
  return new Promise((resolveP) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(BENCH_DIR, 'child.ts'), task, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout_ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall_ms = performance.now() - t0;
      const line = out.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
      if (timedOut) return resolveP({ ok: false, error: `timed out after ${fmtMs(timeout_ms)}`, wall_ms });
      if (code !== 0 || !line) {
        const msg = (err.trim() || out.trim()).split('\n').slice(-6).join(' | ');
        return resolveP({ ok: false, error: `exit ${code}: ${msg || 'no result'}`, wall_ms });
      }
      try {
        resolveP({ ok: true, value: JSON.parse(line.slice(RESULT_PREFIX.length)) as T, wall_ms });
      } catch (e) {
        resolveP({ ok: false, error: `bad result: ${(e as Error).message}`, wall_ms });
      }
    });
  });
}
