/**
 * `lab:check-history`: an outside history (the text of a Jepsen register log or an EDN
 * key-value history, read by the renderer from a file the user chose) parsed and checked in
 * the main process with a step budget and a wall-clock deadline. Out of budget ⇒ `unknown`.
 * A text that is not a history is an error naming the line.
 */
import { checkHistoryText, HistoryTextError, type HistoryModelChoice } from '../../src-shared/history/check-text';
import type { HistoryView } from '../../src-shared/history/types';

/** Search steps per check (the 103 etcd logs need far fewer; a hard kv history may need more: unknown). */
export const HISTORY_CHECK_BUDGET = 20_000_000;
/** Wall-clock limit per check, so the host stays responsive. */
export const HISTORY_CHECK_DEADLINE_MS = 10_000;

export function checkHistoryFile(text: string, model: HistoryModelChoice = 'auto', name?: string): HistoryView {
  const start = performance.now();
  try {
    return checkHistoryText(text, {
      model,
      name: name ?? 'history',
      budgetSteps: HISTORY_CHECK_BUDGET,
      deadline: () => performance.now() - start > HISTORY_CHECK_DEADLINE_MS,
      now: () => performance.now(),
    });
  } catch (e) {
    if (e instanceof HistoryTextError) throw new Error(`${name ?? 'history'}: ${e.message}`);
    throw e;
  }
}
