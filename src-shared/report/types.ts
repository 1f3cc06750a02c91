/**
 * The report of a run (DESIGN §6). JSON is the canonical form; Markdown and HTML render
 * the same content. Field names are a contract with outside tools: extend, don't rename.
 */
import type { MetricValue } from '../ipc/frames';
import type { TimelineRecord } from '../timeline/records';

export interface ReportModeTransition {
  t_ms: number;
  scope: string;
  from: string;
  to: string;
  /** The evidence records (full) that caused the change. */
  evidence: TimelineRecord[];
  reason: string;
}

export interface Report {
  scenario: string;
  title: string;
  strategy: string;
  seed: number;
  until_ms: number;
  digest: string;
  timeline: TimelineRecord[];
  invariants: { name: string; id: string; kind: 'safety' | 'liveness'; violations: number }[];
  modes: ReportModeTransition[];
  metrics: Record<string, MetricValue>;
  requirements: { id: string; text: string; value: number | null; met: boolean | null }[];
  final: { scope: string; mode: string; observed: string; claimed: string; weaker: string[] }[];
  error: string | null;
  generated_by: string;
}
