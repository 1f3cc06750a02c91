/**
 * The report as one self-contained HTML page (no scripts, no external resources): inline
 * CSS and inline SVG charts — modes over time per scope, each G-vector component over
 * time (observed against claimed, as componentRank), the key metrics, and for every mode
 * change, broken claim and invariant violation the chain of evidence behind it. The same
 * content as the JSON (DESIGN §6) and the Markdown. Pure string building: used by the CLI
 * (`lab run --out r.html`), by the host for the app (`lab:report`), and printed to PDF.
 *
 * Everything that comes from a run or a session (names, notes, answers) is escaped: a
 * session file may be hostile.
 */
import { COMPONENTS, COMPONENT_LABELS, type ComponentName } from '../../src-shared/gvector';
import { analysisHtml } from './analysis-section';
import type { Report, ReportHistory } from '../../src-shared/report/types';
import { MASTERY_BANDS, POINTS_PER_TEST, RUBRIC_LEVELS, TOTAL_POINTS } from '../../src-shared/session/rubric';
import type { TimelineRecord } from '../../src-shared/timeline/records';
import {
  COMPONENT_SCALE,
  describeRecord,
  evidenceChains,
  flattenMetrics,
  gvectorSteps,
  modeIntervals,
  modeTone,
  scopeIds,
  scopeLabel,
  splitComponents,
  type ChainNode,
  type GStep,
  type ModeTone,
} from './analysis';

const MAX_CHAINS = 250;
const MAX_METRIC_ROWS = 80;

export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const TONE_FILL: Record<ModeTone, string> = {
  target: '#00795a',
  degraded: '#b07400',
  floor: '#b34700',
  recovery: '#1f6fa8',
  other: '#a0457e',
};
const GLYPH: Record<ModeTone, string> = { target: '●', degraded: '▲', floor: '■', recovery: '◆', other: '✱' };

/** 'Asia-Pacific (Singapore)' → 'Asia-Pacific' for chart lanes (the full label is in the tooltip). */
function laneLabel(label: string): string {
  const short = label.replace(/\s*\([^)]*\)\s*$/, '').trim() || label;
  return short.length > 18 ? `${short.slice(0, 17)}…` : short;
}

