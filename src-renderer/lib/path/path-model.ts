/**
 * Path composition on screen (issue 7): the user picks a client group and a target group;
 * the hops of that path get their G-vectors from the live frame — the request from the
 * scenario, the link between the groups from its state and measured latency, the target
 * replica from the engine's observed G-vector — and the result is their meet, with the
 * weakest link per component (src-shared/gvector/path.ts).
 *
 * And "what did that fault cost": a tracker that remembers every scope's observed G-vector
 * and every path's composed result just before a fault arrived, so the panel can say
 * `cut us-east–apac: apac Scope Global → Local; Recency BS(δ_repl=500ms) → EO`.
 * Pure: no DOM, no Svelte.
 */
import { composePath, droppedComponents, parseGVector, type ComponentDrop, type ComposedPath, type GVector, type HopInput } from '../../../src-shared/gvector';
import type { Frame, LinkView } from '../../../src-shared/ipc/frames';
import type { CompositionSpec, ScenarioSpec } from '../../../src-shared/scenario/types';
import type { FaultRecord, TimelineRecord } from '../../../src-shared/timeline/records';

export interface PathChoice {
  client: string;
  target: string;
}

/** More groups than this: the fault diff does not compose every pair (n² paths). */
export const MAX_GROUPS_FOR_ALL_PATHS = 12;

function parse(spec: ScenarioSpec, text: string): GVector {
  return parseGVector(text, { symbols: spec.symbols });
}

/** A group's label without its parenthesis (`US East (Virginia)` → `US East`): hop names must be short. */
export function shortGroupLabel(spec: ScenarioSpec, id: string): string {
  const label = spec.groups.find((g) => g.id === id)?.label ?? id;
  return label.replace(/\s*\(.*\)\s*$/, '') || label;
}

