import { describe, expect, it } from 'vitest';
import type { EvidenceRecord, ModeRecord } from '../../src-shared/timeline/records';
import { coverage, edgeCodes, KILL_EDGES, KILL_EU_WEST_HUB, modeOf, modePath, mt3Sim, PARTITION_EU_WEST, proof, routing } from './mt3-helpers';

const EU_WEST = 3; // region index: edges 1500…1999 in extras.edge_codes

describe.each(['push', 'hierarchical', 'gossip', 'hybrid'])('MT-3 %s: partition eu-west (2–60 s, 120–180 s)', (strategy) => {
  const sim = mt3Sim({ strategy, script: PARTITION_EU_WEST });

  it('says CANNOT PROVE for exactly eu-west’s 500 edges and PROVEN for the rest, instead of 100%', () => {
    sim.runUntil(30_000);
    const p = proof(sim);
    expect(p.version).toBe(2);
    expect(p.proven).toBe(4500);
    expect(p.unproven).toBe(0);
    expect(p.cannot_prove).toBe(500);
    expect(p.cannot_prove_regions).toEqual(['eu-west']);
    expect(p.statement).toMatch(/4,500 edges PROVEN .*500 CANNOT PROVE \(eu-west dark/);
    expect(p.statement).toContain('cannot claim "all 5,000 edges enforce v2"');
    const codes = edgeCodes(sim);
    // eu-west: CANNOT PROVE (2) and truly stale (1) → code 7; every other edge PROVEN on latest → 0.
    expect(codes.slice(EU_WEST * 500, EU_WEST * 500 + 500)).toMatch(/^7{500}$/);
    expect(codes.slice(0, EU_WEST * 500) + codes.slice(EU_WEST * 500 + 500)).toMatch(/^0{4500}$/);
    expect(coverage(sim)).toBe(0.9);
  });

  it('blocks the unproven edges for the security-critical firewall rule (CP)', () => {
    const r = routing(sim);
    expect(r.policy).toBe('by-criticality');
    expect(r.blocked_edges).toBe(500);
    expect(r.warned_edges).toBe(0);
    expect(r.serving_edges).toBe(4500);
  });

  it('puts eu-west in Floor on probe staleness, and only eu-west', () => {
    expect(modeOf(sim, 'eu-west')).toBe('Floor');
    const floor = sim.timeline.find((r): r is ModeRecord => r.kind === 'mode' && r.scope === 'eu-west' && r.to === 'Floor')!;
    expect(floor.t_ms).toBeGreaterThanOrEqual(10_000);
    expect(floor.t_ms).toBeLessThan(15_000);
    const cited = sim.timeline[floor.evidence[0]!] as EvidenceRecord;
    expect(cited.type).toBe('probe');
    expect(cited.detail?.gauge).toBe('probe_staleness_ms');
    for (const g of ['us-east', 'us-west', 'ap-south', 'eu-central']) expect(modeOf(sim, g)).toBe('Target');
  });

  it('after the heal proves every edge and returns eu-west to Target through Recovery', () => {
    sim.runUntil(75_000);
    expect(proof(sim).proven).toBe(5000);
    expect(coverage(sim)).toBe(1);
    expect(modePath(sim, 'eu-west')).toEqual(['Floor', 'Recovery', 'Target']);
    expect(routing(sim).blocked_edges).toBe(0);
  });

  it('the second partition covers the non-critical cache-TTL change: stale edges served with a warning (AP)', () => {
    sim.runUntil(150_000);
    const p = proof(sim);
    expect(p.version).toBe(3);
    expect(p.cannot_prove).toBe(500);
    expect(p.cannot_prove_regions).toEqual(['eu-west']);
    const r = routing(sim);
    expect(r.blocked_edges).toBe(0);
    expect(r.warned_edges).toBe(500);
    expect(r.requests_warned).toBeGreaterThan(0);
    expect(sim.violations()).toEqual({ 'monotonic-versions': 0, 'config-coherence': 0, 'critical-enforced': 0, 'eventual-propagation': 0 });
  });
});

describe('MT-3 kill the eu-west hub before the firewall change', () => {
  const runs = Object.fromEntries(
    ['push', 'hierarchical', 'gossip', 'hybrid'].map((strategy) => {
      const sim = mt3Sim({ strategy, script: KILL_EU_WEST_HUB });
      sim.runUntil(70_000);
      return [strategy, sim];
    }),
  );

  it('hierarchical stalls for eu-west: its 500 edges stay on v1, UNPROVEN, blocked; liveness violated', () => {
    const sim = runs.hierarchical!;
    expect(coverage(sim)).toBe(0.9);
    const p = proof(sim);
    expect(p.proven).toBe(4500);
    expect(p.unproven).toBe(500);
    expect(p.statement).toContain('hub silent in eu-west');
    expect(routing(sim).blocked_edges).toBe(500);
    expect(modePath(sim, 'eu-west')).toEqual(['Degraded', 'Floor']);
    expect(sim.violations()['eventual-propagation']).toBe(1);
    const missed = sim.timeline.filter((r) => r.kind === 'evidence' && r.type === 'heartbeat-missed' && r.scope === 'eu-west');
    expect(missed.length).toBeGreaterThan(30);
  });

  it('gossip routes around the dead hub (other regions’ edges gossip into eu-west); edges ack the store directly', () => {
    const sim = runs.gossip!;
    expect(coverage(sim)).toBe(1);
    expect(proof(sim).proven).toBe(5000);
    expect(proof(sim).proven_by.direct_ack).toBeGreaterThanOrEqual(490);
    expect(modeOf(sim, 'eu-west')).toBe('Target');
    expect(sim.violations()['eventual-propagation']).toBe(0);
  });

  it('hybrid bypasses the dead hub (direct push after 3 s); push never needed it', () => {
    for (const s of ['hybrid', 'push']) {
      const sim = runs[s]!;
      expect(coverage(sim), s).toBe(1);
      expect(proof(sim).proven, s).toBe(5000);
      expect(sim.violations()['eventual-propagation'], s).toBe(0);
    }
    const eu = runs.hybrid!.metrics().versions as { version: number; t100_ms: number }[];
    expect(eu.find((v) => v.version === 2)!.t100_ms).toBeGreaterThan(3000);
    expect(eu.find((v) => v.version === 2)!.t100_ms).toBeLessThan(6000);
  });
});

describe('MT-3 crashed edges: silent, so CANNOT PROVE (crashed or partitioned? nobody can tell)', () => {
  it('names the silent edges, and proves the one that comes back', () => {
    const sim = mt3Sim({ strategy: 'hierarchical', script: KILL_EDGES });
    sim.runUntil(30_000);
    let p = proof(sim);
    expect(p.cannot_prove).toBe(3);
    expect(p.cannot_prove_edges).toEqual(['us-east-042', 'us-east-108', 'us-east-377']);
    expect(p.statement).toContain('3 edges silent: crashed or partitioned');
    expect(edgeCodes(sim)[40]).toBe('8'); // us-east-042 = edge 40 of us-east: CANNOT PROVE, down
    expect(modeOf(sim, 'us-east')).toBe('Target'); // 497/500 proven ≥ 99%
    sim.runUntil(60_000);
    p = proof(sim);
    expect(p.cannot_prove_edges).toEqual(['us-east-042', 'us-east-377']);
    expect(p.proven).toBe(4998);
    expect(sim.requirementViews().find((r) => r.id === 'all-edges')!.met).toBe(false);
  });
});

describe('MT-3 stale routing policy overrides (the lecturer flips stale_routing)', () => {
  it('always-warn (AP for everything) serves stale edges during the firewall change: the security invariant breaks', () => {
    const sim = mt3Sim({ strategy: 'hierarchical', script: PARTITION_EU_WEST, params: { stale_routing: 'always-warn' } });
    sim.runUntil(20_000);
    expect(routing(sim).warned_edges).toBe(500);
    expect(routing(sim).blocked_edges).toBe(0);
    expect(sim.violations()['critical-enforced']).toBe(1);
    const v = sim.timeline.find((r) => r.kind === 'invariant' && r.invariant === 'critical-enforced');
    // The seed's attack window: from the moment the rule is issued, every not-yet-updated edge serves traffic.
    expect(v && v.kind === 'invariant' && v.text).toMatch(/^5000 edge\(s\) .* serve traffic without a security-critical change/);
    expect(v!.t_ms).toBeLessThanOrEqual(6_000);
  });

  it('always-block (CP for everything) keeps the invariant but blocks eu-west for the cache-TTL change too', () => {
    const sim = mt3Sim({ strategy: 'hierarchical', script: PARTITION_EU_WEST, params: { stale_routing: 'always-block' } });
    sim.runUntil(150_000);
    expect(proof(sim).version).toBe(3);
    expect(routing(sim).blocked_edges).toBe(500);
    expect(sim.violations()['critical-enforced']).toBe(0);
  });
});

describe('MT-3 the store crashes (@leader)', () => {
  it('resolves @leader to the store; no change is issued while it is down; the customer schedule is kept', () => {
    const script = 'actions:\n  - { at: 3s, do: kill, node: "@leader" }\n  - { at: 20s, do: restart, node: config-store }\n';
    const sim = mt3Sim({ strategy: 'hybrid', script });
    sim.runUntil(19_000);
    const fault = sim.timeline.find((r) => r.kind === 'fault');
    expect(fault && fault.kind === 'fault' && fault.action).toEqual({ do: 'kill', node: 'config-store' });
    expect(proof(sim).version).toBe(1);
    sim.runUntil(30_000);
    const latest = () => sim.metrics().latest_version as { version: number; issued_ms: number };
    expect(latest()).toMatchObject({ version: 2, issued_ms: 20_000 });
    expect(coverage(sim)).toBe(1);
    sim.runUntil(126_000);
    expect(latest()).toMatchObject({ version: 3, issued_ms: 125_000 });
    expect(Object.values(sim.violations()).every((n) => n === 0)).toBe(true);
  });
});
