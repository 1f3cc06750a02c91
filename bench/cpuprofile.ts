/**
 * Reduces a V8 CPU profile (inspector Profiler.stop) to per-function self and total
 * time. tsx serves minified-whitespace code, so the profile's positions are mapped back
 * to the TypeScript sources with the source maps Node keeps (module.findSourceMap);
 * this must therefore run in the process that was profiled.
 */
import { findSourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfileLike {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface Hotspot {
  fn: string;
  /** Repo-relative source file and 1-based line of the function (or a V8 pseudo-frame name). */
  where: string;
  self_ms: number;
  total_ms: number;
  self_pct: number;
}

function locate(cf: CallFrame): string {
  if (!cf.url) return '';
  let file = cf.url;
  let line = cf.lineNumber + 1;
  const sm = cf.url.startsWith('file:') ? findSourceMap(cf.url) : undefined;
  if (sm) {
    const e = sm.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number };
    if (e.originalSource && e.originalLine !== undefined) {
      file = e.originalSource;
      line = e.originalLine + 1;
    }
  }
  if (file.startsWith('file:')) file = relative(REPO_ROOT, fileURLToPath(file));
  return `${file}:${line}`;
}

export function hotspots(profile: CpuProfileLike): { total_ms: number; list: Hotspot[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map<number, { key: string; fn: string; where: string }>();
  const keyFor = (id: number) => {
    let k = keyOf.get(id);
    if (!k) {
      const cf = byId.get(id)!.callFrame;
      const fn = cf.functionName || '(anonymous)';
      const where = locate(cf);
      k = { key: `${fn}@${where}`, fn, where };
      keyOf.set(id, k);
    }
    return k;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the following gap to sample i.
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const id = samples[i]!;
    sum += dt;
    const k = keyFor(id);
    self.set(k.key, (self.get(k.key) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = keyFor(cur).key;
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + dt);
    }
  }
  const info = new Map([...keyOf.values()].map((k) => [k.key, k]));
  const list = [...total.entries()]
    .map(([key, tot]) => {
      const ms = self.get(key) ?? 0;
      return { fn: info.get(key)!.fn, where: info.get(key)!.where, self_ms: ms, total_ms: tot, self_pct: sum > 0 ? ms / sum : 0 };
    })
    .sort((a, b) => b.self_ms - a.self_ms || b.total_ms - a.total_ms);
  return { total_ms: sum, list };
}
