/** Which stage view draws a scenario: its `view` field, or a generic layout for unknown ones. */
export type ViewKind = 'world-map' | 'factory-floor' | 'earth' | 'meeting-hall' | 'services' | 'cdn' | 'ward-plan' | 'generic';

const KNOWN: readonly ViewKind[] = ['world-map', 'factory-floor', 'earth', 'meeting-hall', 'services', 'cdn', 'ward-plan'];

export function viewKind(view: string | null | undefined): ViewKind {
  const v = (view ?? '').trim().toLowerCase();
  return (KNOWN as readonly string[]).includes(v) ? (v as ViewKind) : 'generic';
}

/**
 * The component that draws a scenario: its declared view when one is known; for an
 * unknown view, the map's location layout (a plan for [x, y] in 0..1, a world map for
 * [lon, lat]) when every group has a location, else the generic list.
 */
export function stageKind(view: string | null | undefined, groups: readonly { location?: readonly number[] }[]): ViewKind {
  const k = viewKind(view);
  if (k !== 'generic') return k;
  return groups.length > 0 && groups.every((g) => Array.isArray(g.location) && g.location.length >= 2) ? 'world-map' : 'generic';
}
