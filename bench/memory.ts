/**
 * Long sessions bounded (issue 9): MT-3 with 5000 edges, run for an hour of simulated time
 * in a fresh process with --expose-gc, heap measured after a GC every 10 minutes. The run
 * keeps at most MAX_CHECKPOINTS checkpoints (older ones thinned), so the heap levels off;
 * a seek back into the thinned part is still exact (checked against the digest).
 */
import { loadScenarioDir } from '../src-main/scenarios/scenario-store';
import { getModel } from '../src-main/engine/models';
import { MAX_CHECKPOINTS, Simulation } from '../src-main/engine/simulation';
import { fmtMs, runChild, table, type Cell } from './util';

export interface MemoryResult {
  samples: { t_min: number; heap_mb: number; checkpoints: number; timeline: number }[];
  seek_ms: number;
  seek_exact: boolean;
  cap: number;
}

/** The child's side: run and sample. */
export function memoryRun(minutes: number): MemoryResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const spec = loadScenarioDir('scenarios').get('mt3-cdn-config');
  const sim = new Simulation(spec, getModel(spec.model), { strategy: 'gossip', seed: 1 });
  const samples: MemoryResult['samples'] = [];
  for (let m = 10; m <= minutes; m += 10) {
    sim.runUntil(m * 60_000);
    gc();
    samples.push({ t_min: m, heap_mb: process.memoryUsage().heapUsed / 1e6, checkpoints: sim.checkpointCount, timeline: sim.timeline.length });
  }
  // Exactness after thinning: seek back into the sparse part, then forward again to the end.
  const end = sim.now_ms;
  const digest = sim.digest();
  const t0 = performance.now();
  sim.seek(7 * 60_000 + 333);
  const seek_ms = performance.now() - t0;
  sim.seek(end);
  return { samples, seek_ms, seek_exact: sim.digest() === digest, cap: MAX_CHECKPOINTS };
}

interface Budget {
  name: string;
  budget: string;
  figure: string;
  status: string;
}

/** The parent's side: a section of `npm run bench` and its budget row. */
export async function memoryBench(log: (s?: string) => void, progress: (s: string) => void, minutes = 90): Promise<Budget> {
  progress(`memory: MT-3 gossip, 5011 nodes, ${minutes} simulated minutes, heap after GC every 10 min — child process`);
  const res = await runChild<MemoryResult>('memory', [String(minutes)], 600_000, ['--expose-gc']);
  log(`7. Long sessions: MT-3 gossip (5011 nodes) for ${minutes} simulated minutes; heap after a full GC; at most ${res.value?.cap ?? '?'} checkpoints`);
  if (!res.ok || !res.value) {
    log(`  failed: ${res.error}`);
    log();
    return { name: 'Long session memory bounded', budget: 'levels off', figure: 'failed', status: 'not measured' };
  }
  const v = res.value;
  const rows: Cell[][] = v.samples.map((s) => [`${s.t_min} min`, `${s.heap_mb.toFixed(1)} MB`, s.checkpoints, s.timeline]);
  log(table(['simulated', 'heap', 'checkpoints', 'timeline records'], rows, 'lrrr'));
  const peak = Math.max(...v.samples.map((s) => s.heap_mb));
  const half = v.samples.filter((s) => s.t_min > minutes / 2);
  const growth = half.length >= 2 ? half[half.length - 1]!.heap_mb - half[0]!.heap_mb : NaN;
  log(`  seek back to 7 min after thinning: ${fmtMs(v.seek_ms)}, replay to the end reproduces the digest: ${v.seek_exact ? 'yes' : 'NO'}`);
  log(`  heap peak ${peak.toFixed(1)} MB; growth over the second half ${growth.toFixed(1)} MB (timeline records only)`);
  log();
  return {
    name: `Long session memory bounded (MT-3, ${minutes} min, 5000 nodes)`,
    budget: `≤ ${MAX_CHECKPOINTS} checkpoints, exact seek`,
    figure: `peak heap ${peak.toFixed(0)} MB, ${v.samples[v.samples.length - 1]!.checkpoints} checkpoints`,
    status: v.seek_exact && v.samples.every((s) => s.checkpoints <= v.cap) ? 'met' : 'MISSED',
  };
}
