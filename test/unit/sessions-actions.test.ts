/**
 * Every session command is an action in the registry with a shortcut (one registry for
 * buttons, keys and the "?" overlay), and its keys do not clash with the app's others.
 */
import { describe, expect, it, vi } from 'vitest';
import { buildActions } from '../../src-renderer/lib/app-actions';
import { registerSessionActions } from '../../src-renderer/lib/sessions/session-actions';
import type { RunState } from '../../src-renderer/lib/run-state.svelte';
import type { SessionState } from '../../src-renderer/lib/sessions/session-state.svelte';
import type { UiState } from '../../src-renderer/lib/ui-state.svelte';

function setup(over: Partial<Record<string, unknown>> = {}) {
  const lab = { run: { run_id: 'run-1' }, scenario: { id: 'nt1-log-replication', groups: [], strategies: [] }, strategy: 'async-cp', t_ms: 0 } as unknown as RunState;
  const ui = { help: false, selectedSeq: null, theme: 'auto', cycleTheme: vi.fn() } as unknown as UiState;
  const sessions = {
    lab,
    current: { id: 'sess-1' },
    persisted: true,
    panel: null as 'library' | 'exercises' | null,
    selectedId: 'sess-2' as string | null,
    renamingId: null as string | null,
    deleted: null,
    togglePanel: vi.fn(async () => {}),
    newSession: vi.fn(async () => true),
    forkHere: vi.fn(async () => true),
    verify: vi.fn(async () => true),
    seekBy: vi.fn(async () => true),
    moveSelection: vi.fn(),
    open: vi.fn(async () => true),
    duplicate: vi.fn(async () => null),
    remove: vi.fn(async () => {}),
    undoDelete: vi.fn(async () => true),
    exportSession: vi.fn(async () => true),
    exportLibrary: vi.fn(async () => true),
    exportReport: vi.fn(async () => true),
    importFile: vi.fn(async () => true),
    target(this: { panel: string | null; selectedId: string | null; current: { id: string } | null }) {
      return this.panel === 'library' ? this.selectedId : (this.current?.id ?? null);
    },
    ...over,
  };
  const reg = registerSessionActions(buildActions(lab, ui), sessions as unknown as SessionState);
  return { reg, sessions };
}

describe('session actions', () => {
  it('registers every session command with a shortcut, without clashing with the app’s keys', () => {
    const { reg } = setup();
    const session = reg.all().filter((a) => a.group === 'Session');
    expect(session.map((a) => a.id).sort()).toEqual(
      [
        'library',
        'exercises',
        'session-new',
        'fork-here',
        'verify-replay',
        'seek-back',
        'seek-forward',
        'library-up',
        'library-down',
        'session-open',
        'session-rename',
        'session-duplicate',
        'session-delete',
        'undo-delete',
        'export-session',
        'import-sessions',
        'export-library',
        'report-html',
        'report-pdf',
        'report-md',
        'report-json',
      ].sort(),
    );
    for (const a of session) expect(a.keys.length, a.id).toBeGreaterThan(0);
    const keys = reg.all().flatMap((a) => a.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keys run the commands; row commands act on the library selection, else the open session', () => {
    const { reg, sessions } = setup();
    reg.handleKey({ key: 'l' });
    expect(sessions.togglePanel).toHaveBeenCalledWith('library');
    reg.handleKey({ key: 'f' });
    expect(sessions.forkHere).toHaveBeenCalled();
    reg.handleKey({ key: 'ArrowLeft' });
    expect(sessions.seekBy).toHaveBeenCalledWith(-5000);
    reg.handleKey({ key: 'p' });
    expect(sessions.exportReport).toHaveBeenCalledWith('pdf');
    reg.handleKey({ key: 'w' });
    expect(sessions.exportReport).toHaveBeenCalledWith('html');

    reg.handleKey({ key: 'Delete' });
    expect(sessions.remove).toHaveBeenCalledWith('sess-1');
    expect(reg.handleKey({ key: 'ArrowDown' })).toBeNull(); // library closed: the page scrolls
    expect(reg.handleKey({ key: 'u' })).toBeNull(); // nothing to undo

    sessions.panel = 'library';
    reg.handleKey({ key: 'd' });
    expect(sessions.duplicate).toHaveBeenCalledWith('sess-2');
    reg.handleKey({ key: 'ArrowDown' });
    expect(sessions.moveSelection).toHaveBeenCalledWith(1);
    reg.handleKey({ key: 'F2' });
    expect(sessions.renamingId).toBe('sess-2');
    reg.handleKey({ key: 'o' });
    expect(sessions.open).toHaveBeenCalledWith('sess-2');
    // Typing in a field is not a command.
    expect(reg.handleKey({ key: 'd', target: { tagName: 'TEXTAREA' } })).toBeNull();
  });

  it('Escape closes a session panel before clearing messages', () => {
    const lab = { run: null, scenario: null, dismissAll: vi.fn() } as unknown as RunState;
    const ui = { help: false, selectedSeq: null } as unknown as UiState;
    let panel: string | null = 'library';
    const reg = buildActions(lab, ui, {
      escape: () => {
        if (!panel) return false;
        panel = null;
        return true;
      },
    });
    reg.handleKey({ key: 'Escape' });
    expect(panel).toBeNull();
    expect(lab.dismissAll).not.toHaveBeenCalled();
    reg.handleKey({ key: 'Escape' });
    expect(lab.dismissAll).toHaveBeenCalled();
  });
});
