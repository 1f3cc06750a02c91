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
    spacing = Math.max(spacing, Math.sqrt(dx * dy));
    nodes.forEach((i, k) => {
      const col = k % cols;
      const row = Math.floor(k / cols);
      x[i] = z * w + (col + 0.5) * dx + (hash01(z * 7919 + k * 2) - 0.5) * 0.5 * dx;
      y[i] = (row + 0.5) * dy + (hash01(z * 7919 + k * 2 + 1) - 0.5) * 0.5 * dy;
    });
  });
  const active = zones.flat().sort((a, b) => a - b);
  let range = 1.45 * spacing;
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

// ---- the deployed floor, memoised per scenario and strategy ----------------------------------

/**
 * Static data of a run: which sensors are deployed (slot → node id), their zones, the
 * radio graph and the positions. A pure function of the scenario file and the `sensors`
 * parameter, so it is computed once and kept out of the model state (checkpoints clone
 * only what changes).
 */
export interface Floor {
  /** Deployed sensors by slot (the model's sensor index). */
  names: string[];
  idx: Record<string, number>;
  zone: number[];
  zoneNodes: number[][];
  nbr: number[][];
  x: number[];
  y: number[];
  positions: Record<string, [number, number]>;
  range: number;
  maxDegree: number;
}

export interface FloorInput {
  groups: string[];
  nodesOf: (group: string) => string[];
  sensors: number;
}

const floors = new WeakMap<object, Map<object, Floor>>();
let hot: { spec: object; strategy: object; floor: Floor } | null = null;

/** The floor of (scenario, strategy); `input` is only read the first time. */
export function deployedFloor(spec: object, strategy: object, input: () => FloorInput): Floor {
  if (hot && hot.spec === spec && hot.strategy === strategy) return hot.floor;
  let byStrategy = floors.get(spec);
  if (!byStrategy) floors.set(spec, (byStrategy = new Map()));
  let floor = byStrategy.get(strategy);
  if (!floor) byStrategy.set(strategy, (floor = buildFloor(input())));
  hot = { spec, strategy, floor };
  return floor;
}

function buildFloor(src: FloorInput): Floor {
  const sizes = src.groups.map((g) => src.nodesOf(g).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const wanted = Math.max(src.groups.length, Math.min(total, Math.round(src.sensors)));
  // Spread the deployed sensors over the zones as evenly as the file allows.
  const take = src.groups.map(() => 0);
  for (let left = wanted, z = 0; left > 0; z = (z + 1) % src.groups.length) {
    if (take[z]! < sizes[z]!) {
      take[z]! += 1;
      left -= 1;
    }
  }
  const names: string[] = [];
  const zone: number[] = [];
  const zoneNodes = src.groups.map((g, z) =>
    src.nodesOf(g)
      .slice(0, take[z])
      .map((n) => {
        names.push(n);
        zone.push(z);
        return names.length - 1;
      }),
  );
  const idx: Record<string, number> = {};
  names.forEach((n, i) => (idx[n] = i));
  const lay = layoutFloor(zoneNodes, names.length);
  const positions: Record<string, [number, number]> = {};
  names.forEach((n, i) => (positions[n] = [Math.round(lay.x[i]! * 1e4) / 1e4, Math.round(lay.y[i]! * 1e4) / 1e4]));
  return { names, idx, zone, zoneNodes, nbr: lay.nbr, x: lay.x, y: lay.y, positions, range: lay.range, maxDegree: Math.max(1, ...lay.nbr.map((l) => l.length)) };
}
