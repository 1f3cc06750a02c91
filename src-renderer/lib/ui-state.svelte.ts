/** View-only state shared between components (nothing here goes to the host). */
export type ThemeChoice = 'auto' | 'dark' | 'light';

export class UiState {
  help = $state(false);
  /** The command palette (Ctrl+K / F1): every enabled action, searchable. */
  palette = $state(false);
  /** The timeline record whose cited evidence is highlighted. */
  selectedSeq = $state<number | null>(null);
  /** The node whose evidence the timeline shows (set from the timeline or by shift-clicking a node on a view). */
  evidenceNode = $state<string | null>(null);
  theme = $state<ThemeChoice>('auto');

  cycleTheme(): void {
    this.theme = this.theme === 'auto' ? 'light' : this.theme === 'light' ? 'dark' : 'auto';
  }
}
