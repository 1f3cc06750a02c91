/**
 * GVector → canonical text, e.g. '⟨Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)⟩'.
 *
 * Canonical means: one space after each comma, canonical durations, labels sorted, BS(∞)
 * printed as EO, and a bound symbol printed as `BS(name=duration)` so the value survives
 * a round trip without the scenario's symbol table (unbound symbols print as `BS(name)`).
 * parse(format(g)) deep-equals g for every normalised g.
 */
import { formatDuration } from './duration';
import { canonicalLabels } from './labels';
import { COMPONENTS, GVectorError, type ComponentName, type FormatOptions, type GVector, type Recency } from './types';

function withLabels(name: string, labels: readonly string[]): string {
  const l = canonicalLabels(labels);
  return l.length === 0 ? name : `${name}(${l.join(', ')})`;
}

export function formatRecency(r: Recency): string {
  switch (r.kind) {
    case 'EO':
      return 'EO';
    case 'Fresh':
      return withLabels('Fresh', r.evidence);
    case 'BS': {
      if (r.delta_ms === null) {
        // An unbound BS must carry its symbol; without one it has no meaning to print.
        if (r.symbol === undefined) throw new GVectorError('Recency', JSON.stringify(r), 'BS has neither a bound nor a symbol');
        return `BS(${r.symbol})`;
      }
      if (r.delta_ms === Infinity) return 'EO'; // BS(∞) ≡ EO
      const d = formatDuration(r.delta_ms);
      return r.symbol === undefined ? `BS(${d})` : `BS(${r.symbol}=${d})`;
    }
  }
}

export function formatComponent(g: GVector, c: ComponentName): string {
  switch (c) {
    case 'scope':
      return g.scope;
    case 'order':
      return g.order;
    case 'visibility':
      return g.visibility;
    case 'recency':
      return formatRecency(g.recency);
    case 'idempotence':
      return g.idempotence.kind === 'None' ? 'None' : withLabels('Idem', g.idempotence.keys);
    case 'auth':
      return g.auth.kind === 'Unauth' ? 'Unauth' : withLabels('Auth', g.auth.labels);
  }
}

export function formatGVector(g: GVector, opts: FormatOptions = {}): string {
  const [open, close] = opts.ascii ? ['<', '>'] : ['⟨', '⟩'];
  return `${open}${COMPONENTS.map((c) => formatComponent(g, c)).join(', ')}${close}`;
}
