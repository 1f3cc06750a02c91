/**
 * Indexes evidence as it is recorded, so that mode triggers (predicates over evidence)
 * can be evaluated cheaply. Heartbeat evidence becomes per-(scope, peer) streaks of
 * missed rounds: several observers missing the same peer in the same heartbeat round
 * count once, and any heartbeat seen from the peer resets the streak.
 */
import type { EvidenceRecord } from '../../../src-shared/timeline/records';

export interface Streak {
  misses: number;
  lastRound: number;
  /** seq of the missed-heartbeat records in the current streak (newest last, capped). */
  missSeqs: number[];
  lastSeenSeq: number | null;
}

export interface RecentEvidence {
  seq: number;
  t_ms: number;
  detail?: EvidenceRecord['detail'];
}

/** Plain, cloneable state (part of a checkpoint). */
export interface EvidenceIndexState {
  streaks: Record<string, Streak>;
  recent: Record<string, RecentEvidence[]>;
}

const RECENT_PER_KEY = 32;
const MISS_SEQS_KEPT = 8;

export function emptyEvidenceIndex(): EvidenceIndexState {
  return { streaks: {}, recent: {} };
}

export function streakKey(scope: string, peer: string): string {
  return `${scope}|${peer}`;
}

export function indexEvidence(state: EvidenceIndexState, rec: EvidenceRecord): void {
  remember(state, `${rec.scope}|${rec.type}`, rec);
  // Gauges share the `probe` type; index each gauge on its own so a busy one cannot push
  // another out of the window.
  if (rec.type === 'probe' && typeof rec.detail?.gauge === 'string') remember(state, gaugeKey(rec.scope, rec.detail.gauge), rec);

  if ((rec.type === 'heartbeat-missed' || rec.type === 'heartbeat-seen') && rec.peer) {
    const key = streakKey(rec.scope, rec.peer);
    const s = (state.streaks[key] ??= { misses: 0, lastRound: -1, missSeqs: [], lastSeenSeq: null });
    const round = typeof rec.detail?.round === 'number' ? rec.detail.round : rec.seq;
    if (rec.type === 'heartbeat-seen') {
      s.misses = 0;
      s.missSeqs = [];
      s.lastSeenSeq = rec.seq;
      s.lastRound = round;
    } else if (round !== s.lastRound || s.misses === 0) {
      s.misses += 1;
      s.lastRound = round;
      s.missSeqs.push(rec.seq);
      if (s.missSeqs.length > MISS_SEQS_KEPT) s.missSeqs.shift();
    }
  }
}

function remember(state: EvidenceIndexState, key: string, rec: EvidenceRecord): void {
  const list = (state.recent[key] ??= []);
  list.push({ seq: rec.seq, t_ms: rec.t_ms, detail: rec.detail });
  if (list.length > RECENT_PER_KEY) list.shift();
}

export function gaugeKey(scope: string, gauge: string): string {
  return `${scope}|probe:${gauge}`;
}

export function recentGauge(state: EvidenceIndexState, scope: string, gauge: string): RecentEvidence[] {
  return state.recent[gaugeKey(scope, gauge)] ?? [];
}

export function recentEvidence(state: EvidenceIndexState, scope: string, type: string): RecentEvidence[] {
  return state.recent[`${scope}|${type}`] ?? [];
}
