/**
 * The action registry: every user command is registered once with an id, a label and
 * its shortcuts; buttons, the keyboard handler and the "?" overlay all read it.
 */

export interface ActionDef {
  id: string;
  label: string;
  /** Key names as produced by keyName(): ' ' is 'Space', letters lower-case; 'Ctrl+k' with Ctrl or ⌘. */
  keys: string[];
  group: 'Run' | 'Faults' | 'View' | 'Session';
  run: () => void;
  /** When false the action is hidden from the overlay and ignores its keys. */
  enabled?: () => boolean;
}

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  repeat?: boolean;
  target?: unknown;
}

/** Normalised key name: 'Space', 'Escape', '.', ']', 'r' (letters lower-case). */
export function keyName(e: Pick<KeyLike, 'key'>): string {
  if (e.key === ' ' || e.key === 'Spacebar') return 'Space';
  if (e.key.length === 1) return e.key.toLowerCase();
  return e.key;
}

/** How a key is shown to people: 'r' → 'R', 'Space' → 'Space'. */
const KEY_LABELS: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', Delete: 'Del' };

export function keyLabel(key: string): string {
  if (key.startsWith('Ctrl+')) return `Ctrl+${keyLabel(key.slice(5))}`;
  return key.length === 1 ? key.toUpperCase() : (KEY_LABELS[key] ?? key);
}

/** Keys typed into form fields belong to the field, not to the app. */
export function isTypingTarget(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const t = target as { tagName?: string; isContentEditable?: boolean; type?: string };
  if (t.isContentEditable) return true;
  const tag = (t.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button', 'submit', 'range'].includes((t.type ?? 'text').toLowerCase());
  return false;
}

export class ActionRegistry {
  #actions = new Map<string, ActionDef>();

  register(...defs: ActionDef[]): this {
    for (const d of defs) {
      if (this.#actions.has(d.id)) throw new Error(`action "${d.id}" is registered twice`);
      for (const k of d.keys) {
        const clash = this.forKey(k, true);
        if (clash) throw new Error(`key "${k}" of "${d.id}" is already bound to "${clash.id}"`);
      }
      this.#actions.set(d.id, d);
    }
    return this;
  }

  get(id: string): ActionDef | undefined {
    return this.#actions.get(id);
  }

  all(): ActionDef[] {
    return [...this.#actions.values()];
  }

  enabled(): ActionDef[] {
    return this.all().filter((a) => a.enabled?.() ?? true);
  }

  run(id: string): boolean {
    const a = this.#actions.get(id);
    if (!a || !(a.enabled?.() ?? true)) return false;
    a.run();
    return true;
  }

  forKey(key: string, includeDisabled = false): ActionDef | undefined {
    for (const a of this.#actions.values()) {
      if (a.keys.includes(key) && (includeDisabled || (a.enabled?.() ?? true))) return a;
    }
    return undefined;
  }

  /**
   * The whole keyboard handler: returns the action that ran (caller then prevents the
   * default), or null when the key is not ours (modifiers, typing in a field, unbound).
   */
  handleKey(e: KeyLike): ActionDef | null {
    if (e.altKey) return null;
    // Ctrl (⌘ on a Mac) combinations are bound as "Ctrl+k"; they work even in a text field.
    const ctrl = Boolean(e.ctrlKey || e.metaKey);
    if (!ctrl && isTypingTarget(e.target)) return null;
    const a = this.forKey(ctrl ? `Ctrl+${keyName(e)}` : keyName(e));
    if (!a) return null;
    a.run();
    return a;
  }
}

export const SPEEDS = [0.5, 1, 2, 5, 10] as const;

/** Next speed up (+1) or down (−1) from the current one, clamped to SPEEDS. */
export function nextSpeed(current: number, dir: 1 | -1): number {
  if (dir > 0) return SPEEDS.find((s) => s > current + 1e-9) ?? SPEEDS[SPEEDS.length - 1]!;
  return [...SPEEDS].reverse().find((s) => s < current - 1e-9) ?? SPEEDS[0]!;
}