function secs(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s.toFixed(0) : s < 100 ? s.toFixed(2).replace(/0$/, '') : s.toFixed(1)} s`;
}

// ---- time axis -------------------------------------------------------------------------

const W = 760;
const LEFT = 118;
const RIGHT = 14;

interface Axis {
  x(t_ms: number): number;
  ticks: number[];
  end: number;
}

function axis(until_ms: number): Axis {
  const end = Math.max(1000, until_ms);
  const steps = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);
  const step = steps.find((s) => end / s <= 8) ?? 3600_000;
  const ticks: number[] = [];
  for (let t = 0; t <= end + 1e-6; t += step) ticks.push(t);
  return { x: (t) => LEFT + (Math.min(Math.max(t, 0), end) / end) * (W - LEFT - RIGHT), ticks, end };
}

function tickLabel(t_ms: number): string {
  const s = t_ms / 1000;
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  const r = Math.round(s - m * 60);
  return r ? `${m}m${r}s` : `${m}min`;
}

function axisSvg(ax: Axis, y: number): string {
  const parts = [`<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${y}" y2="${y}"/>`];
  for (const t of ax.ticks) {
    const x = ax.x(t).toFixed(1);
    parts.push(`<line class="axis" x1="${x}" x2="${x}" y1="${y}" y2="${y + 4}"/><text class="tick" x="${x}" y="${y + 15}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  return parts.join('');
}

// ---- charts ----------------------------------------------------------------------------

interface FaultMark {
  n: number;
  t_ms: number;
  text: string;
  source: string;
}

function faultMarks(r: Report): FaultMark[] {
  let n = 0;
  return r.timeline.flatMap((x) => (x.kind === 'fault' ? [{ n: ++n, t_ms: x.t_ms, text: x.text, source: x.source }] : []));
}

function modesChart(r: Report, ax: Axis, faults: FaultMark[]): string {
  const lanes = modeIntervals(r);
  const ids = scopeIds(r);
  const LANE = 24;
  const GAP = 6;
  const TOP = faults.length ? 22 : 6;
  const height = TOP + ids.length * (LANE + GAP) + 24;
  const out: string[] = [
    `<svg class="chart" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="modes-title"><title id="modes-title">Modes over time per scope</title>`,
  ];
  ids.forEach((scope, i) => {
    const y = TOP + i * (LANE + GAP);
    out.push(`<text class="lane" x="${LEFT - 8}" y="${y + LANE / 2 + 4}" text-anchor="end">${esc(laneLabel(scopeLabel(r, scope)))}<title>${esc(scopeLabel(r, scope))}</title></text>`);
    for (const iv of lanes.get(scope) ?? []) {
      const x0 = ax.x(iv.from_ms);
      const x1 = ax.x(iv.to_ms);
      const w = Math.max(0.8, x1 - x0);
      const tone = modeTone(iv.mode, r);
      out.push(
        `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${LANE}" fill="${TONE_FILL[tone]}"><title>${esc(`${scopeLabel(r, scope)}: ${iv.mode} from ${secs(iv.from_ms)} to ${secs(iv.to_ms)}`)}</title></rect>`,
      );
      const label = `${GLYPH[tone]} ${iv.mode}`;
      if (w > label.length * 6.6 + 6) out.push(`<text class="seg" x="${(x0 + 5).toFixed(1)}" y="${y + LANE / 2 + 4}">${esc(label)}</text>`);
    }
  });
  const bottom = TOP + ids.length * (LANE + GAP) - GAP;
  // Faults at (nearly) the same place share one marker: "1–2".
  const groups: FaultMark[][] = [];
  for (const f of faults) {
    const g = groups[groups.length - 1];
    if (g && ax.x(f.t_ms) - ax.x(g[0]!.t_ms) < 9) g.push(f);
    else groups.push([f]);
  }
  for (const g of groups) {
    const x = ax.x(g[0]!.t_ms).toFixed(1);
    const label = g.length === 1 ? `${g[0]!.n}` : `${g[0]!.n}–${g[g.length - 1]!.n}`;
    out.push(
      `<line class="fault" x1="${x}" x2="${x}" y1="${TOP - 6}" y2="${bottom + 2}"/><text class="faultn" x="${x}" y="${TOP - 9}" text-anchor="middle">${label}<title>${esc(g.map((f) => `${f.n}. ${secs(f.t_ms)} ${f.text}`).join('\n'))}</title></text>`,
    );
  }
  out.push(axisSvg(ax, bottom + 4), '</svg>');
  const used = [...new Set([...lanes.values()].flat().map((iv) => iv.mode))];
  out.push(
    `<p class="legend">${used.map((m) => { const t = modeTone(m, r); return `<span class="badge tone-${t}">${GLYPH[t]} ${esc(m)}</span>`; }).join(' ')}${faults.length ? ' · dashed lines: fault actions (numbered below)' : ''}</p>`,
  );
  return out.join('');
}

const STRIP = 30;
const STRIP_GAP = 8;

function stepPath(steps: GStep[], pick: (s: GStep) => number | null, ax: Axis, y0: number, max: number): string {
  let d = '';
  let prevY: number | null = null;
  steps.forEach((s, i) => {
    const v = pick(s);
    const x0 = ax.x(s.t_ms);
    const x1 = ax.x(steps[i + 1]?.t_ms ?? ax.end);
    if (v === null) {
      prevY = null;
      return;
    }
    const y = y0 + STRIP - 3 - (Math.min(v, max) / max) * (STRIP - 6);
    d += prevY === null ? `M${x0.toFixed(1)},${y.toFixed(1)}` : `V${y.toFixed(1)}`;
    d += `H${x1.toFixed(1)}`;
    prevY = y;
  });
  return d;
}

