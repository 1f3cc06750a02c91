/**
 * Linearizability checker benchmark on the recorded Porcupine / Jepsen histories.
 *
 *   npx tsx bench/linearizability.ts
 *
 * etcd: all 103 Jepsen etcd logs against the cas-register model, checking time only (files
 * are read and parsed before the clock starts, as Porcupine's Go benchmarks do). etcd_095 is
 * counted as its own known case: the file is empty (that run's etcd cluster never started),
 * so the history has no operations and is vacuously linearizable; Porcupine's suite publishes
 * no verdict for it. kv_c50: the 50-client key-value pair c50-ok + c50-bad (kv model, P-
 * compositional by key; like Porcupine, the bad one stops at the first violating key).
 *
 * Every verdict is compared with the known ones in the .tsv files; a mismatch throws.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  casRegisterModel,
  checkHistory,
  kvModel,
  parseJepsenRegisterLog,
  parseKvHistory,
  type Verdict,
} from '../src-shared/linearizability/index';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '../shared/external/porcupine-histories');

function knownVerdicts(file: string): Map<string, Verdict> {
  const m = new Map<string, Verdict>();
  for (const line of readFileSync(join(DATA, file), 'utf8').split('\n')) {
    const [name, v] = line.trim().split('\t');
    if (name && v) m.set(name, v as Verdict);
  }
  return m;
}

export interface LinearizabilityBench {
  etcd_ms: number;
  etcd_count: number;
  kv_c50_ms: number;
  /** Process CPU time (user+sys) of the same passes, best of the runs: less load-sensitive than wall. */
  etcd_cpu_ms?: number;
  kv_c50_cpu_ms?: number;
}

export interface BenchOptions {
  /** Run one untimed pass first so the JIT has compiled the hot loop (default true). */
  warmup?: boolean;
  /** Timed passes; the best one is reported (default 3). */
  runs?: number;
}

/**
 * Times the etcd suite and the c50 pair. By default after a warm-up pass and as the best of 3
 * passes, which is what Go's benchmark loop reports for Porcupine too; pass
 * { warmup: false, runs: 1 } in a fresh process for the cold (first-call) figure.
 */
