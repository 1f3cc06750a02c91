/**
 * Durations for BS(δ) and anywhere else the app writes simulated time ('250ms', '1.5s').
 *
 * Canonical form: the largest unit (h, min, s, ms) in which the value is ≥ 1 and has at
 * most three decimals; otherwise plain milliseconds. format→parse is exact because
 * formatDuration only picks a unit after checking that parseDuration gives back the
 * very same number.
 */

const UNITS = [
  { unit: 'h', ms: 3_600_000 },
  { unit: 'min', ms: 60_000 },
  { unit: 's', ms: 1_000 },
] as const;

/** Factor of each accepted unit, expressed as (power-of-ten shift, integer multiplier). */
const PARSE_UNITS: Record<string, { shift: number; mult: number }> = {
  ms: { shift: 0, mult: 1 },
  s: { shift: 3, mult: 1 },
  min: { shift: 3, mult: 60 },
  h: { shift: 3, mult: 3600 },
};

const DURATION_RE = /^(\d+(?:\.\d+)?|\.\d+)(?:e([+-]?\d+))?\s*(ms|s|min|h)$/i;

/** Whether `text` looks like a duration (used by the parser to tell δ from a symbol). */
export function isDurationText(text: string): boolean {
  const t = text.trim();
  return t === '∞' || DURATION_RE.test(t);
}

/**
 * '250ms' | '10s' | '5min' | '1h' | '1.5s' → milliseconds. '∞' → Infinity.
 * Whitespace between number and unit is allowed; a unit is required (a bare number is
 * ambiguous). Throws an Error naming the text.
 */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (t === '∞') return Infinity;
  const m = DURATION_RE.exec(t);
  if (!m) {
    const hint = /^\d+(\.\d+)?$/.test(t) ? ' (a unit is required)' : '';
    throw new Error(`invalid duration "${text}" — expected a number followed by ms, s, min or h${hint}`);
  }
  const [, num, exp, unitRaw] = m;
  const { shift, mult } = PARSE_UNITS[unitRaw!.toLowerCase()]!;
  // Shift the decimal point in the *text* (exact), then multiply by a small integer:
  // '1.005s' gives 1005, where 1.005 * 1000 would give 1004.9999999999999.
  const value = Number(`${num}e${Number(exp ?? 0) + shift}`) * mult;
  if (!Number.isFinite(value)) throw new Error(`invalid duration "${text}" — too large`);
  return value;
}

/** 500 → '500ms', 1500 → '1.5s', 60000 → '1min', Infinity → '∞'. Throws on negative/NaN. */
export function formatDuration(ms: number): string {
  if (ms === Infinity) return '∞';
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot format duration ${ms} (need a finite number ≥ 0 or Infinity)`);
  for (const { unit, ms: size } of UNITS) {
    const v = ms / size;
    if (v < 1) continue;
    const s = String(v);
    if (/^\d+(\.\d{1,3})?$/.test(s) && parseDuration(s + unit) === ms) return s + unit;
  }
  // String(ms) is JS's shortest round-trip form (may use an exponent, which parses back).
  return `${String(ms)}ms`;
}
