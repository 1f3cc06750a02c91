/**
 * Decluttering the world map (issue 4): with MT-1's 21 regions and 210 links, drawing every
 * label where it "belongs" makes the map unreadable from the back of a lecture hall. Pure
 * functions here decide
 * - which per-link latency labels are drawn (all of them on a small map; on a dense one only
 *   for links that matter: cut or lossy, hovered/focused, touching the hovered region, or
 *   on the selected path);
 * - the short name of each region (unique, so "South America (São Paulo)" and
 *   "South America (Santiago)" do not both read "South America");
 * - where each region label goes: greedy placement that tries the preferred side first,
 *   then the other sides, then farther out (with a leader line), and never over another
 *   label, a region's halo, a reserved box (legend) or the edge when a free spot exists.
 * WorldMap.svelte measures the texts and draws the result.
 */
import { shortLabel } from './format';

export type XY = [number, number];
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface Circle {
  x: number;
  y: number;
  r: number;
}

// ── latency labels ────────────────────────────────────────────────────────────

/** Up to this many links every link shows its latency (NT-1: 3 links, 5 regions: 10). */
export const DENSE_LINKS = 10;
/** More regions than this: one compact label per region (glyph + name). */
export const DENSE_REGIONS = 6;

export interface LinkLabelInput {
  key: string;
  a: string;
  b: string;
  state: 'up' | 'cut' | 'lossy';
}

export interface LinkFocus {
  /** Link under the pointer or with keyboard focus. */
  link?: string | null;
  /** Region (group id) under the pointer or with keyboard focus: its links speak up. */
  region?: string | null;
  /** Link keys on the selected client → target path. */
  path?: ReadonlySet<string>;
}

export function isDense(linkCount: number, regionCount = 0): boolean {
  return linkCount > DENSE_LINKS || regionCount > DENSE_REGIONS;
}

/** Keys of the links whose latency (or cut marker) label is drawn. */
export function visibleLinkLabels(links: readonly LinkLabelInput[], focus: LinkFocus = {}, regionCount = 0): Set<string> {
  if (!isDense(links.length, regionCount)) return new Set(links.map((l) => l.key));
  const out = new Set<string>();
  for (const l of links) {
    if (
      l.state !== 'up' ||
      l.key === focus.link ||
      (focus.region != null && (l.a === focus.region || l.b === focus.region)) ||
      focus.path?.has(l.key)
    )
      out.add(l.key);
  }
  return out;
}

// ── region names ──────────────────────────────────────────────────────────────

/**
 * The name drawn on the map: the label without its parenthesised detail, unless two
 * regions would then read the same — those keep the detail's first part ("São Paulo").
 */
export function regionShortNames(groups: readonly { id: string; label: string }[]): Map<string, string> {
  const short = groups.map((g) => shortLabel(g.label));
  const count = new Map<string, number>();
  for (const s of short) count.set(s, (count.get(s) ?? 0) + 1);
  return new Map(
    groups.map((g, i) => {
      const s = short[i]!;
      if (count.get(s)! < 2) return [g.id, s];
      const detail = /\(([^)]*)\)\s*$/.exec(g.label)?.[1]?.split(',')[0]?.trim();
      return [g.id, detail || g.label];
    }),
  );
}

