/**
 * Map declutter (issue 4): region labels placed so none overlaps another label or a
 * region's halo, for MT-1 (21 regions, 210 links) and FT-3 (Shenzhen next to Hanoi), at
 * the map sizes of a 1920×1080 and a 1280×800 window; latency labels hidden on a dense
 * map except where they matter.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutRegions } from '../../src-renderer/lib/geo';
import { makeProjection } from '../../src-renderer/lib/world';
import {
  DENSE_LINKS,
  estimateTextWidth,
  fitLinkLabels,
  labelClashes,
  placeLabels,
  rectsOverlap,
  regionShortNames,
  visibleLinkLabels,
  type LabelRequest,
  type LinkLabelInput,
} from '../../src-renderer/lib/map-labels';
import { parseScenarioText } from '../../src-shared/scenario/load';
import { linkKey } from '../../src-renderer/lib/geo';

const scenario = (id: string) => parseScenarioText(readFileSync(resolve(import.meta.dirname, '..', '..', 'scenarios', `${id}.yaml`), 'utf8'), id);

/** What WorldMap does: one request per region (dense) or name + mode (few regions). */
function place(id: string, width: number, height: number) {
  const spec = scenario(id);
  const projection = makeProjection(width, height);
  const layout = layoutRegions(spec.groups, (p) => projection(p) as [number, number] | null, { width, height }, Math.max(6, Math.min(12, Math.min(width, height) / 70)));
  const names = regionShortNames(spec.groups);
  const dense = spec.groups.length > 6;
  const reqs: LabelRequest[] = [];
  for (const g of spec.groups) {
    const xy = layout.regions.get(g.id)!.xy;
    const name = dense ? `● ${names.get(g.id)}` : names.get(g.id)!;
    reqs.push({ id: g.id, anchor: xy, clear: layout.haloR, w: estimateTextWidth(name, 16.8) + 6, h: 21, prefer: ['n', 'ne', 'nw'] });
    if (!dense) reqs.push({ id: `${g.id}#mode`, anchor: xy, clear: layout.haloR, w: estimateTextWidth('● Target', 15.2) + 6, h: 19, prefer: ['s', 'se', 'sw'] });
  }
  const halos = [...layout.regions.values()].map((r) => ({ x: r.xy[0], y: r.xy[1], r: layout.haloR + 2 }));
  // The legend in the bottom-left corner, as WorldMap reserves it.
  const legend = { x: 0, y: height - 90, w: 330, h: 90 };
  return { placed: placeLabels(reqs, { width, height, obstacles: halos, reserved: [legend], gap: 4 }), halos, legend, reqs };
}

describe('region label placement', () => {
  for (const [id, sizes] of [
    ['mt1-cache-invalidation', [[1260, 510], [830, 370]]],
    ['ft3-supply-chain', [[1260, 510], [830, 370]]],
    ['nt1-log-replication', [[1260, 680], [830, 480]]],
  ] as const) {
    for (const [w, h] of sizes) {
      it(`${id} at ${w}×${h}: no two labels overlap, none covers a halo, the legend or the edge`, () => {
        const { placed, halos, legend, reqs } = place(id, w, h);
        expect(placed.size).toBe(reqs.length);
        expect(labelClashes(placed.values())).toEqual([]);
        for (const p of placed.values()) {
          expect(p.clash, p.id).toBe(false);
          expect(rectsOverlap(p.rect, legend), p.id).toBe(false);
          expect(p.rect.x).toBeGreaterThanOrEqual(0);
          expect(p.rect.y).toBeGreaterThanOrEqual(0);
          expect(p.rect.x + p.rect.w).toBeLessThanOrEqual(w);
          expect(p.rect.y + p.rect.h).toBeLessThanOrEqual(h);
          for (const c of halos) {
            const nx = Math.min(p.rect.x + p.rect.w, Math.max(p.rect.x, c.x));
            const ny = Math.min(p.rect.y + p.rect.h, Math.max(p.rect.y, c.y));
            expect(Math.hypot(nx - c.x, ny - c.y), `${p.id} over a halo`).toBeGreaterThanOrEqual(c.r - 0.01);
          }
          // A label reads as its own region's: nearer to it than to any other, or tied to it by a leader line.
          const own = reqs.find((r) => r.id === p.id)!.anchor;
          const dist = (x: number, y: number) => Math.hypot(Math.min(p.rect.x + p.rect.w, Math.max(p.rect.x, x)) - x, Math.min(p.rect.y + p.rect.h, Math.max(p.rect.y, y)) - y);
          const nearestOther = Math.min(...halos.filter((c) => c.x !== own[0] || c.y !== own[1]).map((c) => dist(c.x, c.y)));
          if (p.leader === null) expect(dist(own[0], own[1]), `${p.id} nearer another region`).toBeLessThanOrEqual(nearestOther + 4);
        }
      });
    }
  }

  it('FT-3: Shenzhen and Hanoi, the closest pair, get labels apart', () => {
    const { placed } = place('ft3-supply-chain', 830, 370);
    expect(rectsOverlap(placed.get('supplier')!.rect, placed.get('assembler')!.rect)).toBe(false);
  });

  it('keeps a label on its preferred side when there is room, and draws no leader then', () => {
    const p = placeLabels([{ id: 'a', anchor: [200, 200], clear: 20, w: 80, h: 20 }], { width: 400, height: 400 }).get('a')!;
    expect(p.rect.y + p.rect.h).toBeLessThanOrEqual(200 - 20);
    expect(p.cx).toBeCloseTo(200);
    expect(p.leader).toBeNull();
  });

  it('moves a label off the edge and off a neighbour; a far move gets a leader line', () => {
    const reqs: LabelRequest[] = [
      { id: 'a', anchor: [100, 30], clear: 10, w: 120, h: 20 },
      { id: 'b', anchor: [130, 30], clear: 10, w: 120, h: 20 },
    ];
    const placed = placeLabels(reqs, { width: 300, height: 300, obstacles: reqs.map((r) => ({ x: r.anchor[0], y: r.anchor[1], r: 10 })) });
    expect(labelClashes(placed.values())).toEqual([]);
    for (const p of placed.values()) expect(p.rect.y).toBeGreaterThanOrEqual(0);
    // Crowd one anchor so the ring next to it is full: the label goes farther out.
    const crowd: LabelRequest[] = [];
    for (let i = 0; i < 9; i++) crowd.push({ id: `c${i}`, anchor: [150, 150], clear: 10, w: 60, h: 20 });
    const far = placeLabels(crowd, { width: 400, height: 400 });
    expect(labelClashes(far.values())).toEqual([]);
    expect([...far.values()].some((p) => p.leader !== null)).toBe(true);
  });

  it('reports a clash when there is no room at all, instead of hiding the label', () => {
    const placed = placeLabels(
      [
        { id: 'a', anchor: [20, 10], clear: 2, w: 40, h: 20 },
        { id: 'b', anchor: [20, 10], clear: 2, w: 40, h: 20 },
      ],
      { width: 40, height: 20 },
    );
    expect(placed.size).toBe(2);
    expect([...placed.values()].some((p) => p.clash)).toBe(true);
  });
});

