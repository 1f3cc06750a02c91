/**
 * Path composition (DESIGN §2, issue 7): the seed's NT-1 example composes to
 * BS(500ms) with the EU replica as the weakest link; a cut link leaves the client its own
 * region; the fault diff names the components that dropped, where and on which paths.
 */
import { describe, expect, it } from 'vitest';
import { composePath, droppedComponents, formatGVector, parseGVector } from '../../src-shared/gvector';
import { loadScenarioDir } from '../../src-main/scenarios/scenario-store';
import { getModel } from '../../src-main/engine/models';
import { Simulation } from '../../src-main/engine/simulation';
import { composeChoice, describeDrops, FaultDiffTracker, linkHop, pathHops } from '../../src-renderer/lib/path/path-model';
import type { Frame, LinkView, ScopeView } from '../../src-shared/ipc/frames';
import { parseScenarioText, ScenarioError } from '../../src-shared/scenario/load';
import { readFileSync } from 'node:fs';

const g = (t: string) => parseGVector(t);
const spec = loadScenarioDir('scenarios').get('nt1-log-replication');

describe('composePath (shared algebra)', () => {
  it('the seed example: client → US gateway → EU replica → storage = ⟨Global, SS, SER, BS(500ms), Idem, Auth⟩, the replica setting Recency', () => {
    const p = composePath([
      { id: 'client', label: 'client', g: g('⟨Global, SS, SER, Fresh(φ), Idem, Auth⟩') },
      { id: 'gateway', label: 'gateway', g: g('⟨Global, SS, SER, BS(100ms), Idem, Auth⟩') },
      { id: 'eu', label: 'EU replica', g: g('⟨Global, SS, SER, BS(500ms), Idem, Auth⟩') },
      { id: 'storage', label: 'storage', g: g('⟨Global, SS, SER, Fresh(disk), Idem, Auth⟩') },
    ]);
    expect(formatGVector(p.result)).toBe('⟨Global, SS, SER, BS(500ms), Idem, Auth⟩');
    expect(p.weakest.recency).toEqual(['eu']);
    expect(p.weakest.scope).toEqual([]); // every hop is Global: nobody is "the weakest"
  });

  it('drops are strict weakenings only, with both values as text', () => {
    expect(droppedComponents(g('⟨Global, SS, SER, BS(500ms), Idem, Auth⟩'), g('⟨Range, SS, RA, EO, Idem, Auth⟩'))).toEqual([
      { component: 'scope', from: 'Global', to: 'Range' },
      { component: 'visibility', from: 'SER', to: 'RA' },
      { component: 'recency', from: 'BS(500ms)', to: 'EO' },
    ]);
    expect(droppedComponents(g('⟨Range, SS, SER, EO, Idem, Auth⟩'), g('⟨Global, SS, SER, BS(1s), Idem, Auth⟩'))).toEqual([]);
  });
});

function frameOf(sim: Simulation, links: LinkView[], scopes: ScopeView[], records: Frame['records'] = [], reset = false): Frame {
  return {
    run_id: 'r',
    t_ms: sim.now_ms,
    until_ms: 0,
    playing: false,
    speed: 1,
    strategy: 'async-cp',
    nodes: [],
    links,
    messages: [],
    scopes,
    records,
    reset,
    metrics: {},
    extras: {},
    requirements: [],
    digest: '',
  };
}

const link = (a: string, b: string, state: LinkView['state'], latency_ms = 125): LinkView => ({ a, b, state, latency_ms, loss: 0 });

