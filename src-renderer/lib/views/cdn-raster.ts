/**
 * MT-3 CDN view, fast path: the 5000 edge squares (and their flashes) written straight
 * into a pixel buffer instead of 5000 canvas path rectangles. In software rendering a
 * canvas fill of thousands of anti-aliased rects costs tens of milliseconds; the same
 * squares as integer pixel runs cost about one. Shapes, colours and alphas follow
 * ./cdn-draw.ts (the vector drawing, kept for hosts without ImageData); squares snap to
 * device pixels. Pure: an Int32Array in, the same array out; no DOM.
 */
import { DEFAULT_CDN_PALETTE, FLASH_MS, drawCdnDiscs, drawCdnHubs, edgeBucket, type CdnPalette, type CdnScene } from './cdn-draw';
import type { CdnLayout } from './cdn-geometry';

/** RGB + alpha in 0..255. */
export type Rgba = [number, number, number, number];

/** A canvas-sized pixel buffer (ImageData's bytes seen as little-endian 0xAABBGGRR; signed, so pixels stay small integers in V8). */
export interface Raster {
  w: number;
  h: number;
  px: Int32Array;
}

export interface RasterPalette {
  lag: [Rgba, Rgba, Rgba, Rgba];
  bad: Rgba;
  flash: Rgba;
}

/** True where ImageData bytes read as 0xAABBGGRR through a Uint32Array (every platform that runs the app). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([0x01020304]).buffer)[0] === 4;

/** Parses the colour forms a canvas reports back (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()); null otherwise. */
export function parseColor(s: string): Rgba | null {
  const t = s.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4})$/.exec(t);
  if (m) {
    const d = m[1]!.split('').map((c) => parseInt(c + c, 16));
    return [d[0]!, d[1]!, d[2]!, d[3] ?? 255];
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(t);
  if (m) {
    const v = parseInt(m[1]!, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255, m[2] ? parseInt(m[2], 16) : 255];
  }
  m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(t);
  if (m) {
    let a = 255;
    if (m[4] !== undefined) a = m[4].endsWith('%') ? (parseFloat(m[4]) / 100) * 255 : parseFloat(m[4]) * 255;
    return [Math.round(+m[1]!), Math.round(+m[2]!), Math.round(+m[3]!), Math.round(Math.min(255, Math.max(0, a)))];
  }
  return null;
}

export function pack(c: Rgba): number {
  return (c[3] << 24) | (c[2] << 16) | (c[1] << 8) | c[0];
}

/** Source-over of colour `c` at opacity `alpha` (0..1) onto pixel value `d`. */
function blend(d: number, c: Rgba, alpha: number): number {
  if (d >>> 24 === 255) {
    // Over an opaque pixel (nearly always): integer mix, stays opaque.
    const ai = Math.round(alpha * c[3]);
    const bi = 255 - ai;
    const r = ((c[0] * ai + (d & 255) * bi + 127) / 255) | 0;
    const g = ((c[1] * ai + ((d >>> 8) & 255) * bi + 127) / 255) | 0;
    const b = ((c[2] * ai + ((d >>> 16) & 255) * bi + 127) / 255) | 0;
    return (255 << 24) | (b << 16) | (g << 8) | r;
  }
  const a = (alpha * c[3]) / 255;
  const da = (d >>> 24) / 255;
  const keep = da * (1 - a);
  const oa = a + keep;
  if (oa <= 0) return d;
  const r = (c[0] * a + (d & 255) * keep) / oa;
  const g = (c[1] * a + ((d >>> 8) & 255) * keep) / oa;
  const b = (c[2] * a + ((d >>> 16) & 255) * keep) / oa;
  return (Math.round(oa * 255) << 24) | (Math.round(b) << 16) | (Math.round(g) << 8) | Math.round(r);
}

// Blends remembered per (colour, alpha): under translucent squares and flashes there are only a
// handful of distinct pixels (the disc, the version colours), so a small direct-mapped cache hits.
const MEMO = 256;
const memoKey = new Int32Array(MEMO);
const memoHas = new Uint8Array(MEMO);
const memoOut = new Int32Array(MEMO);
let memoC: Rgba | null = null;
let memoA = -1;

function blendMemo(d: number, c: Rgba, alpha: number): number {
  if (c !== memoC || alpha !== memoA) {
    memoC = c;
    memoA = alpha;
    memoHas.fill(0);
  }
  const slot = (d ^ (d >>> 11) ^ (d >>> 21)) & (MEMO - 1);
  if (memoHas[slot] === 1 && memoKey[slot] === d) return memoOut[slot]!;
  const out = blend(d, c, alpha);
  memoKey[slot] = d;
  memoHas[slot] = 1;
  memoOut[slot] = out;
  return out;
}

