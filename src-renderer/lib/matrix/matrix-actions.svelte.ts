/**
 * The mode matrix overlay's open/closed state and its registered action (issue 7,
 * claimed vs observed). Kept apart from UiState so the overlay is one self-contained
 * concern; App.svelte wires it in.
 */
import type { ActionRegistry } from '../actions';

export class MatrixUi {
  open = $state(false);

  toggle(): void {
    this.open = !this.open;
  }

  /** For the Escape chain: true when it closed the overlay. */
  close(): boolean {
    if (!this.open) return false;
    this.open = false;
    return true;
  }
}

/**
 * Every letter is taken by the time this registers (M exports Markdown), so the matrix
 * gets F3 and ';'. The command palette and the '?' overlay list it like any other action.
 */
export const MATRIX_KEYS = ['F3', ';'];

export function registerMatrixActions(reg: ActionRegistry, matrix: MatrixUi, hasRun: () => boolean): ActionRegistry {
  return reg.register({
    id: 'mode-matrix',
    get label() {
      return matrix.open ? 'Close the mode matrix' : 'Mode matrix: every mode’s claimed G-vector beside the observed one';
    },
    keys: MATRIX_KEYS,
    group: 'View',
    enabled: () => matrix.open || hasRun(),
    run: () => matrix.toggle(),
  });
}