describe('NT-1 paths from the engine’s observed G-vectors', () => {
  const sim = new Simulation(spec, getModel(spec.model), { strategy: 'async-cp', seed: 1 });
  sim.runUntil(15_000);
  const scopes = sim.scopeViews().map((s) => ({ id: s.id, mode: s.mode, observed: s.observed, claimed: s.claimed, weaker: s.weaker, basis: {} }));
  const links = [link('us-east', 'eu-west', 'up'), link('us-east', 'apac', 'up'), link('eu-west', 'apac', 'up')];

  it('a US client reading from the EU replica: four hops, Recency bounded by the EU replica’s lag (the weakest link)', () => {
    const p = composeChoice(spec, frameOf(sim, links, scopes), { client: 'us-east', target: 'eu-west' })!;
    expect(p.hops.map((h) => h.id)).toEqual(['client', 'link', 'replica', 'storage']);
    expect(formatGVector(p.hops[1]!.g)).toContain('BS(125ms)'); // the measured link latency
    expect(p.result.recency).toMatchObject({ kind: 'BS', delta_ms: 500 });
    expect(p.weakest.recency).toEqual(['replica']);
  });

  it('a local read has no link hop', () => {
    expect(pathHops(spec, frameOf(sim, links, scopes), { client: 'eu-west', target: 'eu-west' })!.map((h) => h.id)).toEqual(['client', 'replica', 'storage']);
  });

  it('cutting the link: the gateway hop leaves the client its own region, and becomes the weakest link on Scope and Recency', () => {
    const cut = [link('us-east', 'eu-west', 'cut'), ...links.slice(1)];
    const p = composeChoice(spec, frameOf(sim, cut, scopes), { client: 'us-east', target: 'eu-west' })!;
    expect(p.result.scope).toBe('Local');
    expect(p.result.recency).toEqual({ kind: 'EO' });
    expect(p.weakest.scope).toEqual(['link']);
    expect(p.weakest.recency).toEqual(['link']);
    expect(linkHop(spec, spec.composition!, cut[0], 'us-east', 'eu-west').basis).toMatch(/cut/);
  });

  it('the fault diff: cut apac off, and the apac scope and every path into apac list what dropped', () => {
    const tracker = new FaultDiffTracker(spec);
    tracker.observe(frameOf(sim, links, scopes, [], true));
    const fault = { seq: 1, t_ms: 20_000, kind: 'fault' as const, action: { do: 'partition' as const, groups: [['apac'], ['us-east', 'eu-west']] }, source: 'user' as const, text: 'isolate apac' };
    const cutLinks = [links[0]!, link('us-east', 'apac', 'cut'), link('eu-west', 'apac', 'cut')];
    const degraded = scopes.map((s) => (s.id === 'apac' ? { ...s, observed: '⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩' } : s));
    tracker.observe(frameOf(sim, cutLinks, scopes, [fault]));
    const now = frameOf(sim, cutLinks, degraded);
    tracker.observe(now);
    const d = tracker.diff(now)!;
    expect(d.fault).toBe('isolate apac');
    expect(d.scopes.map((s) => s.scope)).toEqual(['apac']);
    expect(describeDrops('apac', d.scopes[0]!.drops)).toMatch(/^apac Scope Global → Local; Order SS → None; Visibility SER → Fractured; Recency BS\((δ_repl=)?500ms\) → EO$/);
    expect(d.paths.map((p) => `${p.client}>${p.target}`).sort()).toEqual(['apac>eu-west', 'apac>us-east', 'eu-west>apac', 'us-east>apac']);
    // A reset (seek, strategy switch) forgets the fault.
    tracker.observe(frameOf(sim, links, scopes, [], true));
    expect(tracker.diff(now)).toBeNull();
  });
});

describe('the composition section of a scenario file', () => {
  it('a G-vector that does not parse is refused, naming where', () => {
    const text = readFileSync('scenarios/nt1-log-replication.yaml', 'utf8').replace('link: ⟨Global, SS, SER, BS(100ms), Idem, Auth⟩', 'link: ⟨Global, SS, SER, BS(soon), Idem, Auth⟩');
    expect(() => parseScenarioText(text, 'nt1.yaml')).toThrow(ScenarioError);
    expect(() => parseScenarioText(text, 'nt1.yaml')).toThrow(/composition\.link/);
  });
});
