/**
 * Invariant monitors (omniscient: they read every satellite's state) and metrics.
 * Each violation is reported once.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import { percentile } from '../../stats';
import { leaderOf, num, P, type Ctx } from './context';
import { rootOf } from './crypto';
import { pathComposition } from './observe';
import { totalQueued } from './ground';
import type { SmrState } from './state';

function honest(s: SmrState): string[] {
  return s.satIds.filter((id) => !s.everByz.includes(id));
}

/** Positions k where honest satellites that hold k disagree. */
export function divergentPositions(s: SmrState): number[] {
  const hs = honest(s).map((id) => s.sats[id]!.leaves);
  const max = Math.max(0, ...hs.map((l) => l.length));
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    let first: string | undefined;
    for (const l of hs) {
      const v = l[k];
      if (v === undefined) continue;
      if (first === undefined) first = v;
      else if (v !== first) {
        out.push(k);
        break;
      }
    }
  }
  return out;
}

export function checkInvariants(s: SmrState, ctx: Ctx): void {
  // Safety: honest histories identical (one may lag, never differ).
  const div = divergentPositions(s);
  s.stats.divergentPeak = Math.max(s.stats.divergentPeak, div.length);
  if (div.length > 0) {
    const k = div[0]!;
    const key = `div|${k}`;
    if (!s.reported[key]) {
      s.reported[key] = true;
      const holders = honest(s).filter((id) => s.sats[id]!.leaves[k] !== undefined);
      const by = holders.map((id) => `${id}: ${s.cmds[s.sats[id]!.leaves[k]!]?.op ?? '?'} (${s.sats[id]!.leaves[k]!.slice(0, 8)})`).join('; ');
      ctx.violation('honest-histories-identical', `honest satellites differ at history index ${k} — ${by}`, []);
    }
  }
  // Liveness: recovery within the bound (counted while in contact), for satellites in an honest quorum.
  const bound = num(ctx, P.recoveryBound);
  for (const id of honest(s)) {
    const me = s.sats[id]!;
    if (!ctx.isUp(id) || !me.recovering || !me.contact || me.recoveryReported) continue;
    if (honest(s).some((o) => s.sats[o]!.excluded.includes(id))) continue;
    if (ctx.now_ms - me.recoveryStart > bound) {
      me.recoveryReported = true;
      ctx.violation('recovery-bound', `${id} has been in ground contact for ${Math.round((ctx.now_ms - me.recoveryStart) / 1000)}s without its Merkle root being confirmed (bound ${bound / 1000}s)`, me.contactEv === null ? [] : [me.contactEv]);
    }
  }
  // Liveness: every reachable honest satellite excludes an accused one within T_detect.
  const deadline = num(ctx, P.exclusionDeadline);
  for (const [accused, at] of Object.entries(s.accusedFirstAt)) {
    if (ctx.now_ms - at < deadline) continue;
    for (const id of honest(s)) {
      const me = s.sats[id]!;
      if (id === accused || !ctx.isUp(id) || me.excluded.includes(accused)) continue;
      const reachable = honest(s).some((o) => o !== id && ctx.isUp(o) && s.sats[o]!.excluded.includes(accused) && ctx.linkUp(id, o));
      const key = `excl|${accused}|${id}|${at}`;
      if (reachable && !s.reported[key]) {
        s.reported[key] = true;
        ctx.violation('byzantine-exclusion', `${id} still counts ${accused} in its quorum ${Math.round((ctx.now_ms - at) / 1000)}s after the accusation certificate`, []);
      }
    }
  }
}

function r1(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10) / 10;
}

