/**
 * Display helpers for G-vector text (the host sends observed/claimed as notation
 * strings). Splitting is tolerant and purely lexical: ordering and "weaker" come from the
 * host (`ScopeView.weaker`), never recomputed here.
 */
import { COMPONENTS, COMPONENT_LABELS, type ComponentName } from '../../src-shared/gvector/types';

export { COMPONENTS, COMPONENT_LABELS };
export type { ComponentName };

/** '⟨Global, SS, …⟩' or '<Global, SS, …>' → six trimmed parts; null if not six. */
export function splitGVector(text: string): string[] | null {
  let t = text.trim();
  if ((t.startsWith('⟨') && t.endsWith('⟩')) || (t.startsWith('<') && t.endsWith('>'))) t = t.slice(1, -1);
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of t) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts.length === COMPONENTS.length && parts.every((p) => p !== '') ? parts : null;
}

/**
 * 'Idem(event_id)' → { head: 'Idem', arg: 'event_id' }; 'SS' → { head: 'SS', arg: null }.
 * `short` is what fits a table cell: for a bound symbol 'δ_repl=500ms' the value '500ms'.
 */
export function splitValue(value: string): { head: string; arg: string | null; short: string | null } {
  const m = /^([^()]+)\((.*)\)$/.exec(value.trim());
  if (!m) return { head: value.trim(), arg: null, short: null };
  const arg = m[2]!.trim();
  const eq = arg.lastIndexOf('=');
  return { head: m[1]!.trim(), arg, short: eq > 0 && eq < arg.length - 1 ? arg.slice(eq + 1).trim() : arg };
}

/** What each component means, for column-header tooltips. */
export const COMPONENT_HELP: Record<ComponentName, string> = {
  scope: 'Scope — how far the guarantee reaches: Local < Transaction < Range < Global.',
  order: 'Order — which ordering is guaranteed: None < Causal < Lx (linearizable) < SS (strict serializability).',
  visibility: 'Visibility — what a reader can see of others’ writes: Fractured < RA (read atomic) < SI (snapshot isolation) < SER (serializable).',
  recency: 'Recency — how fresh reads are: EO (eventual only) < BS(δ) (bounded staleness within δ; larger δ is weaker) < Fresh(evidence).',
  idempotence: 'Idempotence — are retries safe: None < Idem / Idem(key) (duplicates detected by key).',
  auth: 'Auth — who vouches for a message: Unauth < Auth / Auth(token, e.g. JWT) < Auth(signature, e.g. ECDSA).',
};

/** Value heads → meaning, in the seed's words. */
const VALUE_HELP: Record<string, string> = {
  Local: 'Local — holds only within this node or region',
  Transaction: 'Transaction — holds within a single transaction',
  Range: 'Range — holds within a range or partition (e.g. per region)',
  Global: 'Global — holds across all regions (sequence numbers span all regions)',
  None: 'None — no guarantee',
  Causal: 'Causal — causal consistency: if A happened-before B, everyone sees A before B',
  Lx: 'Lx — linearizable: operations form one real-time total order',
  SS: 'SS — strict serializability: total order respected globally',
  Fractured: 'Fractured — fractured reads: nodes have independent views',
  RA: 'RA — read atomic: a read sees all or none of a transaction',
  SI: 'SI — snapshot isolation',
  SER: 'SER — serializable',
  EO: 'EO — eventual only: no staleness bound',
  BS: 'BS(δ) — bounded staleness: reads lag by at most δ',
  Fresh: 'Fresh(φ) — fresh, proven by evidence φ',
  Idem: 'Idem — idempotent: each event has a unique id, duplicates detected',
  Unauth: 'Unauth — unauthenticated',
  Auth: 'Auth — authenticated',
};

export function valueHelp(value: string): string {
  const { head, arg } = splitValue(value);
  const base = VALUE_HELP[head] ?? value;
  if (arg === null) return base;
  if (head === 'BS') return `${base}; here δ = ${arg}`;
  if (head === 'Fresh') return `${base}; here φ = ${arg}`;
  if (head === 'Idem') return `${base}; key: ${arg}`;
  if (head === 'Auth') return `${base} by ${arg}`;
  return `${base} (${arg})`;
}

export interface GCell {
  component: ComponentName;
  observed: string;
  claimed: string;
  /** Observed weaker than claimed, as reported by the host. */
  broken: boolean;
  changed: boolean;
}

/** Rows for the 6-column observed-vs-claimed table. */
export function gvectorCells(observed: string, claimed: string, weaker: readonly ComponentName[]): GCell[] {
  const o = splitGVector(observed);
  const c = splitGVector(claimed);
  return COMPONENTS.map((component, i) => ({
    component,
    observed: o?.[i] ?? '—',
    claimed: c?.[i] ?? '—',
    broken: weaker.includes(component),
    changed: (o?.[i] ?? '') !== (c?.[i] ?? ''),
  }));
}
