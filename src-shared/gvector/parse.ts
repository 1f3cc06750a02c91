/**
 * Text → GVector. Liberal in what it accepts (⟨…⟩, 〈…〉, <…> or no brackets; any
 * whitespace; keywords in any case) and precise in what it rejects: every error is a
 * GVectorError naming the component and the reason.
 */
import { isDurationText, parseDuration } from './duration';
import { canonicalLabels } from './labels';
import {
  COMPONENTS,
  COMPONENT_LABELS,
  GVectorError,
  ORDERS,
  SCOPES,
  VISIBILITIES,
  type AuthG,
  type ComponentName,
  type GVector,
  type Idempotence,
  type ParseOptions,
  type Recency,
} from './types';

const OPENERS = ['⟨', '〈', '<', '‹'];
const CLOSERS = ['⟩', '〉', '>', '›'];

/** A symbol for a BS bound: an identifier such as δ_repl, TTL, T_recovery. */
const SYMBOL_RE = /^[\p{L}_][\p{L}\p{N}_]*$/u;
/** Words meaning "no bound": BS(∞) ≡ EO. */
const INFINITY_WORDS = new Set(['∞', 'inf', 'infinity']);

export function parseGVector(text: string, opts: ParseOptions = {}): GVector {
  const body = stripBrackets(text);
  const parts = splitTopLevel(body, text);
  if (parts.length === 1 && parts[0]!.trim() === '') {
    throw new GVectorError('structure', text, 'empty G-vector, expected 6 components', text);
  }
  if (parts.length !== COMPONENTS.length) {
    throw new GVectorError(
      'structure',
      text,
      `expected ${COMPONENTS.length} components (${COMPONENTS.map((c) => COMPONENT_LABELS[c]).join(', ')}), got ${parts.length}`,
      text,
    );
  }
  const p = parts.map((s) => s.trim());
  return {
    scope: parseChain('scope', SCOPES, p[0]!, text),
    order: parseChain('order', ORDERS, p[1]!, text),
    visibility: parseChain('visibility', VISIBILITIES, p[2]!, text),
    recency: parseRecency(p[3]!, text, opts),
    idempotence: parseIdempotence(p[4]!, text),
    auth: parseAuth(p[5]!, text),
  };
}

function stripBrackets(text: string): string {
  let t = text.trim();
  const opened = OPENERS.some((o) => t.startsWith(o));
  const closed = CLOSERS.some((c) => t.endsWith(c));
  if (opened !== closed) {
    throw new GVectorError('structure', text, opened ? 'missing closing bracket ⟩' : 'missing opening bracket ⟨', text);
  }
  if (opened) t = t.slice(1, -1);
  return t;
}

/** Split on commas that are not inside parentheses. */
function splitTopLevel(body: string, input: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) throw new GVectorError('structure', input, 'unbalanced parentheses: unexpected ")"', input);
    } else if (ch === ',' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new GVectorError('structure', input, 'unbalanced parentheses: missing ")"', input);
  out.push(body.slice(start));
  return out;
}

/** `Name` or `Name(args)`; args undefined when there are no parentheses. */
function splitCall(part: string): { name: string; args: string | undefined } | null {
  const m = /^([^\s()]+)\s*(?:\(([\s\S]*)\))?$/u.exec(part);
  return m ? { name: m[1]!, args: m[2] } : null;
}

/** Case-insensitive keyword lookup that returns the canonical spelling. */
function keyword<T extends string>(values: readonly T[], word: string): T | undefined {
  const w = word.toLowerCase();
  return values.find((v) => v.toLowerCase() === w);
}

/** "(looks like an Order value …)" when a token belongs to another component: the usual
 * cause is a missing or swapped component. */
function misplacedHint(word: string, here: ComponentName): string {
  const vocab: Record<ComponentName, readonly string[]> = {
    scope: SCOPES,
    order: ORDERS,
    visibility: VISIBILITIES,
    recency: ['EO', 'BS', 'Fresh'],
    idempotence: ['None', 'Idem'],
    auth: ['Unauth', 'Auth'],
  };
  const other = COMPONENTS.find((c) => c !== here && keyword(vocab[c], word) !== undefined);
  return other
    ? ` (looks like a ${COMPONENT_LABELS[other]} value — components go in the order ${COMPONENTS.map((c) => COMPONENT_LABELS[c]).join(', ')})`
    : '';
}

function fail(c: ComponentName, input: string, part: string, reason: string): never {
  throw new GVectorError(COMPONENT_LABELS[c], input, reason, part);
}

function parseChain<T extends string>(c: ComponentName, values: readonly T[], part: string, input: string): T {
  if (part === '') fail(c, input, part, 'missing value');
  const v = keyword(values, part);
  if (v === undefined) {
    fail(c, input, part, `expected one of ${values.join(', ')}${misplacedHint(part.replace(/\(.*$/s, ''), c)}`);
  }
  return v;
}

