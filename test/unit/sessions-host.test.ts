/**
 * The host side of sessions: `lab:open-run` with an action log (validated against the
 * scenario), `lab:run-log`, `lab:check-session`, `lab:report` — and the property that
 * makes sessions work: replaying a run's log to its time gives its digest, and a log
 * truncated at t gives the digest at t (Fork here).
 */
import { describe, expect, it } from 'vitest';
import { LabHost } from '../../src-main/host/lab-host';
import type { ReportFile, RunLog } from '../../src-shared/ipc/contract';
import type { Report } from '../../src-shared/report/types';

const NT1 = 'nt1-log-replication';
const manualClock = { setInterval: () => 1, clearInterval: () => {} };

async function call<T>(host: LabHost, channel: string, payload: unknown): Promise<T> {
  const res = await host.handle(channel, payload);
  if (!res.ok) throw new Error(res.error);
  return res.value as T;
}

async function errorOf(host: LabHost, channel: string, payload: unknown): Promise<string> {
  const res = await host.handle(channel, payload);
  if (res.ok) throw new Error(`expected ${channel} to fail`);
  return res.error;
}

const SESSION_INPUT = {
  name: 'Week 3 <b>demo</b>',
  notes: 'apac degrades',
  answers: ['CAP applies: the partition forces a choice'],
  scores: { recognition: 2, framework: 2, gvector: null, circumvention: 1 },
};

