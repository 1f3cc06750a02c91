/**
 * `lab run <id or file> [--strategy S] [--seed N] [--script F] [--until 120s] [--out F.json|.md|.html]`
 * A deterministic headless run: prints a summary; the last line is the digest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDuration } from '../../../src-shared/gvector';
import { getModel } from '../../engine/models';
import { Simulation } from '../../engine/simulation';
import { buildReport } from '../../report/build-report';
import { analyseRun } from '../../analysis/run-analysis';
import { renderMarkdown } from '../../report/render-markdown';
import { renderHtml } from '../../report/render-html';
import { parseFaultScript } from '../../scenarios/scenario-store';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { openStore } from '../store';

export function parseFlags(args: string[], known: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (!known.includes(name)) throw new UsageError(`unknown option ${a} (known: ${known.map((k) => `--${k}`).join(', ')})`);
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      flags[name] = v;
      i++;
    } else positional.push(a);
  }
  return { positional, flags };
}

export const runCommand: CliCommand = async (args, io) => {
  const { positional, flags } = parseFlags(args, ['strategy', 'seed', 'script', 'until', 'out']);
  const id = positional[0];
  if (!id) throw new UsageError('run: which scenario? (lab run <id or file> …)');
  const spec = openStore().get(id);
  const seed = flags.seed === undefined ? 1 : Number(flags.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new UsageError(`--seed: expected an integer 0..2^32-1, got "${flags.seed}"`);
  let until_ms = 120_000;
  if (flags.until !== undefined) {
    try {
      until_ms = parseDuration(flags.until);
    } catch {
      throw new UsageError(`--until: bad duration "${flags.until}" (e.g. 120s, 5min)`);
    }
  }
  let actions = [] as ReturnType<typeof parseFaultScript>;
  if (flags.script !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.script, 'utf8');
    } catch {
      throw new UsageError(`--script: cannot read "${flags.script}"`);
    }
    try {
      actions = parseFaultScript(text, spec, flags.script);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (flags.strategy !== undefined && !spec.strategies.some((s) => s.id === flags.strategy)) {
    throw new UsageError(`--strategy: unknown strategy "${flags.strategy}" (known: ${spec.strategies.map((s) => s.id).join(', ')})`);
  }
  const sim = new Simulation(spec, getModel(spec.model), { strategy: flags.strategy, seed, actions });
  sim.runUntil(until_ms);
  const report = buildReport(sim, until_ms);
  const analysis = await analyseRun(sim);
  if (analysis) report.analysis = analysis;
  io.out(`${spec.title} — strategy ${report.strategy}, seed ${seed}, ${until_ms / 1000}s simulated, ${sim.eventCount} events, ${report.timeline.length} records`);
  for (const m of report.modes) io.out(`  ${(m.t_ms / 1000).toFixed(1)}s ${m.scope}: ${m.from} → ${m.to} (${m.reason}; evidence #${m.evidence.map((e) => e.seq).join(', #')})`);
  for (const f of report.final) io.out(`  final ${f.scope}: ${f.mode} ${f.observed}${f.weaker.length ? ` — claim broken on ${f.weaker.join(', ')}` : ''}`);
  for (const q of report.requirements) io.out(`  ${q.met ? 'met   ' : 'MISSED'} ${q.text} (measured ${q.value ?? 'n/a'})`);
  for (const i of report.invariants) io.out(`  ${i.violations === 0 ? 'ok      ' : 'VIOLATED'} ${i.name} (${i.violations})`);
  if (report.error) io.err(`run stopped: ${report.error}`);
  if (flags.out) {
    const out = flags.out;
    if (out.endsWith('.json')) writeFileSync(out, JSON.stringify(report, null, 1));
    else if (out.endsWith('.md')) writeFileSync(out, renderMarkdown(report));
    else if (out.endsWith('.html') || out.endsWith('.htm')) writeFileSync(out, renderHtml(report));
    else if (out.endsWith('.pdf')) throw new UsageError(`--out: the CLI writes .json, .md or .html; for a PDF, export it from the app or print the .html report (got "${out}")`);
    else throw new UsageError(`--out: write .json, .md or .html (got "${out}")`);
    io.out(`  report written to ${out}`);
  }
  io.out(`digest ${report.digest}`);
  return report.error ? 1 : 0;
};
