/** The report as Markdown: the same content as the JSON, for reading and for pasting. */
import type { Report } from '../../src-shared/report/types';
import { analysisMarkdown } from './analysis-section';
import type { MetricValue } from '../../src-shared/ipc/frames';
import { MASTERY_BANDS, RUBRIC_LEVELS, TOTAL_POINTS } from '../../src-shared/session/rubric';
import type { TimelineRecord } from '../../src-shared/timeline/records';
import { describeRecord, evidenceChains, formatSeconds as stamp, gvectorSteps, modeIntervals, scopeLabel, type ChainNode } from './analysis';

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
  if (r.history) {
    const w = r.history.windows;
    out.push('', '## Client history and linearizability', '', `${r.history.operations} client operations; checked windows: ${w.linearizable} linearizable, ${w.not_linearizable} not linearizable, ${w.unknown} unknown.`, '');
    for (const f of r.history.figures) out.push(`- ${f.caption}`);
  }
  out.push('', '## Mode changes and their evidence', '');
  for (const m of r.modes) {
    out.push(`- **${secs(m.t_ms)} ${m.scope}: ${m.from} → ${m.to}** — ${m.reason}`);
    for (const e of m.evidence) {
      if (e.kind === 'evidence') out.push(`  - #${e.seq} ${secs(e.t_ms)} ${e.type} at ${e.node}${e.peer ? ` about ${e.peer}` : ''}${e.detail ? ` ${JSON.stringify(e.detail)}` : ''}`);
    }
  }
  out.push('', '## Metrics', '', '| metric | value |', '|---|---|', ...metricLines(r.metrics), '');
  out.push(...extraSections(r));
  return out.join('\n');
}

/** User text (notes, answers, names) cannot smuggle HTML or table syntax into the Markdown. */
function text(s: string): string {
  return s.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
const cell = (s: string) => text(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const quote = (s: string) => s.split('\n').map((l) => `> ${text(l)}`);

function chainLines(nodes: ChainNode[], depth: number): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    out.push(`${'  '.repeat(depth)}- #${n.record.seq} ${stamp(n.record.t_ms)} ${n.record.kind}: ${describeRecord(n.record)}`);
    out.push(...chainLines(n.cites, depth + 1));
  }
  return out;
}

/** The sections that the HTML report draws as charts, as tables here (issue 6). */
function extraSections(r: Report): string[] {
  const out: string[] = [];
  if (r.session) {
    const s = r.session;
    const check = s.replay === 'match' ? ' — ✓ replay reproduced the stored digest' : s.replay === 'mismatch' ? ` — ✗ replay digest differs from the stored one (\`${s.stored_digest ?? ''}\`)` : '';
    out.push('## Session', '', `**${cell(s.name)}**${check}`, '');
  }
  out.push('## Modes over time', '', '| scope | mode | from | to |', '|---|---|---|---|');
  for (const [scope, list] of modeIntervals(r)) for (const iv of list) out.push(`| ${scopeLabel(r, scope)} | ${iv.mode} | ${secs(iv.from_ms)} | ${secs(iv.to_ms)} |`);
  out.push('', '## G-vector over time (observed against claimed)', '');
  for (const [scope, steps] of gvectorSteps(r)) {
    out.push(`### ${scopeLabel(r, scope)}`, '', '| from | observed | claimed |', '|---|---|---|');
    for (const st of steps) out.push(`| ${secs(st.t_ms)} | ${st.observed || '—'} | ${st.claimed || '—'} |`);
    out.push('');
  }
  const faults = r.timeline.filter((x): x is Extract<TimelineRecord, { kind: 'fault' }> => x.kind === 'fault');
  if (faults.length) {
    out.push('## Fault actions', '');
    for (const f of faults) out.push(`- ${secs(f.t_ms)} ${f.text} (${f.source})`);
    out.push('');
  }
  if (r.analysis) out.push(...analysisMarkdown(r.analysis));
  const chains = evidenceChains(r).filter((c) => c.record.kind !== 'mode');
  out.push('## Broken claims and invariant violations, with their evidence', '');
  if (!chains.length) out.push('None in this run.', '');
  for (const c of chains.slice(0, 250)) {
    out.push(`- **${stamp(c.record.t_ms)} ${c.headline}** (#${c.record.seq})`, ...chainLines(c.cites, 1));
    for (const m of c.missing ?? []) out.push(`  - #${m} (not in this report’s timeline)`);
  }
  if (chains.length > 250) out.push(`- … and ${chains.length - 250} more (see the JSON report)`);
  out.push('');
  if (r.session) {
    const ex = r.session.exercise;
    out.push(`## Exercise — ${ex.test}`, '');
    ex.questions.forEach((q, i) => {
      out.push(`${i + 1}. **${text(q)}**`, '');
      const a = ex.answers[i]?.trim();
      out.push(...(a ? quote(a) : ['> (no answer)']), '');
    });
    out.push('### Self-assessment (the seed’s rubric)', '', '| level | points | self-score |', '|---|---|---|');
    for (const l of RUBRIC_LEVELS) out.push(`| Level ${l.level}: ${l.title} | 0–${l.max} | ${ex.scores[l.id] ?? '—'} |`);
    out.push(`| **Total${ex.complete ? '' : ' (not every level scored)'}** | 0–${ex.max} | **${ex.points}** |`, '');
    out.push(`${TOTAL_POINTS} points over the nine tests; mastery bands: ${MASTERY_BANDS.map((b) => `${b.label} ${b.max}–${b.min}`).join(', ')}.`, '');
    if (r.session.notes.trim()) out.push('## Notes', '', ...quote(r.session.notes), '');
  }
  return out;
}
