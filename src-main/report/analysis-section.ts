/**
 * The analysis panel in reports: the seed's questions with the answers bound to the run
 * (src-shared/analysis), as Markdown lines and as an HTML section. Bound values are
 * bold (Markdown) or marked (HTML) so a reader sees which figures came from the run.
 */
import type { AnalysisSegment, AnalysisView } from '../../src-shared/analysis/types';

function mdSegments(segs: readonly AnalysisSegment[]): string {
  return segs.map((s) => (s.ref ? `**${s.text.replace(/\*/g, '\\*')}**` : s.text)).join('');
}

export function analysisMarkdown(a: AnalysisView): string[] {
  const out = [`## Analysis — ${a.test}`, ''];
  out.push(`Bound to this run (strategy \`${a.strategy}\`, seed ${a.seed}, at ${Math.round(a.t_ms / 100) / 10} s)${a.seeds ? `; probabilities over seeds 1–${a.seeds}, replaying this run's actions` : ''}. Values in bold come from the run.`, '');
  for (const x of a.answers) {
    out.push(`### ${x.question}. ${x.title}`, '', `> ${x.question_text}`, '', mdSegments(x.segments), '');
    if (x.figures.length) {
      out.push('| figure | value |', '|---|---|');
      for (const f of x.figures) out.push(`| ${mdSegments(f.label).replace(/\|/g, '\\|')} | ${mdSegments(f.value).replace(/\|/g, '\\|')} |`);
      out.push('');
    }
  }
  return out;
}

export function analysisHtml(a: AnalysisView, esc: (s: unknown) => string): string {
  const seg = (segs: readonly AnalysisSegment[]) =>
    segs.map((s) => (s.ref ? `<mark class="bound${s.tone ? ` ${s.tone}` : ''}" title="${esc(s.ref)}">${esc(s.text)}</mark>` : esc(s.text))).join('');
  const parts = [
    `<h2>Analysis — ${esc(a.test)}</h2>`,
    `<p class="muted">Bound to this run (strategy ${esc(a.strategy)}, seed ${esc(a.seed)}, at ${esc(Math.round(a.t_ms / 100) / 10)} s)${a.seeds ? `; probabilities over seeds 1–${esc(a.seeds)}, replaying this run's actions` : ''}. Marked values come from the run.</p>`,
    '<ol class="qa analysis">',
  ];
  for (const x of a.answers) {
    parts.push(`<li value="${x.question}"><h3>${esc(x.title)}</h3><p class="muted"><i>${esc(x.question_text)}</i></p><p>${seg(x.segments)}</p>`);
    if (x.figures.length) parts.push(`<table><tbody>${x.figures.map((f) => `<tr><td>${seg(f.label)}</td><td>${seg(f.value)}</td></tr>`).join('')}</tbody></table>`);
    parts.push('</li>');
  }
  parts.push('</ol>');
  return parts.join('');
}
