/**
 * Long sessions are bounded (issue 9): a run keeps at most MAX_CHECKPOINTS checkpoints,
 * thinning the older half, and a seek into the thinned past is still exact.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioDir } from '../../src-main/scenarios/scenario-store';
import { getModel } from '../../src-main/engine/models';
import { MAX_CHECKPOINTS, Simulation, thinCheckpoints } from '../../src-main/engine/simulation';

describe('checkpoint retention', () => {
  it('thinning keeps the first, every other of the older half, and the whole newer half', () => {
    expect(thinCheckpoints([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([0, 2, 4, 5, 6, 7, 8, 9]);
    expect(thinCheckpoints([0])).toEqual([0]);
  });

  it('a long NT-1 run with frequent checkpoints stays under the cap, and seeking back is exact', () => {
    const spec = loadScenarioDir('scenarios').get('nt1-log-replication');
    const sim = new Simulation(spec, getModel(spec.model), { strategy: 'async-cp', seed: 3, checkpoint_every_ms: 1000 });
    let most = 0;
    for (let t = 60_000; t <= 480_000; t += 60_000) {
      sim.runUntil(t);
      most = Math.max(most, sim.checkpointCount);
    }
    expect(most).toBeLessThanOrEqual(MAX_CHECKPOINTS);
    expect(most).toBeGreaterThan(MAX_CHECKPOINTS / 2); // the cap was actually reached and thinned
    const digest = sim.digest();
    sim.seek(47_500);
    expect(sim.now_ms).toBe(47_500);
    sim.seek(480_000);
    expect(sim.digest()).toBe(digest);
  });
});
