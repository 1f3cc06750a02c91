/**
 * The mode matrix (issue 7, "claimed vs observed"): for each scope, every mode of the
 * scenario as a row — the G-vector the scenario claims for it beside the G-vectors the
 * engine observed while the scope was actually in that mode, the time spent there, and
 * the components whose claim broke (with the engine's `claim` record to cite).
 *
 * Pure: derived from the scenario and the run's timeline records only. The scope's mode
 * over time comes from `mode` records; what was observed comes from `gvector` records
 * (emitted only when the observed vector changes, so the vector in force when a mode is
 * entered counts for that mode too). Records are taken in `seq` order, which is the
 * engine's order: a mode change is recorded before the observation it triggers.
 */
import { COMPONENTS, COMPONENT_LABELS, formatGVector, meet, parseGVector, weakerComponents, type ComponentName, type GVector } from '../../../src-shared/gvector';
import { claimFor, type ScenarioSpec } from '../../../src-shared/scenario/types';
import type { TimelineRecord } from '../../../src-shared/timeline/records';
import { modeLook, type ModeTone } from '../modes';

export interface ModeMatrixRow {
  mode: string;
  label: string;
  tone: ModeTone;
  glyph: string;
  /** The scenario's claim for this mode under the current strategy (engine notation). */
  claimed: string;
  /** False: the scope has not been in this mode during the run so far. */
  entered: boolean;
  /** The scope is in this mode now. */
  current: boolean;
  /** How many times the scope entered the mode (the initial mode counts once). */
  entries: number;
  /** Simulated time spent in the mode so far. */
  time_ms: number;
  /** The observed G-vector last in force while in the mode (now, for the current mode). */
  observed: string | null;
  /** Component-wise weakest observed while in the mode (the meet); null if never entered. */
  weakest: string | null;
  /** Components observed weaker than claimed at some time while in the mode. */
  broken: ComponentName[];
  /** Components weaker than claimed in `observed` (the mode's last observation). */
  brokenLast: ComponentName[];
  /** The engine's first "claim broken" record while in the mode, to cite; null if none. */
  claimSeq: number | null;
  /** The mode record of the latest entry (null for the initial mode). */
  enteredSeq: number | null;
}

export interface ScopeMatrix {
  scope: string;
  label: string;
  /** The scope's mode now. */
  mode: string;
  rows: ModeMatrixRow[];
}

export type MatrixScenario = Pick<ScenarioSpec, 'modes' | 'strategies' | 'symbols' | 'groups'> & { id?: string };

export interface MatrixInput {
  scenario: MatrixScenario;
  strategy: string;
  /** The scopes of the latest frame (id and current mode). */
  scopes: readonly { id: string; mode: string }[];
  /** The run's timeline so far, in seq order. */
  records: readonly TimelineRecord[];
  t_ms: number;
}

interface Acc {
  entries: number;
  time_ms: number;
  observed: string | null;
  seen: GVector[];
  seenText: string[];
  brokenSeen: Set<ComponentName>;
  claimSeq: number | null;
  enteredSeq: number | null;
}

