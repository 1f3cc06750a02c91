/**
 * NT-3 under the fault that tells the two strategies apart: sat-b equivocates (DEMOS NT-3 #3).
 * Each run covers the first pass (fault at 2 min), the 50-minute gap and the start of the
 * next pass, where the ground compares Merkle roots.
 */
import { readFileSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { getModel } from '../../src-main/engine/models';
import { Simulation } from '../../src-main/engine/simulation';
import { loadScenarioDir, parseFaultScript } from '../../src-main/scenarios/scenario-store';
import type { EvidenceRecord, InvariantRecord, ModeRecord, TimelineRecord } from '../../src-shared/timeline/records';

const spec = loadScenarioDir('scenarios').get('nt3-satellite-smr');
const EQUIVOCATE = readFileSync('scenarios/scripts/nt3-equivocate.yaml', 'utf8');
/** Just past the start of the second pass: every satellite has been back in contact ~40 s. */
const NEXT_PASS_MS = 3_615_000;

function run(strategy: string, until_ms: number, seed = 1): Simulation {
  const sim = new Simulation(spec, getModel(spec.model), { strategy, seed, actions: parseFaultScript(EQUIVOCATE, spec) });
  sim.runUntil(until_ms);
  expect(sim.error).toBeNull();
  return sim;
}

const evidence = (sim: Simulation, type: string, scope?: string): EvidenceRecord[] =>
  sim.timeline.filter((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === type && (scope === undefined || r.scope === scope));
const modes = (sim: Simulation, scope: string): ModeRecord[] => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope);
const at = (sim: Simulation, seq: number): TimelineRecord => sim.timeline[seq]!;
const HONEST = ['sat-a', 'sat-c', 'sat-d'];

describe('NT-3 BFT: an equivocating satellite is caught by its own signatures', () => {
  const sim = run('bft', NEXT_PASS_MS);
  const m = sim.metrics();

  it('two conflicting signed votes become an accusation certificate that anyone can verify', () => {
    const accusations = evidence(sim, 'accusation').filter((e) => e.detail!.accused === 'sat-b');
    const first = accusations[0]!;
    expect(first.detail!.how).toBe('detected');
    const d = first.detail as Record<string, string | number>;
    expect(d.message_a).not.toBe(d.message_b);
    // Same signer, same (view, slot), different command: checked here with the library, outside the model.
    const [ka, , va, sa] = String(d.message_a).split('|');
    const [kb, , vb, sb] = String(d.message_b).split('|');
    expect([ka, kb]).toEqual(['vote', 'vote']);
    expect([va, sa]).toEqual([vb, sb]);
    for (const [msg, sig] of [[d.message_a, d.sig_a], [d.message_b, d.sig_b]] as const) {
      expect(secp256k1.verify(hexToBytes(String(sig)), sha256(utf8ToBytes(String(msg))), hexToBytes(String(d.signer_pk)), { prehash: false })).toBe(true);
    }
    // And a forged variant does not verify.
    expect(secp256k1.verify(hexToBytes(String(d.sig_a)), sha256(utf8ToBytes(`${String(d.message_a)}x`)), hexToBytes(String(d.signer_pk)), { prehash: false })).toBe(false);
  });

  it('byzantine_detected_ms: the first command after the fault exposes sat-b (well under a minute)', () => {
    const fault = sim.timeline.find((r) => r.kind === 'fault')!;
    const first = evidence(sim, 'accusation')[0]!;
    expect(m.byzantine_detected_ms).toBe(Math.round(first.t_ms - fault.t_ms));
    expect(m.byzantine_detected_ms as number).toBeGreaterThan(0);
    expect(m.byzantine_detected_ms as number).toBeLessThan(60_000);
  });

  it('every honest scope and the ground enter Byzantine mode citing the accusation; sat-b is excluded', () => {
    for (const scope of ['leo-a', 'leo-c', 'leo-d', 'ground']) {
      const byz = modes(sim, scope).find((x) => x.to === 'Byzantine')!;
      expect(byz, scope).toBeDefined();
      expect(byz.evidence.map((seq) => (at(sim, seq) as EvidenceRecord).type)).toEqual(['accusation']);
    }
    // The accused's own scope learns it too, and its observed vector shows it is outside every quorum.
    expect(modes(sim, 'leo-b').find((x) => x.to === 'Byzantine')).toBeDefined();
    const leoB = sim.scopeViews().find((x) => x.id === 'leo-b')!;
    expect(leoB.observed.startsWith('⟨Local, None')).toBe(true);
    expect(m.excluded_satellites).toEqual(['sat-b']);
    expect(sim.nodeViews().find((n) => n.id === 'sat-b')!.role).toBe('excluded');
    for (const id of HONEST) expect((m.merkle_roots as Record<string, { excluded: string[] }>)[id]!.excluded).toEqual(['sat-b']);
    // Honest scopes: Range (the constellation without sat-b), still SS / SER, claim honoured.
    const leoA = sim.scopeViews().find((x) => x.id === 'leo-a')!;
    expect(leoA.mode).toBe('Byzantine');
    expect(leoA.observed.startsWith('⟨Range, SS, SER')).toBe(true);
    expect(leoA.weaker).toEqual([]);
  });

  it('honest histories stay identical and only authenticated commands execute', () => {
    expect(sim.violations()).toEqual({ 'honest-histories-identical': 0, 'only-authenticated': 0, 'recovery-bound': 0, 'byzantine-exclusion': 0 });
    expect(m.divergent_commands).toBe(0);
    const roots = m.merkle_roots as Record<string, { root: string; length: number }>;
    expect(roots['sat-a']!.length).toBeGreaterThan(30);
    for (const id of HONEST) expect(roots[id]).toEqual(expect.objectContaining({ root: roots['sat-a']!.root, length: roots['sat-a']!.length }));
    // sat-b's tampered votes never formed a certificate: every executed command was signed by its authority.
    for (const e of evidence(sim, 'sig-verified')) if (e.detail!.slot !== undefined) expect(String(e.detail!.op)).not.toMatch(/altered/);
  });

  it('the autonomous emergency in the gap is decided by the three honest satellites', () => {
    const qc = evidence(sim, 'quorum-cert').find((e) => e.detail!.purpose === 'emergency')!;
    expect(qc.detail!.flag).toBe('AUTONOMOUS EMERGENCY');
    expect([...(qc.detail!.signers as string[])].sort()).toEqual(HONEST);
  });

  it('at the next pass the ground compares Merkle roots: the honest ones match and are confirmed', () => {
    const summaries = evidence(sim, 'version', 'ground').filter((e) => e.t_ms > 3_400_000 && typeof e.detail!.sat === 'string' && e.detail!.merkle_root !== undefined);
    expect(new Set(summaries.map((e) => e.detail!.sat))).toEqual(new Set(['sat-a', 'sat-b', 'sat-c', 'sat-d']));
    expect(evidence(sim, 'version', 'ground').some((e) => e.detail!.divergence === true)).toBe(false);
    for (const id of HONEST) {
      const ok = evidence(sim, 'version', `leo-${id.slice(-1)}`).find((e) => e.t_ms > 3_400_000 && e.detail!.reconciled === true);
      expect(ok, id).toBeDefined();
    }
    // sat-b's summary is flagged excluded and never confirmed.
    expect(summaries.filter((e) => e.detail!.sat === 'sat-b').every((e) => e.detail!.excluded === true)).toBe(true);
    expect(evidence(sim, 'version', 'leo-b').some((e) => e.detail!.reconciled === true)).toBe(false);
  });
});

describe('NT-3 crash-tolerant: the same fault makes honest histories diverge', () => {
  const sim = run('crash-tolerant', NEXT_PASS_MS);
  const m = sim.metrics();

  it('sat-b takes over by claiming a higher term, and the followers accept it on its word', () => {
    const took = evidence(sim, 'quorum-cert').filter((e) => e.detail!.purpose === 'view' && e.detail!.leader === 'sat-b' && e.t_ms < 130_000);
    expect(new Set(took.map((e) => e.node))).toEqual(new Set(HONEST));
    expect(took.every((e) => e.detail!.signed === false && (e.detail!.signers as string[]).length === 0)).toBe(true);
  });

  it('honest satellites diverge, execute tampered commands, and nobody can prove who lied', () => {
    const v = sim.violations();
    expect(v['honest-histories-identical']).toBeGreaterThan(0);
    expect(v['only-authenticated']).toBeGreaterThan(0);
    expect(m.divergent_commands as number).toBeGreaterThan(0);
    expect(m.byzantine_detected_ms).toBeNull();
    expect(evidence(sim, 'accusation')).toHaveLength(0);
    expect(sim.timeline.some((r) => r.kind === 'mode' && r.to === 'Byzantine')).toBe(false);
  });

  it('at recovery the Merkle roots differ and the ground locates the first differing index', () => {
    const firstViolation = sim.timeline.find((r): r is InvariantRecord => r.kind === 'invariant' && r.invariant === 'honest-histories-identical')!;
    const monitorIndex = Number(/index (\d+)/.exec(firstViolation.text)![1]);
    const divergences = evidence(sim, 'version', 'ground').filter((e) => e.detail!.divergence === true);
    expect(divergences.length).toBeGreaterThan(0);
    for (const d of divergences) {
      expect(d.t_ms).toBeGreaterThan(3_400_000); // found at recovery, not before: no ground contact in between
      expect(d.detail!.sat_root).not.toBe(d.detail!.reference_root);
    }
    // The ground, comparing summaries it received, finds the same index the omniscient monitor saw.
    expect(m.divergence_located_at).toBe(monitorIndex);
    const located = divergences.find((d) => d.detail!.divergence_at === monitorIndex)!;
    expect(String(located.detail!.sat_entry)).toMatch(/altered/);
    // The diverged satellite is rolled back to the longest history the ground can vouch for …
    const sat = String(located.detail!.sat);
    expect(evidence(sim, 'merge', `leo-${sat.slice(-1)}`).some((e) => e.detail!.rolled_back_from === monitorIndex)).toBe(true);
    // … but with sat-b still leading, the constellation re-imports corrupt entries: the ground cannot close the pass.
    const groundModes = modes(sim, 'ground').filter((x) => x.t_ms > 3_400_000);
    expect(groundModes.map((x) => x.to)).toEqual(['Recovery']);
  });
});
