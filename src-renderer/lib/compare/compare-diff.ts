/**
 * The A/B diff: per scope, the mode and each G-vector component of both runs (which
 * differ, and which run is stronger); requirements side by side; invariant violations
 * counted from each run's timeline. Pure: frames and counts in, rows out.
 */
import { COMPONENTS, compareStrength, formatComponent, parseGVector, type ComponentName } from '../../../src-shared/gvector';
import type { Frame } from '../../../src-shared/ipc/frames';
import type { TimelineRecord } from '../../../src-shared/timeline/records';

export interface ComponentDiff {
  component: ComponentName;
  a: string;
  b: string;
  /** >0: A is stronger here, <0: B is, 0: as strong. */
  stronger: number;
}

export interface ScopeDiff {
  scope: string;
  modeA: string;
  modeB: string;
  components: ComponentDiff[];
}

export interface RequirementDiff {
  id: string;
  text: string;
  a: { value: number | null; met: boolean | null };
  b: { value: number | null; met: boolean | null };
}

export interface InvariantDiff {
  id: string;
  name: string;
  a: number;
  b: number;
}

export function scopeDiffs(a: Frame, b: Frame, symbols: Record<string, number> = {}): ScopeDiff[] {
  const out: ScopeDiff[] = [];
  for (const sa of a.scopes) {
    const sb = b.scopes.find((s) => s.id === sa.id);
    if (!sb) continue;
    let components: ComponentDiff[] = [];
    try {
      const ga = parseGVector(sa.observed, { symbols });
      const gb = parseGVector(sb.observed, { symbols });
      components = COMPONENTS.map((c) => ({ component: c, a: formatComponent(ga, c), b: formatComponent(gb, c), stronger: compareStrength(ga, gb, c) }));
    } catch {
      components = [];
    }
    out.push({ scope: sa.id, modeA: sa.mode, modeB: sb.mode, components });
  }
  return out;
}

export function requirementDiffs(a: Frame, b: Frame): RequirementDiff[] {
  return a.requirements.map((ra) => {
    const rb = b.requirements.find((r) => r.id === ra.id);
    return { id: ra.id, text: ra.text, a: { value: ra.value, met: ra.met }, b: { value: rb?.value ?? null, met: rb?.met ?? null } };
  });
}

/** Violations per invariant id in a timeline. */
export function violationCounts(records: readonly TimelineRecord[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records) if (r.kind === 'invariant') m.set(r.invariant, (m.get(r.invariant) ?? 0) + 1);
  return m;
}

export function invariantDiffs(invariants: readonly { id: string; name: string }[], a: readonly TimelineRecord[], b: readonly TimelineRecord[]): InvariantDiff[] {
  const ca = violationCounts(a);
  const cb = violationCounts(b);
  return invariants.map((i) => ({ id: i.id, name: i.name, a: ca.get(i.id) ?? 0, b: cb.get(i.id) ?? 0 }));
}