/** Labels inside Fresh(...)/Idem(...)/Auth(...); `undefined` args → []. */
function parseLabels(c: ComponentName, args: string | undefined, part: string, input: string): string[] {
  if (args === undefined || args.trim() === '') return [];
  const raw = args.split(',').map((s) => s.trim());
  for (const l of raw) {
    if (l === '') fail(c, input, part, 'empty label');
    if (/[()⟨⟩<>=]/u.test(l)) fail(c, input, part, `label "${l}" may not contain ( ) ⟨ ⟩ < > or =`);
  }
  return canonicalLabels(raw);
}

function noArgs(c: ComponentName, name: string, args: string | undefined, part: string, input: string): void {
  if (args !== undefined) fail(c, input, part, `${name} takes no arguments`);
}

function parseRecency(part: string, input: string, opts: ParseOptions): Recency {
  const c: ComponentName = 'recency';
  const call = splitCall(part);
  if (part === '') fail(c, input, part, 'missing value');
  const name = call ? keyword(['EO', 'BS', 'Fresh'] as const, call.name) : undefined;
  if (!call || !name) {
    fail(c, input, part, `expected EO, BS(δ) or Fresh(evidence)${misplacedHint(part.replace(/\(.*$/s, ''), c)}`);
  }
  if (name === 'EO') {
    noArgs(c, 'EO', call.args, part, input);
    return { kind: 'EO' };
  }
  if (name === 'Fresh') return { kind: 'Fresh', evidence: parseLabels(c, call.args, part, input) };
  return parseBound(call.args, part, input, opts);
}

/** The δ of BS(δ): a duration, ∞, a symbol, or `symbol=duration` (the printed form of a
 * bound symbol, so that bound values round-trip without a symbol table). */
function parseBound(args: string | undefined, part: string, input: string, opts: ParseOptions): Recency {
  const c: ComponentName = 'recency';
  const arg = (args ?? '').trim();
  if (arg === '') fail(c, input, part, 'BS needs a bound, e.g. BS(500ms) or BS(δ_repl)');
  if (INFINITY_WORDS.has(arg.toLowerCase())) return { kind: 'EO' };
  if (isDurationText(arg)) return boundToRecency(parseDuration(arg), undefined);

  const eq = arg.indexOf('=');
  const symbol = (eq >= 0 ? arg.slice(0, eq) : arg).trim();
  if (!SYMBOL_RE.test(symbol)) {
    const why = /^\d+(\.\d+)?$/.test(arg)
      ? `a duration needs a unit (ms, s, min or h)`
      : `"${arg}" is neither a duration (e.g. 500ms, 1.5s, 5min, 1h) nor a symbol name`;
    fail(c, input, part, why);
  }
  const table = opts.symbols;
  const fromTable = table && Object.hasOwn(table, symbol) ? table[symbol] : undefined;
  if (fromTable !== undefined && !(fromTable >= 0)) {
    fail(c, input, part, `symbol "${symbol}" is bound to ${fromTable}, which is not a duration ≥ 0 in ms`);
  }

  if (eq >= 0) {
    const valueText = arg.slice(eq + 1).trim();
    let value: number;
    try {
      value = parseDuration(valueText);
    } catch (e) {
      fail(c, input, part, (e as Error).message);
    }
    if (fromTable !== undefined && fromTable !== value) {
      fail(c, input, part, `symbol "${symbol}" is ${valueText} here but ${fromTable}ms in the symbol table`);
    }
    return boundToRecency(value, symbol);
  }
  if (fromTable !== undefined) return boundToRecency(fromTable, symbol);
  if (table) fail(c, input, part, `unknown symbol "${symbol}" (known: ${Object.keys(table).join(', ') || 'none'})`);
  return { kind: 'BS', delta_ms: null, symbol };
}

function boundToRecency(ms: number, symbol: string | undefined): Recency {
  if (ms === Infinity) return { kind: 'EO' };
  return symbol === undefined ? { kind: 'BS', delta_ms: ms } : { kind: 'BS', delta_ms: ms, symbol };
}

function parseIdempotence(part: string, input: string): Idempotence {
  const c: ComponentName = 'idempotence';
  if (part === '') fail(c, input, part, 'missing value');
  const call = splitCall(part);
  const name = call ? keyword(['None', 'Idem'] as const, call.name) : undefined;
  if (!call || !name) fail(c, input, part, `expected None, Idem or Idem(key)${misplacedHint(part.replace(/\(.*$/s, ''), c)}`);
  if (name === 'None') {
    noArgs(c, 'None', call.args, part, input);
    return { kind: 'None' };
  }
  return { kind: 'Idem', keys: parseLabels(c, call.args, part, input) };
}

function parseAuth(part: string, input: string): AuthG {
  const c: ComponentName = 'auth';
  if (part === '') fail(c, input, part, 'missing value');
  const call = splitCall(part);
  const name = call ? keyword(['Unauth', 'Auth'] as const, call.name) : undefined;
  if (!call || !name) fail(c, input, part, `expected Unauth, Auth or Auth(mechanism)${misplacedHint(part.replace(/\(.*$/s, ''), c)}`);
  if (name === 'Unauth') {
    noArgs(c, 'Unauth', call.args, part, input);
    return { kind: 'Unauth' };
  }
  return { kind: 'Auth', labels: parseLabels(c, call.args, part, input) };
}