function gvectorChart(r: Report, scope: string, steps: GStep[], ax: Axis): string {
  const height = COMPONENTS.length * (STRIP + STRIP_GAP) + 22;
  const id = `gv-${scope.replace(/[^a-z0-9_-]/gi, '_')}`;
  const out: string[] = [
    `<svg class="chart" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="${id}"><title id="${id}">${esc(`G-vector of ${scopeLabel(r, scope)} over time: observed (solid) against claimed (dashed)`)}</title>`,
  ];
  COMPONENTS.forEach((c, i) => {
    const y0 = 4 + i * (STRIP + STRIP_GAP);
    const scale = COMPONENT_SCALE[c];
    out.push(
      `<rect class="strip" x="${LEFT}" y="${y0}" width="${W - LEFT - RIGHT}" height="${STRIP}"/>`,
      `<text class="lane" x="${LEFT - 8}" y="${y0 + 12}" text-anchor="end">${COMPONENT_LABELS[c]}</text>`,
      `<text class="tick" x="${LEFT - 8}" y="${y0 + STRIP - 1}" text-anchor="end">${esc(scale.ticks[0]![1])}…${esc(scale.ticks[scale.ticks.length - 1]![1])}</text>`,
    );
    // Broken-claim bands: observed below claimed on this component.
    steps.forEach((s, k) => {
      const o = s.observedRank?.[c];
      const cl = s.claimedRank?.[c];
      if (o === undefined || cl === undefined || !(o < cl - 1e-9)) return;
      const x0 = ax.x(s.t_ms);
      const x1 = ax.x(steps[k + 1]?.t_ms ?? ax.end);
      out.push(`<rect class="broken" x="${x0.toFixed(1)}" y="${y0}" width="${Math.max(0.8, x1 - x0).toFixed(1)}" height="${STRIP}"><title>${esc(`${COMPONENT_LABELS[c]} claim broken from ${secs(s.t_ms)}: observed ${valueOf(s.observed, c)}, claimed ${valueOf(s.claimed, c)}`)}</title></rect>`);
    });
    const obs = stepPath(steps, (s) => s.observedRank?.[c] ?? null, ax, y0, scale.max);
    const cla = stepPath(steps, (s) => s.claimedRank?.[c] ?? null, ax, y0, scale.max);
    if (cla) out.push(`<path class="claimed" d="${cla}"/>`);
    if (obs) out.push(`<path class="observed" d="${obs}"/>`);
  });
  out.push(axisSvg(ax, COMPONENTS.length * (STRIP + STRIP_GAP) + 2), '</svg>');
  return out.join('');
}

function valueOf(text: string, c: ComponentName): string {
  return splitComponents(text)[COMPONENTS.indexOf(c)] ?? '?';
}

// ---- sections --------------------------------------------------------------------------

function recordLine(rec: TimelineRecord): string {
  return `<span class="seq">#${rec.seq}</span> <span class="t">${secs(rec.t_ms)}</span> <span class="kind k-${rec.kind}">${rec.kind}</span> ${esc(describeRecord(rec))}`;
}

function chainList(nodes: ChainNode[], missing: number[] = []): string {
  if (!nodes.length && !missing.length) return '';
  const items = nodes.map((n) => `<li>${recordLine(n.record)}${chainList(n.cites, n.missing)}</li>`);
  for (const m of missing) items.push(`<li class="missing">#${m} (not in this report’s timeline)</li>`);
  return `<ol class="cites">${items.join('')}</ol>`;
}

function chainsSection(r: Report): string {
  const chains = evidenceChains(r);
  if (!chains.length) return '<p class="muted">No mode change, broken claim or invariant violation in this run.</p>';
  const shown = chains.slice(0, MAX_CHAINS).map((ch) => {
    const rec = ch.record;
    const reason = rec.kind === 'mode' ? rec.reason : rec.kind === 'invariant' ? rec.text : rec.kind === 'claim' ? `observed ${rec.observed} vs claimed ${rec.claimed}` : '';
    const cls = rec.kind === 'invariant' ? 'chain bad' : rec.kind === 'claim' ? 'chain warn' : 'chain';
    return `<section class="${cls}" data-kind="${rec.kind}"><h3><span class="t">${secs(rec.t_ms)}</span> ${esc(ch.headline)} <span class="seq">#${rec.seq}</span></h3>${reason ? `<p>${esc(reason)}</p>` : ''}${
      ch.cites.length || ch.missing?.length ? `<p class="because">because of:</p>${chainList(ch.cites, ch.missing)}` : '<p class="muted">cites no evidence</p>'
    }</section>`;
  });
  if (chains.length > MAX_CHAINS) shown.push(`<p class="muted">… and ${chains.length - MAX_CHAINS} more; the JSON report has every record.</p>`);
  return shown.join('');
}

