/**
 * MT-3 CDN view: tolerant readers for the model's drawing data (`Frame.extras`) and
 * metrics (coverage curve, proof), the cluster layout (10 regional hubs in a grid, each
 * with its edges packed on a sunflower disc around it) and the coverage-curve geometry.
 * Pure: the canvas drawing is in ./cdn-draw.ts.
 */
import type { MetricValue } from '../../../src-shared/ipc/frames';
import { isObj, num, str } from './extras';

/** Proof state of one edge, as the store sees it. */
export type EdgeProof = 0 | 1 | 2; // 0 PROVEN, 1 UNPROVEN, 2 CANNOT PROVE
/** Ground truth of one edge. */
export type EdgeTruth = 0 | 1 | 2; // 0 on latest, 1 stale, 2 down

export const PROOF_NAMES = ['PROVEN', 'UNPROVEN', 'CANNOT PROVE'] as const;
export type ProofVerdict = (typeof PROOF_NAMES)[number];

export interface CdnHub {
  region: string;
  hub: string;
  hubUp: boolean;
  dark: boolean;
  proven: number;
  unproven: number;
  cannotProve: number;
  onLatest: number;
  stale: number;
  down: number;
}

export interface CdnExtras {
  latest: number;
  edgesPerHub: number;
  hubs: CdnHub[];
  /** One character per edge (hub order): 48 + 3 × proof + truth. */
  codes: string;
  /** One character per edge: 48 + the version it enforces ('' when the model sends none). */
  versions: string;
}

export function readCdnExtras(extras: Record<string, MetricValue> | null | undefined): CdnExtras {
  const e = isObj(extras) ? extras : {};
  const hubs: CdnHub[] = [];
  if (Array.isArray(e.hubs)) {
    for (const h of e.hubs) {
      if (!isObj(h)) continue;
      const region = str(h.region);
      if (!region) continue;
      hubs.push({
        region,
        hub: str(h.hub) ?? region,
        hubUp: h.hub_up !== false,
        dark: h.dark === true,
        proven: num(h.proven) ?? 0,
        unproven: num(h.unproven) ?? 0,
        cannotProve: num(h.cannot_prove) ?? 0,
        onLatest: num(h.on_latest) ?? 0,
        stale: num(h.stale) ?? 0,
        down: num(h.down) ?? 0,
      });
    }
  }
  const perHub = num(e.edges_per_hub);
  return {
    latest: num(e.latest_version) ?? 1,
    edgesPerHub: perHub !== null && perHub > 0 ? Math.floor(perHub) : 0,
    hubs,
    codes: typeof e.edge_codes === 'string' ? e.edge_codes : '',
    versions: typeof e.edge_versions === 'string' ? e.edge_versions : '',
  };
}

export function edgeProof(codes: string, i: number): EdgeProof {
  const c = codes.charCodeAt(i) - 48;
  return c >= 0 && c <= 8 ? (Math.floor(c / 3) as EdgeProof) : 1;
}

export function edgeTruth(codes: string, i: number): EdgeTruth {
  const c = codes.charCodeAt(i) - 48;
  return c >= 0 && c <= 8 ? ((c % 3) as EdgeTruth) : 1;
}

/** The version edge i enforces; without per-edge versions, latest when the truth code says so, else latest − 1. */
export function edgeVersion(x: CdnExtras, i: number): number {
  if (x.versions.length > i) return Math.max(0, x.versions.charCodeAt(i) - 48);
  return edgeTruth(x.codes, i) === 0 ? x.latest : Math.max(1, x.latest - 1);
}

/** Colour class of a version relative to the latest: 0 latest, 1 one behind, 2 two behind, 3 older. */
export function versionLag(v: number, latest: number): 0 | 1 | 2 | 3 {
  const d = latest - v;
  return d <= 0 ? 0 : d === 1 ? 1 : d === 2 ? 2 : 3;
}

// ── proof ───────────────────────────────────────────────────────────────────────────

export interface CdnProof {
  version: number;
  proven: number;
  unproven: number;
  cannotProve: number;
  total: number;
  verdict: ProofVerdict;
  statement: string;
  cannotRegions: string[];
  cannotEdges: string[];
  via: { attestation: number; directAck: number; probe: number };
}

/**
 * The proof panel's verdict for "all edges enforce v": PROVEN only when every edge is
 * proven; CANNOT PROVE as soon as an edge cannot be vouched for (dark region, silent
 * edge); UNPROVEN otherwise (acks still missing).
 */
export function proofVerdict(p: { proven: number; unproven: number; cannotProve: number }): ProofVerdict {
  if (p.cannotProve > 0) return 'CANNOT PROVE';
  if (p.unproven > 0 || p.proven === 0) return 'UNPROVEN';
  return 'PROVEN';
}

