/**
 * The fault-action vocabulary (DESIGN §4). The same actions come from the UI (a click
 * on a link or node) and from fault scripts (JSON or YAML), so they are validated by
 * one function here and applied by one function in the engine.
 *
 * Times are simulated time. In a script each action has `at`; an action sent live from
 * the UI has no `at` and fires at the run's current time.
 */

export type FaultAction =
  | { do: 'cut'; link: [string, string] }
  | { do: 'heal'; link: [string, string] }
  | { do: 'kill'; node: string }
  | { do: 'restart'; node: string }
  | { do: 'partition'; groups: string[][] }
  | { do: 'heal-all' }
  | { do: 'set-link'; link: [string, string]; latency_ms?: number; loss?: number }
  | { do: 'byzantine'; node: string; behavior: string }
  | { do: 'clock-drift'; node: string; ppm: number };

export type FaultVerb = FaultAction['do'];

export const FAULT_VERBS: readonly FaultVerb[] = [
  'cut',
  'heal',
  'kill',
  'restart',
  'partition',
  'heal-all',
  'set-link',
  'byzantine',
  'clock-drift',
];

/** A fault action scheduled at a simulated time. */
export interface TimedAction {
  at_ms: number;
  action: FaultAction;
}

/** Role selectors resolved by the engine when the action fires (e.g. `@leader`). */
export const ROLE_SELECTORS = ['@leader'] as const;

export function describeAction(a: FaultAction): string {
  switch (a.do) {
    case 'cut':
      return `cut ${a.link[0]}–${a.link[1]}`;
    case 'heal':
      return `heal ${a.link[0]}–${a.link[1]}`;
    case 'kill':
      return `kill ${a.node}`;
    case 'restart':
      return `restart ${a.node}`;
    case 'partition':
      return `partition ${a.groups.map((g) => `[${g.join(', ')}]`).join(' | ')}`;
    case 'heal-all':
      return 'heal all links';
    case 'set-link': {
      const parts: string[] = [];
      if (a.latency_ms !== undefined) parts.push(`latency ${a.latency_ms}ms`);
      if (a.loss !== undefined) parts.push(`loss ${Math.round(a.loss * 100)}%`);
      return `set ${a.link[0]}–${a.link[1]} ${parts.join(', ')}`;
    }
    case 'byzantine':
      return `make ${a.node} byzantine (${a.behavior})`;
    case 'clock-drift':
      return `drift ${a.node} clock ${a.ppm}ppm`;
  }
}