/** A cheap width estimate for bold UI text, when nothing can measure it (unit tests). */
export function estimateTextWidth(text: string, fontPx: number): number {
  let em = 0;
  for (const ch of text) em += ch === ' ' ? 0.35 : /[A-Z●▲■◆✱]/.test(ch) ? 0.78 : /[iljt.,·'()]/.test(ch) ? 0.42 : 0.68;
  return em * fontPx;
}

// ── greedy placement ──────────────────────────────────────────────────────────

export type Dir = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
const DIRS: Record<Dir, XY> = {
  n: [0, -1],
  s: [0, 1],
  e: [1, 0],
  w: [-1, 0],
  ne: [Math.SQRT1_2, -Math.SQRT1_2],
  nw: [-Math.SQRT1_2, -Math.SQRT1_2],
  se: [Math.SQRT1_2, Math.SQRT1_2],
  sw: [-Math.SQRT1_2, Math.SQRT1_2],
};
const ALL: Dir[] = ['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw'];

export interface LabelRequest {
  id: string;
  /** The point the label names (a region's centre). */
  anchor: XY;
  /** Keep the label at least this far from the anchor (the region's halo radius). */
  clear: number;
  w: number;
  h: number;
  /** Sides to try first, in order; the others follow. */
  prefer?: readonly Dir[];
  /** Placed first when higher (names before the mode words that come and go). */
  priority?: number;
  /** Rings to try for this label (default: the options' `rings`). */
  rings?: number;
  /** Left out, rather than put somewhere crowded, when no free spot is found. */
  optional?: boolean;
}

export interface PlacedLabel {
  id: string;
  rect: Rect;
  /** Centre of the rect: where a centred text goes. */
  cx: number;
  cy: number;
  /** From the halo's edge to the label, when the label had to move away from its region. */
  leader: [XY, XY] | null;
  /** True when no free spot was found (the least bad one was taken). */
  clash: boolean;
}

export interface PlaceOptions {
  width: number;
  height: number;
  /** Regions' halos: labels keep off them. */
  obstacles?: readonly Circle[];
  /** Boxes drawn over the map (legend, title): labels keep off them. */
  reserved?: readonly Rect[];
  /** Space between a label and what it names. */
  gap?: number;
  /** How many rings farther out to try before giving up on a free spot. */
  rings?: number;
}

export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function nearestOnRect(r: Rect, p: XY): XY {
  return [Math.min(r.x + r.w, Math.max(r.x, p[0])), Math.min(r.y + r.h, Math.max(r.y, p[1]))];
}

/** How deep a circle reaches into a rect (0: apart). */
function circleDepth(r: Rect, c: Circle): number {
  const [nx, ny] = nearestOnRect(r, [c.x, c.y]);
  const d = Math.hypot(nx - c.x, ny - c.y);
  return d < c.r ? c.r - d : 0;
}

function outside(r: Rect, width: number, height: number): number {
  const inside = overlapArea(r, { x: 0, y: 0, w: width, h: height });
  return Math.max(0, r.w * r.h - inside);
}

/** The rect of a w×h label on side `v` of a point at distance d from the anchor. */
function rectAt(anchor: XY, v: XY, d: number, w: number, h: number): Rect {
  const px = anchor[0] + v[0] * d;
  const py = anchor[1] + v[1] * d;
  const sx = v[0] > 0.38 ? 1 : v[0] < -0.38 ? -1 : 0;
  const sy = v[1] > 0.38 ? 1 : v[1] < -0.38 ? -1 : 0;
  return { x: px - w / 2 + (sx * w) / 2, y: py - h / 2 + (sy * h) / 2, w, h };
}

function directions(prefer: readonly Dir[], ring: number): XY[] {
  const order = [...prefer, ...ALL.filter((d) => !prefer.includes(d))].map((d) => DIRS[d]);
  if (ring === 0) return order;
  // Farther out, also the sides in between.
  const extra: XY[] = [];
  for (let i = 0; i < 8; i++) {
    const a = ((i + 0.5) * Math.PI) / 4;
    extra.push([Math.cos(a), Math.sin(a)]);
  }
  return [...order, ...extra];
}

function distToRect(r: Rect, p: XY): number {
  const [nx, ny] = nearestOnRect(r, p);
  return Math.hypot(nx - p[0], ny - p[1]);
}

/** Whether the label is clearly nearer to some other region's centre than to its own. */
function nearerToOther(rect: Rect, own: XY, others: readonly Circle[]): boolean {
  const mine = distToRect(rect, own);
  return others.some((c) => (c.x !== own[0] || c.y !== own[1]) && distToRect(rect, [c.x, c.y]) + 4 < mine);
}

/** Labels in placement order: higher priority first, then the most crowded. */
function placementOrder(reqs: readonly LabelRequest[]): LabelRequest[] {
  const crowd = new Map<string, number>();
  for (const a of reqs) {
    let n = 0;
    for (const b of reqs) if (a !== b && Math.hypot(a.anchor[0] - b.anchor[0], a.anchor[1] - b.anchor[1]) < a.w + b.w) n++;
    crowd.set(a.id, n);
  }
  return reqs
    .map((r, i) => ({ r, i }))
    .sort((p, q) => (q.r.priority ?? 0) - (p.r.priority ?? 0) || crowd.get(q.r.id)! - crowd.get(p.r.id)! || p.i - q.i)
    .map((p) => p.r);
}

/**
 * Greedy label placement: each label, in turn, takes the first free spot among its
 * preferred side, the other sides, then rings farther out (with a leader line); a label
 * that finds no free spot takes the least-overlapping one and is marked `clash` (or, when
 * `optional`, is left out).
 */
export function placeLabels(reqs: readonly LabelRequest[], opts: PlaceOptions): Map<string, PlacedLabel> {
  const gap = opts.gap ?? 4;
  const rings = opts.rings ?? 8;
  const obstacles = opts.obstacles ?? [];
  const reserved = opts.reserved ?? [];
  const placed: Rect[] = [];
  const out = new Map<string, PlacedLabel>();
  for (const req of placementOrder(reqs)) {
    const step = Math.max(6, req.h * 0.8);
    let best: { rect: Rect; cost: number; ring: number } | null = null;
    // A free spot that sits nearer another region than its own reads as that region's name:
    // taken only when no free, unambiguous spot exists.
    let ambiguous: { rect: Rect; cost: number; ring: number } | null = null;
    search: for (let ring = 0; ring <= (req.rings ?? rings); ring++) {
      const d = req.clear + gap + ring * step;
      for (const v of directions(req.prefer ?? ['n'], ring)) {
        const rect = rectAt(req.anchor, v, d, req.w, req.h);
        let cost = 0;
        for (const p of placed) cost += overlapArea(rect, p) * 10;
        for (const c of obstacles) cost += circleDepth(rect, c) * req.w;
        for (const r of reserved) cost += overlapArea(rect, r) * 5;
        cost += outside(rect, opts.width, opts.height) * 10;
        // (areas are differences of floats: a hair above zero is zero)
        if (cost < 1e-6) {
          if (!nearerToOther(rect, req.anchor, obstacles)) {
            best = { rect, cost: 0, ring };
            break search;
          }
          ambiguous ??= { rect, cost: 0, ring };
          continue;
        }
        // Farther spots cost a little more, so a tie goes to the nearer one.
        cost += ring * req.w;
        if (!best || cost < best.cost) best = { rect, cost, ring };
      }
    }
    if (ambiguous && (!best || best.cost > 0)) best = ambiguous;
    if (req.optional && best!.cost > 0) continue;
    const { rect, cost, ring } = best!;
    placed.push(rect);
    const cx = rect.x + rect.w / 2;
    const cy = rect.y + rect.h / 2;
    let leader: [XY, XY] | null = null;
    if (ring > 0) {
      const to = nearestOnRect(rect, req.anchor);
      const len = Math.hypot(to[0] - req.anchor[0], to[1] - req.anchor[1]);
      if (len > req.clear + 2) {
        const f = req.clear / len;
        leader = [[req.anchor[0] + (to[0] - req.anchor[0]) * f, req.anchor[1] + (to[1] - req.anchor[1]) * f], to];
      }
    }
    out.set(req.id, { id: req.id, rect, cx, cy, leader, clash: cost > 0 });
  }
  return out;
}

/** Pairs of placed labels whose boxes overlap (for tests and a debug overlay). */
export function labelClashes(labels: Iterable<PlacedLabel>): [string, string][] {
  const list = [...labels];
  const out: [string, string][] = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) if (rectsOverlap(list[i]!.rect, list[j]!.rect)) out.push([list[i]!.id, list[j]!.id]);
  return out;
}

