/**
 * Composition along a path (DESIGN §2): the guarantee a client gets end to end is the meet
 * of the G-vectors of every hop it crosses — the weakest link, component by component.
 *
 *   const p = composePath([{ id: 'client', label: 'Client (US)', g: request }, …]);
 *   p.result          // meet of every hop
 *   p.weakest.recency // ids of the hops that set the result's Recency (empty if all hops agree)
 *
 * And the other direction, for "what did this fault cost": which components of a G-vector
 * dropped between two moments (`droppedComponents`).
 */
import { formatComponent, formatGVector } from './format';
import { compareStrength, meet } from './lattice';
import { COMPONENTS, type ComponentName, type GVector } from './types';

export interface HopInput {
  id: string;
  label: string;
  g: GVector;
  /** Where the hop's G-vector comes from, in words (the engine's basis, the link's state…). */
  basis?: string;
}

export interface ComposedPath {
  hops: HopInput[];
  result: GVector;
  /**
   * Per component, the hops whose value equals the result's and is strictly weaker than some
   * other hop's: the weakest links. Empty when every hop has the same strength there.
   */
  weakest: Record<ComponentName, string[]>;
}

export function composePath(hops: readonly HopInput[]): ComposedPath {
  if (hops.length === 0) throw new Error('a path needs at least one hop');
  const result = meet(...hops.map((h) => h.g));
  const weakest = {} as Record<ComponentName, string[]>;
  for (const c of COMPONENTS) {
    const strongerExists = hops.some((h) => compareStrength(h.g, result, c) > 0);
    weakest[c] = strongerExists ? hops.filter((h) => compareStrength(h.g, result, c) === 0).map((h) => h.id) : [];
  }
  return { hops: [...hops], result, weakest };
}

export interface ComponentDrop {
  component: ComponentName;
  from: string;
  to: string;
}

/** The components of `after` that are strictly weaker than in `before`, as text (`Global → Range`). */
export function droppedComponents(before: GVector, after: GVector): ComponentDrop[] {
  return COMPONENTS.filter((c) => compareStrength(after, before, c) < 0).map((c) => ({
    component: c,
    from: formatComponent(before, c),
    to: formatComponent(after, c),
  }));
}

/** One line for a composed path: `Client → Gateway → EU replica = ⟨…⟩`. */
export function describePath(p: ComposedPath): string {
  return `${p.hops.map((h) => h.label).join(' → ')} = ${formatGVector(p.result)}`;
}
