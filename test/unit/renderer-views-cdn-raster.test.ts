import { describe, expect, it } from 'vitest';
import { cdnLayout, readCdnExtras, sunflower } from '../../src-renderer/lib/views/cdn-geometry';
import { bucketCounts, DEFAULT_CDN_PALETTE } from '../../src-renderer/lib/views/cdn-draw';
import { fillBox, pack, parseColor, rasterEdges, rasterPalette, strokeBox, type Raster } from '../../src-renderer/lib/views/cdn-raster';

const REGIONS = ['us-east', 'us-west', 'eu-west', 'eu-central', 'ap-south', 'ap-east', 'sa-east', 'af-south', 'me-central', 'oc-east'];

/** Extras for 10 hubs × per edges: all proven on v2, except the ones named. */
function extras(per: number, overrides: Record<number, { code: number; version?: number }> = {}) {
  let codes = '';
  let versions = '';
  for (let i = 0; i < REGIONS.length * per; i++) {
    const o = overrides[i];
    codes += String.fromCharCode(48 + (o?.code ?? 0));
    versions += String.fromCharCode(48 + (o?.version ?? 2));
  }
  return {
    latest_version: 2,
    edges_per_hub: per,
    hubs: REGIONS.map((r) => ({ region: r, hub: `${r}-hub`, hub_up: true, dark: false })),
    edge_codes: codes,
    edge_versions: versions,
  };
}

function raster(w: number, h: number): Raster {
  return { w, h, px: new Int32Array(w * h) };
}

const count = (r: Raster, c: number) => r.px.reduce((n, p) => n + (p === c ? 1 : 0), 0);

describe('MT-3 raster drawing', () => {
  it('parses the colours a canvas reports', () => {
    expect(parseColor('#1fbf8f')).toEqual([0x1f, 0xbf, 0x8f, 255]);
    expect(parseColor('#fff')).toEqual([255, 255, 255, 255]);
    expect(parseColor('rgba(10, 20, 30, 0.5)')).toEqual([10, 20, 30, 128]);
    expect(parseColor('rgb(1 2 3)')).toEqual([1, 2, 3, 255]);
    expect(parseColor('oklch(0.7 0.1 120)')).toBeNull();
    expect(rasterPalette({ ...DEFAULT_CDN_PALETTE, bad: 'nonsense' }).bad).toEqual(parseColor(DEFAULT_CDN_PALETTE.bad));
  });

  it('fills, blends and outlines boxes, clipped to the buffer', () => {
    const r = raster(10, 10);
    fillBox(r, -5, -5, 3, 3, [255, 0, 0, 255]);
    expect(count(r, pack([255, 0, 0, 255]))).toBe(9);
    fillBox(r, 0, 0, 1, 1, [0, 0, 255, 255], 0.4); // 40% blue over red
    const p = r.px[0]!;
    expect([p & 255, (p >>> 16) & 255, p >>> 24]).toEqual([153, 102, 255]);
    fillBox(r, 5, 5, 6, 6, [0, 255, 0, 255], 0.4); // over transparent: the colour at 40%
    expect(r.px[55]! >>> 24).toBe(102);
    const o = raster(10, 10);
    strokeBox(o, 2, 2, 8, 8, 1, [1, 2, 3, 255]);
    expect(count(o, pack([1, 2, 3, 255]))).toBe(36 - 16);
  });

  it('draws every edge in its bucket colour: proven filled, unproven outlined, cannot prove faded, down crossed', () => {
    // 3 = unproven on latest, 6 = cannot prove (on latest), 2 = proven but down.
    const x = readCdnExtras(extras(4, { 5: { code: 3 }, 9: { code: 6, version: 1 }, 13: { code: 2 } }));
    const L = cdnLayout(REGIONS, { x: 0, y: 0, w: 1000, h: 500 }, 4);
    const r = raster(1000, 500);
    const pal = rasterPalette(DEFAULT_CDN_PALETTE);
    const n = rasterEdges(r, { width: 1000, height: 500, layout: L, unit: sunflower(4), x }, pal, 1);
    expect(n).toBe(40);
    const b = bucketCounts(x);
    expect(b[0]).toBe(37);
    const size = Math.round(L.dot);
    const green = count(r, pack(pal.lag[0]));
    // 37 filled squares plus one outline (the unproven one), all in the latest version's colour.
    expect(green).toBeGreaterThanOrEqual(37 * size * size);
    expect(green).toBeLessThanOrEqual(38 * size * size);
    expect(count(r, pack(pal.bad))).toBeGreaterThan(size); // the cross
    const faded = r.px.filter((p) => p >>> 24 === 102).length; // 40% of the "one behind" colour
    expect(faded).toBe(size * size);
  });

  it('draws 5000 edges and their flashes in a few milliseconds', () => {
    const x = readCdnExtras(extras(500));
    const L = cdnLayout(REGIONS, { x: 0, y: 0, w: 1400, h: 900 }, 500);
    const r = raster(1400, 900);
    const unit = sunflower(500);
    const changedAt = new Float64Array(5000);
    changedAt.fill(1000, 0, 2000);
    const pal = rasterPalette(DEFAULT_CDN_PALETTE);
    rasterEdges(r, { width: 1400, height: 900, layout: L, unit, x, changedAt, now: 1200 }, pal, 1);
    const t0 = performance.now();
    const n = rasterEdges(r, { width: 1400, height: 900, layout: L, unit, x, changedAt, now: 1200 }, pal, 1);
    const ms = performance.now() - t0;
    expect(n).toBe(5000);
    expect(count(r, pack(pal.flash))).toBeGreaterThan(0);
    expect(ms).toBeLessThan(200);
    console.log(`[cdn-raster] 5000 edges + 2000 flashes: ${ms.toFixed(1)} ms`);
  });
});
