/** The command palette's search: every word of the query must start a word of the action's label or group. */
import type { ActionDef } from './actions';

export function matchActions(actions: readonly ActionDef[], query: string): ActionDef[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...actions];
  return actions.filter((a) => {
    const hay = `${a.label} ${a.group}`.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return words.every((w) => hay.some((h) => h.startsWith(w)));
  });
}
