/**
 * A session's thumbnail for the library: a small SVG data URL of the map — the land (for
 * world views), the links between regions (cut links dashed red), and each region as a
 * dot in the colour of its mode. Fixed colours: the image is drawn outside the app's CSS.
 */
import { geoPath } from 'd3';
import type { Frame } from '../../../src-shared/ipc/frames';
import type { GroupSpec, ModeSpec } from '../../../src-shared/scenario/types';
import { isPlanView } from '../geo';
import { modeTone, type ModeTone } from '../modes';
import { countries, makeProjection } from '../world';

const W = 160;
const H = 90;
const TONE: Record<ModeTone, string> = { target: '#1fbf8f', degraded: '#f0b323', floor: '#ff7a3d', recovery: '#6cc4f5', other: '#e08fc0' };

let landCache: string | null = null;
function land(): string {
  landCache ??= geoPath(makeProjection(W, H, 3)).digits(0)(countries) ?? '';
  return landCache;
}

export interface ThumbnailInput {
  view: string;
  groups: readonly GroupSpec[];
  modes: readonly ModeSpec[];
  frame: Pick<Frame, 'scopes' | 'links'> | null;
}

export function thumbnailSvg({ view, groups, modes, frame }: ThumbnailInput): string {
  const plan = isPlanView(groups);
  const world = !plan && groups.some((g) => g.location) && view !== 'factory-floor';
  const projection = world ? makeProjection(W, H, 3) : null;
  const pos = new Map<string, [number, number]>();
  groups.forEach((g, i) => {
    let p: [number, number] | null = null;
    if (g.location && plan) p = [10 + g.location[0] * (W - 20), 10 + g.location[1] * (H - 20)];
    else if (g.location && projection) p = projection(g.location) ?? null;
    if (!p) {
      const a = (2 * Math.PI * i) / Math.max(1, groups.length) - Math.PI / 2;
      p = [W / 2 + Math.cos(a) * 30, H / 2 + Math.sin(a) * 30];
    }
    pos.set(g.id, [Math.round(p[0] * 10) / 10, Math.round(p[1] * 10) / 10]);
  });
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">`, `<rect width="${W}" height="${H}" fill="#0f1620"/>`];
  if (world) parts.push(`<path d="${land()}" fill="#263140"/>`);
  else if (plan) parts.push(`<rect x="4" y="4" width="${W - 8}" height="${H - 8}" fill="none" stroke="#34404f" stroke-width="1"/>`);
  for (const l of frame?.links ?? []) {
    const a = pos.get(l.a);
    const b = pos.get(l.b);
    if (!a || !b) continue;
    const cut = l.state === 'cut';
    parts.push(`<line x1="${a[0]}" y1="${a[1]}" x2="${b[0]}" y2="${b[1]}" stroke="${cut ? '#ff6b4a' : '#8fa0b5'}" stroke-width="${cut ? 1.6 : 1}"${cut ? ' stroke-dasharray="3 2"' : ''}/>`);
  }
  const modeOf = new Map((frame?.scopes ?? []).map((s) => [s.id, s.mode]));
  for (const g of groups) {
    const p = pos.get(g.id)!;
    const mode = modeOf.get(g.id);
    const fill = mode ? TONE[modeTone(mode, modes.find((m) => m.id === mode))] : '#a7b3c2';
    parts.push(`<circle cx="${p[0]}" cy="${p[1]}" r="${groups.length > 6 ? 3.5 : 5}" fill="${fill}" stroke="#0b0e13" stroke-width="1"/>`);
  }
  parts.push('</svg>');
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(parts.join(''))}`;
}
