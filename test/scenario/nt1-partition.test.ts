import { describe, expect, it } from 'vitest';
import { parseGVector, leq } from '../../src-shared/gvector';
import type { EvidenceRecord, GVectorRecord, ModeRecord } from '../../src-shared/timeline/records';
import { CUT_APAC, nt1, runNt1 } from '../helpers/nt1';
import { Simulation } from '../../src-main/engine/simulation';
import { getModel } from '../../src-main/engine/models';

const modes = (sim: ReturnType<typeof runNt1>, scope: string) =>
  sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope);

describe('NT-1 under a partition that isolates apac (CP)', () => {
  const sim = runNt1({ strategy: 'async-cp', script: CUT_APAC, until_ms: 150_000 });

  it('apac leaves Target for Degraded, citing three missed heartbeats from each other region', () => {
    const first = modes(sim, 'apac')[0]!;
    expect(first.from).toBe('Target');
    expect(first.to).toBe('Degraded');
    // Cut at 20 s; heartbeats every 10 s: three misses need at least 30 s.
    expect(first.t_ms).toBeGreaterThanOrEqual(50_000);
    expect(first.t_ms).toBeLessThan(70_000);
    const cited = first.evidence.map((seq) => sim.timeline[seq]) as EvidenceRecord[];
    expect(cited.every((e) => e.kind === 'evidence' && e.type === 'heartbeat-missed')).toBe(true);
    expect(new Set(cited.map((e) => e.peer))).toEqual(new Set(['us-east', 'eu-west']));
    expect(cited.filter((e) => e.peer === 'us-east')).toHaveLength(3);
    expect(cited.every((e) => e.t_ms > 20_000 && e.t_ms <= first.t_ms)).toBe(true);
  });

  it("apac's observed Scope drops below Global while the majority keeps Global", () => {
    const apacVectors = sim.timeline.filter((r): r is GVectorRecord => r.kind === 'gvector' && r.scope === 'apac' && r.t_ms > 20_000 && r.t_ms < 90_000);
    const scopes = apacVectors.map((r) => parseGVector(r.observed).scope);
    expect(scopes).toContain('Local');
    const usDuring = sim.timeline.filter((r): r is GVectorRecord => r.kind === 'gvector' && r.scope === 'us-east' && r.t_ms > 20_000 && r.t_ms < 90_000);
    expect(usDuring.every((r) => parseGVector(r.observed).scope === 'Global')).toBe(true);
    expect(modes(sim, 'us-east')).toHaveLength(0);
  });

  it('refuses apac writes during the partition instead of ordering them', () => {
    const refused = sim.timeline.filter((r) => r.kind === 'evidence' && r.type === 'write-refused' && r.scope === 'apac');
    expect(refused.length).toBeGreaterThan(50);
    expect(refused.every((r) => r.t_ms > 20_000 && r.t_ms < 110_000)).toBe(true);
  });

  it('after the heal goes through Recovery back to Target, with no invariant violated', () => {
    const path = modes(sim, 'apac').map((m) => m.to);
    expect(path).toEqual(['Degraded', 'Recovery', 'Target']);
    const [, rec, tgt] = modes(sim, 'apac');
    expect(rec!.t_ms).toBeGreaterThan(90_000);
    expect(tgt!.t_ms).toBeGreaterThan(rec!.t_ms);
    expect(sim.violations()).toEqual({ 'no-acked-loss': 0, 'happens-before': 0, immutability: 0, completeness: 0 });
    expect(sim.metrics().lost_acked_events).toBe(0);
  });

  it('records a broken claim while apac still claims Target but cannot back it', () => {
    const broken = sim.timeline.find((r) => r.kind === 'claim' && r.scope === 'apac' && r.status === 'broken' && r.components.includes('scope'));
    expect(broken).toBeDefined();
    expect(broken!.t_ms).toBeLessThan(modes(sim, 'apac')[0]!.t_ms);
  });

  it('every broken claim cites evidence that was recorded before it', () => {
    const claims = sim.timeline.filter((r) => r.kind === 'claim' && r.status === 'broken');
    expect(claims.length).toBeGreaterThan(0);
    for (const c of claims) {
      if (c.kind !== 'claim') continue;
      expect(c.evidence.length).toBeGreaterThan(0);
      for (const seq of c.evidence) {
        expect(seq).toBeLessThan(c.seq);
        expect(sim.timeline[seq]!.kind).toBe('evidence');
      }
    }
  });

  it('every region ends with the same global order (each finalised log a prefix of the others)', () => {
    const lengths = Object.values(sim.metrics().global_log_length as Record<string, number>);
    expect(Math.min(...lengths)).toBeGreaterThan(1000);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThan(20);
    expect(sim.metrics().global_logs_agree).toBe(true);
  });
});