export function metrics(s: SmrState, ctx: Ctx): Record<string, MetricValue> {
  const div = divergentPositions(s);
  const roots: Record<string, MetricValue> = {};
  for (const id of s.satIds) {
    const me = s.sats[id]!;
    roots[id] = { root: rootOf(me.peaks).slice(0, 12), length: me.leaves.length, last_gseq: me.lastGseq, view: me.view, excluded: [...me.excluded] };
  }
  const staleness: Record<string, MetricValue> = {};
  let satMax = 0;
  for (const [scope, v] of Object.entries(s.stats.stalenessMax)) {
    staleness[scope] = Math.round(v);
    if (scope !== 'ground') satMax = Math.max(satMax, v);
  }
  staleness.satellites = Math.round(satMax);
  const reached = s.stats.emergencies.filter((e) => e.executed !== null);
  return {
    divergent_commands: s.stats.divergentPeak,
    divergent_commands_now: div.length,
    byzantine_detected_ms: s.stats.byzantineAt !== null && s.stats.accusedAt !== null && s.stats.accusedAt >= s.stats.byzantineAt ? Math.round(s.stats.accusedAt - s.stats.byzantineAt) : null,
    divergence_located_at: s.stats.divergenceLocated,
    honest_histories_identical: div.length === 0,
    merkle_roots: roots,
    command_latency_ms: { p50: r1(percentile(s.stats.latencies, 50)), p99: r1(percentile(s.stats.latencies, 99)), count: s.stats.latencies.length },
    command_wait_ms: { p50: r1(percentile(s.stats.waits, 50)), max: s.stats.waits.length ? Math.max(...s.stats.waits) : null, count: s.stats.waits.length },
    ground_commands_issued: s.ground.nextGseq - 1,
    ground_queue: s.ground.log.filter((x) => !x.acked).length,
    routine_queued_onboard: totalQueued(s),
    routine_queued_peak: s.stats.routineQueuedPeak,
    routine_queue_wait_ms: { p50: r1(percentile(s.stats.queueWaits, 50)), max: s.stats.queueWaits.length ? Math.max(...s.stats.queueWaits) : null, count: s.stats.queueWaits.length },
    autonomous_emergencies: s.stats.emergencies.map((e) => ({ op: e.op, origin: e.origin, flag: 'AUTONOMOUS EMERGENCY', partition_epoch_ms: e.epoch, slot: e.slot, decided_in_ms: e.executed === null ? null : Math.round(e.executed - e.raised) })),
    emergency_decision_ms: { p50: r1(percentile(reached.map((e) => e.executed! - e.raised), 50)), count: reached.length },
    staleness_bound_max_ms: staleness,
    recovery_ms: { p50: r1(percentile(s.stats.recoveries, 50)), max: s.stats.recoveries.length ? Math.max(...s.stats.recoveries) : null, count: s.stats.recoveries.length },
    rollbacks: s.stats.rollbacks,
    view_changes: s.stats.viewChanges,
    leader: leaderNow(s, ctx),
    excluded_satellites: [...new Set(s.satIds.flatMap((id) => s.sats[id]!.excluded))],
    signatures: { signed: s.stats.signed, verified: s.stats.verified },
    rejections_by_check: { ...s.stats.rejected },
    clock_offset_ms: Object.fromEntries(s.satIds.map((id) => [id, Math.round(s.sats[id]!.offset * 10) / 10])),
    messages_dropped_out_of_window: s.stats.droppedOutOfWindow,
    path_ground_to_sats: pathComposition(s, ctx),
  };
}

/** The leader most up, honest satellites follow (resolves `@leader`). */
export function leaderNow(s: SmrState, ctx: Ctx): string | null {
  const votes: Record<string, number> = {};
  for (const id of s.satIds) {
    if (!ctx.isUp(id) || s.sats[id]!.byz) continue;
    const l = leaderOf(s, s.sats[id]!);
    votes[l] = (votes[l] ?? 0) + 1;
  }
  let best: string | null = null;
  for (const [l, n] of Object.entries(votes)) if (ctx.isUp(l) && (best === null || n > votes[best]! || (n === votes[best]! && l < best))) best = l;
  return best;
}
