/** A small valid scenario (NT-1 cut down to what the schema requires), the seed of the scenario doors. */
export const BASE_SCENARIO = {
  id: 'fuzz-nt1',
  title: 'Fuzz base',
  test: 'NT-1',
  distance: 'near',
  impossibility: ['CAP'],
  summary: 'Replicate.',
  model: 'log-replication',
  view: 'world-map',
  groups: [
    { id: 'us', label: 'US', location: [-77.5, 38.9], nodes: ['us-1', 'us-2'] },
    { id: 'eu', label: 'EU', location: [-6.3, 53.3], nodes: ['eu-1'] },
  ],
  network: { intra_group: { latency: '5ms', jitter: '2ms' }, inter_group: { latency: '125ms', jitter: '10ms' } },
  parameters: { lease_ms: 30000 },
  symbols: { 'δ': '500ms' },
  strategies: [
    { id: 'cp', label: 'CP', description: 'CP.', params: { policy: 'cp' }, claims: { Degraded: '⟨Local, None, Fractured, EO, Idem(k), Auth(JWT)⟩' } },
    { id: 'ap', label: 'AP', description: 'AP.' },
  ],
  default_strategy: 'cp',
  initial_mode: 'Target',
  modes: [
    { id: 'Target', description: 'T.', claim: '⟨Global, SS, SER, BS(δ), Idem(k), Auth(JWT)⟩', severity: 0 },
    { id: 'Degraded', description: 'D.', claim: '<Local, None, Fractured, EO, Idem, Auth>', severity: 1 },
    { id: 'Floor', description: 'F.', claim: '⟨Local, None, Fractured, EO, Idem, Auth⟩', severity: 3 },
    { id: 'Recovery', description: 'R.', claim: '⟨Global, SS, SER, EO, Idem, Auth⟩', severity: 2 },
  ],
  transitions: [
    { from: ['Target'], to: 'Degraded', when: { quorum_lost: { of: 'groups', misses_in_a_row: 3 } } },
    { from: ['Degraded'], to: 'Recovery', when: { all: [{ quorum_held: { of: 'groups', misses_in_a_row: 3 } }, { gauge: 'lag_ms', op: '<=', value: 500, since_entry: true }] } },
    { from: ['Target'], to: 'Floor', when: { for: '60s', hold: { quorum_lost: { of: 'group-nodes', misses_in_a_row: 3 } } } },
  ],
  invariants: [{ id: 'no-loss', name: 'No loss', kind: 'safety', description: 'Durable.' }],
};
