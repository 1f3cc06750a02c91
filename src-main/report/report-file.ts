/**
 * One report file for a run at its current time, in any of the four forms (DESIGN §6):
 * JSON (canonical), Markdown, self-contained HTML, and PDF printed from that HTML by the
 * app's printer (Electron's printToPDF; src-main/electron/pdf.ts). With a session, the
 * report also carries its notes and self-assessed exercise.
 */
import type { ReportFile, ReportFormat } from '../../src-shared/ipc/contract';
import type { Report, ReportSession } from '../../src-shared/report/types';
import type { ReportSessionInput } from '../../src-shared/session/schema';
import { POINTS_PER_TEST, testScore } from '../../src-shared/session/rubric';
import type { ScenarioSpec } from '../../src-shared/scenario/types';
import type { Simulation } from '../engine/simulation';
import { buildReport } from './build-report';
import { analyseRun } from '../analysis/run-analysis';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';

export function sessionSection(spec: ScenarioSpec, input: ReportSessionInput): ReportSession {
  const score = testScore(input.scores);
  return {
    ...(input.id ? { id: input.id } : {}),
    name: input.name,
    notes: input.notes,
    ...(input.stored_digest !== undefined ? { stored_digest: input.stored_digest } : {}),
    ...(input.stored_t_ms !== undefined ? { stored_t_ms: input.stored_t_ms } : {}),
    ...(input.replay ? { replay: input.replay } : {}),
    ...(input.created_at !== undefined ? { created_at: input.created_at } : {}),
    ...(input.updated_at !== undefined ? { updated_at: input.updated_at } : {}),
    exercise: {
      test: spec.test,
      questions: [...spec.questions],
      answers: [...input.answers],
      scores: { ...input.scores },
      points: score.points,
      max: POINTS_PER_TEST,
      complete: score.complete,
    },
  };
}

export function reportFileName(r: Pick<Report, 'scenario' | 'strategy' | 'seed' | 'until_ms'>, ext: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `${safe(r.scenario)}-${safe(r.strategy)}-seed${r.seed}-t${Math.round(r.until_ms / 1000)}s.report.${ext}`;
}

export function runReport(sim: Simulation, session?: ReportSessionInput): Report {
  const report = buildReport(sim, sim.now_ms);
  if (session) report.session = sessionSection(sim.spec, session);
  return report;
}

export async function reportFile(
  sim: Simulation,
  format: ReportFormat,
  session: ReportSessionInput | undefined,
  printPdf: ((html: string) => Promise<Uint8Array>) | null,
): Promise<ReportFile> {
  const report = runReport(sim, session);
  const analysis = await analyseRun(sim);
  if (analysis) report.analysis = analysis;
  switch (format) {
    case 'json':
      return { format, filename: reportFileName(report, 'json'), mime: 'application/json', text: `${JSON.stringify(report, null, 1)}\n` };
    case 'md':
      return { format, filename: reportFileName(report, 'md'), mime: 'text/markdown', text: renderMarkdown(report) };
    case 'html':
      return { format, filename: reportFileName(report, 'html'), mime: 'text/html', text: renderHtml(report) };
    case 'pdf': {
      if (!printPdf) throw new Error('PDF export needs the desktop app (it prints with Electron); export the HTML report and print it to PDF from a browser instead');
      const bytes = await printPdf(renderHtml(report));
      return { format, filename: reportFileName(report, 'pdf'), mime: 'application/pdf', base64: Buffer.from(bytes).toString('base64') };
    }
  }
}