// ── latency labels that fit ───────────────────────────────────────────────────

export interface LinkLabelBox {
  key: string;
  /** Where the label may go, best first (the link's middle, then farther along it). */
  rects: readonly Rect[];
  /** Drawn even over something else (the link the user points at). */
  force?: boolean;
}

/**
 * Of the latency labels that may be shown, where each fits: the first of its spots that is
 * off the region labels, the halos and the other latency labels. A label with no free spot
 * is left out (it still shows on hover); a forced one takes its first spot.
 * Returns key → index into its `rects`.
 */
export function fitLinkLabels(items: readonly LinkLabelBox[], blockers: readonly Rect[] = [], obstacles: readonly Circle[] = []): Map<string, number> {
  const out = new Map<string, number>();
  const taken: Rect[] = [];
  const order = [...items].sort((a, b) => Number(b.force ?? false) - Number(a.force ?? false));
  for (const it of order) {
    let pick = it.rects.findIndex(
      (r) => !blockers.some((b) => rectsOverlap(r, b)) && !obstacles.some((c) => circleDepth(r, c) > 0) && !taken.some((t) => rectsOverlap(r, t)),
    );
    if (pick < 0 && it.force && it.rects.length) pick = 0;
    if (pick >= 0) {
      out.set(it.key, pick);
      taken.push(it.rects[pick]!);
    }
  }
  return out;
}

/** The text on a link: its latency, and its loss when lossy. */
export function latencyText(l: { latency_ms: number; loss: number; state: string }): string {
  return `${Math.round(l.latency_ms)} ms${l.state === 'lossy' ? ` · ${Math.round(l.loss * 100)}% loss` : ''}`;
}
