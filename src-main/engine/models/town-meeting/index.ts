/**
 * FT-2 "Consensus in a democratic town meeting without reliable vote counting" — the
 * protocol model. See ./state.ts for the hall and the hand vote, ./stats.ts for the
 * arithmetic (median, disagreement, the audit's Wilson interval), ./analysis.ts for the
 * probabilities over seeds shown in the analysis panel.
 *
 * Strategies (`method`):
 *   median  — the chair declares the median of the counters' tallies (Byzantine: the
 *             median tolerates f < n/2 lying counters, here 1 of 3).
 *   revote  — counters disagree by more than 5%: call the vote again (fresh hands, fresh
 *             noise), at most `max_rounds`; then the median, flagged contested.
 *   audit   — the median is provisional; interview a random sample of residents and
 *             escalate 50 → 100 → 200 → 400 → everyone until the 95% interval of the yes
 *             share clears 50%; counters whose tally falls outside it are accused and
 *             excluded (risk-limiting audit).
 *   commit  — written ballots: each resident posts a commitment H(vote, nonce) on a public
 *             board before the deadline, then opens it; counters tally the opened
 *             ballots and the chair checks every tally against the board. Exact and
 *             verifiable, but slower, and late residents are not counted.
 *
 * Modes are the engine's: the chair records `counter_disagreement_pct` gauges (probe
 * evidence) per scope, and the scenario's transitions map them to Target/Degraded/Floor.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { EvidenceDetail, ModelContext, ModelDefinition, ScopeObservation } from '../../model-api';
import type { EvidenceType } from '../../../../src-shared/timeline/records';
import type { CounterState, MeetingState, Method, Params, Report } from './state';
import {
  auditDecision,
  CHOICES,
  commitHash,
  disagreementPct,
  emptyTally,
  medianTally,
  outcomeOf,
  rigTally,
  round2,
  wilsonInterval,
  yesShare,
  type Choice,
  type Tally,
} from './stats';
import { meetingAnalysis } from './analysis';

type Ctx = ModelContext;

export const CHAIR = 'chair';
export const SECTION_IDS = ['front', 'middle', 'back'];
const SCOPES_ALL = ['meeting', 'counters', ...SECTION_IDS];
const AUDIT_STAGES = [1, 2, 4, 8];

function readParams(ctx: Ctx): Params {
  const n = (k: string) => ctx.param<number>(k);
  return {
    method: ctx.param<string>('method') as Method,
    rows: Math.max(1, Math.round(n('rows'))),
    seats: Math.max(1, Math.round(n('seats'))),
    counters: Math.round(n('counters')),
    yes_share: n('yes_share'),
    no_share: n('no_share'),
    motion_at_ms: n('motion_at_ms'),
    settle_ms: n('settle_ms'),
    row_ms: n('row_ms'),
    row_jitter_ms: n('row_jitter_ms'),
    late_hand_p: n('late_hand_p'),
    late_hand_ms: n('late_hand_ms'),
    ambiguous_p: n('ambiguous_p'),
    back_row_miss: n('back_row_miss'),
    side_miss: n('side_miss'),
    double_count_p: n('double_count_p'),
    tally_timeout_ms: n('tally_timeout_ms'),
    revote_threshold_pct: n('revote_threshold_pct'),
    max_rounds: Math.max(1, Math.round(n('max_rounds'))),
    revote_pause_ms: n('revote_pause_ms'),
    audit_sample: Math.max(1, Math.round(n('audit_sample'))),
    audit_interviewers: Math.max(1, Math.round(n('audit_interviewers'))),
    audit_interview_ms: n('audit_interview_ms'),
    audit_tolerance: n('audit_tolerance'),
    audit_z: n('audit_z'),
    audit_confidence: n('audit_confidence'),
    commit_window_ms: n('commit_window_ms'),
    commit_late_p: n('commit_late_p'),
    count_board_ms: n('count_board_ms'),
    rig_extra: n('rig_extra'),
    deadline_ms: n('decision_deadline_ms'),
  };
}

function init(ctx: Ctx): MeetingState {
  const p = readParams(ctx);
  const names: string[] = [];
  const sectionOf: number[] = [];
  SECTION_IDS.forEach((g, si) => {
    for (const id of ctx.topo.nodesOf.get(g) ?? []) {
      names.push(id);
      sectionOf.push(si);
    }
  });
  const n = Math.min(names.length, p.rows * p.seats);
  names.length = n;
  sectionOf.length = n;
  const truth: Choice[] = [];
  const trueTally = emptyTally();
  for (let i = 0; i < n; i++) {
    const u = ctx.rng.next();
    const v: Choice = u < p.yes_share ? 'yes' : u < p.yes_share + p.no_share ? 'no' : 'abstain';
    truth.push(v);
    trueTally[v] += 1;
  }
  const counterIds = ctx.topo.nodesOf.get('counters') ?? [];
  const active = Math.max(1, Math.min(counterIds.length, p.counters));
  const counters: CounterState[] = counterIds.map((id, k) => ({
    id,
    x: k < active ? (k + 0.5) / active : 0.5,
    active: k < active,
    rig: false,
    excluded: false,
    running: [0, 0, 0],
    counts: { yes: [0, 0, 0], no: [0, 0, 0], abstain: [0, 0, 0] },
    row: -1,
    call: null,
    dir: 1,
    reported: null,
    reportedRound: 0,
    sweepStart: 0,
    sweepMs: 0,
  }));
  const sectionSize = [0, 0, 0];
  sectionOf.forEach((s) => (sectionSize[s]! += 1));
  return {
    p,
    n,
    sectionOf,
    sectionSize,
    sectionIds: SECTION_IDS,
    names,
    truth,
    trueTally,
    raiseAfter: new Array<number>(n).fill(0),
    ambiguous: new Array<boolean>(n).fill(false),
    counters,
    round: 0,
    call: null,
    callAt: 0,
    phase: 'Waiting for the motion',
    reports: [],
    disagreement: null,
    sectionDisagreement: [null, null, null],
    gaugeSeqs: [],
    declared: null,
    decidedMs: null,
    audit: null,
    board: new Array<number>(n).fill(0),
    commitments: { posted: 0, late: 0, opened: 0, verified: 0, failed: 0, boardTally: null, hash: '' },
    interviewed: new Array<number>(n).fill(0),
    rounds: 0,
    decidedRound: 0,
    sweepMs: [],
    violated: {},
    events: [],
  };
}

function start(s: MeetingState, ctx: Ctx): void {
  ctx.setTimer(CHAIR, s.p.motion_at_ms, s.p.method === 'commit' ? 'ballots' : 'round', { round: 1 });
}

const SECTION_PREFIX: Record<string, number> = { f: 0, m: 1, b: 2 };
/** Resident id (f001, m017, b160) → index in the hall (front rows first), without a lookup table in the state. */
function residentIndex(s: MeetingState, id: string): number | undefined {
  const sec = SECTION_PREFIX[id[0] ?? ''];
  const k = Number(id.slice(1)) - 1;
  if (sec === undefined || !Number.isInteger(k) || k < 0) return undefined;
  let off = 0;
  for (let j = 0; j < sec; j++) off += s.sectionSize[j]!;
  const i = off + k;
  return i < s.n && s.names[i] === id ? i : undefined;
}
const activeCounters = (s: MeetingState) => s.counters.filter((c) => c.active);
const trustedCounters = (s: MeetingState) => s.counters.filter((c) => c.active && !c.excluded);

