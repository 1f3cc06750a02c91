/**
 * Child-process tasks of `npm run bench` (see run.ts), each in a fresh Node process so
 * that a big session heap or a profiler does not disturb the other figures:
 *
 *   seek <session_ms> <build_cap_ms> <seeks>   backward seeks in an NT-1 session
 *   profile <until_ms> [strategy]              CPU profile of an NT-1 run, mapped to TS sources
 *   linearizability                            bench/linearizability.ts, if present
 *
 * Each prints its result as one JSON line (util.emitResult).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hotspots, type CpuProfileLike, type Hotspot } from './cpuprofile';
import { NT1, runEngine, scenario } from './engine-runs';
import { BENCH_DIR, emitResult, max, median, seededRandom } from './util';

export interface SeekResult {
  session_ms: number;
  reached_ms: number;
  build_wall_ms: number;
  checkpoints: number;
  seeks_ms: number[];
  targets_ms: number[];
  median_ms: number;
  max_ms: number;
  error: string | null;
}

export interface ProfileResult {
  until_ms: number;
  wall_ms: number;
  events: number;
  profiled_ms: number;
  engine: Hotspot[];
  overall: Hotspot[];
  /** Inclusive time of a few functions that explain the self times. */
  inclusive: Hotspot[];
  file: string;
}

export interface LinearizabilityResult {
  etcd_ms: number;
  etcd_count: number;
  kv_c50_ms: number;
}

function nt1() {
  const spec = scenario(NT1);
  if (!spec) throw new Error(`scenario ${NT1} not found in scenarios/`);
  return spec;
}

function seek(session_ms: number, cap_ms: number, n: number): SeekResult {
  const spec = nt1();
  // Warm the JIT on a short run first, so that the seeks are not the engine's first calls.
  runEngine(spec, 'async-cp', 20_000);
  const build = runEngine(spec, 'async-cp', session_ms, { cap_wall_ms: cap_ms });
  const sim = build.sim;
  const reached = sim.now_ms;
  const rnd = seededRandom(20_261_129);
  // Every seek below goes backward from where the previous one left the run; the cost of a
  // backward seek depends only on the target (restore the nearest checkpoint, replay from it).
  const targets = Array.from({ length: n }, () => Math.floor(rnd() * reached)).sort((a, b) => b - a);
  const seeks_ms: number[] = [];
  for (const t of targets) {
    const t0 = performance.now();
    sim.seek(t);
    seeks_ms.push(performance.now() - t0);
    if (sim.now_ms !== t && !sim.error) throw new Error(`seek(${t}) ended at ${sim.now_ms}`);
  }
  return {
    session_ms,
    reached_ms: reached,
    build_wall_ms: build.wall_ms,
    checkpoints: build.checkpoints,
    seeks_ms,
    targets_ms: targets,
    median_ms: median(seeks_ms),
    max_ms: max(seeks_ms),
    error: sim.error,
  };
}

const EXPLAIN = ['runUntil', 'dispatch', 'tick', 'takeCheckpoint', 'restore', 'onMessage', 'onTimer', 'replicationRound', 'finalize', 'checkCompleteness', 'stepModes', 'observe', 'append'];

async function profile(until_ms: number, strategy: string): Promise<ProfileResult> {
  const spec = nt1();
  runEngine(spec, strategy, 30_000); // warm-up, not profiled
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const run = runEngine(spec, strategy, until_ms);
  const { profile: raw } = await session.post('Profiler.stop');
  session.disconnect();
  const prof = raw as unknown as CpuProfileLike;
  const dir = join(tmpdir(), 'impossibility-lab-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${NT1}-${strategy}-${until_ms / 1000}s.cpuprofile`);
  writeFileSync(file, JSON.stringify(raw));
  const { total_ms, list } = hotspots(prof);
  const isEngine = (h: Hotspot) => h.where.startsWith('src-main/engine/');
  return {
    until_ms,
    wall_ms: run.wall_ms,
    events: run.events,
    profiled_ms: total_ms,
    engine: list.filter(isEngine).slice(0, 15),
    overall: list.slice(0, 15),
    inclusive: list.filter((h) => (isEngine(h) || h.where.startsWith('src-shared/')) && EXPLAIN.includes(h.fn)).sort((a, b) => b.total_ms - a.total_ms),
    file,
  };
}

async function linearizability(): Promise<LinearizabilityResult> {
  const path = join(BENCH_DIR, 'linearizability.ts');
  if (!existsSync(path)) throw new Error('bench/linearizability.ts not present');
  const mod = (await import(pathToFileURL(path).href)) as { benchLinearizability?: () => Promise<LinearizabilityResult> };
  if (typeof mod.benchLinearizability !== 'function') throw new Error('bench/linearizability.ts exports no benchLinearizability()');
  return mod.benchLinearizability();
}

const [task, ...args] = process.argv.slice(2);
const num = (i: number, d: number) => (args[i] !== undefined ? Number(args[i]) : d);
switch (task) {
  case 'seek':
    emitResult(seek(num(0, 1_800_000), num(1, 20_000), num(2, 20)));
    break;
  case 'profile':
    emitResult(await profile(num(0, 600_000), args[1] ?? 'async-cp'));
    break;
  case 'linearizability':
    emitResult(await linearizability());
    break;
  case 'memory':
    emitResult((await import('./memory')).memoryRun(num(0, 90)));
    break;
  default:
    console.error(`unknown task "${task}" (seek, profile, linearizability, memory)`);
    process.exit(2);
}
