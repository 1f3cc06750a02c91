import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, ScenarioError } from '../../src-shared/scenario/load';

const nt1Text = readFileSync('scenarios/nt1-log-replication.yaml', 'utf8');

function messageOf(text: string): string {
  try {
    parseScenarioText(text, 'x.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario files', () => {
  it('loads NT-1 with its groups, strategies, modes and symbols', () => {
    const s = parseScenarioText(nt1Text, 'nt1');
    expect(s.groups.map((g) => g.id)).toEqual(['us-east', 'eu-west', 'apac']);
    expect(s.groups.every((g) => g.nodes.length === 3)).toBe(true);
    expect(s.network.inter_group.latency_ms).toBe(125);
    expect(s.symbols['δ_repl']).toBe(500);
    expect(s.modes.map((m) => m.id)).toEqual(['Target', 'Degraded', 'Floor', 'Recovery']);
    expect(s.strategies.map((x) => x.id)).toContain('sync-cp');
  });

  it('names the field of a malformed G-vector claim', () => {
    const bad = nt1Text.replace('claim: ⟨Global, SS, SER, BS(δ_repl), Idem(event_id), Auth(JWT)⟩', 'claim: ⟨Global, SS, SER, BS(fast), Idem(event_id), Auth(JWT)⟩');
    expect(messageOf(bad)).toMatch(/^x\.yaml: modes\[0\]\.claim: Recency/);
  });

  it('names an unknown mode in a transition', () => {
    const bad = nt1Text.replace('    to: Floor', '    to: Flor');
    expect(messageOf(bad)).toBe('x.yaml: transitions[0].to: unknown mode "Flor"');
  });

  it('names a missing required field and bad YAML', () => {
    expect(messageOf(nt1Text.replace(/^title:.*$/m, ''))).toMatch(/title/);
    expect(messageOf('id: [unclosed')).toMatch(/^x\.yaml: not valid YAML\/JSON/);
    expect(messageOf('[]')).toMatch(/^x\.yaml: /);
  });

  it('rejects duplicate node ids and unknown default strategy', () => {
    expect(messageOf(nt1Text.replace('[eu-west-1, eu-west-2, eu-west-3]', '[eu-west-1, us-east-1, eu-west-3]'))).toMatch(/node id "us-east-1" is used twice/);
    expect(messageOf(nt1Text.replace('default_strategy: async-cp', 'default_strategy: nope'))).toBe('x.yaml: default_strategy: unknown strategy "nope"');
  });
});