export function deriveModeMatrix(input: MatrixInput): ScopeMatrix[] {
  const { scenario, strategy, records, t_ms } = input;
  const label = new Map(scenario.groups.map((g) => [g.id, g.label]));
  const claims = new Map(scenario.modes.map((m) => [m.id, claimOf(scenario, strategy, m.id)]));
  // One pass over the timeline (it can hold 100 000 evidence records): each scope's own
  // mode / gvector / claim records, in order.
  const byScope = new Map<string, TimelineRecord[]>(input.scopes.map((s) => [s.id, []]));
  for (const r of records) {
    if (r.kind === 'mode' || r.kind === 'gvector' || r.kind === 'claim') byScope.get(r.scope)?.push(r);
  }
  return input.scopes.map((s) => {
    const own = byScope.get(s.id) ?? [];
    const firstMode = own.find((r) => r.kind === 'mode');
    let mode = firstMode?.kind === 'mode' ? firstMode.from : s.mode;
    let since = 0;
    let observed: string | null = null;
    const acc = new Map<string, Acc>();
    const at = (m: string): Acc => {
      let a = acc.get(m);
      if (!a) acc.set(m, (a = { entries: 0, time_ms: 0, observed: null, seen: [], seenText: [], brokenSeen: new Set(), claimSeq: null, enteredSeq: null }));
      return a;
    };
    const see = (m: string, text: string): void => {
      const a = at(m);
      a.observed = text;
      if (a.seenText.includes(text)) return;
      a.seenText.push(text);
      const g = parse(text, scenario.symbols);
      if (g) a.seen.push(g);
    };
    // On entering a mode the vector in force carries over, unless the observation the
    // change triggers (recorded right after it, at the same time) replaces it.
    let carry: { mode: string; t_ms: number } | null = null;
    const settle = (t_ms: number): void => {
      if (carry && t_ms > carry.t_ms) {
        if (observed !== null) see(carry.mode, observed);
        carry = null;
      }
    };
    at(mode).entries = 1;
    for (const r of own) {
      settle(r.t_ms);
      if (r.kind === 'mode') {
        if (carry) settle(Infinity);
        at(mode).time_ms += Math.max(0, r.t_ms - since);
        since = r.t_ms;
        mode = r.to;
        const a = at(mode);
        a.entries++;
        a.enteredSeq = r.seq;
        carry = { mode, t_ms: r.t_ms };
      } else if (r.kind === 'gvector') {
        carry = null;
        observed = r.observed;
        see(mode, observed);
      } else if (r.kind === 'claim' && r.status === 'broken') {
        const a = at(mode);
        for (const c of r.components) a.brokenSeen.add(c);
        a.claimSeq ??= r.seq;
      }
    }
    settle(Infinity);
    at(mode).time_ms += Math.max(0, t_ms - since);
    const rows = scenario.modes.map((m): ModeMatrixRow => {
      const look = modeLook(m.id, scenario.modes);
      const claimed = claims.get(m.id)!;
      const a = acc.get(m.id);
      const claimG = parse(claimed, scenario.symbols);
      const weakestG = a && a.seen.length ? safe(() => meet(...a.seen)) : null;
      const lastG = a?.observed ? parse(a.observed, scenario.symbols) : null;
      const weakerOf = (g: GVector | null): ComponentName[] => (g && claimG ? (safe(() => weakerComponents(g, claimG)) ?? []) : []);
      const broken = new Set<ComponentName>([...weakerOf(weakestG), ...(a?.brokenSeen ?? [])]);
      return {
        mode: m.id,
        label: look.label,
        tone: look.tone,
        glyph: look.glyph,
        claimed,
        entered: a !== undefined && a.entries > 0,
        current: m.id === s.mode,
        entries: a?.entries ?? 0,
        time_ms: a?.time_ms ?? 0,
        observed: a?.observed ?? null,
        weakest: weakestG ? formatGVector(weakestG) : (a?.observed ?? null),
        broken: COMPONENTS.filter((c) => broken.has(c)),
        brokenLast: weakerOf(lastG),
        claimSeq: a?.claimSeq ?? null,
        enteredSeq: a?.enteredSeq ?? null,
      };
    });
    return { scope: s.id, label: label.get(s.id) ?? s.id, mode: s.mode, rows };
  });
}

/** The claim as the engine prints it (so it compares with observed text), else as written. */
function claimOf(s: MatrixScenario, strategy: string, mode: string): string {
  const text = safe(() => claimFor(s as ScenarioSpec, strategy, mode)) ?? '';
  const g = parse(text, s.symbols);
  return g ? formatGVector(g) : text;
}

function parse(text: string, symbols: Record<string, number>): GVector | null {
  return safe(() => parseGVector(text, { symbols }));
}

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** "1 min 05 s", "12.5 s", "0 s": time in a mode, readable from the back row. */
export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${ms < 10_000 && ms % 1000 !== 0 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** One sentence per scope for screen readers and for the matrix's caption. */
export function describeScopeMatrix(m: ScopeMatrix, withLabel = true): string {
  const cur = m.rows.find((r) => r.current);
  const broken = m.rows.filter((r) => r.broken.length > 0);
  const never = m.rows.filter((r) => !r.entered);
  const parts = [`${withLabel ? `${m.label} is in` : 'In'} ${cur?.label ?? m.mode}`];
  if (broken.length) parts.push(`claims broken in ${broken.map((r) => `${r.label} (${r.broken.map((c) => COMPONENT_LABELS[c]).join(', ')})`).join('; ')}`);
  else parts.push('no claim broken so far');
  if (never.length) parts.push(`never entered: ${never.map((r) => r.label).join(', ')}`);
  return parts.join('; ') + '.';
}
