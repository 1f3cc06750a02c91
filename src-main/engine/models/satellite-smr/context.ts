/**
 * Helpers shared by the NT-3 modules: parameters, local clocks, the visibility-aware
 * send, quorum arithmetic, and the G-vector bound ladder.
 */
import type { ModelContext } from '../../model-api';
import { claimFor } from '../../../../src-shared/scenario/types';
import { formatGVector, parseGVector } from '../../../../src-shared/gvector';
import { buildOrbit, visible, type Orbit } from './orbit';
import type { Sat, SmrState } from './state';

export type Ctx = ModelContext;

export const P = {
  period: 'orbit_period_ms',
  window: 'pass_window_ms',
  spacing: 'formation_spacing_ms',
  firstPass: 'first_pass_elapsed_ms',
  planeLon: 'orbit_plane_lon',
  stations: 'ground_stations',
  beacon: 'beacon_interval_ms',
  beaconMisses: 'beacon_misses',
  hb: 'isl_heartbeat_ms',
  islMisses: 'isl_misses',
  driftMax: 'clock_drift_max_ppm',
  gpsFix: 'gps_fix_interval_ms',
  gpsDiscipline: 'gps_discipline_interval_ms',
  gpsBound: 'gps_bound_ms',
  staleness: 'capsule_staleness_bound_ms',
  gpsUncertainty: 'gps_uncertainty_ms',
  groundRate: 'ground_command_interval_ms',
  onboardRate: 'onboard_request_interval_ms',
  anomalies: 'anomaly_schedule',
  retry: 'uplink_retry_ms',
  viewTimeout: 'view_timeout_ms',
  linger: 'commit_linger_ms',
  contactTimeout: 'contact_timeout_ms',
  quorumRepeat: 'quorum_failed_repeat_ms',
  recoveryBound: 'recovery_bound_ms',
  exclusionDeadline: 'exclusion_deadline_ms',
} as const;

export function num(ctx: Ctx, name: string): number {
  return ctx.param<number>(name);
}

export function str(ctx: Ctx, name: string): string {
  return String(ctx.param<string>(name));
}

const orbits = new WeakMap<object, Orbit>();

/** The orbit is a pure function of the scenario's parameters: derived once per spec. */
export function orbitOf(ctx: Ctx, stations: string[]): Orbit {
  let o = orbits.get(ctx.spec);
  if (!o) {
    o = buildOrbit(
      {
        period: num(ctx, P.period),
        window: num(ctx, P.window),
        spacing: num(ctx, P.spacing),
        firstPassElapsed: num(ctx, P.firstPass),
        planeLon: num(ctx, P.planeLon),
        stations: str(ctx, P.stations),
      },
      stations,
    );
    orbits.set(ctx.spec, o);
  }
  return o;
}

export function isSat(s: SmrState, node: string): boolean {
  return s.sats[node] !== undefined;
}

/**
 * A node's local clock. Satellites drift (initial rate drawn from the seed, ±50 ms/h) and
 * are stepped back to GPS time by the model's discipline; the engine's `clock-drift`
 * fault overrides the model's drift from the moment it shows in ctx.clock (the model
 * freezes the drift it had accumulated). Ground stations keep atomic time.
 */
export function localClock(s: SmrState, ctx: Ctx, node: string): number {
  const eng = ctx.clock(node);
  const sat = s.sats[node];
  if (!sat) return eng;
  let drift: number;
  if (sat.driftFrozen !== null) drift = sat.driftFrozen;
  else if (eng !== ctx.now_ms) {
    sat.driftFrozen = (sat.driftPpm * ctx.now_ms) / 1e6;
    drift = sat.driftFrozen;
  } else drift = (sat.driftPpm * ctx.now_ms) / 1e6;
  return eng + drift - sat.correction;
}

/** Is the ground↔satellite link inside a pass right now? (Other links: always, as far as orbits go.) */
export function linkInWindow(s: SmrState, ctx: Ctx, a: string, b: string): boolean {
  const sa = s.sats[a];
  const sb = s.sats[b];
  if (sa && sb) return true;
  if (!sa && !sb) return true;
  const sat = (sa ?? sb)!;
  const station = sa ? b : a;
  return visible(orbitOf(ctx, s.stations), sat.idx, station, ctx.now_ms);
}

/** Sends unless the orbit hides the link; counts what the orbit dropped. */
export function send(s: SmrState, ctx: Ctx, from: string, to: string, kind: string, body: unknown): void {
  if (!linkInWindow(s, ctx, from, to)) {
    s.stats.droppedOutOfWindow += 1;
    return;
  }
  ctx.send(from, to, kind, body);
}

/** On arrival: a message whose pass closed while it was in flight is lost. */
export function arrived(s: SmrState, ctx: Ctx, from: string, to: string): boolean {
  if (linkInWindow(s, ctx, from, to)) return true;
  s.stats.droppedOutOfWindow += 1;
  return false;
}

export function members(s: SmrState, sat: Sat): string[] {
  return s.satIds.filter((id) => !sat.excluded.includes(id));
}

/** 2f+1 with n = 3f+1 (BFT); a majority (crash-tolerant). Both are 3 with four satellites. */
export function quorumSize(s: SmrState): number {
  const n = s.satIds.length;
  if (s.protocol === 'bft') return 2 * Math.floor((n - 1) / 3) + 1;
  return Math.floor(n / 2) + 1;
}

export function primaryOf(s: SmrState, sat: Sat, view: number): string {
  const m = members(s, sat);
  return m[((view % m.length) + m.length) % m.length]!;
}

/** The leader a satellite follows: BFT — the rotation's primary of its view; crash-tolerant — whoever it accepted. */
export function leaderOf(s: SmrState, sat: Sat): string {
  if (s.protocol === 'cft' && sat.leader !== null) return sat.leader;
  return primaryOf(s, sat, sat.view);
}

export function groupOf(ctx: Ctx, node: string): string {
  return ctx.topo.groupOf.get(node)!;
}

const required = new WeakMap<object, [string, string]>();

/**
 * Required guarantee of a command class (check 7). Routine: the Target claim — ground
 * freshness and the ground's signature — over the honest range (Scope Range: excluding a
 * Byzantine satellite must not stop routine work). Emergency: the Degraded claim without
 * its recency — order and satellite signatures, not ground freshness.
 */
export function requiredG(ctx: Ctx, emergency: boolean): string {
  let r = required.get(ctx.strategy);
  if (!r) {
    const sym = { symbols: ctx.spec.symbols };
    const target = parseGVector(claimFor(ctx.spec, ctx.strategy.id, 'Target'), sym);
    const degraded = parseGVector(claimFor(ctx.spec, ctx.strategy.id, 'Degraded'), sym);
    r = [formatGVector({ ...target, scope: 'Range' }), formatGVector({ ...degraded, recency: { kind: 'EO' } })];
    required.set(ctx.strategy, r);
  }
  return emergency ? r[1] : r[0];
}

const LADDER = [
  100, 200, 500, 600, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000,
  2_400_000, 3_000_000, 3_600_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000,
];

/**
 * A measured staleness rounded up to a readable bound: 100, 200, 500, 600 ms (600 is the
 * seed's uplink bound), 1, 2, 5, 10, 20, 30 s, 1, 2, 5, 10, 20 … 50 min. Coarse enough not
 * to flicker with jitter.
 */
export function ladder(ms: number): number {
  for (const b of LADDER) if (ms <= b) return b;
  return Math.ceil(ms / 86_400_000) * 86_400_000;
}

export function shortHex(h: string): string {
  return h.slice(0, 12);
}
