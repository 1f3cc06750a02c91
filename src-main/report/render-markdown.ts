/** The report as Markdown: the same content as the JSON, for reading and for pasting. */
import type { Report } from '../../src-shared/report/types';
import type { MetricValue } from '../../src-shared/ipc/frames';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function metricLines(metrics: Record<string, MetricValue>): string[] {
  return Object.entries(metrics).map(([k, v]) => `| ${k} | ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)} |`);
}

export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  out.push(`# ${r.title} — ${r.strategy}`, '');
  out.push(`Scenario \`${r.scenario}\`, seed ${r.seed}, ran to ${secs(r.until_ms)}. Timeline digest \`${r.digest}\`.`, '');
  if (r.error) out.push(`> **Run stopped:** ${r.error}`, '');
  out.push('## Final state', '', '| scope | mode | observed | claimed | claim broken on |', '|---|---|---|---|---|');
  for (const f of r.final) out.push(`| ${f.scope} | ${f.mode} | ${f.observed} | ${f.claimed} | ${f.weaker.join(', ') || '—'} |`);
  out.push('', '## Requirements', '');
  for (const q of r.requirements) out.push(`- ${q.met === null ? '?' : q.met ? '✓' : '✗'} ${q.text} (measured: ${q.value ?? 'n/a'})`);
  out.push('', '## Invariants', '', '| invariant | kind | violations |', '|---|---|---|');
  for (const i of r.invariants) out.push(`| ${i.name} | ${i.kind} | ${i.violations} |`);
  out.push('', '## Mode changes and their evidence', '');
  for (const m of r.modes) {
    out.push(`- **${secs(m.t_ms)} ${m.scope}: ${m.from} → ${m.to}** — ${m.reason}`);
    for (const e of m.evidence) {
      if (e.kind === 'evidence') out.push(`  - #${e.seq} ${secs(e.t_ms)} ${e.type} at ${e.node}${e.peer ? ` about ${e.peer}` : ''}${e.detail ? ` ${JSON.stringify(e.detail)}` : ''}`);
    }
  }
  out.push('', '## Metrics', '', '| metric | value |', '|---|---|', ...metricLines(r.metrics), '');
  return out.join('\n');
}