export function readCdnProof(metrics: Record<string, MetricValue> | null | undefined): CdnProof | null {
  const m = isObj(metrics) ? metrics : {};
  const p = m.proof;
  if (!isObj(p)) return null;
  const proven = num(p.proven) ?? 0;
  const unproven = num(p.unproven) ?? 0;
  const cannotProve = num(p.cannot_prove) ?? 0;
  const by = isObj(p.proven_by) ? p.proven_by : {};
  const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    version: num(p.version) ?? 0,
    proven,
    unproven,
    cannotProve,
    total: proven + unproven + cannotProve,
    verdict: proofVerdict({ proven, unproven, cannotProve }),
    statement: str(p.statement) ?? '',
    cannotRegions: strs(p.cannot_prove_regions),
    cannotEdges: strs(p.cannot_prove_edges),
    via: { attestation: num(by.signed_attestation) ?? 0, directAck: num(by.direct_ack) ?? 0, probe: num(by.probe) ?? 0 },
  };
}

// ── coverage ────────────────────────────────────────────────────────────────────────

export interface Coverage {
  version: number;
  /** Fraction of edges on the version, every step_ms since it was issued. */
  fractions: number[];
  step_ms: number;
  issued_ms: number | null;
  critical: boolean;
  change: string;
  t99_ms: number | null;
  t100_ms: number | null;
}

export function readCoverage(metrics: Record<string, MetricValue> | null | undefined, totalEdges: number): Coverage | null {
  const m = isObj(metrics) ? metrics : {};
  const c = m.coverage_curve;
  if (!isObj(c) || totalEdges <= 0) return null;
  const step = num(c.step_ms) ?? 200;
  const edges = Array.isArray(c.edges) ? c.edges.map((x) => num(x) ?? 0) : [];
  const lv = isObj(m.latest_version) ? m.latest_version : {};
  return {
    version: num(c.version) ?? num(lv.version) ?? 0,
    fractions: edges.map((n) => Math.max(0, Math.min(1, n / totalEdges))),
    step_ms: step > 0 ? step : 200,
    issued_ms: num(lv.issued_ms),
    critical: lv.critical === true,
    change: str(lv.change) ?? '',
    t99_ms: num(lv.t99_ms),
    t100_ms: num(lv.t100_ms),
  };
}

/** First time (ms after issue) the curve reaches `frac`, or null. */
export function timeToFraction(c: Coverage, frac: number): number | null {
  const i = c.fractions.findIndex((f) => f >= frac);
  return i < 0 ? null : i * c.step_ms;
}

/**
 * The coverage curve as an SVG path in a w × h box (y up: 0 at the bottom, 1 at the top),
 * x spanning `span_ms` (at least the curve's own length).
 */
export function coveragePath(fractions: readonly number[], step_ms: number, span_ms: number, w: number, h: number): string {
  if (fractions.length === 0 || w <= 0 || h <= 0) return '';
  const span = Math.max(span_ms, (fractions.length - 1) * step_ms, 1);
  let d = '';
  for (let i = 0; i < fractions.length; i++) {
    const x = ((i * step_ms) / span) * w;
    const y = (1 - fractions[i]!) * h;
    d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
  }
  return d;
}

/** A round x-axis span for a curve: 5, 10, 20, 30 s… */
export function coverageSpan(points: number, step_ms: number): number {
  const len = Math.max(0, points - 1) * step_ms;
  for (const s of [5_000, 10_000, 20_000, 30_000, 60_000, 120_000]) if (len <= s) return s;
  return Math.ceil(len / 60_000) * 60_000;
}

// ── layout ──────────────────────────────────────────────────────────────────────────

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ClusterCell {
  region: string;
  /** The whole cell (title above, disc, counts below). */
  cell: Box;
  /** Disc centre (the hub) and radius of the edge disc. */
  cx: number;
  cy: number;
  r: number;
}

export interface CdnLayout {
  cells: ClusterCell[];
  /** The central store: a band above the grid. */
  store: Box;
  /** Edge square size (px) and the per-edge offsets from the hub (unit disc × r), flat [dx, dy…]. */
  dot: number;
  cols: number;
  rows: number;
}

/** Rows × columns for n clusters in a w × h area: the grid whose cells are the most square. */
export function gridShape(n: number, w: number, h: number): { cols: number; rows: number } {
  if (n <= 0) return { cols: 1, rows: 1 };
  let best = { cols: n, rows: 1, score: Infinity };
  for (let rows = 1; rows <= n; rows++) {
    const cols = Math.ceil(n / rows);
    const cw = w / cols;
    const ch = h / rows;
    const score = Math.abs(Math.log(cw / Math.max(1, ch))) + (cols * rows - n) * 0.15;
    if (score < best.score) best = { cols, rows, score };
  }
  return { cols: best.cols, rows: best.rows };
}

