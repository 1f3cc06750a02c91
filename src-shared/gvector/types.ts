/**
 * G-vector data model (DESIGN §2).
 *
 * A G-vector ⟨Scope, Order, Visibility, Recency, Idempotence, Auth⟩ states what a node,
 * link or path guarantees. Values are plain JSON-safe data (no classes, no Infinity) so
 * that they cross IPC and land in reports unchanged.
 */

export type ComponentName = 'scope' | 'order' | 'visibility' | 'recency' | 'idempotence' | 'auth';

/** Components in notation order. */
export const COMPONENTS: readonly ComponentName[] = Object.freeze([
  'scope',
  'order',
  'visibility',
  'recency',
  'idempotence',
  'auth',
] as const);

export type ComponentLabel = 'Scope' | 'Order' | 'Visibility' | 'Recency' | 'Idempotence' | 'Auth';

/** Human labels, as used in the notation's header and in error messages. */
export const COMPONENT_LABELS: Readonly<Record<ComponentName, ComponentLabel>> = Object.freeze({
  scope: 'Scope',
  order: 'Order',
  visibility: 'Visibility',
  recency: 'Recency',
  idempotence: 'Idempotence',
  auth: 'Auth',
});

// The three categorical components are chains; each array lists weakest → strongest,
// so a value's index is its rank.
export const SCOPES = ['Local', 'Transaction', 'Range', 'Global'] as const;
export const ORDERS = ['None', 'Causal', 'Lx', 'SS'] as const;
export const VISIBILITIES = ['Fractured', 'RA', 'SI', 'SER'] as const;

export type Scope = (typeof SCOPES)[number];
export type Order = (typeof ORDERS)[number];
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * Recency: EO < BS(δ) < Fresh(evidence).
 * - BS: `delta_ms` is the bound in ms, or null when it is given by a symbol that is not
 *   bound (e.g. the seed's `BS(δ_repl)` parsed without a symbol table). `symbol` keeps
 *   the scenario's name for the bound when there is one. `BS(∞)` never appears: it is
 *   normalised to EO (DESIGN: BS(∞) ≡ EO), which also keeps values JSON-safe.
 * - Fresh: `evidence` is a sorted, duplicate-free list of labels (may be empty).
 */
export type Recency =
  | { kind: 'EO' }
  | { kind: 'BS'; delta_ms: number | null; symbol?: string }
  | { kind: 'Fresh'; evidence: string[] };

/** Idempotence: None < Idem. `keys` is sorted and duplicate-free; `Idem` alone = []. */
export type Idempotence = { kind: 'None' } | { kind: 'Idem'; keys: string[] };

/**
 * Auth: Unauth < Auth (token-like) < Auth (signature-like).
 * The strength level is *derived* from `labels` (see labels.ts, `authStrength`), never
 * stored, so a value can't disagree with its own printed form. `labels` is sorted and
 * duplicate-free; bare `Auth` = [] and is token-level.
 */
export type AuthG = { kind: 'Unauth' } | { kind: 'Auth'; labels: string[] };

export interface GVector {
  scope: Scope;
  order: Order;
  visibility: Visibility;
  recency: Recency;
  idempotence: Idempotence;
  auth: AuthG;
}

export interface ParseOptions {
  /**
   * Binds Recency symbols (e.g. `δ_repl`, `TTL`) to milliseconds. When a table is
   * given, an unknown symbol is an error (the table is taken as the scenario's full
   * binding); without a table, symbols parse as unbound (`delta_ms: null`).
   */
  symbols?: Record<string, number>;
}

export interface FormatOptions {
  /** Use `<...>` instead of `⟨...⟩`. Labels are printed as written (φ stays φ). */
  ascii?: boolean;
}

/** Which part an error is about: a component label ('Recency', …) or 'structure'. */
export type GVectorErrorComponent = ComponentLabel | 'structure';

/**
 * A bad G-vector or an impossible comparison. `component` names the part ('Recency',
 * 'structure', …), `input` is the whole text that was being parsed (or the operands of
 * a failed comparison), `part` the offending piece when there is one.
 */
export class GVectorError extends Error {
  override name = 'GVectorError';
  readonly component: GVectorErrorComponent;
  readonly input: string;
  readonly part: string | undefined;

  constructor(component: GVectorErrorComponent, input: string, reason: string, part?: string) {
    super(
      component === 'structure'
        ? `${reason}${part === undefined ? '' : ` in "${part}"`}`
        : `${component}: ${part === undefined ? '' : `"${part}" — `}${reason}`,
    );
    this.component = component;
    this.input = input;
    this.part = part;
  }
}
