/**
 * Evidence reports: the self-contained HTML (inline SVG charts of modes per scope and of
 * every G-vector component over time, observed against claimed; key metrics; a chain of
 * evidence for every mode change, broken claim and invariant violation), the Markdown
 * with the same content, and the CLI's `--out r.html`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import { memoryIO } from '../../src-main/cli/io';
import { getModel } from '../../src-main/engine/models';
import { Simulation } from '../../src-main/engine/simulation';
import { evidenceChains, gvectorSteps, modeIntervals, ranksOf } from '../../src-main/report/analysis';
import { buildReport } from '../../src-main/report/build-report';
import { sessionSection } from '../../src-main/report/report-file';
import { esc, renderHtml } from '../../src-main/report/render-html';
import { renderMarkdown } from '../../src-main/report/render-markdown';
import { loadScenarioDir, parseFaultScript } from '../../src-main/scenarios/scenario-store';
import { componentRank, parseGVector } from '../../src-shared/gvector';
import type { Report } from '../../src-shared/report/types';
import type { TimelineRecord } from '../../src-shared/timeline/records';

let report: Report;

beforeAll(() => {
  const spec = loadScenarioDir('scenarios').get('nt1-log-replication');
  const actions = parseFaultScript(readFileSync('scenarios/scripts/nt1-cut-apac.yaml', 'utf8'), spec);
  const sim = new Simulation(spec, getModel(spec.model), { strategy: 'async-cp', seed: 7, actions });
  sim.runUntil(150_000);
  report = buildReport(sim, 150_000);
  report.session = sessionSection(spec, {
    name: '<script>alert("pwned")</script> Week 3',
    notes: 'Notes with <img src=x onerror=alert(1)> & "quotes"',
    answers: ['CAP: the cut forces a choice between C and A', ''],
    scores: { recognition: 2, framework: 3, gvector: 2, circumvention: null },
    replay: 'match',
    stored_digest: report.digest,
  });
}, 120_000);

describe('report analysis', () => {
  it('mode intervals cover the whole run per scope, in order', () => {
    const apac = modeIntervals(report).get('apac')!;
    expect(apac.map((i) => i.mode)).toEqual(['Target', 'Degraded', 'Recovery', 'Target']);
    expect(apac[0]!.from_ms).toBe(0);
    expect(apac[apac.length - 1]!.to_ms).toBe(150_000);
    for (let i = 1; i < apac.length; i++) expect(apac[i]!.from_ms).toBe(apac[i - 1]!.to_ms);
    expect(modeIntervals(report).get('us-east')!.map((i) => i.mode)).toEqual(['Target']);
  });

  it('G-vector steps carry componentRank for observed and claimed', () => {
    const steps = gvectorSteps(report).get('apac')!;
    const cut = steps.find((s) => s.observed.startsWith('⟨Local'))!;
    expect(cut.observedRank!.scope).toBe(componentRank(parseGVector(cut.observed), 'scope'));
    expect(cut.observedRank!.scope).toBe(0);
    expect(cut.claimedRank!.scope).toBe(3); // claimed Global until the mode changes
    const degraded = steps.find((s) => s.t_ms >= report.modes.find((m) => m.scope === 'apac' && m.to === 'Degraded')!.t_ms)!;
    expect(degraded.claimedRank!.scope).toBe(0); // the Degraded claim is Local
    expect(ranksOf('not a g-vector')).toBeNull();
  });

  it('every mode change and broken claim gets a chain of evidence', () => {
    const chains = evidenceChains(report);
    const modes = report.timeline.filter((r) => r.kind === 'mode').length;
    const broken = report.timeline.filter((r) => r.kind === 'claim' && r.status === 'broken').length;
    expect(chains).toHaveLength(modes + broken);
    const deg = chains.find((c) => c.record.kind === 'mode' && c.record.to === 'Degraded')!;
    expect(deg.headline).toBe('Asia-Pacific (Singapore): Target → Degraded');
    expect(deg.cites).toHaveLength(6);
    expect(deg.cites.every((c) => c.record.kind === 'evidence' && c.record.type === 'heartbeat-missed')).toBe(true);
  });

  it('follows citations through records that cite records, and marks missing ones', () => {
    const t: TimelineRecord[] = [
      { seq: 0, t_ms: 0, kind: 'evidence', type: 'probe', scope: 'a', node: 'n1' },
      { seq: 1, t_ms: 5, kind: 'claim', scope: 'a', status: 'broken', components: ['scope'], observed: '⟨Local, SS, SER, EO, Idem, Auth⟩', claimed: '⟨Global, SS, SER, EO, Idem, Auth⟩', evidence: [0] },
      { seq: 2, t_ms: 9, kind: 'invariant', invariant: 'one-leader', status: 'violated', text: 'two leaders in term 4', evidence: [1, 77] },
    ];
    const synthetic: Report = { ...report, timeline: t, modes: [], invariants: [{ id: 'one-leader', name: 'At most one leader per term', kind: 'safety', violations: 1 }] };
    const chains = evidenceChains(synthetic);
    expect(chains.map((c) => c.headline)).toEqual(['a: claim broken on scope', 'Invariant violated: At most one leader per term']);
    const inv = chains[1]!;
    expect(inv.missing).toEqual([77]);
    expect(inv.cites[0]!.record.seq).toBe(1);
    expect(inv.cites[0]!.cites[0]!.record.seq).toBe(0);
    const html = renderHtml(synthetic);
    expect(html).toContain('Invariant violated: At most one leader per term');
    expect(html).toContain('#77 (not in this report’s timeline)');
    expect(renderMarkdown(synthetic)).toContain('- **0.009 s Invariant violated: At most one leader per term** (#2)');
  });
});

describe('renderHtml', () => {
  it('is one self-contained page: no scripts, no external resources, a strict CSP', () => {
    const html = renderHtml(report, { generatedAt: '29 Nov 2025' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)=["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toContain('29 Nov 2025');
  });

  it('has a modes chart and one G-vector chart per scope, observed against claimed', () => {
    const html = renderHtml(report);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(1 + 3);
    expect(html).toContain('<title id="modes-title">Modes over time per scope</title>');
    for (const label of ['US East', 'EU West', 'Asia-Pacific']) expect(html).toContain(`>${label}<title>`);
    expect(html).toContain('G-vector of Asia-Pacific (Singapore) over time: observed (solid) against claimed (dashed)');
    for (const c of ['Scope', 'Order', 'Visibility', 'Recency', 'Idempotence', 'Auth']) expect(html).toContain(`text-anchor="end">${c}</text>`);
    expect(html.match(/class="observed"/g)!.length).toBe(3 * 6);
    expect(html.match(/class="claimed"/g)!.length).toBe(3 * 6);
    expect(html).toContain('class="broken"');
    // Faults at the same instant share a marker; all four are listed.
    expect(html).toMatch(/>1–2<title>/);
    expect(html).toContain('cut apac–us-east');
    expect(html).toContain('▲ Degraded');
  });

  it('shows the digest, requirements, invariants, key metrics and every chain of evidence', () => {
    const html = renderHtml(report);
    expect(html).toContain(`data-testid="report-digest">${report.digest}<`);
    expect(html).toContain('Writes complete in &lt; 100 ms (p99)');
    expect(html).toContain('Happens-before order preserved');
    expect(html).toContain('write_latency_ms.p99');
    expect(html.match(/<section class="chain/g)).toHaveLength(evidenceChains(report).length);
    expect(html).toContain('global quorum lost (3 heartbeats missed in a row)');
    expect(html).toContain('heartbeat-missed at apac-1 about us-east');
  });

  it('escapes everything that comes from a session (a file may be hostile)', () => {
    const html = renderHtml(report);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(esc('<script>alert("pwned")</script> Week 3'));
    expect(html).toContain('Notes with &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(esc(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });

  it('includes the exercise: the scenario’s questions, the answers, the self-scores with the rubric', () => {
    const html = renderHtml(report);
    expect(html).toContain('<h2>Exercise — NT-1</h2>');
    expect(html).toContain('Map this problem to FLP, CAP, or PACELC');
    expect(html).toContain('CAP: the cut forces a choice between C and A');
    expect(html).toContain('(no answer)');
    expect(html).toContain('Level 2: Framework Application</td><td>0–3</td>');
    expect(html).toContain('data-testid="exercise-total">7 / 10<');
    expect(html).toContain('not every level scored yet');
    expect(html).toContain('Expert 90–80');
    expect(html).toContain('✓ replay reproduced the stored digest');
  });
});

describe('renderMarkdown: the same content', () => {
  it('has modes over time, G-vectors over time, faults, broken claims with evidence and the exercise', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## Modes over time');
    expect(md).toContain('| Asia-Pacific (Singapore) | Degraded | 55.3 s | 105.3 s |');
    expect(md).toContain('## G-vector over time (observed against claimed)');
    expect(md).toContain('### Asia-Pacific (Singapore)');
    expect(md).toContain('## Fault actions');
    expect(md).toContain('- 20.0 s cut apac–us-east (script)');
    expect(md).toContain('claim broken on recency');
    expect(md).toContain('## Exercise — NT-1');
    expect(md).toContain('| Level 3: G-Vector Reasoning | 0–3 | 2 |');
    expect(md).toContain('| **Total (not every level scored)** | 0–10 | **7** |');
    expect(md).toContain('&lt;script&gt;alert("pwned")&lt;/script&gt; Week 3');
    expect(md).not.toContain('<img');
    // What was there before issue 6 is still there.
    expect(md).toContain('## Mode changes and their evidence');
  });
});

describe('lab run --out r.html', () => {
  it('writes the HTML report; PDF is refused with a pointer to the app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-html-'));
    const out = join(dir, 'r.html');
    const io = memoryIO();
    const code = await main(['run', 'nt1-log-replication', '--script', 'scenarios/scripts/nt1-cut-apac.yaml', '--until', '120s', '--seed', '3', '--out', out], io);
    expect(code).toBe(0);
    const html = readFileSync(out, 'utf8');
    const digest = io.stdout[io.stdout.length - 1]!.replace('digest ', '');
    expect(html).toContain(digest);
    expect(html).toContain('Modes over time per scope');
    const pdf = memoryIO();
    expect(await main(['run', 'nt1-log-replication', '--until', '5s', '--out', join(dir, 'r.pdf')], pdf)).toBe(2);
    expect(pdf.stderr.join('\n')).toMatch(/--out: the CLI writes \.json, \.md or \.html/);
  });
});
