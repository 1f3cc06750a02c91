/**
 * MT-3 CDN view: extras/metrics readers, proof verdict, cluster layout, sunflower packing,
 * coverage geometry, hit testing and the canvas draw (against a recording 2D context).
 */
import { describe, expect, it } from 'vitest';
import {
  cdnLayout,
  cellAt,
  changedEdges,
  coveragePath,
  coverageSpan,
  edgeAt,
  edgeDot,
  edgeProof,
  edgeTruth,
  edgeVersion,
  gridShape,
  partitionRegionAction,
  proofVerdict,
  readCdnExtras,
  readCdnProof,
  readCoverage,
  sunflower,
  timeToFraction,
  versionCounts,
  versionLag,
} from '../../src-renderer/lib/views/cdn-geometry';
import { bucketCounts, DEFAULT_CDN_PALETTE, drawCdn, readCdnPalette } from '../../src-renderer/lib/views/cdn-draw';

const REGIONS = ['us-east', 'us-west', 'sa-east', 'eu-west', 'eu-central', 'af-south', 'me-central', 'ap-south', 'ap-northeast', 'ap-southeast'];

function code(proof: number, truth: number): string {
  return String.fromCharCode(48 + proof * 3 + truth);
}

/** 10 hubs × 4 edges: hub 3 (eu-west) dark and stale, one edge down in hub 0. */
function extras(perHub = 4) {
  let codes = '';
  let versions = '';
  for (let h = 0; h < 10; h++) {
    for (let k = 0; k < perHub; k++) {
      if (h === 3) {
        codes += code(2, 1);
        versions += String.fromCharCode(48 + 2);
      } else if (h === 0 && k === 0) {
        codes += code(2, 2);
        versions += String.fromCharCode(48 + 3);
      } else {
        codes += code(0, 0);
        versions += String.fromCharCode(48 + 3);
      }
    }
  }
  return {
    latest_version: 3,
    edges_per_hub: perHub,
    edge_codes: codes,
    edge_versions: versions,
    hubs: REGIONS.map((region, h) => ({ region, hub: `${region}-0`, hub_up: h !== 5, dark: h === 3, proven: h === 3 ? 0 : perHub, unproven: 0, cannot_prove: h === 3 ? perHub : 0, on_latest: perHub, stale: 0, down: 0, versions: {} })),
    edge_code_legend: '…',
  };
}

describe('MT-3 extras', () => {
  it('reads hubs, codes and per-edge versions; tolerates junk', () => {
    const x = readCdnExtras(extras());
    expect(x.latest).toBe(3);
    expect(x.edgesPerHub).toBe(4);
    expect(x.hubs).toHaveLength(10);
    expect(x.hubs[3]).toMatchObject({ region: 'eu-west', dark: true, cannotProve: 4 });
    expect(x.hubs[5]!.hubUp).toBe(false);
    expect(edgeProof(x.codes, 12)).toBe(2);
    expect(edgeTruth(x.codes, 0)).toBe(2);
    expect(edgeVersion(x, 12)).toBe(2);
    expect(edgeVersion(x, 4)).toBe(3);
    const junk = readCdnExtras({ hubs: [1, { region: 7 }, { region: 'x' }], edges_per_hub: -3 } as never);
    expect(junk.hubs.map((h) => h.region)).toEqual(['x']);
    expect(junk.edgesPerHub).toBe(0);
    expect(readCdnExtras(null).hubs).toEqual([]);
  });

  it('without per-edge versions, derives them from the truth code', () => {
    const e = extras();
    const x = readCdnExtras({ ...e, edge_versions: undefined } as never);
    expect(edgeVersion(x, 4)).toBe(3);
    expect(edgeVersion(x, 12)).toBe(2);
  });

  it('versions by lag and counts per version (down edges left out)', () => {
    expect([3, 2, 1, 0].map((v) => versionLag(v, 3))).toEqual([0, 1, 2, 3]);
    const counts = versionCounts(readCdnExtras(extras()));
    expect(counts.get(3)).toBe(35);
    expect(counts.get(2)).toBe(4);
  });

  it('finds the edges whose version changed', () => {
    expect(changedEdges('2223', '2333')).toEqual([1, 2]);
    expect(changedEdges('22', '223')).toEqual([]);
  });

  it('partitions one region from every other group', () => {
    expect(partitionRegionAction('eu-west', ['store', 'us-east', 'eu-west'])).toEqual({ do: 'partition', groups: [['eu-west'], ['store', 'us-east']] });
  });
});

