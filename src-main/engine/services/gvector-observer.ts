/**
 * Derives each scope's observed G-vector from the model's measurements and compares it
 * with the claim of the scope's current mode (from the scenario file). A change in the
 * observed vector is a `gvector` record; observed weaker than claimed is a `claim`
 * record ("claim broken"), and so is its restoration. Both cite the evidence behind
 * the components that changed.
 */
import { COMPONENTS, formatGVector, parseGVector, weakerComponents, type ComponentName, type GVector } from '../../../src-shared/gvector';
import { claimFor, type ScenarioSpec } from '../../../src-shared/scenario/types';
import type { ScopeObservation } from '../model-api';

export interface ObservedScope {
  /** The component values and mode this was derived from (skip re-deriving when unchanged). */
  key: string;
  observed: string;
  claimed: string;
  weaker: ComponentName[];
  basis: Partial<Record<ComponentName, string>>;
  components: Partial<Record<ComponentName, string>>;
}

export type ObserverState = Record<string, ObservedScope>;

export type ObserverRecord =
  | { kind: 'gvector'; scope: string; observed: string; claimed: string; changed: ComponentName[]; evidence: number[] }
  | { kind: 'claim'; scope: string; status: 'broken' | 'restored'; components: ComponentName[]; observed: string; claimed: string; evidence: number[] };

export class GVectorObserver {
  private claimCache = new Map<string, { text: string; g: GVector }>();

  constructor(
    private readonly spec: ScenarioSpec,
    private readonly strategyId: string,
  ) {}

  claim(mode: string): { text: string; g: GVector } {
    let c = this.claimCache.get(mode);
    if (!c) {
      const g = parseGVector(claimFor(this.spec, this.strategyId, mode), { symbols: this.spec.symbols });
      c = { text: formatGVector(g), g };
      this.claimCache.set(mode, c);
    }
    return c;
  }

  update(state: ObserverState, scope: string, mode: string, obs: ScopeObservation): ObserverRecord[] {
    const values = COMPONENTS.map((c) => obs[c].value).join(', ');
    const key = `${mode}|${values}`;
    const prev = state[scope];
    if (prev && prev.key === key) {
      // Nothing to record; keep the explanations current for tooltips.
      for (const c of COMPONENTS) prev.basis[c] = obs[c].basis;
      return [];
    }
    const text = `⟨${values}⟩`;
    const g = parseGVector(text, { symbols: this.spec.symbols });
    const observed = formatGVector(g);
    const claim = this.claim(mode);
    const weaker = weakerComponents(g, claim.g);
    const out: ObserverRecord[] = [];
    const components: Partial<Record<ComponentName, string>> = {};
    const basis: Partial<Record<ComponentName, string>> = {};
    for (const c of COMPONENTS) {
      components[c] = obs[c].value;
      basis[c] = obs[c].basis;
    }
    if (!prev || prev.observed !== observed) {
      const changed = prev ? COMPONENTS.filter((c) => prev.components[c] !== components[c]) : [...COMPONENTS];
      out.push({ kind: 'gvector', scope, observed, claimed: claim.text, changed, evidence: evidenceOf(obs, changed) });
    }
    const prevWeaker = prev?.weaker ?? [];
    const prevClaim = prev?.claimed;
    if (weaker.join() !== prevWeaker.join() || (weaker.length > 0 && prevClaim !== claim.text)) {
      if (weaker.length > 0) {
        out.push({ kind: 'claim', scope, status: 'broken', components: weaker, observed, claimed: claim.text, evidence: evidenceOf(obs, weaker) });
      } else if (prevWeaker.length > 0) {
        out.push({ kind: 'claim', scope, status: 'restored', components: prevWeaker, observed, claimed: claim.text, evidence: evidenceOf(obs, prevWeaker) });
      }
    }
    state[scope] = { key, observed, claimed: claim.text, weaker, basis, components };
    return out;
  }
}

function evidenceOf(obs: ScopeObservation, comps: ComponentName[]): number[] {
  const s = new Set<number>();
  for (const c of comps) for (const e of obs[c].evidence ?? []) s.add(e);
  return [...s].sort((a, b) => a - b);
}

/** Quantises a measured staleness bound to a 1-2-5 series so the vector does not flicker. */
export function quantizeBound(ms: number): number {
  if (ms <= 0) return 1;
  const mag = 10 ** Math.floor(Math.log10(ms));
  for (const step of [1, 2, 5, 10]) if (ms <= step * mag) return step * mag;
  return 10 * mag;
}
