/** `lab scenarios [--json]` and `lab describe <id> [--json]` (DESIGN §5). */
import { buildTopology } from '../../engine/network';
import { summarize, claimFor } from '../../../src-shared/scenario/types';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { openStore } from '../store';

export const scenariosCommand: CliCommand = async (args, io) => {
  const store = openStore();
  const list = store.scenarios.map(summarize);
  for (const e of store.errors) io.err(`warning: ${e.file}: ${e.error}`);
  if (args.includes('--json')) {
    io.out(JSON.stringify(list));
    return 0;
  }
  for (const s of list) io.out(`${s.id}\t${s.test}\t${s.title}\t[${s.strategies.map((x) => x.id).join(', ')}]`);
  io.out(`${list.length} scenarios`);
  return 0;
};

export const describeCommand: CliCommand = async (args, io) => {
  const id = args.find((a) => !a.startsWith('--'));
  if (!id) throw new UsageError('describe: which scenario? (lab describe <id>)');
  const spec = openStore().get(id);
  const topo = buildTopology(spec);
  const links: { a: string; b: string; latency_ms: number; loss: number }[] = [];
  for (let i = 0; i < topo.groups.length; i++)
    for (let j = i + 1; j < topo.groups.length; j++) {
      const a = topo.groups[i]!;
      const b = topo.groups[j]!;
      const pair = spec.network.pairs.find((p) => (p.between[0] === a && p.between[1] === b) || (p.between[0] === b && p.between[1] === a));
      const l = pair?.link ?? spec.network.inter_group;
      links.push({ a, b, latency_ms: l.latency_ms, loss: l.loss });
    }
  const desc = {
    id: spec.id,
    title: spec.title,
    test: spec.test,
    distance: spec.distance,
    impossibility: spec.impossibility,
    nodes: topo.nodes.map((n) => ({ id: n, group: topo.groupOf.get(n)! })),
    groups: topo.groups,
    links,
    strategies: spec.strategies.map((s) => ({
      id: s.id,
      label: s.label,
      description: s.description,
      modes: spec.modes.map((m) => ({ id: m.id, claim: claimFor(spec, s.id, m.id) })),
    })),
    modes: spec.modes.map((m) => ({ id: m.id, description: m.description, claim: m.claim })),
    invariants: spec.invariants,
  };
  if (args.includes('--json')) {
    io.out(JSON.stringify(desc));
    return 0;
  }
  io.out(`${spec.title} (${spec.test}, ${spec.distance} transfer; ${spec.impossibility.join(', ')})`);
  io.out(`groups: ${topo.groups.map((g) => `${g} [${nodeList(topo.nodesOf.get(g)!)}]`).join('; ')}`);
  io.out(`links: ${links.map((l) => `${l.a}–${l.b} ${l.latency_ms}ms`).join(', ')}`);
  io.out('strategies:');
  for (const s of spec.strategies) io.out(`  ${s.id}: ${s.label}`);
  io.out('modes (claimed G-vector, default strategy):');
  for (const m of spec.modes) io.out(`  ${m.id}: ${claimFor(spec, spec.default_strategy, m.id)}`);
  io.out('invariants:');
  for (const i of spec.invariants) io.out(`  ${i.id} (${i.kind}): ${i.name}`);
  io.out(`${spec.id}: ${topo.nodes.length} nodes, ${spec.strategies.length} strategies, ${spec.modes.length} modes, ${spec.invariants.length} invariants`);
  return 0;
};

/** A group's nodes for a terminal: all of a small group; the ends and the count of a big one (--json lists all). */
function nodeList(nodes: readonly string[]): string {
  if (nodes.length <= 8) return nodes.join(', ');
  return `${nodes.slice(0, 3).join(', ')}, … ${nodes[nodes.length - 1]} (${nodes.length} nodes)`;
}