describe('MT-3 proof', () => {
  it('PROVEN only when every edge is proven; CANNOT PROVE beats UNPROVEN', () => {
    expect(proofVerdict({ proven: 5000, unproven: 0, cannotProve: 0 })).toBe('PROVEN');
    expect(proofVerdict({ proven: 4990, unproven: 10, cannotProve: 0 })).toBe('UNPROVEN');
    expect(proofVerdict({ proven: 4490, unproven: 10, cannotProve: 500 })).toBe('CANNOT PROVE');
    expect(proofVerdict({ proven: 0, unproven: 0, cannotProve: 0 })).toBe('UNPROVEN');
  });

  it('reads the proof metric with the edges it cannot vouch for', () => {
    const p = readCdnProof({
      proof: { version: 2, proven: 4500, unproven: 0, cannot_prove: 500, proven_by: { signed_attestation: 4400, direct_ack: 100, probe: 0 }, cannot_prove_regions: ['eu-west'], cannot_prove_edges: ['us-east-7'], statement: 'v2: …' },
    });
    expect(p).toMatchObject({ version: 2, total: 5000, verdict: 'CANNOT PROVE', cannotRegions: ['eu-west'], cannotEdges: ['us-east-7'] });
    expect(p!.via).toEqual({ attestation: 4400, directAck: 100, probe: 0 });
    expect(readCdnProof({})).toBeNull();
  });
});

describe('MT-3 coverage', () => {
  const metrics = {
    coverage_curve: { version: 2, step_ms: 200, edges: [0, 1000, 2500, 4960, 5000] },
    latest_version: { version: 2, change: 'firewall-rule', critical: true, issued_ms: 5000, edges_on_it: 5000, t99_ms: 600, t100_ms: 800 },
  };

  it('turns edge counts into fractions and finds the time to 99%', () => {
    const c = readCoverage(metrics, 5000)!;
    expect(c.fractions).toEqual([0, 0.2, 0.5, 0.992, 1]);
    expect(c).toMatchObject({ version: 2, critical: true, change: 'firewall-rule', t100_ms: 800 });
    expect(timeToFraction(c, 0.99)).toBe(600);
    expect(timeToFraction(c, 1.01)).toBeNull();
    expect(readCoverage(metrics, 0)).toBeNull();
  });

  it('draws the curve in its box, y up', () => {
    const d = coveragePath([0, 0.5, 1], 1000, 2000, 100, 50);
    expect(d).toBe('M0.0,50.0L50.0,25.0L100.0,0.0');
    expect(coveragePath([], 200, 1000, 100, 50)).toBe('');
  });

  it('picks a round span for the x axis', () => {
    expect(coverageSpan(10, 200)).toBe(5000);
    expect(coverageSpan(51, 200)).toBe(10_000);
    expect(coverageSpan(151, 200)).toBe(30_000);
  });
});

describe('MT-3 layout', () => {
  it('chooses a grid whose cells are the most square', () => {
    expect(gridShape(10, 1000, 400)).toEqual({ cols: 5, rows: 2 });
    expect(gridShape(10, 400, 1000)).toEqual({ cols: 2, rows: 5 });
    expect(gridShape(0, 100, 100)).toEqual({ cols: 1, rows: 1 });
  });

  it('packs 500 edges per hub inside the cell, discs not overlapping, store band on top', () => {
    for (const [w, h] of [
      [1100, 560],
      [520, 320],
    ] as const) {
      const L = cdnLayout(REGIONS, { x: 0, y: 0, w, h }, 500, { storeH: 44 });
      expect(L.cells).toHaveLength(10);
      expect(L.store.h).toBe(44);
      for (const c of L.cells) {
        expect(c.cx - c.r).toBeGreaterThanOrEqual(c.cell.x);
        expect(c.cx + c.r).toBeLessThanOrEqual(c.cell.x + c.cell.w);
        expect(c.cy - c.r).toBeGreaterThanOrEqual(c.cell.y);
        expect(c.cell.y).toBeGreaterThanOrEqual(44);
        expect(c.cell.y + c.cell.h).toBeLessThanOrEqual(h + 0.001);
      }
      expect(L.dot).toBeGreaterThanOrEqual(1);
      // Squares fit their share of the disc.
      expect(L.dot * L.dot * 500).toBeLessThan(Math.PI * L.cells[0]!.r ** 2);
    }
  });

  it('sizes edge squares by density', () => {
    expect(edgeDot(50, 500)).toBeCloseTo(Math.sqrt((Math.PI * 2500) / 500) * 0.78, 5);
    expect(edgeDot(0, 500)).toBe(0);
    expect(edgeDot(1000, 1)).toBe(10);
  });

  it('sunflower points lie in the unit disc and spread evenly', () => {
    const u = sunflower(500);
    let inner = 0;
    for (let i = 0; i < 500; i++) {
      const r = Math.hypot(u[2 * i]!, u[2 * i + 1]!);
      expect(r).toBeLessThanOrEqual(1.0001);
      expect(r).toBeGreaterThan(0.1);
      if (r < Math.SQRT1_2) inner++;
    }
    // Half the area inside r = 1/√2 holds about half the points.
    expect(inner).toBeGreaterThan(220);
    expect(inner).toBeLessThan(280);
  });

  it('hit-tests the edge and the region under the pointer', () => {
    const L = cdnLayout(REGIONS, { x: 0, y: 0, w: 1000, h: 500 }, 4);
    const u = sunflower(4);
    const c = L.cells[3]!;
    const e = edgeAt(L, u, 4, c.cx + u[2]! * c.r, c.cy + u[3]! * c.r);
    expect(e).toBe(3 * 4 + 1);
    expect(cellAt(L, c.cx, c.cy)).toBe(3);
    expect(cellAt(L, -5, -5)).toBeNull();
    expect(edgeAt(L, u, 4, 2, 2)).toBeNull();
  });
});