function everyScope(ctx: Ctx, type: EvidenceType, node: string, detail: EvidenceDetail, peer?: string): number[] {
  return SCOPES_ALL.map((scope) => ctx.evidence(type, scope, node, { detail, ...(peer ? { peer } : {}) }));
}

// ── hand votes ──────────────────────────────────────────────────────────────────────

function startRound(s: MeetingState, ctx: Ctx, round: number): void {
  s.round = round;
  s.rounds = round;
  s.reports = s.reports.filter((r) => r.round === round);
  for (let i = 0; i < s.n; i++) {
    const late = ctx.rng.chance(s.p.late_hand_p);
    s.raiseAfter[i] = late ? 4000 + ctx.rng.next() * s.p.late_hand_ms : 200 + ctx.rng.next() * 2300;
    s.ambiguous[i] = ctx.rng.chance(s.p.ambiguous_p);
  }
  for (const c of s.counters) {
    c.counts = { yes: [0, 0, 0], no: [0, 0, 0], abstain: [0, 0, 0] };
  }
  startCall(s, ctx, 'yes');
}

function callLength(s: MeetingState): number {
  return s.p.settle_ms + s.p.rows * (s.p.row_ms + s.p.row_jitter_ms) + 1500;
}

function startCall(s: MeetingState, ctx: Ctx, call: Choice): void {
  s.call = call;
  s.callAt = ctx.now_ms;
  s.phase = `Round ${s.round}: all ${call === 'yes' ? 'in favour' : call === 'no' ? 'opposed' : 'abstaining'}, raise your hands`;
  for (const c of activeCounters(s)) {
    if (!ctx.isUp(c.id)) continue;
    c.running = [0, 0, 0];
    c.call = call;
    c.row = -1;
    c.sweepStart = ctx.now_ms;
    const first = c.dir > 0 ? 0 : s.p.rows - 1;
    ctx.setTimer(c.id, s.p.settle_ms + ctx.rng.next() * 800, 'row', { round: s.round, call, row: first });
  }
  ctx.setTimer(CHAIR, callLength(s), 'close', { round: s.round, call });
}

/** A counter looks at one row: counts the hands it can see for the current call. */
function countRow(s: MeetingState, ctx: Ctx, c: CounterState, round: number, call: Choice, row: number): void {
  if (round !== s.round || call !== s.call || !c.active) return;
  c.row = row;
  const since = ctx.now_ms - s.callAt;
  const depth = s.p.rows > 1 ? row / (s.p.rows - 1) : 0;
  for (let seat = 0; seat < s.p.seats; seat++) {
    const i = row * s.p.seats + seat;
    if (i >= s.n || s.truth[i] !== call || s.raiseAfter[i]! > since) continue;
    let pSee = 1 - s.p.back_row_miss * depth * depth - s.p.side_miss * Math.abs((seat + 0.5) / s.p.seats - c.x);
    if (s.ambiguous[i]) pSee *= 0.5;
    if (ctx.rng.next() < pSee) {
      c.running[s.sectionOf[i]!]! += 1;
      if (ctx.rng.chance(s.p.double_count_p)) c.running[s.sectionOf[i]!]! += 1;
    }
  }
  const next = row + c.dir;
  if (next >= 0 && next < s.p.rows) {
    ctx.setTimer(c.id, s.p.row_ms + (ctx.rng.next() * 2 - 1) * s.p.row_jitter_ms, 'row', { round, call, row: next });
  } else {
    c.sweepMs = ctx.now_ms - c.sweepStart;
    s.sweepMs.push(c.sweepMs);
    if (s.sweepMs.length > 32) s.sweepMs.shift();
  }
}

