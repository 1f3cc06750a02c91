/**
 * The factory floor: zones are vertical strips of the unit square (in file order), the
 * active sensors of a zone sit on a jittered grid inside its strip, and two sensors are
 * radio neighbours when they are within `range`. The range follows the grid spacing
 * (so 100 and 500 sensors both get a mesh of ~6-8 neighbours per sensor) and is widened
 * until the mesh is connected. Positions depend only on the zone sizes, never on the
 * seed: the floor looks the same in every run.
 */

export interface FloorLayout {
  x: number[];
  y: number[];
  nbr: number[][];
  range: number;
}

/** A small integer hash in [0, 1) (deterministic jitter; not a source of randomness for the run). */
function hash01(a: number): number {
  let t = (a + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * `zones[z]` lists the indices (into the global node list) of zone z's active sensors.
 * Returns coordinates for every index in `total` (inactive ones stay NaN) and the
 * neighbour lists of the active ones.
 */
export function layoutFloor(zones: number[][], total: number): FloorLayout {
  const x = new Array<number>(total).fill(NaN);
  const y = new Array<number>(total).fill(NaN);
  const w = 1 / zones.length;
  let spacing = 0;
  zones.forEach((nodes, z) => {
    const n = nodes.length;
    if (n === 0) return;
    const cols = Math.max(1, Math.round(Math.sqrt(n * w)));
    const rows = Math.ceil(n / cols);
    const dx = w / cols;
    const dy = 1 / rows;
    spacing = Math.max(spacing, dx, dy);
    nodes.forEach((i, k) => {
      const col = k % cols;
      const row = Math.floor(k / cols);
      x[i] = z * w + (col + 0.5) * dx + (hash01(z * 7919 + k * 2) - 0.5) * 0.5 * dx;
      y[i] = (row + 0.5) * dy + (hash01(z * 7919 + k * 2 + 1) - 0.5) * 0.5 * dy;
    });
  });
  const active = zones.flat().sort((a, b) => a - b);
  let range = 1.5 * spacing;
  let nbr: number[][] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    nbr = neighbours(active, x, y, range, total);
    if (connected(active, nbr)) break;
    range *= 1.08;
  }
  return { x, y, nbr, range };
}

function neighbours(active: number[], x: number[], y: number[], r: number, total: number): number[][] {
  const nbr: number[][] = Array.from({ length: total }, () => []);
  const r2 = r * r;
  for (let a = 0; a < active.length; a++) {
    const i = active[a]!;
    for (let b = a + 1; b < active.length; b++) {
      const j = active[b]!;
      const ddx = x[i]! - x[j]!;
      const ddy = y[i]! - y[j]!;
      if (ddx * ddx + ddy * ddy <= r2) {
        nbr[i]!.push(j);
        nbr[j]!.push(i);
      }
    }
  }
  return nbr;
}

function connected(active: number[], nbr: number[][]): boolean {
  if (active.length === 0) return true;
  const seen = new Set<number>([active[0]!]);
  const stack = [active[0]!];
  while (stack.length > 0) {
    for (const j of nbr[stack.pop()!]!) {
      if (!seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
    }
  }
  return seen.size === active.length;
}
