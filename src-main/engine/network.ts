/**
 * The simulated network: who can talk to whom, how long it takes, and how often it
 * fails. Faults name nodes or groups; a group stands for all its nodes (DESIGN §4), so
 * cuts are stored by name and matched against a message's endpoints when it is sent
 * and again when it would arrive (a message in flight over a link that is cut is lost).
 */
import type { LinkSpec, ScenarioSpec } from '../../src-shared/scenario/types';
import type { LinkView } from '../../src-shared/ipc/frames';
import type { Rng } from './rng';

export interface Topology {
  nodes: string[];
  groups: string[];
  groupOf: Map<string, string>;
  nodesOf: Map<string, string[]>;
}

export function buildTopology(spec: ScenarioSpec): Topology {
  const groupOf = new Map<string, string>();
  const nodesOf = new Map<string, string[]>();
  for (const g of spec.groups) {
    nodesOf.set(g.id, [...g.nodes]);
    for (const n of g.nodes) groupOf.set(n, g.id);
  }
  return { nodes: spec.groups.flatMap((g) => g.nodes), groups: spec.groups.map((g) => g.id), groupOf, nodesOf };
}

/** Plain, cloneable network state (part of a checkpoint). */
export interface NetworkState {
  cuts: [string, string][];
  /** Sides of the current partition (names); empty when there is none. */
  partition: string[][];
  overrides: { link: [string, string]; latency_ms?: number; loss?: number }[];
}

export function emptyNetworkState(): NetworkState {
  return { cuts: [], partition: [], overrides: [] };
}

export class Network {
  /** Base link per (group index × group index), so the common no-fault path is two lookups. */
  private readonly table: LinkSpec[];
  private readonly groupIndex = new Map<string, number>();
  private readonly G: number;

  constructor(
    private readonly spec: ScenarioSpec,
    private readonly topo: Topology,
    public state: NetworkState,
  ) {
    this.G = topo.groups.length;
    topo.groups.forEach((g, i) => this.groupIndex.set(g, i));
    this.table = [];
    for (const a of topo.groups) for (const b of topo.groups) this.table.push(this.groupLink(a, b));
  }

  private groupLink(gx: string, gy: string): LinkSpec {
    if (gx === gy) return this.spec.network.intra_group;
    for (const p of this.spec.network.pairs) {
      if ((p.between[0] === gx && p.between[1] === gy) || (p.between[0] === gy && p.between[1] === gx)) return p.link;
    }
    return this.spec.network.inter_group;
  }

  /** True when no cut, partition or override is in force (the fast path). */
  private get pristine(): boolean {
    return this.state.cuts.length === 0 && this.state.partition.length === 0 && this.state.overrides.length === 0;
  }

  private matches(node: string, name: string): boolean {
    return node === name || this.topo.groupOf.get(node) === name;
  }

  private pairMatches(x: string, y: string, [a, b]: [string, string]): boolean {
    return (this.matches(x, a) && this.matches(y, b)) || (this.matches(x, b) && this.matches(y, a));
  }

  private sideOf(node: string): number {
    const sides = this.state.partition;
    for (let i = 0; i < sides.length; i++) if (sides[i]!.some((name) => this.matches(node, name))) return i;
    return -1;
  }

  /** True when the link from x to y is severed by a cut or a partition. */
  isCut(x: string, y: string): boolean {
    if (x === y || (this.state.cuts.length === 0 && this.state.partition.length === 0)) return false;
    for (const c of this.state.cuts) if (this.pairMatches(x, y, c)) return true;
    if (this.state.partition.length > 0) {
      const sx = this.sideOf(x);
      const sy = this.sideOf(y);
      if (sx !== -1 && sy !== -1 && sx !== sy) return true;
    }
    return false;
  }

  baseLink(x: string, y: string): LinkSpec {
    const i = this.groupIndex.get(this.topo.groupOf.get(x)!)!;
    const j = this.groupIndex.get(this.topo.groupOf.get(y)!)!;
    return this.table[i * this.G + j]!;
  }

  /** Latency and loss in force between x and y, after set-link overrides. */
  effectiveLink(x: string, y: string): LinkSpec {
    const base = this.baseLink(x, y);
    let latency_ms = base.latency_ms;
    let loss = base.loss;
    for (const o of this.state.overrides) {
      if (this.pairMatches(x, y, o.link)) {
        if (o.latency_ms !== undefined) latency_ms = o.latency_ms;
        if (o.loss !== undefined) loss = o.loss;
      }
    }
    return { latency_ms, jitter_ms: base.jitter_ms, loss };
  }

  /** One-way delay for a message now, or null when it is lost (cut or dropped). */
  delay(x: string, y: string, rng: Rng): number | null {
    let l: LinkSpec;
    if (this.pristine) l = this.baseLink(x, y);
    else {
      if (this.isCut(x, y)) return null;
      l = this.effectiveLink(x, y);
    }
    if (l.loss > 0 && rng.chance(l.loss)) return null;
    const jitter = l.jitter_ms > 0 ? (rng.next() * 2 - 1) * l.jitter_ms : 0;
    return Math.max(0.1, l.latency_ms + jitter);
  }

  cut(link: [string, string]): void {
    this.heal(link);
    this.state.cuts.push([link[0], link[1]]);
  }

  heal(link: [string, string]): void {
    const [a, b] = link;
    this.state.cuts = this.state.cuts.filter(([x, y]) => !((x === a && y === b) || (x === b && y === a)));
    // Healing a pair that a partition separates lifts the partition for that pair only
    // by splitting it out; simplest faithful rule: drop the partition if it separates them.
    if (this.state.partition.length > 0) {
      const sides = this.state.partition;
      const ia = sides.findIndex((s) => s.includes(a));
      const ib = sides.findIndex((s) => s.includes(b));
      if (ia !== -1 && ib !== -1 && ia !== ib) this.state.partition = [];
    }
  }

  partition(groups: string[][]): void {
    this.state.partition = groups.map((g) => [...g]);
  }

  healAll(): void {
    this.state.cuts = [];
    this.state.partition = [];
  }

  /** Sets latency and/or loss on a link; a later setting of the same link updates it in place. */
  setLink(link: [string, string], latency_ms?: number, loss?: number): void {
    const [a, b] = link;
    const same = this.state.overrides.find((o) => (o.link[0] === a && o.link[1] === b) || (o.link[0] === b && o.link[1] === a));
    if (!same) {
      this.state.overrides.push({ link: [a, b], latency_ms, loss });
      return;
    }
    if (latency_ms !== undefined) same.latency_ms = latency_ms;
    if (loss !== undefined) same.loss = loss;
  }

  /** Group-level link states for views. */
  groupLinks(): LinkView[] {
    const out: LinkView[] = [];
    const gs = this.topo.groups;
    for (let i = 0; i < gs.length; i++) {
      for (let j = i + 1; j < gs.length; j++) {
        const a = this.topo.nodesOf.get(gs[i]!)![0]!;
        const b = this.topo.nodesOf.get(gs[j]!)![0]!;
        const l = this.effectiveLink(a, b);
        const cut = this.isCut(a, b);
        out.push({ a: gs[i]!, b: gs[j]!, state: cut ? 'cut' : l.loss > 0 ? 'lossy' : 'up', latency_ms: l.latency_ms, loss: l.loss });
      }
    }
    return out;
  }
}