describe('optional labels', () => {
  it('are left out rather than put far away when there is no room near their region', () => {
    const mode: LabelRequest = { id: 'mode', anchor: [100, 100], clear: 10, w: 60, h: 20, rings: 1, optional: true };
    // Everything near the region is taken (a box drawn over the map covers it).
    const cover = [{ x: 0, y: 0, w: 200, h: 200 }];
    expect(placeLabels([mode], { width: 400, height: 400, reserved: cover }).has('mode')).toBe(false);
    // A label that is not optional is still drawn (marked as a clash).
    expect(placeLabels([{ ...mode, optional: false }], { width: 400, height: 400, reserved: cover }).get('mode')?.clash).toBe(true);
    // With room, it is placed right next to its region.
    expect(placeLabels([mode], { width: 400, height: 400 }).get('mode')?.leader).toBeNull();
  });
});

describe('region short names', () => {
  it('drops the parenthesised detail, unless two regions would then read the same', () => {
    const names = regionShortNames(scenario('mt1-cache-invalidation').groups);
    expect(names.get('eu-west')).toBe('EU West');
    expect(names.get('sa-east')).toBe('São Paulo');
    expect(names.get('sa-west')).toBe('Santiago');
    expect(new Set(names.values()).size).toBe(names.size);
  });
});

describe('latency labels', () => {
  const mt1 = scenario('mt1-cache-invalidation');
  const ids = mt1.groups.map((g) => g.id);
  const links: LinkLabelInput[] = [];
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      links.push({ key: linkKey({ a, b }), a, b, state: 'up' });
    }

  it('are all shown on a small map (NT-1: 3 links)', () => {
    const few = links.slice(0, 3);
    expect(visibleLinkLabels(few, {}, 3).size).toBe(3);
  });

  it('are hidden above the threshold (MT-1: 210 links), but shown for cut and lossy links', () => {
    expect(links.length).toBeGreaterThan(DENSE_LINKS);
    expect(visibleLinkLabels(links, {}, ids.length).size).toBe(0);
    const cut = links.map((l) => (l.a === 'eu-west' || l.b === 'eu-west' ? { ...l, state: 'cut' as const } : l));
    const lossy = cut.map((l) => (l.key === linkKey({ a: 'primary', b: 'ap-south' }) ? { ...l, state: 'lossy' as const } : l));
    const shown = visibleLinkLabels(lossy, {}, ids.length);
    expect(shown.size).toBe(21);
    expect(shown.has(linkKey({ a: 'eu-west', b: 'primary' }))).toBe(true);
    expect(shown.has(linkKey({ a: 'primary', b: 'ap-south' }))).toBe(true);
    expect(shown.has(linkKey({ a: 'primary', b: 'us-east' }))).toBe(false);
  });

  it('speak up for the hovered link, the hovered region and the selected path', () => {
    const path = new Set([linkKey({ a: 'us-east', b: 'eu-west' })]);
    expect([...visibleLinkLabels(links, { link: linkKey({ a: 'primary', b: 'us-west' }) }, ids.length)]).toEqual([linkKey({ a: 'primary', b: 'us-west' })]);
    expect(visibleLinkLabels(links, { region: 'ap-south' }, ids.length).size).toBe(20);
    expect([...visibleLinkLabels(links, { path }, ids.length)]).toEqual([...path]);
  });

  it('are dropped where they would cover a region label, unless forced; else move along the link', () => {
    const label = { x: 90, y: 90, w: 40, h: 20 };
    const at = (x: number, y: number) => ({ x, y, w: 30, h: 10 });
    const fit = fitLinkLabels(
      [
        { key: 'a', rects: [at(95, 95)] },
        { key: 'b', rects: [at(95, 95), at(200, 200)] },
        { key: 'c', rects: [at(95, 95)], force: true },
        { key: 'd', rects: [at(205, 203)] },
      ],
      [label],
    );
    expect(fit.has('a')).toBe(false);
    expect(fit.get('b')).toBe(1);
    expect(fit.get('c')).toBe(0);
    expect(fit.has('d')).toBe(false); // would cover b's label
  });
});
