/** Presenter mode and the command palette as registered actions (one registry: keys, palette, help). */
import type { ActionRegistry } from '../actions';
import type { UiState } from '../ui-state.svelte';
import type { Presenter } from './presenter.svelte';

export function registerPresenterActions(reg: ActionRegistry, presenter: Presenter, ui: UiState): ActionRegistry {
  return reg.register(
    { id: 'palette', label: 'Command palette: search every command', keys: ['F1', 'Ctrl+k'], group: 'View', run: () => (ui.palette = !ui.palette) },
    {
      id: 'presenter',
      get label() {
        return presenter.on ? 'Leave presenter mode' : 'Presenter mode: full screen, large type, a demo stepped with a clicker';
      },
      keys: ['F5'],
      group: 'View',
      run: () => presenter.toggle(),
    },
    { id: 'demo-pick', label: 'Choose a demo to present', keys: [], group: 'View', run: () => ((presenter.on = true), (presenter.picking = true)) },
    { id: 'demo-next', label: 'Demo: next step (clicker)', keys: ['PageDown'], group: 'Run', enabled: () => presenter.demo !== null, run: () => void presenter.next() },
    { id: 'demo-prev', label: 'Demo: previous step (clicker)', keys: ['PageUp'], group: 'Run', enabled: () => presenter.demo !== null, run: () => void presenter.prev() },
  );
}
