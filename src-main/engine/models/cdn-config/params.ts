/** Scenario parameters and topology lookups for the MT-3 model. */
import type { ModelContext } from '../../model-api';
import type { Topology } from '../../network';
import type { Params, RoutingPolicy, StrategyId } from './state';

export type Ctx = ModelContext;

const STRATEGIES: readonly StrategyId[] = ['push', 'gossip', 'hierarchical', 'hybrid'];
const ROUTING: readonly RoutingPolicy[] = ['by-criticality', 'always-block', 'always-warn'];

export function readParams(ctx: Ctx): Params {
  const num = (n: string) => {
    const v = ctx.param<number>(n);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`parameter ${n} must be a non-negative number (got ${String(v)})`);
    return v;
  };
  const strategy = ctx.param<string>('strategy') as StrategyId;
  if (!STRATEGIES.includes(strategy)) throw new Error(`parameter strategy must be one of ${STRATEGIES.join(', ')} (got ${strategy})`);
  const routing = ctx.param<string>('stale_routing') as RoutingPolicy;
  if (!ROUTING.includes(routing)) throw new Error(`parameter stale_routing must be one of ${ROUTING.join(', ')} (got ${routing})`);
  const changes = String(ctx.param<string>('changes'))
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .map((x) => (x.endsWith('!') ? { kind: x.slice(0, -1).trim(), critical: true } : { kind: x, critical: false }));
  if (changes.length === 0) throw new Error('parameter changes lists no change');
  const net = ctx.spec.network;
  return {
    strategy,
    changes,
    firstChangeMs: num('first_change_ms'),
    changeIntervalMs: Math.max(1000, num('change_interval_ms')),
    routing,
    requestsPerEdge: num('requests_per_edge_per_s'),
    applyMs: num('apply_ms'),
    slowFraction: num('slow_edge_fraction'),
    slowApplyMs: num('slow_apply_ms'),
    edgeLoss: Math.min(1, num('edge_loss')),
    retryMs: Math.max(100, num('retry_ms')),
    pushRate: Math.max(1, num('push_rate_per_s')),
    hubPushRate: Math.max(1, num('hub_push_rate_per_s')),
    bypassAfterMs: num('bypass_after_ms'),
    gossipRoundMs: Math.max(100, num('gossip_round_ms')),
    fanout: Math.max(1, num('gossip_fanout')),
    gossipSeeds: Math.max(1, Math.round(num('gossip_seeds_per_hub'))),
    attestMs: Math.max(100, num('attest_ms')),
    hbMs: Math.max(100, num('heartbeat_ms')),
    hbMisses: Math.max(1, Math.round(num('heartbeat_misses'))),
    probeMs: Math.max(500, num('probe_interval_ms')),
    probeSample: Math.round(num('probe_sample')),
    suspectMs: num('edge_suspect_ms'),
    darkMs: Math.max(1000, num('region_dark_ms')),
    deadlineMs: num('propagation_deadline_ms'),
    intraLat: net.intra_group.latency_ms,
    intraJit: net.intra_group.jitter_ms,
    interLat: net.inter_group.latency_ms,
    interJit: net.inter_group.jitter_ms,
  };
}

/** Derived, immutable lookups for a topology (not state: a pure function of the scenario). */
export interface Layout {
  store: string;
  regions: string[];
  hubs: string[];
  /** Node id of edge e. */
  edgeNode: string[];
  /** Region index of edge e. */
  regionOfEdge: Uint8Array;
  /** node id → edge index (edges only), node id → region index (hubs). */
  edgeIndex: Map<string, number>;
  hubIndex: Map<string, number>;
  E: number;
}

const layouts = new WeakMap<Topology, Layout>();

export function layout(ctx: Ctx): Layout {
  let l = layouts.get(ctx.topo);
  if (l) return l;
  const store = ctx.topo.nodesOf.get('store')?.[0];
  if (!store) throw new Error('the scenario needs a group "store" with the config store node');
  const regions = ctx.topo.groups.filter((g) => g !== 'store');
  const sizes = regions.map((r) => ctx.topo.nodesOf.get(r)!.length);
  const E = sizes[0]! - 1;
  if (E < 1 || sizes.some((n) => n !== E + 1)) throw new Error('every region needs the same number of nodes: one hub (first) and its edges');
  const hubs = regions.map((r) => ctx.topo.nodesOf.get(r)![0]!);
  const edgeNode: string[] = [];
  const regionOfEdge = new Uint8Array(regions.length * E);
  const edgeIndex = new Map<string, number>();
  const hubIndex = new Map<string, number>();
  regions.forEach((r, ri) => {
    const nodes = ctx.topo.nodesOf.get(r)!;
    hubIndex.set(nodes[0]!, ri);
    for (let k = 1; k <= E; k++) {
      const e = ri * E + k - 1;
      edgeNode.push(nodes[k]!);
      regionOfEdge[e] = ri;
      edgeIndex.set(nodes[k]!, e);
    }
  });
  l = { store, regions, hubs, edgeNode, regionOfEdge, edgeIndex, hubIndex, E };
  layouts.set(ctx.topo, l);
  return l;
}

export function delay(ctx: Ctx, lat: number, jit: number): number {
  return Math.max(0.1, lat + (jit > 0 ? (ctx.rng.next() * 2 - 1) * jit : 0));
}
