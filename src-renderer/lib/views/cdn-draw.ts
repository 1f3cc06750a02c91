/**
 * MT-3 CDN view: the canvas drawing of 5000 edges clustered per hub. Edges are squares
 * coloured by the config version they enforce (relative to the latest: latest, one,
 * two, three or more behind), filled when the store has PROVEN it, outlined when
 * UNPROVEN, faded when it CANNOT PROVE it; a down edge is a red cross. Edges that just
 * changed version flash for `FLASH_MS` of wall time. Squares are batched by style (one
 * fill or stroke per style), so a full redraw is a few thousand rect() calls.
 */
import { edgeProof, edgeTruth, edgeVersion, versionLag, type CdnExtras, type CdnLayout } from './cdn-geometry';

export interface CdnPalette {
  /** Version colours by lag: latest, −1, −2, ≤ −3. */
  lag: [string, string, string, string];
  fg: string;
  faint: string;
  bad: string;
  bg: string;
  panel: string;
  flash: string;
}

export const DEFAULT_CDN_PALETTE: CdnPalette = {
  lag: ['#1fbf8f', '#f0b323', '#ff7a3d', '#e08fc0'],
  fg: '#f2f5f8',
  faint: '#6f7c8c',
  bad: '#ff6b4a',
  bg: '#0b0e13',
  panel: '#141a22',
  flash: '#f0e442',
};

export function readCdnPalette(get: (cssVar: string) => string): CdnPalette {
  const v = (name: string, d: string) => get(name).trim() || d;
  const d = DEFAULT_CDN_PALETTE;
  return {
    lag: [v('--mode-target', d.lag[0]), v('--mode-degraded', d.lag[1]), v('--mode-floor', d.lag[2]), v('--mode-other', d.lag[3])],
    fg: v('--fg', d.fg),
    faint: v('--fg-faint', d.faint),
    bad: v('--bad', d.bad),
    bg: v('--bg', d.bg),
    panel: v('--panel', d.panel),
    flash: v('--message', d.flash),
  };
}

export const FLASH_MS = 900;

export interface CdnScene {
  width: number;
  height: number;
  layout: CdnLayout;
  /** Unit-disc offsets per edge within its cluster (sunflower). */
  unit: Float32Array;
  x: CdnExtras;
  /** Wall time (ms) each edge last changed version (0 = never), and now. */
  changedAt?: Float64Array | null;
  now?: number;
  /** Edge under the pointer (global index) or null. */
  focus?: number | null;
}

/** Bucket of an edge: 0–3 proven by lag, 4–7 unproven by lag, 8–11 cannot prove by lag, 12 down. */
export function edgeBucket(x: CdnExtras, i: number): number {
  if (edgeTruth(x.codes, i) === 2) return 12;
  return edgeProof(x.codes, i) * 4 + versionLag(edgeVersion(x, i), x.latest);
}

/** Counts per bucket (13): what the draw will show, for tests and the legend. */
export function bucketCounts(x: CdnExtras, n = x.codes.length): number[] {
  const out = new Array<number>(13).fill(0);
  for (let i = 0; i < n; i++) out[edgeBucket(x, i)]! += 1;
  return out;
}

let scratch = new Int32Array(0);