/** Fills [x0, x1) × [y0, y1) (device pixels, clipped). */
export function fillBox(r: Raster, x0: number, y0: number, x1: number, y1: number, c: Rgba, alpha = 1): void {
  x0 = Math.max(0, x0);
  y0 = Math.max(0, y0);
  x1 = Math.min(r.w, x1);
  y1 = Math.min(r.h, y1);
  if (x1 <= x0 || y1 <= y0) return;
  const px = r.px;
  if (alpha >= 1 && c[3] === 255) {
    const solid = pack(c);
    for (let y = y0; y < y1; y++) {
      const row = y * r.w;
      for (let i = row + x0; i < row + x1; i++) px[i] = solid;
    }
    return;
  }
  for (let y = y0; y < y1; y++) {
    const row = y * r.w;
    for (let i = row + x0; i < row + x1; i++) px[i] = blendMemo(px[i]!, c, alpha);
  }
}

/** The outline of [x0, x1) × [y0, y1), `t` pixels thick, inside the box. */
export function strokeBox(r: Raster, x0: number, y0: number, x1: number, y1: number, t: number, c: Rgba, alpha = 1): void {
  if (x1 - x0 <= 2 * t || y1 - y0 <= 2 * t) return fillBox(r, x0, y0, x1, y1, c, alpha);
  fillBox(r, x0, y0, x1, y0 + t, c, alpha);
  fillBox(r, x0, y1 - t, x1, y1, c, alpha);
  fillBox(r, x0, y0 + t, x0 + t, y1 - t, c, alpha);
  fillBox(r, x1 - t, y0 + t, x1, y1 - t, c, alpha);
}

/** The two diagonals of [x0, x0 + n)², `t` pixels thick. */
export function crossBox(r: Raster, x0: number, y0: number, n: number, t: number, c: Rgba): void {
  const lo = Math.floor((t - 1) / 2);
  for (let k = 0; k < n; k++) {
    fillBox(r, x0 + k - lo, y0 + k, x0 + k - lo + t, y0 + k + 1, c);
    fillBox(r, x0 + n - 1 - k - lo, y0 + k, x0 + n - 1 - k - lo + t, y0 + k + 1, c);
  }
}

let buckets = new Uint8Array(0);
let boxes = new Int32Array(0);

/**
 * Draws the edges (batched order as the vector drawing: proven, unproven, cannot prove,
 * down) and the flashes of recently changed edges into `r`, at `scale` device pixels per
 * CSS pixel. Returns the number of edges drawn.
 */
export function rasterEdges(r: Raster, sc: CdnScene, pal: RasterPalette, scale: number): number {
  const { layout, unit, x } = sc;
  const per = x.edgesPerHub;
  const hubsDrawn = Math.min(layout.cells.length, per > 0 ? Math.floor(x.codes.length / per) : 0);
  const n = hubsDrawn * per;
  const s = layout.dot;
  const half = s / 2;
  // The outline floors (1 px at 1×): a small square keeps a hollow centre, as the anti-aliased vector drawing reads.
  const ring = Math.max(1, Math.floor(1.5 * scale));
  const crossT = Math.max(1, Math.round(Math.max(1, s / 3) * scale));
  const size = Math.max(1, Math.round(s * scale));
  const cx = (i: number): number => {
    const h = Math.floor(i / per);
    const c = layout.cells[h]!;
    return c.cx + unit[2 * (i - h * per)]! * c.r;
  };
  const cy = (i: number): number => {
    const h = Math.floor(i / per);
    const c = layout.cells[h]!;
    return c.cy + unit[2 * (i - h * per) + 1]! * c.r;
  };
  if (buckets.length < n) buckets = new Uint8Array(n);
  if (boxes.length < 2 * n) boxes = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    buckets[i] = edgeBucket(x, i);
    boxes[2 * i] = Math.round((cx(i) - half) * scale);
    boxes[2 * i + 1] = Math.round((cy(i) - half) * scale);
  }
  // Unproven outlines and faded squares sit over filled ones, as in the vector order.
  for (let pass = 0; pass < 4; pass++) {
    for (let i = 0; i < n; i++) {
      const b = buckets[i]!;
      const proof = b === 12 ? 3 : (b / 4) | 0;
      if (proof !== pass) continue;
      const bx = boxes[2 * i]!;
      const by = boxes[2 * i + 1]!;
      if (proof === 3) crossBox(r, bx, by, size, crossT, pal.bad);
      else if (proof === 1) strokeBox(r, bx, by, bx + size, by + size, ring, pal.lag[b % 4]!);
      else fillBox(r, bx, by, bx + size, by + size, pal.lag[b % 4]!, proof === 2 ? 0.4 : 1);
    }
  }
  if (sc.changedAt && sc.now !== undefined) {
    let alpha = 0;
    const boxes: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = sc.changedAt[i]!;
      if (t <= 0) continue;
      const age = sc.now - t;
      if (age < 0 || age > FLASH_MS) continue;
      const px = cx(i);
      const py = cy(i);
      const grow = s * (0.8 + (age / FLASH_MS) * 1.2);
      boxes.push(Math.round((px - grow) * scale), Math.round((py - grow) * scale), Math.round((px + grow) * scale), Math.round((py + grow) * scale));
      alpha = Math.max(alpha, 1 - age / FLASH_MS);
    }
    const a = Math.max(0.25, alpha);
    for (let j = 0; j < boxes.length; j += 4) strokeBox(r, boxes[j]!, boxes[j + 1]!, boxes[j + 2]!, boxes[j + 3]!, ring, pal.flash, a);
  }
  return n;
}