/**
 * The cluster grid: a store band of `storeH` px at the top, then the hubs in a grid;
 * each cell keeps `titleH` px for its title and `footH` px for its counts.
 */
export function cdnLayout(regions: readonly string[], box: Box, edgesPerHub: number, opts: { storeH?: number; titleH?: number; footH?: number; gap?: number } = {}): CdnLayout {
  const storeH = opts.storeH ?? 56;
  const titleH = opts.titleH ?? 30;
  const footH = opts.footH ?? 26;
  const gap = opts.gap ?? 12;
  const store: Box = { x: box.x, y: box.y, w: box.w, h: storeH };
  const gy = box.y + storeH + gap;
  const gh = Math.max(0, box.h - storeH - gap);
  const { cols, rows } = gridShape(regions.length, box.w, gh);
  const cw = (box.w - gap * (cols - 1)) / cols;
  const ch = (gh - gap * (rows - 1)) / rows;
  const r = Math.max(4, Math.min(cw / 2 - 6, (ch - titleH - footH) / 2 - 4));
  const cells = regions.map((region, i) => {
    const c = i % cols;
    const rr = Math.floor(i / cols);
    const cell: Box = { x: box.x + c * (cw + gap), y: gy + rr * (ch + gap), w: cw, h: ch };
    return { region, cell, cx: cell.x + cw / 2, cy: cell.y + titleH + (ch - titleH - footH) / 2, r };
  });
  return { cells, store, dot: edgeDot(r, edgesPerHub), cols, rows };
}

/** Size of an edge square so that n of them fill a disc of radius r with a little air. */
export function edgeDot(r: number, n: number): number {
  if (n <= 0 || r <= 0) return 0;
  const pitch = Math.sqrt((Math.PI * r * r) / n);
  return Math.max(1, Math.min(10, pitch * 0.78));
}

const GOLDEN = Math.PI * (3 - Math.sqrt(5));

/**
 * Sunflower (Vogel) packing of n points in the unit disc, flat [x0, y0, x1, y1…]: even
 * density, the first points nearest the centre (the hub).
 */
export function sunflower(n: number): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    // Start a little off the centre: the hub's own marker sits there.
    const rad = Math.sqrt((i + 0.5 + n * 0.04) / (n * 1.04));
    const a = i * GOLDEN;
    out[2 * i] = rad * Math.cos(a);
    out[2 * i + 1] = rad * Math.sin(a);
  }
  return out;
}

/** The edge nearest to (x, y) within its cell's disc, as a global edge index, or null. */
export function edgeAt(layout: CdnLayout, unit: Float32Array, perHub: number, x: number, y: number): number | null {
  for (let h = 0; h < layout.cells.length; h++) {
    const c = layout.cells[h]!;
    const dx = x - c.cx;
    const dy = y - c.cy;
    if (dx * dx + dy * dy > (c.r + layout.dot) ** 2) continue;
    let best = -1;
    let bd = Infinity;
    for (let k = 0; k < perHub; k++) {
      const ex = c.cx + unit[2 * k]! * c.r - x;
      const ey = c.cy + unit[2 * k + 1]! * c.r - y;
      const d = ex * ex + ey * ey;
      if (d < bd) {
        bd = d;
        best = k;
      }
    }
    return best < 0 || bd > (layout.dot * 2) ** 2 ? null : h * perHub + best;
  }
  return null;
}

/** The cluster (hub index) under (x, y), or null. */
export function cellAt(layout: CdnLayout, x: number, y: number): number | null {
  const i = layout.cells.findIndex((c) => x >= c.cell.x && x <= c.cell.x + c.cell.w && y >= c.cell.y && y <= c.cell.y + c.cell.h);
  return i < 0 ? null : i;
}

/** Edges per version (for the legend), from the per-edge version string. */
export function versionCounts(x: CdnExtras): Map<number, number> {
  const out = new Map<number, number>();
  const n = x.codes.length;
  for (let i = 0; i < n; i++) {
    if (edgeTruth(x.codes, i) === 2) continue;
    const v = edgeVersion(x, i);
    out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}

/** The partition action that cuts one region (its hub and edges) from all the other groups. */
export function partitionRegionAction(region: string, groupIds: readonly string[]): { do: 'partition'; groups: string[][] } {
  return { do: 'partition', groups: [[region], groupIds.filter((g) => g !== region)] };
}

/** Edges whose version changed between two frames' version strings (indices). */
export function changedEdges(prev: string, next: string): number[] {
  if (prev.length !== next.length) return [];
  const out: number[] = [];
  for (let i = 0; i < next.length; i++) if (prev.charCodeAt(i) !== next.charCodeAt(i)) out.push(i);
  return out;
}