/** Draws the clusters; returns the number of edges drawn (for tests). */
export function drawCdn(ctx: CanvasRenderingContext2D, sc: CdnScene, pal: CdnPalette): number {
  const { layout, unit, x } = sc;
  const per = x.edgesPerHub;
  ctx.clearRect(0, 0, sc.width, sc.height);
  const s = layout.dot;
  const half = s / 2;

  drawCdnDiscs(ctx, sc, pal);

  // Edges, batched by bucket.
  const hubsDrawn = Math.min(layout.cells.length, per > 0 ? Math.floor(x.codes.length / per) : 0);
  const n = hubsDrawn * per;
  if (scratch.length < n) scratch = new Int32Array(n);
  const counts = new Int32Array(14);
  for (let i = 0; i < n; i++) counts[edgeBucket(x, i) + 1]! += 1;
  for (let b = 1; b < 14; b++) counts[b]! += counts[b - 1]!;
  const fill = counts.slice();
  for (let i = 0; i < n; i++) scratch[fill[edgeBucket(x, i)]!++] = i;
  const pos = (i: number): [number, number] => {
    const h = Math.floor(i / per);
    const k = i - h * per;
    const c = layout.cells[h]!;
    return [c.cx + unit[2 * k]! * c.r, c.cy + unit[2 * k + 1]! * c.r];
  };
  for (let b = 0; b < 13; b++) {
    const from = counts[b]!;
    const to = counts[b + 1]!;
    if (to <= from) continue;
    const proof = Math.floor(b / 4);
    const lag = b % 4;
    ctx.beginPath();
    if (b === 12) {
      for (let j = from; j < to; j++) {
        const [px, py] = pos(scratch[j]!);
        ctx.moveTo(px - half, py - half);
        ctx.lineTo(px + half, py + half);
        ctx.moveTo(px + half, py - half);
        ctx.lineTo(px - half, py + half);
      }
      ctx.strokeStyle = pal.bad;
      ctx.lineWidth = Math.max(1, s / 3);
      ctx.globalAlpha = 1;
      ctx.stroke();
      continue;
    }
    for (let j = from; j < to; j++) {
      const [px, py] = pos(scratch[j]!);
      if (proof === 1) ctx.rect(px - half + 0.75, py - half + 0.75, Math.max(0.5, s - 1.5), Math.max(0.5, s - 1.5));
      else ctx.rect(px - half, py - half, s, s);
    }
    ctx.globalAlpha = proof === 2 ? 0.4 : 1;
    if (proof === 1) {
      ctx.strokeStyle = pal.lag[lag]!;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    } else {
      ctx.fillStyle = pal.lag[lag]!;
      ctx.fill();
    }
  }
  ctx.globalAlpha = 1;

  // Flash: edges that changed version in the last FLASH_MS of wall time.
  if (sc.changedAt && sc.now !== undefined) {
    ctx.beginPath();
    let any = false;
    let alpha = 0;
    for (let i = 0; i < n; i++) {
      const t = sc.changedAt[i]!;
      if (t <= 0) continue;
      const age = sc.now - t;
      if (age < 0 || age > FLASH_MS) continue;
      const [px, py] = pos(i);
      const grow = s * (0.8 + (age / FLASH_MS) * 1.2);
      ctx.rect(px - grow, py - grow, grow * 2, grow * 2);
      alpha = Math.max(alpha, 1 - age / FLASH_MS);
      any = true;
    }
    if (any) {
      ctx.globalAlpha = Math.max(0.25, alpha);
      ctx.strokeStyle = pal.flash;
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
  }

  drawCdnHubs(ctx, sc, pal, n);
  return n;
}

/** Cluster discs (dashed red over a dark region: nobody can vouch for it). */
export function drawCdnDiscs(ctx: CanvasRenderingContext2D, sc: CdnScene, pal: CdnPalette): void {
  const { layout, x } = sc;
  const s = layout.dot;
  for (let h = 0; h < layout.cells.length; h++) {
    const c = layout.cells[h]!;
    const hub = x.hubs[h];
    ctx.beginPath();
    ctx.arc(c.cx, c.cy, c.r + s, 0, Math.PI * 2);
    ctx.fillStyle = pal.panel;
    ctx.fill();
    ctx.lineWidth = hub?.dark ? 3 : 1.5;
    ctx.strokeStyle = hub?.dark ? pal.bad : pal.faint;
    if (hub?.dark) ctx.setLineDash([10, 6]);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

/** Hubs (a large square at the centre; hollow with a cross when down) and the focused edge. */
export function drawCdnHubs(ctx: CanvasRenderingContext2D, sc: CdnScene, pal: CdnPalette, n: number): void {
  const { layout, unit, x } = sc;
  const s = layout.dot;
  const per = x.edgesPerHub;
  for (let h = 0; h < layout.cells.length; h++) {
    const c = layout.cells[h]!;
    const hub = x.hubs[h];
    const hs = Math.max(12, s * 3.2);
    ctx.beginPath();
    ctx.rect(c.cx - hs / 2, c.cy - hs / 2, hs, hs);
    ctx.fillStyle = hub && !hub.hubUp ? pal.bg : pal.fg;
    ctx.fill();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = hub && !hub.hubUp ? pal.bad : pal.bg;
    ctx.stroke();
    if (hub && !hub.hubUp) {
      ctx.beginPath();
      ctx.moveTo(c.cx - hs / 2, c.cy - hs / 2);
      ctx.lineTo(c.cx + hs / 2, c.cy + hs / 2);
      ctx.moveTo(c.cx + hs / 2, c.cy - hs / 2);
      ctx.lineTo(c.cx - hs / 2, c.cy + hs / 2);
      ctx.stroke();
    }
  }

  if (sc.focus !== null && sc.focus !== undefined && sc.focus < n) {
    const h = Math.floor(sc.focus / per);
    const k = sc.focus - h * per;
    const c = layout.cells[h]!;
    const px = c.cx + unit[2 * k]! * c.r;
    const py = c.cy + unit[2 * k + 1]! * c.r;
    ctx.beginPath();
    ctx.rect(px - s * 1.6, py - s * 1.6, s * 3.2, s * 3.2);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = pal.fg;
    ctx.stroke();
  }
}