function finalTable(r: Report): string {
  const rows = r.final.map((f) => {
    const tone = modeTone(f.mode, r);
    return `<tr><td>${esc(scopeLabel(r, f.scope))}</td><td><span class="badge tone-${tone}">${GLYPH[tone]} ${esc(f.mode)}</span></td><td class="mono">${esc(f.observed)}</td><td class="mono">${esc(f.claimed)}</td><td>${f.weaker.length ? `<b class="bad">${esc(f.weaker.join(', '))}</b>` : '—'}</td></tr>`;
  });
  return `<table><thead><tr><th>scope</th><th>mode</th><th>observed</th><th>claimed</th><th>claim broken on</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function exerciseSection(r: Report): string {
  const s = r.session;
  if (!s) return '';
  const ex = s.exercise;
  const qa = ex.questions.map(
    (q, i) => `<li><p class="q">${esc(q)}</p>${ex.answers[i]?.trim() ? `<div class="answer">${esc(ex.answers[i])}</div>` : '<p class="muted">(no answer)</p>'}</li>`,
  );
  const extra = ex.answers.slice(ex.questions.length).filter((a) => a.trim());
  for (const a of extra) qa.push(`<li><p class="q">(answer without a question)</p><div class="answer">${esc(a)}</div></li>`);
  const rubric = RUBRIC_LEVELS.map((l) => {
    const v = ex.scores[l.id];
    return `<tr><td>Level ${l.level}: ${esc(l.title)}</td><td>0–${l.max}</td><td><ul>${l.criteria.map((c) => `<li>${esc(c)}</li>`).join('')}</ul></td><td class="score">${v === null ? '—' : `${v} / ${l.max}`}</td></tr>`;
  });
  const bands = MASTERY_BANDS.map((b) => `${b.label} ${b.max}–${b.min}`).join(' · ');
  return `<h2>Exercise — ${esc(ex.test)}</h2><ol class="qa">${qa.join('')}</ol>
<h3>Self-assessment (the seed’s rubric)</h3>
<table class="rubric"><thead><tr><th>level</th><th>points</th><th>criteria</th><th>self-score</th></tr></thead><tbody>${rubric.join('')}</tbody>
<tfoot><tr><td colspan="3">Total for this test${ex.complete ? '' : ' (not every level scored yet)'}</td><td class="score" data-testid="exercise-total">${ex.points} / ${ex.max}</td></tr></tfoot></table>
<p class="muted">${POINTS_PER_TEST} points per test, ${TOTAL_POINTS} over the nine transfer tests; mastery bands: ${esc(bands)}.</p>`;
}

function sessionHeader(r: Report): string {
  const s = r.session;
  if (!s) return '';
  let check = '';
  if (s.replay === 'match') check = `<span class="ok">✓ replay reproduced the stored digest</span>`;
  else if (s.replay === 'mismatch') check = `<span class="bad">✗ replay digest differs from the stored one (${esc(s.stored_digest ?? '')})</span>`;
  return `<p class="session">Session <b>${esc(s.name)}</b>${check ? ` — ${check}` : ''}</p>`;
}

const CSS = `
:root{color-scheme:light;--fg:#0d1117;--muted:#4a5563;--border:#c5ccd6;--panel:#f4f6f9;--bad:#c0392b;--ok:#00795a}
*{box-sizing:border-box}
body{font:14px/1.45 'DejaVu Sans','Noto Sans',system-ui,sans-serif;color:var(--fg);background:#fff;margin:0 auto;max-width:900px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:2px solid var(--fg);padding-bottom:2px}h3{font-size:14px;margin:12px 0 4px}
.test{background:var(--fg);color:#fff;border-radius:4px;padding:0 6px;margin-right:6px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0;font-size:13px}.meta dt{color:var(--muted)}.meta dd{margin:0}
.mono,.meta .mono{font-family:'DejaVu Sans Mono','Noto Sans Mono',monospace;font-size:12px;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:13px}th,td{border:1px solid var(--border);padding:3px 6px;text-align:left;vertical-align:top}th{background:var(--panel)}
.badge{color:#fff;border-radius:4px;padding:0 6px;white-space:nowrap;font-weight:700}
${Object.entries(TONE_FILL).map(([t, c]) => `.tone-${t}{background:${c}}`).join('')}
.bad{color:var(--bad)}.ok{color:var(--ok);font-weight:700}.muted{color:var(--muted)}
.chart{display:block;margin:4px 0 10px;font-family:'DejaVu Sans','Noto Sans',sans-serif}
.chart .lane{font-size:11px;fill:var(--fg);font-weight:700}.chart .tick{font-size:9.5px;fill:var(--muted)}.chart .axis{stroke:var(--muted);stroke-width:1}
.chart .seg{font-size:11px;fill:#fff;font-weight:700}.chart .fault{stroke:#333;stroke-dasharray:3 2;stroke-width:1}.chart .faultn{font-size:10px;font-weight:700;fill:#333}
.chart .strip{fill:var(--panel);stroke:var(--border)}.chart .observed{fill:none;stroke:#0072b2;stroke-width:2.2}.chart .claimed{fill:none;stroke:#333;stroke-width:1.3;stroke-dasharray:5 3}
.chart .broken{fill:#d55e00;fill-opacity:.28}
.legend{font-size:12px;color:var(--muted);margin:0 0 6px}.legend i{display:inline-block;width:22px;height:0;vertical-align:middle;margin:0 4px 0 10px}
.legend .lo{border-top:2.2px solid #0072b2}.legend .lc{border-top:1.5px dashed #333}.legend .lb{height:10px;background:#d55e00;opacity:.35}
.faults{font-size:12.5px;columns:2;margin:0 0 8px;padding-left:20px}
.chain{border:1px solid var(--border);border-left:5px solid #1f6fa8;border-radius:4px;padding:4px 10px;margin:8px 0;break-inside:avoid}
.chain.warn{border-left-color:#d55e00}.chain.bad{border-left-color:var(--bad)}.chain h3{margin:4px 0}.chain p{margin:2px 0}.because{font-size:12px;color:var(--muted)}
.cites{margin:2px 0;padding-left:22px;font-size:12.5px}.cites .cites{border-left:1px dotted var(--border)}
.seq{color:var(--muted);font-family:'DejaVu Sans Mono',monospace;font-size:11.5px}.t{font-family:'DejaVu Sans Mono',monospace;font-size:12px}
.kind{font-size:11px;border:1px solid var(--border);border-radius:3px;padding:0 3px;color:var(--muted)}
mark.bound{background:none;color:inherit;font-weight:700;border-bottom:2px solid currentColor}mark.bound.good{color:#1a7f37}mark.bound.warn{color:#9a6700}mark.bound.bad{color:#b42318}.qa li{margin:6px 0}.q{font-weight:700;margin:0}.answer,.notes{white-space:pre-wrap;border-left:3px solid var(--border);padding:2px 10px;margin:4px 0;overflow-wrap:anywhere}
.rubric ul{margin:0;padding-left:16px}.rubric .score{white-space:nowrap;font-weight:700;text-align:right}
.session{font-size:14px;margin:4px 0}
footer{margin-top:28px;font-size:11.5px;color:var(--muted);border-top:1px solid var(--border);padding-top:6px}
@page{size:A4;margin:14mm}
@media print{body{padding:0;max-width:none}h2,h3{break-after:avoid}.chart,.figure{break-inside:avoid}}
`;

/** The app's history view: client operations per lane, the linearization, where it fails. */
function historySection(h: ReportHistory): string {
  const w = h.windows;
  const out = [
    '<h2>Client history and linearizability</h2>',
    `<p>${h.operations} client operations recorded; checked windows: ${w.linearizable} linearizable, ${w.not_linearizable ? `<b class="bad">${w.not_linearizable} not linearizable</b>` : '0 not linearizable'}, ${w.unknown} unknown (out of budget). A window that is not linearizable drops Order below <span class="mono">Lx</span>.</p>`,
  ];
  for (const f of h.figures) out.push(`<figure class="figure history" data-verdict="${esc(f.verdict)}">${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`);
  return out.join('\n');
}

export interface HtmlOptions {
  /** Shown in the footer (the caller reads the clock; this module is pure). */
  generatedAt?: string;
}

export function renderHtml(r: Report, opts: HtmlOptions = {}): string {
  const ax = axis(r.until_ms);
  const faults = faultMarks(r);
  const steps = gvectorSteps(r);
  const ids = scopeIds(r);
  const metrics = flattenMetrics(r.metrics);
  const broken = r.timeline.filter((x) => x.kind === 'claim' && x.status === 'broken').length;
  const violations = r.invariants.reduce((a, i) => a + i.violations, 0);
  const title = `${r.title} — ${r.strategy}`;

  const body: string[] = [];
  body.push(
    `<header><h1>${r.test ? `<span class="test">${esc(r.test)}</span>` : ''}${esc(title)}</h1>${sessionHeader(r)}`,
    `<dl class="meta"><dt>scenario</dt><dd class="mono">${esc(r.scenario)}</dd><dt>strategy</dt><dd class="mono">${esc(r.strategy)}</dd><dt>seed</dt><dd class="mono">${esc(r.seed)}</dd>`,
    `<dt>simulated</dt><dd>0 → ${secs(r.until_ms)}</dd><dt>timeline digest</dt><dd class="mono" data-testid="report-digest">${esc(r.digest)}</dd>`,
    `<dt>summary</dt><dd>${r.modes.length} mode change${r.modes.length === 1 ? '' : 's'}, ${broken} broken claim${broken === 1 ? '' : 's'}, ${violations} invariant violation${violations === 1 ? '' : 's'}, ${faults.length} fault action${faults.length === 1 ? '' : 's'}, ${r.timeline.length} timeline records</dd></dl></header>`,
  );
  if (r.error) body.push(`<p class="bad"><b>Run stopped:</b> ${esc(r.error)}</p>`);

  body.push('<h2>Final state</h2>', finalTable(r));
  body.push('<h2>Requirements and invariants</h2><ul>');
  for (const q of r.requirements) body.push(`<li>${q.met === null ? '?' : q.met ? '<span class="ok">✓</span>' : '<b class="bad">✗</b>'} ${esc(q.text)} <span class="muted">(measured: ${esc(q.value ?? 'n/a')})</span></li>`);
  body.push('</ul><table><thead><tr><th>invariant</th><th>kind</th><th>violations</th></tr></thead><tbody>');
  for (const i of r.invariants) body.push(`<tr><td>${esc(i.name)}</td><td>${i.kind}</td><td>${i.violations ? `<b class="bad">${i.violations}</b>` : '0'}</td></tr>`);
  body.push('</tbody></table>');

  body.push('<h2>Modes over time</h2><div class="figure">', modesChart(r, ax, faults));
  if (faults.length) body.push(`<ol class="faults">${faults.map((f) => `<li>${secs(f.t_ms)} ${esc(f.text)} <span class="muted">(${esc(f.source)})</span></li>`).join('')}</ol>`);
  body.push('</div>');

  body.push(
    '<h2>G-vector over time, observed against claimed</h2>',
    '<p class="legend"><i class="lo"></i>observed<i class="lc"></i>claimed<i class="lb"></i>claim broken (observed weaker than claimed). Heights are component strength (componentRank).</p>',
  );
  for (const scope of ids) {
    body.push(`<div class="figure"><h3>${esc(scopeLabel(r, scope))}</h3>`, gvectorChart(r, scope, steps.get(scope) ?? [], ax), '</div>');
  }

  body.push('<h2>Key metrics</h2><table><thead><tr><th>metric</th><th>value</th></tr></thead><tbody>');
  for (const [k, v] of metrics.slice(0, MAX_METRIC_ROWS)) body.push(`<tr><td class="mono">${esc(k)}</td><td>${esc(v)}</td></tr>`);
  body.push('</tbody></table>');
  if (metrics.length > MAX_METRIC_ROWS) body.push(`<p class="muted">${metrics.length - MAX_METRIC_ROWS} more metrics in the JSON report.</p>`);

  if (r.history) body.push(historySection(r.history));
  if (r.analysis) body.push(analysisHtml(r.analysis, esc));

  body.push('<h2>Chains of evidence</h2><p class="muted">Every mode change, broken claim and invariant violation, with the timeline records it cites (and what those cite).</p>', chainsSection(r));

  body.push(exerciseSection(r));
  if (r.session?.notes.trim()) body.push('<h2>Notes</h2>', `<div class="notes">${esc(r.session.notes)}</div>`);

  body.push(
    `<footer>${esc(r.generated_by)}${opts.generatedAt ? ` · ${esc(opts.generatedAt)}` : ''} · same seed and actions give the same timeline and digest; the JSON report holds all ${r.timeline.length} records.</footer>`,
  );

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)} — report</title><style>${CSS}</style></head>
<body>${body.join('\n')}</body></html>
`;
}