/** The geometry a layout draws (equal keys draw the same discs and squares). */
export function layoutKey(l: CdnLayout): string {
  let k = `${l.dot}`;
  for (const c of l.cells) k += `|${c.cx},${c.cy},${c.r}`;
  return k;
}

/** What stays between draws: the discs' pixels (redrawn only when the layout, theme or a dark region changes). */
export interface CdnRasterCache {
  w: number;
  h: number;
  scale: number;
  /** layoutKey() of the cached layout (the view derives a new layout object every frame). */
  layout: string;
  palette: CdnPalette | null;
  dark: string;
  base: Int32Array | null;
  img: ImageData | null;
  rpal: RasterPalette | null;
}

export function createCdnRasterCache(): CdnRasterCache {
  return { w: 0, h: 0, scale: 0, layout: '', palette: null, dark: '', base: null, img: null, rpal: null };
}

/** The palette as pixels; `resolve` turns any CSS colour into one parseColor reads (a canvas does). */
export function rasterPalette(pal: CdnPalette, resolve: (css: string) => string = (c) => c): RasterPalette {
  const d = DEFAULT_CDN_PALETTE;
  const col = (css: string, dflt: string): Rgba => parseColor(resolve(css)) ?? parseColor(dflt)!;
  return {
    lag: [col(pal.lag[0], d.lag[0]), col(pal.lag[1], d.lag[1]), col(pal.lag[2], d.lag[2]), col(pal.lag[3], d.lag[3])],
    bad: col(pal.bad, d.bad),
    flash: col(pal.flash, d.flash),
  };
}

/**
 * The whole scene with the edges as pixels: cached discs, edges and flashes in one
 * putImageData, hubs and focus as paths on top. The context's transform must scale CSS
 * pixels by `scale`. Returns the number of edges drawn, or null when this context cannot
 * hand out pixels (then draw with drawCdn).
 */
export function drawCdnRaster(ctx: CanvasRenderingContext2D, sc: CdnScene, pal: CdnPalette, scale: number, cache: CdnRasterCache): number | null {
  if (!LITTLE_ENDIAN || typeof ctx.getImageData !== 'function' || typeof ctx.putImageData !== 'function' || !ctx.canvas) return null;
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  if (w <= 0 || h <= 0) return null;
  const dark = sc.x.hubs.map((hub) => (hub.dark ? '1' : '0')).join('');
  const layout = layoutKey(sc.layout);
  if (!cache.base || !cache.img || cache.w !== w || cache.h !== h || cache.scale !== scale || cache.layout !== layout || cache.palette !== pal || cache.dark !== dark) {
    ctx.clearRect(0, 0, sc.width, sc.height);
    drawCdnDiscs(ctx, sc, pal);
    const img = ctx.getImageData(0, 0, w, h);
    cache.base = new Int32Array(img.data.buffer.slice(img.data.byteOffset, img.data.byteOffset + w * h * 4));
    cache.img = img;
    const resolve = (css: string): string => {
      ctx.fillStyle = '#000000';
      ctx.fillStyle = css;
      return String(ctx.fillStyle);
    };
    cache.rpal = rasterPalette(pal, resolve);
    Object.assign(cache, { w, h, scale, layout, palette: pal, dark });
  }
  const img = cache.img!;
  const px = new Int32Array(img.data.buffer, img.data.byteOffset, w * h);
  px.set(cache.base);
  const n = rasterEdges({ w, h, px }, sc, cache.rpal!, scale);
  ctx.putImageData(img, 0, 0);
  drawCdnHubs(ctx, sc, pal, n);
  return n;
}
