/**
 * The colour palette choice (issue 7, "colour-blind-safe palettes"): 'default' or 'cb',
 * a palette whose mode tones, good/bad and message colours stay apart under deuteranopia,
 * protanopia and tritanopia (checked by test/unit/colour-palette.test.ts against the CSS
 * in styles/theme.css). Applied as `data-palette="cb"` on <html>, so CSS and the canvas
 * views (themed-palette.svelte.ts watches the attribute) both follow it. Remembered in
 * localStorage: someone who needs it should not have to ask for it every time.
 */
import type { ActionRegistry } from '../actions';

export type PaletteChoice = 'default' | 'cb';

const STORAGE_KEY = 'lab.palette';

export function loadPalette(storage: Pick<Storage, 'getItem'> | null): PaletteChoice {
  try {
    return storage?.getItem(STORAGE_KEY) === 'cb' ? 'cb' : 'default';
  } catch {
    return 'default';
  }
}

export class ColourPalette {
  choice = $state<PaletteChoice>('default');

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeStorage()) {
    this.choice = loadPalette(storage);
  }

  toggle(): void {
    this.choice = this.choice === 'cb' ? 'default' : 'cb';
    try {
      this.storage?.setItem(STORAGE_KEY, this.choice);
    } catch {
      // storage full or denied: the choice still holds for this window
    }
  }

  /** Sets or clears the attribute the CSS keys on. */
  apply(root: HTMLElement): void {
    if (this.choice === 'cb') root.dataset.palette = 'cb';
    else delete root.dataset.palette;
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const PALETTE_KEYS = ['F4', "'"];

export function registerPaletteActions(reg: ActionRegistry, colours: ColourPalette): ActionRegistry {
  return reg.register({
    id: 'colour-palette',
    get label() {
      return colours.choice === 'cb' ? 'Colours: back to the default palette' : 'Colours: colour-blind-safe palette (deutan, protan, tritan)';
    },
    keys: PALETTE_KEYS,
    group: 'View',
    run: () => colours.toggle(),
  });
}