function closeCall(s: MeetingState, ctx: Ctx, round: number, call: Choice): void {
  if (round !== s.round || call !== s.call) return;
  for (const c of activeCounters(s)) {
    c.counts[call] = [...c.running];
    c.row = -1;
    c.call = null;
  }
  const next = CHOICES[CHOICES.indexOf(call) + 1];
  if (next) {
    startCall(s, ctx, next);
    return;
  }
  s.call = null;
  s.phase = `Round ${round}: counters bring their tallies to the chair`;
  for (const c of activeCounters(s)) {
    if (!ctx.isUp(c.id)) continue;
    const sections = SECTION_IDS.map((_, si) => ({ yes: c.counts.yes[si]!, no: c.counts.no[si]!, abstain: c.counts.abstain[si]! }));
    const honest = sumTallies(sections);
    const total = c.rig ? rigTally(honest, s.p.rig_extra) : honest;
    ctx.send(c.id, CHAIR, 'tally', { round, total, sections: c.rig ? distribute(sections, honest, total) : sections });
  }
  ctx.setTimer(CHAIR, s.p.tally_timeout_ms, 'tally-timeout', { round });
}

function sumTallies(ts: readonly Tally[]): Tally {
  const t = emptyTally();
  for (const x of ts) for (const c of CHOICES) t[c] += x[c];
  return t;
}

/** Spreads a rigged total over the sections in proportion to the honest section counts. */
function distribute(sections: Tally[], honest: Tally, total: Tally): Tally[] {
  const out = sections.map((x) => ({ ...x }));
  for (const c of CHOICES) {
    let delta = total[c] - honest[c];
    for (let si = 0; si < out.length && delta !== 0; si++) {
      const share = si === out.length - 1 ? delta : Math.round(((total[c] - honest[c]) * (sections[si]![c] + 1)) / (honest[c] + sections.length));
      const d = Math.max(-out[si]![c], share);
      out[si]![c] += d;
      delta -= d;
    }
  }
  return out;
}

function onTally(s: MeetingState, ctx: Ctx, from: string, body: { round: number; total: Tally; sections: Tally[] }): void {
  if (body.round !== s.round || s.declared) return;
  const c = s.counters.find((x) => x.id === from);
  if (!c || s.reports.some((r) => r.counter === from && r.round === body.round)) return;
  const total = { ...body.total };
  const sections = body.sections.map((x) => ({ ...x }));
  c.reported = total;
  c.reportedRound = body.round;
  const seq = ctx.evidence('tally', 'counters', from, { detail: { round: body.round, yes: total.yes, no: total.no, abstain: total.abstain } });
  const sectionSeqs = SECTION_IDS.map((g, si) =>
    ctx.evidence('tally', g, from, { detail: { round: body.round, yes: sections[si]!.yes, no: sections[si]!.no, abstain: sections[si]!.abstain } }),
  );
  s.reports.push({ counter: from, round: body.round, total, sections, seq, sectionSeqs });
  const expected = trustedCounters(s).filter((x) => ctx.isUp(x.id)).length;
  const got = roundReports(s).length;
  if (got >= expected) decideRound(s, ctx);
}

const roundReports = (s: MeetingState): Report[] => s.reports.filter((r) => r.round === s.round && !s.counters.find((c) => c.id === r.counter)?.excluded);

/** The chair records the disagreement gauges (before anything that depends on them). */
function recordGauges(s: MeetingState, ctx: Ctx, reports: Report[]): void {
  const totals = reports.map((r) => r.total);
  s.disagreement = disagreementPct(totals, s.n);
  s.gaugeSeqs = [];
  const detail = (value: number, tallies: number[]): EvidenceDetail => ({ gauge: 'counter_disagreement_pct', value, counters: reports.length, round: s.round, tallies });
  s.gaugeSeqs.push(ctx.evidence('probe', 'meeting', CHAIR, { detail: detail(s.disagreement, reports.map((r) => r.seq)) }));
  s.gaugeSeqs.push(ctx.evidence('probe', 'counters', CHAIR, { detail: detail(s.disagreement, reports.map((r) => r.seq)) }));
  SECTION_IDS.forEach((g, si) => {
    const v = disagreementPct(reports.map((r) => r.sections[si]!), s.sectionSize[si]!);
    s.sectionDisagreement[si] = v;
    s.gaugeSeqs.push(ctx.evidence('probe', g, CHAIR, { detail: detail(v, reports.map((r) => r.sectionSeqs[si]!)) }));
  });
}

