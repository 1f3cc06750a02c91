/** The app's commands, registered once; buttons and keys both run them from here. */
import { ActionRegistry, SPEEDS } from './actions';
import type { RunState } from './run-state.svelte';
import type { UiState } from './ui-state.svelte';

/** `escape`: a hook that closes something else first (e.g. a session panel); returns true if it did. */
export function buildActions(state: RunState, ui: UiState, hooks: { escape?: () => boolean } = {}): ActionRegistry {
  const hasRun = () => state.run !== null;
  const groups = () => state.scenario?.groups ?? [];
  const reg = new ActionRegistry().register(
    { id: 'play-pause', label: 'Play / pause', keys: ['Space'], group: 'Run', run: () => void state.togglePlay(), enabled: hasRun },
    { id: 'step', label: 'Step 1 s', keys: ['.'], group: 'Run', run: () => void state.step(1000), enabled: hasRun },
    { id: 'step-big', label: 'Step 10 s', keys: ['>'], group: 'Run', run: () => void state.step(10_000), enabled: hasRun },
    { id: 'faster', label: 'Faster', keys: [']'], group: 'Run', run: () => void state.faster(), enabled: hasRun },
    { id: 'slower', label: 'Slower', keys: ['['], group: 'Run', run: () => void state.slower(), enabled: hasRun },
    { id: 'restart', label: 'Restart the run', keys: ['r'], group: 'Run', run: () => void state.restart(), enabled: hasRun },
    {
      id: 'next-strategy',
      label: 'Next strategy',
      keys: ['s'],
      group: 'Run',
      enabled: () => (state.scenario?.strategies.length ?? 0) > 1,
      run: () => {
        const list = state.scenario?.strategies ?? [];
        const i = list.findIndex((s) => s.id === state.strategy);
        const next = list[(i + 1) % list.length];
        if (next) void state.setStrategy(next.id);
      },
    },
    { id: 'heal-all', label: 'Heal all links', keys: ['h'], group: 'Faults', run: () => void state.act({ do: 'heal-all' }), enabled: hasRun },
  );
  for (let i = 1; i <= 9; i++) {
    reg.register({
      id: `isolate-${i}`,
      get label() {
        const g = groups()[i - 1];
        return `Isolate ${g?.label ?? `region ${i}`}`;
      },
      keys: [String(i)],
      group: 'Faults',
      enabled: () => hasRun() && groups().length > 2 && i <= groups().length,
      run: () => {
        const all = groups().map((g) => g.id);
        const g = all[i - 1];
        if (g) void state.act({ do: 'partition', groups: [[g], all.filter((x) => x !== g)] });
      },
    });
  }
  reg.register(
    { id: 'help', label: 'Show / hide shortcuts', keys: ['?'], group: 'View', run: () => (ui.help = !ui.help) },
    { id: 'theme', label: 'Theme: auto / light / dark', keys: ['t'], group: 'View', run: () => ui.cycleTheme() },
    {
      id: 'escape',
      label: 'Close overlay, clear selection and messages',
      keys: ['Escape'],
      group: 'View',
      run: () => {
        if (ui.help) ui.help = false;
        else if (hooks.escape?.()) return;
        else if (ui.selectedSeq !== null) ui.selectedSeq = null;
        else state.dismissAll();
      },
    },
  );
  return reg;
}

export { SPEEDS };
