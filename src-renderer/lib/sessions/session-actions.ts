/**
 * The session commands in the action registry (one place for buttons, keys and the "?"
 * overlay). Library-row commands act on the selected row while the library is open, and
 * on the open session otherwise.
 */
import type { ActionRegistry } from '../actions';
import type { ReportFormat } from '../../../src-shared/ipc/contract';
import type { SessionState } from './session-state.svelte';

/** Opens the system file picker for a session or library file (also from a shortcut). */
export function pickSessionFile(sessions: SessionState, doc: Document = document): void {
  const input = doc.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.hidden = true;
  input.dataset.testid = 'import-input';
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.remove();
    if (file) void sessions.importFile(file);
  });
  input.addEventListener('cancel', () => input.remove());
  doc.body.append(input);
  input.click();
}

export function registerSessionActions(reg: ActionRegistry, sessions: SessionState): ActionRegistry {
  const lab = sessions.lab;
  const hasRun = () => lab.run !== null;
  const hasSession = () => sessions.current !== null && hasRun();
  const libraryOpen = () => sessions.panel === 'library';
  const hasTarget = () => sessions.target() !== null;
  const report = (format: ReportFormat) => () => void sessions.exportReport(format);
  reg.register(
    { id: 'library', label: 'Show / hide the session library', keys: ['l'], group: 'Session', run: () => void sessions.togglePanel('library') },
    { id: 'exercises', label: 'Show / hide exercises and self-assessment', keys: ['e'], group: 'Session', enabled: hasRun, run: () => void sessions.togglePanel('exercises') },
    {
      id: 'session-new',
      label: 'New session (fresh run of this scenario)',
      keys: ['n'],
      group: 'Session',
      enabled: hasRun,
      run: () => {
        const s = lab.scenario;
        if (s) void sessions.newSession(s.id, { strategy: lab.strategy });
      },
    },
    {
      id: 'fork-here',
      label: 'Fork here: new session from this point in time, compared with its parent',
      keys: ['f'],
      group: 'Session',
      enabled: hasSession,
      // Both branches stay open: the fork opens beside its parent (when the app registers that comparison).
      run: () => void sessions.forkHere().then((ok) => ok && reg.run('compare-parent')),
    },
    { id: 'verify-replay', label: 'Replay the session and check its digest', keys: ['v'], group: 'Session', enabled: () => hasSession() && sessions.persisted, run: () => void sessions.verify() },
    { id: 'seek-back', label: 'Seek back 5 s', keys: ['ArrowLeft'], group: 'Session', enabled: hasRun, run: () => void sessions.seekBy(-5000) },
    { id: 'seek-forward', label: 'Seek forward 5 s (within what was reached)', keys: ['ArrowRight'], group: 'Session', enabled: hasRun, run: () => void sessions.seekBy(5000) },
    { id: 'library-up', label: 'Select the previous session', keys: ['ArrowUp'], group: 'Session', enabled: libraryOpen, run: () => sessions.moveSelection(-1) },
    { id: 'library-down', label: 'Select the next session', keys: ['ArrowDown'], group: 'Session', enabled: libraryOpen, run: () => sessions.moveSelection(1) },
    {
      id: 'session-open',
      label: 'Open the selected session',
      keys: ['o'],
      group: 'Session',
      enabled: () => libraryOpen() && sessions.selectedId !== null,
      run: () => {
        const id = sessions.selectedId;
        if (id) void sessions.open(id).then((ok) => ok && (sessions.panel = null));
      },
    },
    {
      id: 'session-rename',
      label: 'Rename the session',
      keys: ['F2'],
      group: 'Session',
      enabled: () => (libraryOpen() ? sessions.selectedId !== null : sessions.current !== null),
      run: () => {
        sessions.renamingId = libraryOpen() ? sessions.selectedId : (sessions.current?.id ?? null);
      },
    },
    {
      id: 'session-duplicate',
      label: 'Duplicate the session',
      keys: ['d'],
      group: 'Session',
      enabled: hasTarget,
      run: () => {
        const id = sessions.target();
        if (id) void sessions.duplicate(id);
      },
    },
    {
      id: 'session-delete',
      label: 'Delete the session (U undoes)',
      keys: ['Delete'],
      group: 'Session',
      enabled: hasTarget,
      run: () => {
        const id = sessions.target();
        if (id) void sessions.remove(id);
      },
    },
    { id: 'undo-delete', label: 'Undo delete', keys: ['u'], group: 'Session', enabled: () => sessions.deleted !== null, run: () => void sessions.undoDelete() },
    {
      id: 'export-session',
      label: 'Export the session as a file',
      keys: ['x'],
      group: 'Session',
      enabled: () => hasTarget() || hasSession(),
      run: () => void sessions.exportSession(sessions.target() ?? sessions.current?.id ?? null),
    },
    { id: 'import-sessions', label: 'Import a session or library file', keys: ['i'], group: 'Session', run: () => pickSessionFile(sessions) },
    { id: 'export-library', label: 'Back up the whole library (export all)', keys: ['b'], group: 'Session', run: () => void sessions.exportLibrary() },
    { id: 'report-html', label: 'Export the report as HTML', keys: ['w'], group: 'Session', enabled: hasRun, run: report('html') },
    { id: 'report-pdf', label: 'Export the report as PDF', keys: ['p'], group: 'Session', enabled: hasRun, run: report('pdf') },
    { id: 'report-md', label: 'Export the report as Markdown', keys: ['m'], group: 'Session', enabled: hasRun, run: report('md') },
    { id: 'report-json', label: 'Export the report as JSON', keys: ['j'], group: 'Session', enabled: hasRun, run: report('json') },
  );
  return reg;
}
