import { describe, expect, it } from 'vitest';
import { ActionError, validateAction, validateFaultScript } from '../../src-shared/actions/validate';

const targets = { nodes: new Set(['a1', 'a2', 'b1']), groups: new Set(['ga', 'gb']), byzantineBehaviors: ['equivocate'] };

function errorOf(fn: () => unknown): ActionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ActionError) return e;
    throw e;
  }
  throw new Error('expected an ActionError');
}

describe('fault action validation (DESIGN §4)', () => {
  it('accepts every action of the vocabulary, with durations parsed', () => {
    const script = validateFaultScript(
      {
        actions: [
          { at: '10s', do: 'cut', link: ['ga', 'gb'] },
          { at: '40s', do: 'heal', link: ['ga', 'gb'] },
          { at: '5s', do: 'kill', node: 'a1' },
          { at: '20s', do: 'restart', node: 'a1' },
          { at: '30s', do: 'partition', groups: [['ga'], ['gb']] },
          { at: '1min', do: 'heal-all' },
          { at: '0s', do: 'set-link', link: ['a1', 'b1'], latency: '250ms', loss: 0.4 },
          { at: '0s', do: 'byzantine', node: 'b1', behavior: 'equivocate' },
          { at: '0s', do: 'clock-drift', node: 'a2', ppm: 50 },
          { at: '7s', do: 'kill', node: '@leader' },
        ],
      },
      targets,
    );
    expect(script.map((a) => a.at_ms)).toEqual([0, 0, 0, 5000, 7000, 10_000, 20_000, 30_000, 40_000, 60_000]);
    expect(script[0]!.action).toEqual({ do: 'set-link', link: ['a1', 'b1'], latency_ms: 250, loss: 0.4 });
    expect(script.find((a) => a.at_ms === 7000)!.action).toEqual({ do: 'kill', node: '@leader' });
  });

  it('names the offending entry for an unknown node', () => {
    const e = errorOf(() => validateFaultScript({ actions: [{ at: '1s', do: 'heal-all' }, { at: '2s', do: 'cut', link: ['ga', 'gz'] }] }, targets));
    expect(e.message).toBe('actions[1].link[1]: unknown node or group "gz"');
  });

  it('names bad times, unknown actions, unknown fields and unknown role selectors', () => {
    expect(errorOf(() => validateFaultScript({ actions: [{ at: 'soon', do: 'heal-all' }] }, targets)).path).toBe('actions[0].at');
    expect(errorOf(() => validateFaultScript({ actions: [{ at: '1s', do: 'explode' }] }, targets)).message).toMatch(/^actions\[0\]\.do: unknown action "explode"/);
    expect(errorOf(() => validateAction({ do: 'kill', node: 'a1', force: true }, targets)).message).toBe('action.force: "kill" takes no field "force"');
    expect(errorOf(() => validateAction({ do: 'kill', node: '@boss' }, targets)).message).toMatch(/unknown role selector "@boss"/);
    expect(errorOf(() => validateAction({ do: 'set-link', link: ['a1', 'b1'], loss: 2 }, targets)).path).toBe('action.loss');
    expect(errorOf(() => validateAction({ do: 'byzantine', node: 'a1', behavior: 'lie' }, targets)).message).toMatch(/unknown behaviour "lie" \(known: equivocate\)/);
    expect(errorOf(() => validateAction({ do: 'partition', groups: [['ga'], ['ga']] }, targets)).message).toMatch(/"ga" is on two sides/);
    expect(errorOf(() => validateFaultScript({ actions: [{ do: 'heal-all' }] }, targets)).message).toMatch(/missing "at"/);
  });

  it('accepts a group paired with itself (the links inside it) but not a node with itself', () => {
    expect(validateAction({ do: 'set-link', link: ['ga', 'ga'], loss: 0.4 }, targets)).toEqual({ do: 'set-link', link: ['ga', 'ga'], loss: 0.4 });
    expect(errorOf(() => validateAction({ do: 'cut', link: ['a1', 'a1'] }, targets)).message).toBe('action.link: a link joins two different nodes, got "a1" twice');
  });

  it('rejects a whole script when one entry is bad (nothing half-applied)', () => {
    expect(() => validateFaultScript({ actions: [{ at: '1s', do: 'heal-all' }, { at: '2s', do: 'kill', node: 'nobody' }] }, targets)).toThrow(ActionError);
  });

  it('keeps script order for actions at the same instant', () => {
    const s = validateFaultScript(
      { actions: [{ at: '5s', do: 'kill', node: 'a1' }, { at: '1s', do: 'heal-all' }, { at: '5s', do: 'kill', node: 'a2' }] },
      targets,
    );
    expect(s.map((a) => ('node' in a.action ? a.action.node : a.action.do))).toEqual(['heal-all', 'a1', 'a2']);
  });
});
