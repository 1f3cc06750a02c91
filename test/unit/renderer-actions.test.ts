import { describe, expect, it, vi } from 'vitest';
import { ActionRegistry, isTypingTarget, keyLabel, keyName, nextSpeed, SPEEDS } from '../../src-renderer/lib/actions';

function registry() {
  const calls: string[] = [];
  let live = true;
  const reg = new ActionRegistry().register(
    { id: 'play-pause', label: 'Play / pause', keys: ['Space'], group: 'Run', run: () => calls.push('play') },
    { id: 'step', label: 'Step', keys: ['.'], group: 'Run', run: () => calls.push('step'), enabled: () => live },
    { id: 'restart', label: 'Restart', keys: ['r'], group: 'Run', run: () => calls.push('restart') },
  );
  return { reg, calls, setLive: (v: boolean) => (live = v) };
}

describe('keyName / keyLabel', () => {
  it('normalises keys', () => {
    expect(keyName({ key: ' ' })).toBe('Space');
    expect(keyName({ key: 'R' })).toBe('r');
    expect(keyName({ key: ']' })).toBe(']');
    expect(keyName({ key: 'Escape' })).toBe('Escape');
    expect(keyLabel('r')).toBe('R');
    expect(keyLabel('Space')).toBe('Space');
  });
});

describe('ActionRegistry', () => {
  it('runs the action bound to a key', () => {
    const { reg, calls } = registry();
    expect(reg.handleKey({ key: ' ' })?.id).toBe('play-pause');
    expect(reg.handleKey({ key: 'R' })?.id).toBe('restart');
    expect(calls).toEqual(['play', 'restart']);
  });
  it('leaves modified keys and typing to the browser', () => {
    const { reg, calls } = registry();
    expect(reg.handleKey({ key: 'r', ctrlKey: true })).toBeNull();
    expect(reg.handleKey({ key: 'r', metaKey: true })).toBeNull();
    expect(reg.handleKey({ key: ' ', target: { tagName: 'INPUT', type: 'text' } })).toBeNull();
    expect(reg.handleKey({ key: ' ', target: { tagName: 'INPUT', type: 'checkbox' } })?.id).toBe('play-pause');
    expect(reg.handleKey({ key: 'x' })).toBeNull();
    expect(calls).toEqual(['play']);
  });
  it('skips disabled actions, for keys, run() and the overlay', () => {
    const { reg, calls, setLive } = registry();
    setLive(false);
    expect(reg.handleKey({ key: '.' })).toBeNull();
    expect(reg.run('step')).toBe(false);
    expect(reg.enabled().map((a) => a.id)).toEqual(['play-pause', 'restart']);
    setLive(true);
    expect(reg.run('step')).toBe(true);
    expect(calls).toEqual(['step']);
  });
  it('refuses duplicate ids and clashing keys', () => {
    const { reg } = registry();
    const run = vi.fn();
    expect(() => reg.register({ id: 'step', label: 'x', keys: [], group: 'Run', run })).toThrow(/registered twice/);
    expect(() => reg.register({ id: 'other', label: 'x', keys: ['r'], group: 'Run', run })).toThrow(/already bound to "restart"/);
  });
  it('knows typing targets', () => {
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('nextSpeed', () => {
  it('steps through ×0.5 ×1 ×2 ×5 ×10 and clamps', () => {
    expect(SPEEDS).toEqual([0.5, 1, 2, 5, 10]);
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(2, 1)).toBe(5);
    expect(nextSpeed(10, 1)).toBe(10);
    expect(nextSpeed(1, -1)).toBe(0.5);
    expect(nextSpeed(0.5, -1)).toBe(0.5);
    expect(nextSpeed(3, 1)).toBe(5);
    expect(nextSpeed(3, -1)).toBe(2);
  });
});
