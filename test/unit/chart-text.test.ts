/** Text alternatives for charts (issue 7): the words follow the frame's numbers. */
import { describe, expect, it } from 'vitest';
import { describeMap, percent, plural } from '../../src-renderer/lib/a11y/chart-text';
import type { LinkView, NodeView, ScopeView } from '../../src-shared/ipc/frames';

const groups = [
  { id: 'us', label: 'US East' },
  { id: 'eu', label: 'EU West' },
  { id: 'ap', label: 'Asia-Pacific' },
];
const node = (id: string, group: string, up = true): NodeView => ({ id, group, up, role: 'follower', byzantine: false });
const link = (a: string, b: string, state: LinkView['state']): LinkView => ({ a, b, state, latency_ms: 125, loss: 0 });
const scope = (id: string, mode: string, weaker: ScopeView['weaker'] = []): ScopeView => ({ id, mode, observed: '', claimed: '', weaker, basis: {} });
const modes = [
  { id: 'Target', label: 'Target', description: '', claim: '', severity: 0 },
  { id: 'Degraded', label: 'Degraded', description: '', claim: '', severity: 1 },
];

describe('describeMap', () => {
  it('counts regions, nodes, links by state, and names each scope’s mode', () => {
    const text = describeMap({
      groups,
      nodes: [node('us-1', 'us'), node('eu-1', 'eu'), node('ap-1', 'ap', false)],
      links: [link('us', 'eu', 'cut'), link('us', 'ap', 'up'), link('eu', 'ap', 'lossy')],
      scopes: [scope('us', 'Target'), scope('ap', 'Degraded', ['recency'])],
      modes,
    });
    expect(text).toBe(
      '3 regions, 3 nodes (2 up, 1 down). 3 links: 1 up, 1 cut (US East – EU West), 1 lossy. Modes: US East Target; Asia-Pacific Degraded (claim broken: Recency).',
    );
  });
  it('a healthy map says so without the zero counts', () => {
    expect(describeMap({ groups: groups.slice(0, 1), nodes: [node('us-1', 'us')], links: [], scopes: [], modes })).toBe('1 region, 1 node (1 up). 0 links: 0 up.');
  });
});

describe('percent and plural', () => {
  it('keeps a decimal only just below 100%', () => {
    expect(percent(0.62)).toBe('62%');
    expect(percent(0.998)).toBe('99.8%');
    expect(percent(1)).toBe('100%');
    expect(plural(1, 'edge')).toBe('1 edge');
    expect(plural(5000, 'edge')).toBe('5000 edges');
  });
});
