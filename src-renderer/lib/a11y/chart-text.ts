/**
 * Text alternatives for the app's charts and drawings (issue 7, "charts accessible to
 * screen readers"): each SVG or canvas gets a role, a name and a description that says
 * what it shows with the current numbers. Pure functions of the frame, so the words
 * follow the engine and can be unit-tested.
 */
import type { LinkView, NodeView, ScopeView } from '../../../src-shared/ipc/frames';
import type { ModeSpec } from '../../../src-shared/scenario/types';
import { modeLook } from '../modes';
import { COMPONENT_LABELS } from '../gvec-view';

export interface MapInput {
  groups: readonly { id: string; label: string }[];
  nodes: readonly NodeView[];
  links: readonly LinkView[];
  scopes: readonly ScopeView[];
  modes: readonly ModeSpec[];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 regions, 9 nodes (8 up, 1 down). 3 links: 2 up, 1 cut (US East – EU West). Modes: US East Target, …" */
export function describeMap(m: MapInput): string {
  const label = new Map(m.groups.map((g) => [g.id, g.label]));
  const name = (id: string) => label.get(id) ?? id;
  const down = m.nodes.filter((n) => !n.up).length;
  const parts = [`${plural(m.groups.length, 'region')}, ${plural(m.nodes.length, 'node')} (${m.nodes.length - down} up${down ? `, ${down} down` : ''})`];
  const byState = (s: LinkView['state']) => m.links.filter((l) => l.state === s);
  const cut = byState('cut');
  const lossy = byState('lossy');
  const linkParts = [`${byState('up').length} up`];
  if (cut.length) linkParts.push(`${cut.length} cut (${cut.map((l) => `${name(l.a)} – ${name(l.b)}`).join(', ')})`);
  if (lossy.length) linkParts.push(`${lossy.length} lossy`);
  parts.push(`${plural(m.links.length, 'link')}: ${linkParts.join(', ')}`);
  if (m.scopes.length) {
    parts.push(
      `Modes: ${m.scopes
        .map((s) => `${name(s.id)} ${modeLook(s.mode, m.modes).label}${s.weaker.length ? ` (claim broken: ${s.weaker.map((c) => COMPONENT_LABELS[c]).join(', ')})` : ''}`)
        .join('; ')}`,
    );
  }
  return parts.join('. ') + '.';
}

/** "62% of 5000 edges on version 7" — a share as a whole percent, except just below 100. */
export function percent(f: number): string {
  return `${(f * 100).toFixed(f > 0.995 && f < 1 ? 1 : 0)}%`;
}
