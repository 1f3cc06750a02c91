/** The run's floor (see layout.ts): the scenario's zones and the `sensors` parameter. */
import type { ModelContext } from '../../model-api';
import { deployedFloor, type Floor } from './layout';

export function floorOf(ctx: ModelContext): Floor {
  return deployedFloor(ctx.spec, ctx.strategy, () => ({
    groups: ctx.topo.groups,
    nodesOf: (g) => ctx.topo.nodesOf.get(g) ?? [],
    sensors: ctx.param<number>('sensors'),
  }));
}
