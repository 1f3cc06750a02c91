/**
 * A do-nothing protocol model for separating the engine's own cost from a scenario
 * model's: every node keeps a fixed number of messages in flight (each arrival is
 * answered with one message to a pseudo-randomly chosen node) and one periodic timer.
 * The queue length therefore stays constant, near the NT-1 engine's. Observations are
 * constant, so the mode and G-vector services run on every tick but never record.
 */
import type { ModelDefinition, ScopeObservation } from '../src-main/engine/model-api';

interface NoopState {
  hops: number;
}

const OBS: ScopeObservation = {
  scope: { value: 'Global', basis: 'noop' },
  order: { value: 'SS', basis: 'noop' },
  visibility: { value: 'SER', basis: 'noop' },
  recency: { value: 'BS(500ms)', basis: 'noop' },
  idempotence: { value: 'Idem(event_id)', basis: 'noop' },
  auth: { value: 'Auth(JWT)', basis: 'noop' },
};

export function noopModel(inFlightPerNode: number): ModelDefinition<NoopState> {
  return {
    id: 'bench-noop',
    init: () => ({ hops: 0 }),
    start(s, ctx) {
      const nodes = ctx.topo.nodes;
      nodes.forEach((n, i) => {
        for (let k = 0; k < inFlightPerNode; k++) ctx.send(n, nodes[(i + k + 1) % nodes.length]!, 'ping', null);
        ctx.setTimer(n, 1000, 'beat', null);
      });
    },
    onMessage(s, ctx, to) {
      s.hops += 1;
      const nodes = ctx.topo.nodes;
      ctx.send(to, nodes[Math.floor(ctx.rng.next() * nodes.length)]!, 'ping', null);
    },
    onTimer(s, ctx, node) {
      ctx.setTimer(node, 1000, 'beat', null);
    },
    leader: () => undefined,
    observe: () => OBS,
    roles: () => ({}),
    metrics: (s) => ({ hops: s.hops }),
  };
}