/** The link view between two groups, either way round. */
export function linkBetween(links: readonly LinkView[], a: string, b: string): LinkView | undefined {
  return links.find((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
}

/**
 * The hop between two groups: while the link is up, the scenario's link G-vector with the
 * link's measured one-way latency as its staleness bound; cut, the client reaches only its
 * own region (Scope Local, no order or visibility across, Recency EO).
 */
export function linkHop(spec: ScenarioSpec, comp: CompositionSpec, link: LinkView | undefined, client: string, target: string): HopInput {
  void client;
  const base = parse(spec, comp.link);
  const label = `${comp.gateway} → ${shortGroupLabel(spec, target)}`;
  if (!link) return { id: 'link', label, g: base, basis: 'no link state known: the scenario’s link claim' };
  if (link.state === 'cut') {
    return {
      id: 'link',
      label,
      g: { ...base, scope: 'Local', order: 'None', visibility: 'Fractured', recency: { kind: 'EO' } },
      basis: `link ${link.a}–${link.b} is cut: the client reaches only ${client}`,
    };
  }
  const loss = link.loss > 0 ? `, ${Math.round(link.loss * 100)}% loss` : '';
  return {
    id: 'link',
    label,
    g: { ...base, recency: { kind: 'BS', delta_ms: Math.round(link.latency_ms) } },
    basis: `link up: ${Math.round(link.latency_ms)} ms one way${loss}`,
  };
}

/** The hops of a client→target path in the current frame; null when the scenario declares no composition. */
export function pathHops(spec: ScenarioSpec, frame: Frame | null, choice: PathChoice): HopInput[] | null {
  const comp = spec.composition;
  if (!comp || !frame) return null;
  const hops: HopInput[] = [{ id: 'client', label: `${comp.client} · ${shortGroupLabel(spec, choice.client)}`, g: parse(spec, comp.request), basis: 'what the request asks for' }];
  if (choice.client !== choice.target) hops.push(linkHop(spec, comp, linkBetween(frame.links, choice.client, choice.target), choice.client, choice.target));
  const scope = frame.scopes.find((s) => s.id === choice.target);
  if (scope) {
    const why = Object.values(scope.basis).filter(Boolean).slice(0, 2).join('; ');
    hops.push({ id: 'replica', label: `${comp.replica} · ${shortGroupLabel(spec, choice.target)}`, g: parse(spec, scope.observed), basis: `observed by the engine in ${scope.mode}${why ? `: ${why}` : ''}` });
  }
  for (const t of comp.tail) hops.push({ id: t.id, label: t.label, g: parse(spec, t.g), basis: 'fixed hop' });
  return hops;
}

export function composeChoice(spec: ScenarioSpec, frame: Frame | null, choice: PathChoice): ComposedPath | null {
  const hops = pathHops(spec, frame, choice);
  return hops ? composePath(hops) : null;
}

/** A sensible first path: a client in the first group reading from the second (NT-1: US reads EU). */
export function defaultChoice(spec: ScenarioSpec): PathChoice | null {
  const ids = spec.groups.map((g) => g.id);
  if (!spec.composition || ids.length === 0) return null;
  return { client: ids[0]!, target: ids[1] ?? ids[0]! };
}

// ── fault → G-vector diff ───────────────────────────────────────────────────────────

export interface ScopeDrop {
  scope: string;
  drops: ComponentDrop[];
}

export interface PathDrop {
  client: string;
  target: string;
  drops: ComponentDrop[];
}

export interface FaultDiff {
  /** The fault(s) applied at one instant, e.g. `cut us-east–apac; cut eu-west–apac`. */
  fault: string;
  t_ms: number;
  scopes: ScopeDrop[];
  paths: PathDrop[];
}

interface Snapshot {
  scopes: Map<string, GVector>;
  paths: Map<string, GVector>;
}

const pathKey = (c: string, t: string) => `${c}\u0000${t}`;

/**
 * Remembers the state just before the latest fault and diffs the current frame against it.
 * Feed it every frame in order (`observe`); a reset (open, seek, strategy switch) forgets.
 */
export class FaultDiffTracker {
  #prev: Snapshot | null = null;
  #prevFrame: Frame | null = null;
  #before: Snapshot | null = null;
  #fault: { text: string; t_ms: number } | null = null;

  constructor(private readonly spec: ScenarioSpec) {}

  observe(frame: Frame): void {
    if (frame.reset) {
      this.#before = null;
      this.#fault = null;
    }
    const faults = (frame.records ?? []).filter((r: TimelineRecord): r is FaultRecord => r.kind === 'fault');
    if (faults.length > 0) {
      const last = faults[faults.length - 1]!;
      const same = faults.filter((f) => f.t_ms === last.t_ms);
      // The state before the fault: the previous frame's (this frame already shows its effect).
      this.#before = this.#prev ?? this.snapshot(frame);
      this.#fault = { text: same.map((f) => f.text).join('; '), t_ms: last.t_ms };
    }
    this.#prev = this.snapshot(frame);
    this.#prevFrame = frame;
  }

  /**
   * What dropped since the latest fault, or null when no fault happened since the last reset.
   * The frame last observed was already snapshotted: it is not composed again.
   */
  diff(frame: Frame): FaultDiff | null {
    if (!this.#before || !this.#fault) return null;
    const now = frame === this.#prevFrame && this.#prev ? this.#prev : this.snapshot(frame);
    const scopes: ScopeDrop[] = [];
    for (const [id, g] of now.scopes) {
      const was = this.#before.scopes.get(id);
      const drops = was ? droppedComponents(was, g) : [];
      if (drops.length) scopes.push({ scope: id, drops });
    }
    const paths: PathDrop[] = [];
    for (const [k, g] of now.paths) {
      const was = this.#before.paths.get(k);
      const drops = was ? droppedComponents(was, g) : [];
      const [client, target] = k.split('\u0000') as [string, string];
      if (drops.length) paths.push({ client, target, drops });
    }
    return { fault: this.#fault.text, t_ms: this.#fault.t_ms, scopes, paths };
  }

  private snapshot(frame: Frame): Snapshot {
    const scopes = new Map<string, GVector>();
    for (const s of frame.scopes) {
      try {
        scopes.set(s.id, parse(this.spec, s.observed));
      } catch {
        /* an observed G-vector the renderer cannot read is left out of the diff */
      }
    }
    const paths = new Map<string, GVector>();
    const ids = this.spec.groups.map((g) => g.id);
    if (this.spec.composition && ids.length <= MAX_GROUPS_FOR_ALL_PATHS) {
      for (const c of ids)
        for (const t of ids) {
          if (c === t) continue;
          const p = composeChoice(this.spec, frame, { client: c, target: t });
          if (p) paths.set(pathKey(c, t), p.result);
        }
    }
    return { scopes, paths };
  }
}

/** One line, e.g. `apac Scope Global → Local; Recency BS(δ_repl=500ms) → EO`. */
export function describeDrops(where: string, drops: readonly ComponentDrop[]): string {
  const cap = (c: string) => c.charAt(0).toUpperCase() + c.slice(1);
  return `${where} ${drops.map((d) => `${cap(d.component)} ${d.from} → ${d.to}`).join('; ')}`;
}