export async function benchLinearizability(opts: BenchOptions = {}): Promise<LinearizabilityBench> {
  if (!existsSync(DATA)) throw new Error(`porcupine-histories not found at ${DATA}`);
  const known = new Map([...knownVerdicts('etcd-verdicts-sample.tsv'), ...knownVerdicts('kv-verdicts.tsv')]);
  known.set('etcd_095.log', 'linearizable'); // empty history: vacuously linearizable

  const etcdFiles = readdirSync(join(DATA, 'etcd')).filter((f) => f.endsWith('.log')).sort();
  const etcd = etcdFiles.map((f) => ({ f, ops: parseJepsenRegisterLog(readFileSync(join(DATA, 'etcd', f), 'utf8')) }));
  const kv = ['c50-ok.txt', 'c50-bad.txt'].map((f) => ({ f, ops: parseKvHistory(readFileSync(join(DATA, 'kv', f), 'utf8')) }));

  const check = (f: string, verdict: Verdict) => {
    if (verdict === 'unknown') throw new Error(`${f}: no verdict`);
    const want = known.get(f);
    if (want !== undefined && want !== verdict) throw new Error(`${f}: got ${verdict}, known verdict ${want}`);
  };
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const pass = () => {
    let t = performance.now();
    let c = cpu();
    for (const { f, ops } of etcd) check(f, checkHistory(ops, casRegisterModel()).verdict);
    const etcd_ms = performance.now() - t;
    const etcd_cpu_ms = cpu() - c;
    t = performance.now();
    c = cpu();
    for (const { f, ops } of kv) check(f, checkHistory(ops, kvModel()).verdict);
    return { etcd_ms, kv_c50_ms: performance.now() - t, etcd_cpu_ms, kv_c50_cpu_ms: cpu() - c };
  };

  if (opts.warmup ?? true) pass();
  let etcd_ms = Infinity;
  let kv_c50_ms = Infinity;
  let etcd_cpu_ms = Infinity;
  let kv_c50_cpu_ms = Infinity;
  for (let i = 0; i < Math.max(1, opts.runs ?? 3); i++) {
    const r = pass();
    etcd_ms = Math.min(etcd_ms, r.etcd_ms);
    kv_c50_ms = Math.min(kv_c50_ms, r.kv_c50_ms);
    etcd_cpu_ms = Math.min(etcd_cpu_ms, r.etcd_cpu_ms);
    kv_c50_cpu_ms = Math.min(kv_c50_cpu_ms, r.kv_c50_cpu_ms);
  }
  return {
    etcd_ms: round(etcd_ms),
    etcd_count: etcd.length,
    kv_c50_ms: round(kv_c50_ms),
    etcd_cpu_ms: round(etcd_cpu_ms),
    kv_c50_cpu_ms: round(kv_c50_cpu_ms),
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * PORCUPINE_ANCHOR: Porcupine's own time (github.com/anishathalye/porcupine, the Go checker this
 * project measures itself against) on the same files, on this machine, with the same protocol
 * as benchLinearizability(): every file parsed before the clock starts, one warm-up pass, best
 * of 3, each verdict checked against the .tsv files. The goal is our time ≤
 * PORCUPINE_GOAL_RATIO × Porcupine's. How to reproduce it (Porcupine version, files, driver,
 * command): bench/porcupine-anchor/README.md.
 *
 * - etcd: porcupine.CheckEvents on each of the 103 logs with the etcd (cas-register) model of
 *   Porcupine's porcupine_test.go.
 * - kv_c50: CheckEvents on c50-ok then c50-bad with the test suite's kv model as it is there
 *   (partitioned by key; the partitions run in parallel goroutines, and the check stops at the
 *   first violating key). That model defines no Model.Hash, so every state reached with the same
 *   set of linearized operations lands in one cache bucket, which makes it slow.
 * - *_hash_*: the same models plus the optional Model.Hash that current Porcupine supports (the
 *   int state for etcd, FNV-1a of the state string for kv). The ratio is judged against the
 *   faster of the two variants.
 * - *_ms: wall clock, the minimum over all runs, like our own figures. *_cpu_ms: process CPU
 *   time (user+sys, all threads; Porcupine's kv partitions use both cores), also the minimum.
 *   The machine is shared and was heavily loaded (see `measured`), so wall clock there is
 *   inflated for both sides, and the CPU ratio is the steadier one.
 */
export const PORCUPINE_ANCHOR = {
  etcd_ms: 844,
  etcd_cpu_ms: 539,
  etcd_hash_ms: 1866,
  etcd_hash_cpu_ms: 799,
  kv_c50_ms: 6691,
  kv_c50_cpu_ms: 4378,
  kv_c50_hash_ms: 485,
  kv_c50_hash_cpu_ms: 245,
  measured:
    '2026-11-29 11:17–12:05 UTC, go1.19.8 linux/amd64, this machine (2 CPUs, shared; load average 11–20 throughout), ' +
    'newest Porcupine version in the code index (Model.Hash/StepContext checker; checker.go blob dacf77f; see bench/porcupine-anchor/README.md), minimum over 11–12 runs ' +
    '(each: warm-up, best of 3) interleaved with ours; test-suite models: best of GOMAXPROCS=2 (default) and 1; Model.Hash: GOMAXPROCS=2',
} as const;

/** The goal: our checker time at most this many times Porcupine's (per figure). */
export const PORCUPINE_GOAL_RATIO = 3;

type Figures = { etcd_ms: number; kv_c50_ms: number; etcd_cpu_ms?: number; kv_c50_cpu_ms?: number };

/** Lines comparing a result with PORCUPINE_ANCHOR (printed by the CLI and by `npm run bench`). */
export function porcupineAnchorLines(r: Figures): string[] {
  const a = PORCUPINE_ANCHOR;
  const goal = PORCUPINE_GOAL_RATIO;
  const x = (q: number) => `${q < 0.1 ? q.toFixed(3) : q.toFixed(2)}×`;
  const line = (name: string, wall: number, cpu: number | undefined, p: { wall: number; cpu: number; hashWall: number; hashCpu: number }, note: string) => {
    const refWall = Math.min(p.wall, p.hashWall);
    const refCpu = Math.min(p.cpu, p.hashCpu);
    const qWall = wall / refWall;
    const qCpu = cpu === undefined ? undefined : cpu / refCpu;
    const worst = Math.max(qWall, qCpu ?? 0);
    return (
      `${name} ours ${wall} ms${cpu === undefined ? '' : ` (CPU ${cpu} ms)`} · Porcupine (Go) anchor ${p.wall} ms (CPU ${p.cpu} ms)${note}, ` +
      `${p.hashWall} ms (CPU ${p.hashCpu} ms) with Model.Hash → ratio ${x(qWall)}${qCpu === undefined ? '' : `, CPU ${x(qCpu)}`} ` +
      `(goal ≤ ${goal}×): ${worst <= goal ? 'met' : 'MISSED'}`
    );
  };
  return [
    `Porcupine (Go) anchor: ${a.measured}`,
    line('etcd   ', r.etcd_ms, r.etcd_cpu_ms, { wall: a.etcd_ms, cpu: a.etcd_cpu_ms, hashWall: a.etcd_hash_ms, hashCpu: a.etcd_hash_cpu_ms }, ''),
    line('kv_c50 ', r.kv_c50_ms, r.kv_c50_cpu_ms, { wall: a.kv_c50_ms, cpu: a.kv_c50_cpu_ms, hashWall: a.kv_c50_hash_ms, hashCpu: a.kv_c50_hash_cpu_ms }, ' as in its test suite'),
    `(ratios against the faster of the two Porcupine variants; "met" needs both wall and CPU ratios ≤ ${goal}×)`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const cold = await benchLinearizability({ warmup: false, runs: 1 });
  const warm = await benchLinearizability();
  console.log(`etcd: ${warm.etcd_count} Jepsen histories (etcd_095 is empty: vacuously linearizable)`);
  console.log(`etcd_ms    cold ${cold.etcd_ms}   warm (best of 3) ${warm.etcd_ms}`);
  console.log(`kv_c50_ms  cold ${cold.kv_c50_ms}   warm (best of 3) ${warm.kv_c50_ms}`);
  console.log(`CPU (user+sys, warm, best of 3): etcd ${warm.etcd_cpu_ms} ms, kv_c50 ${warm.kv_c50_cpu_ms} ms`);
  for (const line of porcupineAnchorLines(warm)) console.log(line);
  console.log(JSON.stringify(warm));
}