function decideRound(s: MeetingState, ctx: Ctx): void {
  if (s.declared || s.decidedRound >= s.round) return;
  s.decidedRound = s.round;
  const reports = roundReports(s);
  s.phase = `Deciding round ${s.round}`;
  if (reports.length === 0) {
    s.phase = `Round ${s.round}: no tally reached the chair`;
    return;
  }
  recordGauges(s, ctx, reports);
  const med = medianTally(reports.map((r) => r.total));
  const d = s.disagreement ?? 0;
  switch (s.p.method) {
    case 'median':
      declare(s, ctx, med, 'median of counters', false, d > s.p.revote_threshold_pct);
      return;
    case 'revote':
      if (d > s.p.revote_threshold_pct && s.round < s.p.max_rounds) {
        everyScope(ctx, 'version', CHAIR, { round: s.round + 1, reason: `counters disagree by ${d}% > ${s.p.revote_threshold_pct}%: re-vote` });
        s.phase = `Counters disagree by ${d}%: re-vote called (round ${s.round + 1})`;
        ctx.setTimer(CHAIR, s.p.revote_pause_ms, 'round', { round: s.round + 1 });
        return;
      }
      declare(s, ctx, med, s.round > 1 ? `median after ${s.round} votes` : 'median of counters', false, d > s.p.revote_threshold_pct);
      return;
    case 'audit':
      startAudit(s, ctx, outcomeOf(med));
      return;
    case 'commit':
      verifyAgainstBoard(s, ctx, reports);
      return;
  }
}

// ── audit ───────────────────────────────────────────────────────────────────────────