describe('sessions in the host', () => {
  it('replaying a run’s log reproduces its digest; a log cut at t reproduces the digest at t', async () => {
    const host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
    const { run_id } = await call<{ run_id: string }>(host, 'lab:open-run', { scenario: NT1, seed: 11, strategy: 'async-cp' });
    await call(host, 'lab:control', { run_id, cmd: 'step', value: 5000 });
    await call(host, 'lab:act', { run_id, action: { do: 'cut', link: ['apac', 'us-east'] } });
    await call(host, 'lab:act', { run_id, action: { do: 'cut', link: ['apac', 'eu-west'] } });
    await call(host, 'lab:control', { run_id, cmd: 'step', value: 20_000 });
    const atFork = await call<RunLog>(host, 'lab:run-log', { run_id });
    await call(host, 'lab:control', { run_id, cmd: 'step', value: 15_000 });
    await call(host, 'lab:act', { run_id, action: { do: 'heal-all' } });
    await call(host, 'lab:control', { run_id, cmd: 'step', value: 20_000 });
    const log = await call<RunLog>(host, 'lab:run-log', { run_id });

    expect(log).toMatchObject({ scenario: NT1, strategy: 'async-cp', seed: 11, until_ms: 30 * 60_000 });
    expect(log.actions.map((a) => [a.action.do, a.source])).toEqual([
      ['cut', 'user'],
      ['cut', 'user'],
      ['heal-all', 'user'],
    ]);
    expect(log.actions[0]!.at_ms).toBe(5001);
    expect(log.parameters).toHaveProperty('region_heartbeat_ms', 10_000);
    expect(log.digest).toMatch(/^[0-9a-f]{64}$/);

    // Reopen from the log (as a session does) and seek to where it was.
    const replay = await call<{ run_id: string }>(host, 'lab:open-run', { scenario: NT1, seed: 11, strategy: 'async-cp', actions: log.actions });
    await call(host, 'lab:control', { run_id: replay.run_id, cmd: 'seek', value: log.t_ms });
    const replayed = await call<RunLog>(host, 'lab:run-log', { run_id: replay.run_id });
    expect(replayed.digest).toBe(log.digest);
    expect(replayed.actions).toEqual(log.actions);

    // Fork here: the log truncated at t replays to the parent's digest at t.
    const cut = log.actions.filter((a) => a.at_ms <= atFork.t_ms);
    expect(cut).toHaveLength(2);
    const fork = await call<{ run_id: string }>(host, 'lab:open-run', { scenario: NT1, seed: 11, strategy: 'async-cp', actions: cut });
    await call(host, 'lab:control', { run_id: fork.run_id, cmd: 'seek', value: atFork.t_ms });
    expect((await call<RunLog>(host, 'lab:run-log', { run_id: fork.run_id })).digest).toBe(atFork.digest);

    // Scrubbing the original back to t gives the same digest too.
    await call(host, 'lab:control', { run_id, cmd: 'seek', value: atFork.t_ms });
    expect((await call<RunLog>(host, 'lab:run-log', { run_id })).digest).toBe(atFork.digest);

    // Restart returns a replayed run to its opened log (not to an empty one).
    await call(host, 'lab:control', { run_id: replay.run_id, cmd: 'restart' });
    expect((await call<RunLog>(host, 'lab:run-log', { run_id: replay.run_id })).actions).toEqual(log.actions);
    host.dispose();
  });

  it('validates an action log against the scenario and names the offending entry', async () => {
    const host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
    const base = { scenario: NT1, strategy: 'async-cp' };
    const act = (action: unknown, at_ms = 1000) => ({ at_ms, action, source: 'user' });
    expect(await errorOf(host, 'lab:open-run', { ...base, actions: [act({ do: 'cut', link: ['apac', 'mars'] })] })).toBe('actions[0].action.link[1]: unknown node or group "mars"');
    expect(await errorOf(host, 'lab:open-run', { ...base, actions: [act({ do: 'nuke' })] })).toMatch(/^actions\[0\]\.action\.do: unknown action "nuke"/);
    expect(await errorOf(host, 'lab:open-run', { ...base, actions: [act({ do: 'heal-all' }, 5000), act({ do: 'heal-all' }, 10)] })).toMatch(/actions must be in time order/);
    expect(await errorOf(host, 'lab:open-run', { ...base, actions: [], script: 'actions: []' })).toMatch(/a script or an action log, not both/);
    expect(await errorOf(host, 'lab:open-run', { ...base, strategy: 'nope' })).toMatch(/unknown strategy "nope"/);
    expect(await errorOf(host, 'lab:open-run', { ...base, actions: [{ at_ms: -1, action: { do: 'heal-all' }, source: 'user' }] })).toMatch(/^lab:open-run: actions\.0\.at_ms: /);

    expect(await call(host, 'lab:check-session', { ...base, actions: [act({ do: 'kill', node: '@leader' }), act({ do: 'cut', link: ['apac', 'us-east'] }, 2000)] })).toMatchObject({ actions: 2 });
    expect(await errorOf(host, 'lab:check-session', { ...base, actions: [act({ do: 'byzantine', node: 'apac-1', behavior: 'equivocate' })] })).toMatch(/^actions\[0\]\.action\.behavior: /);
    expect(await errorOf(host, 'lab:check-session', { scenario: 'nope', strategy: 'x', actions: [] })).toMatch(/unknown scenario "nope"/);
    host.dispose();
  });

  it('reports a run as JSON, Markdown and HTML with the session’s notes and exercise; PDF needs a printer', async () => {
    const host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
    const { run_id } = await call<{ run_id: string }>(host, 'lab:open-run', { scenario: NT1, seed: 3 });
    await call(host, 'lab:act', { run_id, action: { do: 'partition', groups: [['apac'], ['us-east', 'eu-west']] } });
    await call(host, 'lab:control', { run_id, cmd: 'step', value: 60_000 });
    const log = await call<RunLog>(host, 'lab:run-log', { run_id });

    const json = await call<ReportFile>(host, 'lab:report', { run_id, format: 'json', session: SESSION_INPUT });
    expect(json).toMatchObject({ format: 'json', mime: 'application/json' });
    expect(json.filename).toMatch(/^nt1-log-replication-async-cp-seed3-t60s\.report\.json$/);
    const report = JSON.parse(json.text!) as Report;
    expect(report).toMatchObject({ scenario: NT1, seed: 3, until_ms: log.t_ms, digest: log.digest, test: 'NT-1' });
    expect(report.session!.exercise).toMatchObject({ test: 'NT-1', points: 5, max: 10, complete: false, answers: SESSION_INPUT.answers });
    expect(report.session!.exercise.questions.length).toBeGreaterThanOrEqual(5);
    expect(report.actions).toEqual(log.actions);
    expect(report.modes.some((m) => m.scope === 'apac' && m.to === 'Degraded')).toBe(true);

    const md = await call<ReportFile>(host, 'lab:report', { run_id, format: 'md', session: SESSION_INPUT });
    expect(md.text).toContain('## Exercise — NT-1');
    expect(md.text).toContain('> CAP applies: the partition forces a choice');
    expect(md.text).toContain('Week 3 &lt;b&gt;demo&lt;/b&gt;');

    const html = await call<ReportFile>(host, 'lab:report', { run_id, format: 'html', session: SESSION_INPUT });
    expect(html.mime).toBe('text/html');
    expect(html.text).toContain(log.digest);
    expect(html.text).toContain('Week 3 &lt;b&gt;demo&lt;/b&gt;');
    expect(html.text).not.toContain('<b>demo</b>');

    expect(await errorOf(host, 'lab:report', { run_id, format: 'pdf' })).toMatch(/PDF export needs the desktop app/);
    expect(await errorOf(host, 'lab:report', { run_id, format: 'docx' })).toMatch(/^lab:report: format: /);
    expect(await errorOf(host, 'lab:report', { run_id, format: 'html', session: { ...SESSION_INPUT, scores: { ...SESSION_INPUT.scores, gvector: 9 } } })).toMatch(
      /session\.scores\.gvector: this level gives at most 3 points/,
    );
    host.dispose();

    const printed: string[] = [];
    const withPrinter = new LabHost({
      scenarioDir: 'scenarios',
      clock: manualClock,
      printPdf: async (h) => {
        printed.push(h);
        return new TextEncoder().encode('%PDF-1.7 fake');
      },
    });
    const r2 = await call<{ run_id: string }>(withPrinter, 'lab:open-run', { scenario: NT1 });
    const pdf = await call<ReportFile>(withPrinter, 'lab:report', { run_id: r2.run_id, format: 'pdf', session: SESSION_INPUT });
    expect(pdf).toMatchObject({ format: 'pdf', mime: 'application/pdf' });
    expect(Buffer.from(pdf.base64!, 'base64').toString()).toBe('%PDF-1.7 fake');
    expect(printed[0]).toMatch(/^<!doctype html>/);
    expect(printed[0]).toContain('Exercise — NT-1');
    withPrinter.dispose();
  });
});
