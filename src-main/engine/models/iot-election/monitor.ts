/**
 * Omniscient monitors (they see every sensor; the protocol does not) and the figures
 * behind the report:
 *
 *  - safety `one-coordinator-per-term`: two sensors certified as coordinator for the
 *    same term is a violation, recorded once per term, citing both certificates;
 *  - liveness `election-deadline`: once no sensor acts as coordinator (the coordinator
 *    crashed, or stepped down without a quorum), a new certificate must appear within
 *    `election_deadline_ms`;
 *  - `election_ms`: per completed election, from the start of the election (the first
 *    sensor that became a candidate since the last certificate — i.e. the first
 *    election timeout to fire after the failure was suspected) to the first
 *    certificate; `failover_ms`: from the loss of the coordinator to the next one.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { ModelContext } from '../../model-api';
import type { IotState } from './state';

type Ctx = ModelContext;

const TERMS_KEPT = 32;

export function electionStarted(s: IotState, ctx: Ctx): void {
  s.stats.attempts += 1;
  if (s.election === null) s.election = { since: ctx.now_ms, frames0: s.stats.electionFrames };
}

export function coordinatorElected(s: IotState, ctx: Ctx, i: number, term: number, certSeq: number): void {
  s.acting.push(i);
  s.stats.maxCoordinators = Math.max(s.stats.maxCoordinators, s.acting.length);
  const list = (s.certs[term] ??= []);
  const other = list.find(([j]) => j !== i);
  list.push([i, certSeq]);
  if (other && list.filter(([j]) => j !== i).length === 1) {
    s.stats.splitBrainTerms += 1;
    const [o, oSeq] = other;
    ctx.violation(
      'one-coordinator-per-term',
      `term ${term} has two coordinators: ${s.names[o]!} (certificate #${oSeq}) and ${s.names[i]!} (certificate #${certSeq})`,
      [oSeq, certSeq],
    );
  }
  if (term > s.maxCertTerm) {
    s.maxCertTerm = term;
    for (const k of Object.keys(s.certs)) if (Number(k) < term - TERMS_KEPT) delete s.certs[Number(k)];
  }
  if (s.election !== null) {
    s.stats.completed += 1;
    s.stats.electionMs.push(Math.round(ctx.now_ms - s.election.since));
    s.stats.electionFramesPer.push(s.stats.electionFrames - s.election.frames0);
    s.election = null;
  }
  if (s.outage !== null) {
    s.stats.failoverMs.push(Math.round(ctx.now_ms - s.outage.since));
    s.outage = null;
  }
}

/** Sensor i no longer acts as coordinator (stepped down or crashed). */
export function coordinatorGone(s: IotState, ctx: Ctx, i: number): void {
  const k = s.acting.indexOf(i);
  if (k < 0) return;
  s.acting.splice(k, 1);
  if (s.acting.length === 0 && s.outage === null) s.outage = { since: ctx.now_ms, reported: false, evidence: [] };
}

export function checkDeadline(s: IotState, ctx: Ctx): void {
  const o = s.outage;
  if (o === null || o.reported || ctx.now_ms - o.since <= s.p.deadline_ms) return;
  o.reported = true;
  ctx.violation(
    'election-deadline',
    `no coordinator for ${Math.round((ctx.now_ms - o.since) / 1000)}s since ${(o.since / 1000).toFixed(1)}s (deadline ${s.p.deadline_ms / 1000}s)`,
    [...o.evidence],
  );
}

/** The coordinator `@leader` resolves to: the acting one in the highest term (-1: none). */
export function currentCoordinator(s: IotState): number {
  let best = -1;
  for (const i of s.acting) {
    if (best < 0 || s.v.term[i]! > s.v.term[best]! || (s.v.term[i] === s.v.term[best] && i < best)) best = i;
  }
  return best;
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
}

export function metricsOf(s: IotState, ctx: Ctx): Record<string, MetricValue> {
  const st = s.stats;
  const used = Array.from(s.v.used_uAh, (u) => u / 1000);
  const total = used.reduce((a, b) => a + b, 0);
  const coord = currentCoordinator(s);
  const fo = st.failoverMs;
  return {
    election_ms: [...st.electionMs],
    failover_ms: { count: fo.length, max: fo.length ? Math.max(...fo) : null, last: fo.length ? fo[fo.length - 1]! : null },
    election_in_progress_ms: s.election === null ? null : Math.round(ctx.now_ms - s.election.since),
    split_brain_terms: st.splitBrainTerms,
    messages_per_election: mean(st.electionFramesPer),
    election_messages: [...st.electionFramesPer],
    elections: { attempts: st.attempts, completed: st.completed, failed_attempts: st.splitVotes },
    battery_used_mAh: {
      total: r3(total),
      per_sensor_mean: r3(total / Math.max(1, s.n)),
      max_sensor: r3(used.length ? Math.max(...used) : 0),
      coordinator: coord >= 0 ? r3(s.v.used_uAh[coord]! / 1000) : null,
    },
    radio_frames: { tx: st.tx, rx: st.rx, election_tx: st.electionFrames, lost_after_retries: st.arqDropped },
    coordinator: coord >= 0 ? s.names[coord]! : null,
    term: coord >= 0 ? s.v.term[coord]! : null,
    coordinators_now: s.acting.length,
    max_coordinators_at_once: st.maxCoordinators,
    sensors: s.n,
    quorum: s.quorum,
  };
}