function startAudit(s: MeetingState, ctx: Ctx, provisional: 'yes' | 'no'): void {
  const order = Array.from({ length: s.n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(ctx.rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const stages = [...new Set([...AUDIT_STAGES.map((k) => Math.min(s.n, k * s.p.audit_sample)), s.n])].sort((a, b) => a - b);
  s.audit = { order, asked: 0, answered: 0, answers: emptyTally(), stage: 0, stages, low: 0, high: 1, share: 0.5, halfwidth: 0.5, decision: null, provisional, done: false };
  s.phase = `Audit: interviewing ${stages[0]} residents at random (provisional: ${provisional})`;
  for (let k = 0; k < s.p.audit_interviewers; k++) ctx.setTimer(CHAIR, k * 50, 'interview', {});
}

function interview(s: MeetingState, ctx: Ctx): void {
  const a = s.audit;
  if (!a || a.done || a.asked >= a.stages[a.stage]!) return;
  const i = a.order[a.asked]!;
  a.asked += 1;
  s.interviewed[i] = 1;
  ctx.send(CHAIR, s.names[i]!, 'ask', {});
  ctx.setTimer(CHAIR, s.p.audit_interview_ms, 'interview', {});
}

function onAnswer(s: MeetingState, ctx: Ctx, from: string, vote: Choice): void {
  const a = s.audit;
  const i = residentIndex(s, from);
  if (!a || a.done || i === undefined || s.interviewed[i] !== 1) return;
  s.interviewed[i] = 2;
  a.answered += 1;
  a.answers[vote] += 1;
  if (a.answered < a.stages[a.stage]!) return;
  const complete = a.answered >= s.n;
  const ci = wilsonInterval(a.answers.yes, a.answers.no, a.answered, s.n, s.p.audit_z);
  const decision = auditDecision(ci, complete, a.answers.yes, a.answers.no);
  Object.assign(a, { low: ci.low, high: ci.high, share: ci.share, halfwidth: ci.halfwidth, decision });
  const detail: EvidenceDetail = {
    n: a.answered,
    yes: a.answers.yes,
    no: a.answers.no,
    abstain: a.answers.abstain,
    share: ci.share,
    ci_low: ci.low,
    ci_high: ci.high,
    confidence: s.p.audit_confidence,
    decision,
  };
  const seqs = everyScope(ctx, 'audit-sample', CHAIR, detail);
  ctx.evidence('probe', 'meeting', CHAIR, { detail: { gauge: 'audit_ci_halfwidth_pct', value: round2(ci.halfwidth * 100) } });
  if (decision === 'escalate') {
    a.stage += 1;
    s.phase = `Audit: ${a.answered} interviewed, ${confLabel(s)} CI ${pct(ci.low)}–${pct(ci.high)} yes straddles 50%: sample ${a.stages[a.stage]}`;
    for (let k = 0; k < s.p.audit_interviewers; k++) ctx.setTimer(CHAIR, k * 50, 'interview', {});
    return;
  }
  a.done = true;
  // Counters whose yes share is outside the interval (with a tolerance for honest noise) are accused.
  for (const r of roundReports(s)) {
    const share = yesShare(r.total);
    if (share < ci.low - s.p.audit_tolerance || share > ci.high + s.p.audit_tolerance) accuse(s, ctx, r.counter, `yes share ${pct(share)} outside the audit's ${confLabel(s)} CI ${pct(ci.low)}–${pct(ci.high)}`, [r.seq, seqs[0]!]);
  }
  s.phase = `Audit decided: ${decision} (${confLabel(s)} CI ${pct(ci.low)}–${pct(ci.high)} yes, n=${a.answered})`;
  ctx.setTimer(CHAIR, 500, 'audit-declare', { decision });
}

function auditDeclare(s: MeetingState, ctx: Ctx, decision: 'yes' | 'no'): void {
  const reports = roundReports(s);
  if (reports.length) recordGauges(s, ctx, reports);
  const med = reports.length ? medianTally(reports.map((r) => r.total)) : emptyTally();
  const a = s.audit!;
  declare(s, ctx, med, a.decision === a.provisional ? 'median, confirmed by audit' : 'audit overturned the count', true, false, decision);
}

function accuse(s: MeetingState, ctx: Ctx, counter: string, why: string, cites: number[]): void {
  const c = s.counters.find((x) => x.id === counter);
  if (!c || c.excluded) return;
  c.excluded = true;
  everyScope(ctx, 'accusation', CHAIR, { why, cites }, counter);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const confLabel = (s: MeetingState) => `${Math.round(s.p.audit_confidence * 100)}%`;

// ── commitment ballots ──────────────────────────────────────────────────────────────

function startBallots(s: MeetingState, ctx: Ctx): void {
  s.round = 1;
  s.rounds = 1;
  s.phase = 'Ballots: write your vote, post its commitment on the board';
  for (let i = 0; i < s.n; i++) {
    const late = ctx.rng.chance(s.p.commit_late_p);
    const after = late ? s.p.commit_window_ms * (1 + ctx.rng.next()) : 3000 + ctx.rng.next() * (s.p.commit_window_ms - 8000);
    ctx.setTimer(s.names[i]!, after, 'commit', {});
  }
  ctx.setTimer(CHAIR, s.p.commit_window_ms, 'board-close', {});
}

function boardClose(s: MeetingState, ctx: Ctx): void {
  s.commitments.hash = commitHash(s.board.join(''));
  SECTION_IDS.forEach((g, si) => {
    let posted = 0;
    for (let i = 0; i < s.n; i++) if (s.sectionOf[i] === si && s.board[i] === 1) posted += 1;
    ctx.evidence('commitment', g, CHAIR, { detail: { phase: 'closed', posted, residents: s.sectionSize[si]!, board: s.commitments.hash } });
  });
  ctx.evidence('commitment', 'meeting', CHAIR, { detail: { phase: 'closed', posted: s.commitments.posted, residents: s.n, board: s.commitments.hash } });
  s.phase = `Board closed: ${s.commitments.posted} commitments; ballots are opened`;
  for (let i = 0; i < s.n; i++) if (s.board[i] === 1) ctx.send(CHAIR, s.names[i]!, 'open-request', {});
  ctx.setTimer(CHAIR, s.p.count_board_ms, 'board-count', {});
}

function boardCount(s: MeetingState, ctx: Ctx): void {
  const t = emptyTally();
  const sections = SECTION_IDS.map(() => emptyTally());
  for (let i = 0; i < s.n; i++) {
    if (s.board[i] !== 3) continue;
    t[s.truth[i]!] += 1;
    sections[s.sectionOf[i]!]![s.truth[i]!] += 1;
  }
  s.commitments.boardTally = t;
  ctx.evidence('commitment', 'meeting', CHAIR, { detail: { phase: 'opened', opened: s.commitments.opened, yes: t.yes, no: t.no, abstain: t.abstain, board: s.commitments.hash } });
  s.phase = 'Counters tally the opened ballots';
  for (const c of activeCounters(s)) {
    if (!ctx.isUp(c.id)) continue;
    const total = c.rig ? rigTally(t, s.p.rig_extra) : t;
    ctx.send(c.id, CHAIR, 'tally', { round: 1, total, sections: c.rig ? distribute(sections, t, total) : sections });
  }
  ctx.setTimer(CHAIR, s.p.tally_timeout_ms, 'tally-timeout', { round: 1 });
}

function verifyAgainstBoard(s: MeetingState, ctx: Ctx, reports: Report[]): void {
  const board = s.commitments.boardTally ?? emptyTally();
  for (const r of reports) {
    const ok = CHOICES.every((c) => r.total[c] === board[c]);
    ctx.evidence(ok ? 'sig-verified' : 'sig-failed', 'counters', CHAIR, { peer: r.counter, detail: { board: s.commitments.hash, yes: r.total.yes, no: r.total.no, board_yes: board.yes, board_no: board.no } });
    if (ok) s.commitments.verified += 1;
    else {
      s.commitments.failed += 1;
      accuse(s, ctx, r.counter, `tally ${r.total.yes}/${r.total.no} does not match the public board ${board.yes}/${board.no}`, [r.seq]);
    }
  }
  s.phase = 'Tallies checked against the board';
  ctx.setTimer(CHAIR, 500, 'board-declare', {});
}

function boardDeclare(s: MeetingState, ctx: Ctx): void {
  const reports = roundReports(s);
  if (reports.length) recordGauges(s, ctx, reports);
  declare(s, ctx, s.commitments.boardTally ?? emptyTally(), 'opened ballots, checked against the board', true, false);
}

// ── declaration and invariants ──────────────────────────────────────────────────────

function declare(s: MeetingState, ctx: Ctx, tally: Tally, method: string, certified: boolean, contested: boolean, forced?: 'yes' | 'no'): void {
  if (s.declared) return;
  const outcome = forced ?? outcomeOf(tally);
  const detail: EvidenceDetail = { outcome, yes: tally.yes, no: tally.no, abstain: tally.abstain, method, round: s.round, certified, contested };
  const seqs = everyScope(ctx, 'quorum-cert', CHAIR, detail);
  s.declared = { outcome, tally, method, round: s.round, certified, contested, t_ms: ctx.now_ms, seq: seqs[0]! };
  s.decidedMs = Math.round(ctx.now_ms - s.p.motion_at_ms);
  s.phase = `Declared: the motion ${outcome === 'yes' ? 'CARRIES' : 'FAILS'} (${tally.yes} yes / ${tally.no} no, ${method})`;
  for (const c of s.counters) c.row = -1;
  checkOutcome(s, ctx);
}

function checkOutcome(s: MeetingState, ctx: Ctx): void {
  const d = s.declared!;
  const truth = outcomeOf(s.trueTally);
  const cites = [d.seq, ...roundReports(s).map((r) => r.seq), ...s.gaugeSeqs.slice(0, 1)];
  if (d.outcome !== truth && !s.violated['correct-outcome']) {
    s.violated['correct-outcome'] = true;
    ctx.violation(
      'correct-outcome',
      `Declared "${d.outcome}" but the residents' true majority is "${truth}" (${s.trueTally.yes} yes / ${s.trueTally.no} no; declared ${d.tally.yes}/${d.tally.no} by ${d.method})`,
      cites,
    );
  }
  // Validity (Byzantine agreement): if every honest counter's tally shows the same winner,
  // the declared outcome is that winner; and a declared tally must be possible.
  const honest = s.reports.filter((r) => r.round === d.round && !s.counters.find((c) => c.id === r.counter)?.rig);
  const winners = new Set(honest.map((r) => outcomeOf(r.total)));
  const total = d.tally.yes + d.tally.no + d.tally.abstain;
  let why = '';
  if (total > s.n) why = `declared ${total} votes from ${s.n} residents`;
  else if (!d.certified && honest.length > 0 && winners.size === 1 && !winners.has(d.outcome)) why = `every honest counter's tally shows "${[...winners][0]}", the chair declared "${d.outcome}"`;
  else if (!d.certified && d.outcome !== outcomeOf(d.tally)) why = `declared "${d.outcome}" against its own tally ${d.tally.yes}/${d.tally.no}`;
  if (why && !s.violated.validity) {
    s.violated.validity = true;
    ctx.violation('validity', `Validity: ${why}`, cites);
  }
}

function tick(s: MeetingState, ctx: Ctx): void {
  if (!s.declared && !s.violated['decision-deadline'] && ctx.now_ms - s.p.motion_at_ms > s.p.deadline_ms) {
    s.violated['decision-deadline'] = true;
    ctx.violation('decision-deadline', `No outcome declared ${Math.round(s.p.deadline_ms / 60000)} minutes after the motion (${s.rounds} hand votes)`, s.gaugeSeqs.slice(0, 1));
  }
}

// ── the model ───────────────────────────────────────────────────────────────────────

function observe(s: MeetingState, _ctx: Ctx, scope: string): ScopeObservation {
  const si = SECTION_IDS.indexOf(scope);
  const d = si >= 0 ? s.sectionDisagreement[si]! : s.disagreement;
  const trusted = trustedCounters(s).length;
  const certified = !!s.declared?.certified;
  const ev = s.gaugeSeqs.slice(0, 1);
  const reports = roundReports(s);
  const winners = new Set(reports.map((r) => outcomeOf(r.total)));
  const board = s.p.method === 'commit';
  const sweep = s.sweepMs.length ? Math.max(...s.sweepMs) : null;
  const measured = d !== null;
  const late = s.commitments.late;
  return {
    scope: board && s.commitments.hash
      ? late > 0
        ? { value: 'Range', basis: `${late} residents missed the board's deadline: their votes are not in the count`, evidence: ev }
        : { value: 'Global', basis: 'every resident posted a commitment before the deadline', evidence: ev }
      : certified
        ? { value: 'Global', basis: `outcome certified independently of the counters (${s.declared!.method})`, evidence: [s.declared!.seq] }
        : trusted < 2
        ? { value: 'Local', basis: `only ${trusted} trusted counter: one view of the hall`, evidence: ev }
        : !measured
          ? { value: 'Global', basis: 'no tally yet: nothing measured contradicts the claim' }
          : s.sectionDisagreement.some((x) => (x ?? 0) > s.p.revote_threshold_pct) && !certified
            ? { value: 'Range', basis: `counters disagree by more than ${s.p.revote_threshold_pct}% in some section: those rows are not reliably counted`, evidence: ev }
            : { value: 'Global', basis: certified ? 'outcome certified independently of the hand count' : `every section counted within ${s.p.revote_threshold_pct}%`, evidence: ev },
    order: certified
      ? { value: 'Lx', basis: s.declared!.method, evidence: [s.declared!.seq] }
      : !measured
        ? { value: 'Lx', basis: 'no tally yet' }
        : winners.size <= 1 && d <= 1
          ? { value: 'Lx', basis: `all ${reports.length} counters agree within 1% on one outcome`, evidence: ev }
          : winners.size <= 1 && d <= s.p.revote_threshold_pct
            ? { value: 'Causal', basis: `counters agree on the winner but differ by ${d}%: the median decides`, evidence: ev }
            : { value: 'None', basis: winners.size > 1 ? 'counters disagree on the winner' : `counters disagree by ${d}%`, evidence: ev },
    visibility: certified || !measured || d <= 1
      ? { value: 'SER', basis: certified ? 'one verified snapshot of the votes' : measured ? `tallies agree within 1% (${d}%)` : 'no tally yet', evidence: ev }
      : d <= s.p.revote_threshold_pct
        ? { value: 'SI', basis: `tallies differ by ${d}%: late and ambiguous hands seen by some counters only`, evidence: ev }
        : { value: 'Fractured', basis: `tallies differ by ${d}%: the counters saw different votes`, evidence: ev },
    recency: board
      ? { value: 'Fresh(commitment)', basis: s.commitments.hash ? `board ${s.commitments.hash} closed; every opening checked` : 'board open', evidence: ev }
      : sweep === null
        ? { value: 'BS(δ_count)', basis: 'no sweep finished yet' }
        : { value: `BS(${Math.ceil(sweep / 1000)}s)`, basis: `a counter's sweep of the hall took up to ${(sweep / 1000).toFixed(1)} s: hands raised after it passed are missed`, evidence: ev },
    idempotence: board || (certified && s.audit?.done)
      ? { value: 'Idem(resident)', basis: board ? 'one commitment per resident on the board' : 'audit interviews each sampled resident once', evidence: ev }
      : { value: 'None', basis: 'a hand can be missed or counted twice' },
    auth: board
      ? { value: 'Auth(signed_commitment)', basis: s.commitments.hash ? `${s.commitments.verified} tallies verified against the board, ${s.commitments.failed} failed` : 'commitments posted on the public board', evidence: ev }
      : certified
        ? { value: 'Auth(audit)', basis: `audit of ${s.audit?.answered ?? 0} residents, ${confLabel(s)} CI ${pct(s.audit?.low ?? 0)}–${pct(s.audit?.high ?? 1)}`, evidence: ev }
        : !measured || d <= s.p.revote_threshold_pct
          ? { value: 'Auth(counter)', basis: 'sworn counters who agree within 5%', evidence: ev }
          : { value: 'Unauth', basis: `counters disagree by ${d}%: no counter's word settles it`, evidence: ev },
  };
}

function metrics(s: MeetingState): Record<string, MetricValue> {
  const truth = outcomeOf(s.trueTally);
  const a = s.audit;
  return {
    counter_disagreement_pct: s.disagreement,
    disagreement_by_section_pct: Object.fromEntries(SECTION_IDS.map((g, si) => [g, s.sectionDisagreement[si]!])),
    tallies: Object.fromEntries(
      activeCounters(s).map((c) => [c.id, { yes: c.reported?.yes ?? null, no: c.reported?.no ?? null, abstain: c.reported?.abstain ?? null, round: c.reportedRound, excluded: c.excluded, malicious: c.rig }]),
    ),
    declared: s.declared
      ? { outcome: s.declared.outcome, yes: s.declared.tally.yes, no: s.declared.tally.no, abstain: s.declared.tally.abstain, method: s.declared.method, round: s.declared.round, certified: s.declared.certified, contested: s.declared.contested }
      : null,
    true_tally: { ...s.trueTally, outcome: truth, margin_pct: round2((100 * Math.abs(s.trueTally.yes - s.trueTally.no)) / s.n) },
    wrong_outcome: s.declared ? (s.declared.outcome === truth ? 0 : 1) : null,
    decision_ms: s.decidedMs,
    rounds: s.rounds,
    audit_ci: a && a.decision ? { n: a.answered, share: a.share, low: a.low, high: a.high, ci: `${pct(a.low)}–${pct(a.high)}`, halfwidth_pct: round2(a.halfwidth * 100), confidence: s.p.audit_confidence, decision: a.decision } : null,
    commitments: s.p.method === 'commit' ? { posted: s.commitments.posted, late: s.commitments.late, opened: s.commitments.opened, verified: s.commitments.verified, failed: s.commitments.failed, board: s.commitments.hash } : null,
    excluded_counters: s.counters.filter((c) => c.excluded).map((c) => c.id),
    malicious_counters: s.counters.filter((c) => c.rig && c.active).length,
    counters: activeCounters(s).length,
    residents: s.n,
  };
}

function handString(s: MeetingState, now: number): string {
  const out: string[] = new Array<string>(s.n);
  const since = now - s.callAt;
  for (let i = 0; i < s.n; i++) {
    if (s.call && s.truth[i] === s.call && s.raiseAfter[i]! <= since) out[i] = s.ambiguous[i] ? '~' : '^';
    else out[i] = '.';
  }
  return out.join('');
}

function markString(s: MeetingState): string {
  const out: string[] = new Array<string>(s.n);
  for (let i = 0; i < s.n; i++) {
    const b = s.board[i]!;
    const q = s.interviewed[i]!;
    out[i] = q === 2 ? 'v' : q === 1 ? 's' : b === 3 ? 'o' : b === 1 ? 'c' : b === 2 ? 'l' : '.';
  }
  return out.join('');
}

export const townMeetingModel: ModelDefinition<MeetingState> = {
  id: 'town-meeting',
  byzantineBehaviors: ['rig'],
  init,
  start,
  onMessage(s, ctx, to, from, kind, body) {
    if (to === CHAIR && kind === 'tally') return onTally(s, ctx, from, body as { round: number; total: Tally; sections: Tally[] });
    const i = residentIndex(s, to);
    if (i !== undefined && kind === 'ask') return ctx.send(to, CHAIR, 'answer', { vote: s.truth[i]! });
    if (i !== undefined && kind === 'open-request') return ctx.send(to, CHAIR, 'open', { vote: s.truth[i]!, nonce: i * 7919 });
    if (to === CHAIR && kind === 'answer') return onAnswer(s, ctx, from, (body as { vote: Choice }).vote);
    if (to === CHAIR && kind === 'commit') {
      const r = residentIndex(s, from);
      if (r === undefined || s.board[r] !== 0) return;
      if (s.commitments.hash) {
        s.board[r] = 2;
        s.commitments.late += 1;
      } else {
        s.board[r] = 1;
        s.commitments.posted += 1;
      }
      return;
    }
    if (to === CHAIR && kind === 'open') {
      const r = residentIndex(s, from);
      const b = body as { vote: Choice; nonce: number };
      if (r === undefined || s.board[r] !== 1) return;
      // The opening must match the posted commitment (same vote, same nonce).
      if (commitHash(`${b.vote}|${b.nonce}`) === commitHash(`${s.truth[r]}|${r * 7919}`)) {
        s.board[r] = 3;
        s.commitments.opened += 1;
      }
    }
  },
  onTimer(s, ctx, node, name, data) {
    const d = data as { round: number; call: Choice; row: number; decision: 'yes' | 'no' };
    if (node === CHAIR) {
      if (name === 'round') return startRound(s, ctx, d.round);
      if (name === 'close') return closeCall(s, ctx, d.round, d.call);
      if (name === 'tally-timeout') return d.round === s.round && !s.declared ? decideRound(s, ctx) : undefined;
      if (name === 'interview') return interview(s, ctx);
      if (name === 'audit-declare') return auditDeclare(s, ctx, d.decision);
      if (name === 'ballots') return startBallots(s, ctx);
      if (name === 'board-close') return boardClose(s, ctx);
      if (name === 'board-count') return boardCount(s, ctx);
      if (name === 'board-declare') return boardDeclare(s, ctx);
      return;
    }
    if (name === 'row') {
      const c = s.counters.find((x) => x.id === node);
      if (c) countRow(s, ctx, c, d.round, d.call, d.row);
      return;
    }
    if (name === 'commit') {
      const i = residentIndex(s, node);
      if (i !== undefined) ctx.send(node, CHAIR, 'commit', { h: commitHash(`${s.truth[i]}|${i * 7919}`) });
    }
  },
  onCrash(s, _ctx, node) {
    const c = s.counters.find((x) => x.id === node);
    if (c) c.row = -1;
  },
  onByzantine(s, _ctx, node, behavior) {
    const c = s.counters.find((x) => x.id === node);
    if (c && behavior === 'rig') c.rig = true;
  },
  tick,
  leader: () => CHAIR,
  observe,
  roles(s) {
    const r: Record<string, string> = { [CHAIR]: 'chair' };
    for (const c of s.counters) r[c.id] = !c.active ? 'inactive' : c.excluded ? 'excluded' : 'counter';
    for (const n of s.names) r[n] = 'resident';
    return r;
  },
  viewExtras(s, ctx) {
    return {
      hall: { rows: s.p.rows, seats: s.p.seats, sections: SECTION_IDS.map((g, si) => ({ id: g, residents: s.sectionSize[si]! })) },
      call: s.call,
      round: s.round,
      phase: s.phase,
      method: s.p.method,
      hands: handString(s, ctx.now_ms),
      marks: markString(s),
      truth: s.declared ? s.truth.map((v) => v[0]).join('') : null,
      counters: activeCounters(s).map((c) => ({
        id: c.id,
        x: c.x,
        row: ctx.isUp(c.id) ? c.row : -1,
        running: c.running.reduce((a, b) => a + b, 0),
        call: c.call,
        yes: c.reported?.yes ?? null,
        no: c.reported?.no ?? null,
        abstain: c.reported?.abstain ?? null,
        excluded: c.excluded,
        malicious: c.rig,
        up: ctx.isUp(c.id),
      })),
      disagreement_pct: s.disagreement,
      declared: s.declared ? { outcome: s.declared.outcome, yes: s.declared.tally.yes, no: s.declared.tally.no, method: s.declared.method, certified: s.declared.certified } : null,
      audit: s.audit ? { n: s.audit.answered, target: s.audit.stages[Math.min(s.audit.stage, s.audit.stages.length - 1)]!, low: s.audit.low, high: s.audit.high, decision: s.audit.decision } : null,
      board: s.p.method === 'commit' ? { posted: s.commitments.posted, late: s.commitments.late, opened: s.commitments.opened, hash: s.commitments.hash } : null,
    };
  },
  metrics,
  analysis: meetingAnalysis,
};