/** A 2D context that records what is drawn. */
function recorder() {
  const calls: { op: string; style?: string; n?: number }[] = [];
  let rects = 0;
  let lines = 0;
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    clearRect: () => calls.push({ op: 'clear' }),
    beginPath: () => {
      rects = 0;
      lines = 0;
    },
    rect: () => rects++,
    arc: () => undefined,
    moveTo: () => lines++,
    lineTo: () => undefined,
    setLineDash: () => undefined,
    fill() {
      calls.push({ op: 'fill', style: String(this.fillStyle), n: rects });
    },
    stroke() {
      calls.push({ op: 'stroke', style: String(this.strokeStyle), n: rects || lines });
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

describe('MT-3 draw', () => {
  it('draws every edge once, batched by style: proven by version colour, cannot-prove faded, down crossed', () => {
    const x = readCdnExtras(extras(4));
    const L = cdnLayout(REGIONS, { x: 0, y: 0, w: 1000, h: 500 }, 4);
    const { ctx, calls } = recorder();
    const n = drawCdn(ctx, { width: 1000, height: 500, layout: L, unit: sunflower(4), x }, DEFAULT_CDN_PALETTE);
    expect(n).toBe(40);
    const b = bucketCounts(x);
    expect(b[0]).toBe(35); // proven, on latest
    expect(b[8 + 1]).toBe(4); // cannot prove, one behind
    expect(b[12]).toBe(1); // down
    const fills = calls.filter((c) => c.op === 'fill' && c.n && c.n > 1);
    expect(fills.find((c) => c.style === DEFAULT_CDN_PALETTE.lag[0])?.n).toBe(35);
    expect(fills.find((c) => c.style === DEFAULT_CDN_PALETTE.lag[1])?.n).toBe(4);
    expect(calls.find((c) => c.op === 'stroke' && c.style === DEFAULT_CDN_PALETTE.bad && c.n === 2)).toBeTruthy();
  });

  it('scales to 5000 edges in a few milliseconds (no per-edge style changes)', () => {
    const x = readCdnExtras(extras(500));
    const L = cdnLayout(REGIONS, { x: 0, y: 0, w: 1200, h: 600 }, 500);
    const { ctx, calls } = recorder();
    const unit = sunflower(500);
    const changedAt = new Float64Array(5000);
    changedAt.fill(1000, 0, 2000);
    const t0 = performance.now();
    const n = drawCdn(ctx, { width: 1200, height: 600, layout: L, unit, x, changedAt, now: 1200 }, DEFAULT_CDN_PALETTE);
    const ms = performance.now() - t0;
    expect(n).toBe(5000);
    // Discs + buckets + flash + hubs: far fewer paint calls than edges.
    expect(calls.length).toBeLessThan(60);
    expect(ms).toBeLessThan(200);
  });

  it('reads the palette from the theme variables', () => {
    const p = readCdnPalette((v) => ({ '--mode-target': '#00795a', '--bad': ' #c0392b ' })[v] ?? '');
    expect(p.lag[0]).toBe('#00795a');
    expect(p.bad).toBe('#c0392b');
    expect(p.fg).toBe(DEFAULT_CDN_PALETTE.fg);
  });
});
