import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import { memoryIO } from '../../src-main/cli/io';
import type { Report } from '../../src-shared/report/types';

async function lab(...args: string[]) {
  const io = memoryIO();
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr.join('\n'), last: io.stdout[io.stdout.length - 1] };
}

describe('lab CLI (DESIGN §5)', () => {
  it('lists scenarios, as text and as one JSON document', async () => {
    const text = await lab('scenarios');
    expect(text.code).toBe(0);
    expect(text.out.some((l) => l.startsWith('nt1-log-replication\tNT-1\t'))).toBe(true);
    const json = await lab('scenarios', '--json');
    const list = JSON.parse(json.last!) as { id: string; strategies: { id: string }[] }[];
    expect(list.find((s) => s.id === 'nt1-log-replication')!.strategies.map((s) => s.id)).toContain('async-ap');
  });

  it('describes nodes, links, strategies, modes with claims, and invariants', async () => {
    const r = await lab('describe', 'nt1-log-replication', '--json');
    const d = JSON.parse(r.last!);
    expect(d.nodes).toHaveLength(9);
    expect(d.nodes[0]).toEqual({ id: 'us-east-1', group: 'us-east' });
    expect(d.links).toContainEqual({ a: 'us-east', b: 'eu-west', latency_ms: 125, loss: 0 });
    expect(d.modes.find((m: { id: string }) => m.id === 'Target').claim).toBe('⟨Global, SS, SER, BS(δ_repl), Idem(event_id), Auth(JWT)⟩');
    expect(d.invariants.map((i: { kind: string }) => i.kind)).toEqual(['safety', 'safety', 'safety', 'liveness']);
  });

  it('describe in a terminal lists every strategy, mode and invariant of NT-2, and summarises its 500 sensors', async () => {
    const r = await lab('describe', 'nt2-iot-election');
    const text = r.out.join('\n');
    for (const s of ['randomized', 'timeout', 'priority', 'naive']) expect(text).toMatch(new RegExp(`^  ${s}: `, 'm'));
    for (const m of ['Target', 'Degraded', 'Floor']) expect(text).toMatch(new RegExp(`^  ${m}: ⟨`, 'm'));
    expect(text).toContain('one-coordinator-per-term (safety)');
    expect(text).toContain('zone-a [s-a001, s-a002, s-a003, … s-a100 (100 nodes)]');
    expect(text.length).toBeLessThan(4000);
  });

  it('runs a partition script headless and writes the DESIGN §6 report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const out = join(dir, 'r.json');
    const r = await lab('run', 'nt1-log-replication', '--script', 'scenarios/scripts/nt1-cut-apac.yaml', '--until', '120s', '--seed', '3', '--out', out);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(r.last).toBe(`digest ${report.digest}`);
    expect(report).toMatchObject({ scenario: 'nt1-log-replication', strategy: 'async-cp', seed: 3, until_ms: 120_000 });
    expect(report.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(report.timeline.map((t) => t.kind))).toEqual(new Set(['fault', 'mode', 'gvector', 'evidence', 'claim']));
    expect(report.invariants).toContainEqual({ id: 'no-acked-loss', name: 'No acknowledged event lost', kind: 'safety', violations: 0 });
    const deg = report.modes.find((m) => m.scope === 'apac' && m.to === 'Degraded')!;
    expect(deg.from).toBe('Target');
    expect(deg.evidence.length).toBe(6);
    expect(deg.evidence.every((e) => e.kind === 'evidence' && e.type === 'heartbeat-missed')).toBe(true);
    const m = report.metrics as { write_latency_ms: { p50: number; p99: number }; lost_acked_events: number };
    expect(m.write_latency_ms.p50).toBeGreaterThan(0);
    expect(m.write_latency_ms.p99).toBeGreaterThanOrEqual(m.write_latency_ms.p50);
    expect(m.lost_acked_events).toBe(0);
    // The same command again gives the same digest.
    const again = await lab('run', 'nt1-log-replication', '--script', 'scenarios/scripts/nt1-cut-apac.yaml', '--until', '120s', '--seed', '3');
    expect(again.last).toBe(r.last);
  });

  it('exits 2 naming the offending part on bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const script = join(dir, 's.yaml');
    writeFileSync(script, 'actions:\n  - { at: 10s, do: cut, link: [us-east, mars] }\n');
    const bad = await lab('run', 'nt1-log-replication', '--script', script);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('actions[0].link[1]: unknown node or group "mars"');
    expect((await lab('run', 'nt9-nothing')).code).toBe(2);
    expect((await lab('run', 'nt1-log-replication', '--strategy', 'warp')).err).toMatch(/unknown strategy "warp"/);
    expect((await lab('run', 'nt1-log-replication', '--until', 'soon')).err).toMatch(/--until: bad duration "soon"/);
    expect((await lab('run', 'nt1-log-replication', '--seed', '-1')).code).toBe(2);
    expect((await lab('run', 'nt1-log-replication', '--colour', 'red')).err).toMatch(/unknown option --colour/);
    expect((await lab('frobnicate')).code).toBe(2);
    expect((await lab('describe')).code).toBe(2);
  });
});