describe('NT-1 with a single link cut (apac–us-east only)', () => {
  it('entries flow through eu-west (anti-entropy): nobody degrades, nothing goes missing', () => {
    const sim = runNt1({ strategy: 'async-cp', script: 'actions:\n  - { at: 10s, do: cut, link: [apac, us-east] }\n', until_ms: 150_000 });
    expect(sim.violations()).toEqual({ 'no-acked-loss': 0, 'happens-before': 0, immutability: 0, completeness: 0 });
    expect(sim.metrics().global_logs_agree).toBe(true);
    const lengths = Object.values(sim.metrics().global_log_length as Record<string, number>);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThan(20);
    // Heartbeats do not relay: each side of the cut link misses the other, but keeps a majority.
    expect(sim.timeline.filter((r) => r.kind === 'mode')).toEqual([]);
  });
});

describe('NT-1 AP policy under the same cut', () => {
  const sim = runNt1({ strategy: 'async-ap', script: CUT_APAC, until_ms: 150_000 });

  it('keeps accepting apac writes with region-prefixed ids, Order falls to Causal, then merges after the heal', () => {
    const refusedApac = sim.timeline.filter((r) => r.kind === 'evidence' && r.type === 'write-refused' && r.scope === 'apac');
    expect(refusedApac).toHaveLength(0);
    const causal = sim.timeline.find((r) => r.kind === 'gvector' && r.scope === 'apac' && parseGVector(r.observed).order === 'Causal');
    expect(causal).toBeDefined();
    const merge = sim.timeline.find((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === 'merge' && r.scope === 'apac');
    expect(merge).toBeDefined();
    expect(merge!.t_ms).toBeGreaterThan(90_000);
    expect(Number(merge!.detail!.merged)).toBeGreaterThan(20);
    expect(sim.violations()['immutability']).toBe(0);
    expect(sim.metrics().lost_acked_events).toBe(0);
  });

  it("apac's Degraded claim is the seed's AP vector and the observed vector honours it", () => {
    const deg = sim.timeline.find((r) => r.kind === 'mode' && r.scope === 'apac' && r.to === 'Degraded');
    expect(deg).toBeDefined();
    const after = sim.timeline.filter((r): r is GVectorRecord => r.kind === 'gvector' && r.scope === 'apac' && r.t_ms >= deg!.t_ms && r.t_ms < 90_000);
    const last = after[after.length - 1]!;
    expect(last.claimed).toBe('⟨Range, Causal, RA, EO, Idem(event_id), Auth(JWT)⟩');
    expect(leq(parseGVector(last.claimed), parseGVector(last.observed))).toBe(true);
  });
});

describe('NT-1 latency requirement per strategy (PACELC: else latency)', () => {
  it('synchronous replication misses < 100 ms; async with a leased sequencer meets it at about 70 ms', () => {
    const sync = runNt1({ strategy: 'sync-cp', until_ms: 40_000 });
    const async = runNt1({ strategy: 'async-cp', until_ms: 40_000 });
    const p99 = (s: typeof sync) => (s.metrics().write_latency_ms as { p99: number }).p99;
    const p50 = (s: typeof sync) => (s.metrics().write_latency_ms as { p50: number }).p50;
    expect(p50(sync)).toBeGreaterThan(250);
    expect(sync.requirementViews().find((r) => r.id === 'write-latency')!.met).toBe(false);
    expect(p50(async)).toBeGreaterThan(50);
    expect(p50(async)).toBeLessThan(90);
    expect(async.requirementViews().find((r) => r.id === 'write-latency')!.met).toBe(true);
    expect(p99(async)).toBeLessThan(100);
  });

  it('leader-per-region claims only Range scope', () => {
    const sim = runNt1({ strategy: 'region-cp', until_ms: 20_000 });
    const last = sim.scopeViews().find((s) => s.id === 'eu-west')!;
    expect(parseGVector(last.observed).scope).toBe('Range');
    expect(last.weaker).toEqual([]);
  });
});

describe('NT-1 node faults', () => {
  it("isolating the sequencer's region makes the majority elect a new one with a quorum certificate", () => {
    const sim = runNt1({
      strategy: 'async-cp',
      script: 'actions:\n  - { at: 10s, do: partition, groups: [[us-east], [eu-west, apac]] }\n',
      until_ms: 90_000,
    });
    const cert = sim.timeline.find((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === 'quorum-cert' && r.detail?.purpose === 'election');
    expect(cert).toBeDefined();
    expect(cert!.scope).not.toBe('us-east');
    expect(sim.metrics().sequencer).toBe(cert!.scope);
  });

  it('a region that loses its local quorum for over 60 s enters Floor', () => {
    const sim = runNt1({
      strategy: 'async-cp',
      script: 'actions:\n  - { at: 10s, do: kill, node: eu-west-2 }\n  - { at: 10s, do: kill, node: eu-west-3 }\n',
      until_ms: 100_000,
    });
    const floor = sim.timeline.find((r): r is ModeRecord => r.kind === 'mode' && r.scope === 'eu-west' && r.to === 'Floor');
    expect(floor).toBeDefined();
    expect(floor!.t_ms).toBeGreaterThan(70_000);
    const cited = floor!.evidence.map((s) => sim.timeline[s]!);
    expect(cited.every((e) => e.kind === 'evidence' && e.type === 'heartbeat-missed')).toBe(true);
  });

  it('kill @leader resolves to the current sequencer node and names it on the timeline', () => {
    const sim = runNt1({ strategy: 'async-cp', script: 'actions:\n  - { at: 5s, do: kill, node: "@leader" }\n', until_ms: 6_000 });
    const fault = sim.timeline.find((r) => r.kind === 'fault');
    expect(fault && fault.kind === 'fault' && fault.action).toEqual({ do: 'kill', node: 'us-east-1' });
  });
});

describe('NT-1 healthy start', () => {
  it('records no missed heartbeat and no broken claim when nothing fails', () => {
    const sim = runNt1({ strategy: 'async-cp', until_ms: 30_000 });
    expect(sim.timeline.filter((r) => r.kind === 'evidence' && r.type === 'heartbeat-missed')).toEqual([]);
    expect(sim.timeline.filter((r) => r.kind === 'claim')).toEqual([]);
  });
});

describe('NT-1 determinism', () => {
  it('same seed and actions give the same digest; different seeds give different digests', () => {
    const a = runNt1({ seed: 7, script: CUT_APAC, until_ms: 60_000 }).digest();
    const b = runNt1({ seed: 7, script: CUT_APAC, until_ms: 60_000 }).digest();
    const c = runNt1({ seed: 8, script: CUT_APAC, until_ms: 60_000 }).digest();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('seeking back through a checkpoint and replaying reproduces the timeline exactly', () => {
    const sim = runNt1({ seed: 3, script: CUT_APAC, until_ms: 70_000 });
    const fresh = runNt1({ seed: 3, script: CUT_APAC, until_ms: 33_300 });
    sim.seek(33_300);
    expect(sim.digest()).toBe(fresh.digest());
    expect(sim.timeline.length).toBe(fresh.timeline.length);
    sim.seek(70_000);
    expect(sim.digest()).toBe(runNt1({ seed: 3, script: CUT_APAC, until_ms: 70_000 }).digest());
  });

  it('a live action replays identically from the action log', () => {
    const live = runNt1({ seed: 5, until_ms: 12_345 });
    live.act({ do: 'cut', link: ['apac', 'us-east'] });
    live.runUntil(30_000);
    expect(live.actions).toEqual([{ at_ms: 12_346, action: { do: 'cut', link: ['apac', 'us-east'] }, source: 'user' }]);
    const replay = new Simulation(nt1, getModel(nt1.model), { seed: 5, actions: live.actions });
    replay.runUntil(30_000);
    expect(replay.digest()).toBe(live.digest());
    expect(replay.timeline.length).toBe(live.timeline.length);
  });

  it('the scenario declares the seed invariants', () => {
    expect(nt1.invariants.map((i) => i.id)).toEqual(['no-acked-loss', 'happens-before', 'immutability', 'completeness']);
  });
});
