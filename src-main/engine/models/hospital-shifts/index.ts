/**
 * FT-1 "Hospital shift coordination during a communication blackout" — the protocol model.
 * See ./state.ts for the hospital, the nurses and the responsibility semantics, and
 * ./analysis.ts for the figures over seeds shown in the analysis panel.
 *
 * t = 0 is the blackout, 20 minutes before the shift change (`shift_change_ms`). Phones,
 * pagers and Wi-Fi are dead: every message is a person walking, its latency the walk.
 *
 * Strategies (`coordination`, `hold_until_signed`):
 *   posted       — the posted schedule: incoming nurse k of a ward takes the beds of
 *                  outgoing nurse k; no dynamic coordination. The outgoing nurse leaves
 *                  `leave_grace_ms` after the shift change with whatever is unsigned.
 *   coordinator  — incoming nurses check in with the ward's unit coordinator, who gives
 *                  out the lists and, at the check-in deadline, splits a no-show's beds
 *                  among those present (least acuity load). Unreachable coordinator:
 *                  after `checkin_timeout_ms` the nurses fall back to the posted schedule.
 *   buddy        — nurses are paired; each walks to her buddy on arrival; a buddy not
 *                  seen by the deadline has her beds taken over, and the news spreads
 *                  nurse to nurse (gossip) through the handoffs and the bedside sheets.
 *   hold         — the CP choice: posted schedule, but the outgoing nurse never leaves a
 *                  patient unsigned; after `hold_escalate_ms` she hands unmet beds to the
 *                  next nurse on the ward. No gap, paid for in overtime.
 * Every strategy also does bedside rounds `rounds_after_ms` after the shift change: a
 * patient found unattended is covered by the next nurse (the backstop of last resort).
 *
 * Evidence: `handoff-sheet` (signed by both nurses, or one for a bedside cover), `bedside`
 * (unattended patient found, or a second claim refused by the sheet), `heartbeat-missed`
 * (a nurse / buddy / coordinator expected and not seen), `lease-expiry` (an outgoing nurse's
 * shift ends with unsigned beds), `ack` (a critical alert handed over), and `probe` gauges
 * `phone_up` and `uncovered_known` per ward, which the scenario's transitions read.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { ModelContext, ModelDefinition, ScopeObservation } from '../../model-api';
import type { Alert, Coordination, HospitalState, Nurse, Params, Patient, Ward } from './state';
import { hospitalAnalysis } from './analysis';

type Ctx = ModelContext;

export const OFFICE = 'office';
export const SUPERVISOR = 'supervisor';
export const PHARMACY = 'pharmacy';
export const WARD_IDS = ['icu', 'medical', 'surgical', 'family'];
/** Acuity mix per ward (probabilities of acuity 1..4). */
const ACUITY: Record<string, number[]> = {
  icu: [0, 0.05, 0.35, 0.6],
  medical: [0.3, 0.4, 0.22, 0.08],
  surgical: [0.25, 0.45, 0.22, 0.08],
  family: [0.45, 0.35, 0.15, 0.05],
};

function readParams(ctx: Ctx): Params {
  const n = (k: string) => ctx.param<number>(k);
  return {
    coordination: ctx.param<string>('coordination') as Coordination,
    hold_until_signed: ctx.param<boolean>('hold_until_signed') === true,
    shift_change_ms: n('shift_change_ms'),
    arrive_earliest_ms: n('arrive_earliest_ms'),
    arrive_latest_ms: n('arrive_latest_ms'),
    checkin_deadline_ms: n('checkin_deadline_ms'),
    checkin_timeout_ms: n('checkin_timeout_ms'),
    meet_timeout_ms: n('meet_timeout_ms'),
    handoff_base_ms: n('handoff_base_ms'),
    handoff_per_acuity_ms: n('handoff_per_acuity_ms'),
    cover_ms: n('cover_ms'),
    leave_grace_ms: n('leave_grace_ms'),
    hold_escalate_ms: n('hold_escalate_ms'),
    rounds_after_ms: n('rounds_after_ms'),
    status_every_ms: n('status_every_ms'),
    phone_bound_ms: n('phone_bound_ms'),
    alerts: Math.max(0, Math.round(n('alerts'))),
    alert_window_ms: n('alert_window_ms'),
    alert_pharmacy_share: n('alert_pharmacy_share'),
    alert_deadline_ms: n('alert_deadline_ms'),
    alert_retry_ms: n('alert_retry_ms'),
    crisis_ms: n('crisis_ms'),
  };
}

function blankNurse(id: string, ward: number, shift: 'out' | 'in', k: number): Nurse {
  return {
    id,
    ward,
    shift,
    k,
    arrived: shift === 'out',
    departed: false,
    arrivedAt: shift === 'out' ? 0 : null,
    departedAt: null,
    holds: [],
    knows: [],
    queue: [],
    busy: false,
    pinnedUntil: 0,
    heardBuddy: false,
    checkedIn: false,
    fellBack: false,
    waitingMeet: {},
    list: [],
  };
}

function init(ctx: Ctx): HospitalState {
  const p = readParams(ctx);
  const wards: Ward[] = [];
  const patients: Patient[] = [];
  const nurses: Record<string, Nurse> = {};
  WARD_IDS.forEach((wid, wi) => {
    const nodes = ctx.topo.nodesOf.get(wid) ?? [];
    const outs = nodes.filter((x) => /-o\d+$/.test(x));
    const ins = nodes.filter((x) => /-i\d+$/.test(x));
    const uc = nodes.find((x) => x.endsWith('-uc')) ?? `${wid}-uc`;
    const beds = Math.max(1, Math.round(ctx.param<number>(`beds_${wid}`)));
    const first = patients.length;
    outs.forEach((id, k) => (nurses[id] = blankNurse(id, wi, 'out', k)));
    ins.forEach((id, k) => (nurses[id] = blankNurse(id, wi, 'in', k)));
    const mix = ACUITY[wid] ?? [0.25, 0.25, 0.25, 0.25];
    for (let b = 0; b < beds; b++) {
      const u = ctx.rng.next();
      let acc = 0;
      let acuity = 4;
      for (let a = 0; a < 4; a++) {
        acc += mix[a]!;
        if (u < acc) {
          acuity = a + 1;
          break;
        }
      }
      const out = outs[Math.floor((b * outs.length) / beds)]!;
      const posted = ins[Math.floor((b * ins.length) / beds)]!;
      const idx = patients.length;
      patients.push({ id: `${wid}-bed${String(b + 1).padStart(3, '0')}`, ward: wi, bed: b, acuity, out, outHeld: true, posted, claims: [], signedBy: null, sheetSeq: -1, chart: [], gapSince: null, doubleSince: null, lastSeq: -1, cover: false });
      nurses[out]!.holds.push(idx);
      nurses[out]!.list.push(idx);
      nurses[posted]!.list.push(idx);
    }
    wards.push({ id: wid, uc, beds, firstPatient: first, outs, ins, known: [], phoneUp: false, lastStatusSent: -1, lastAnswered: -1, lastDelayMs: null, board: {}, ucDecided: false, gaugeSeq: -1, lastMissSeq: -1, roundsDone: false });
  });
  // Critical alerts (new allergies, medication changes): a schedule drawn from the seed.
  const alerts: Alert[] = [];
  for (let a = 0; a < p.alerts; a++) {
    const created = Math.round(ctx.rng.next() * p.alert_window_ms);
    const patient = Math.floor(ctx.rng.next() * patients.length);
    const fromPharmacy = ctx.rng.chance(p.alert_pharmacy_share);
    alerts.push({
      id: a,
      patient,
      kind: fromPharmacy ? 'medication' : 'allergy',
      origin: fromPharmacy ? 'pharmacy' : 'bedside',
      created,
      due: Math.max(created, p.shift_change_ms) + p.alert_deadline_ms,
      delivered: null,
      tries: 0,
      acked: false,
      late: false,
      seq: -1,
    });
  }
  return {
    p,
    wards,
    patients,
    nurses,
    alerts,
    gapMs: 0,
    doubleMs: 0,
    gapEpisodes: 0,
    doubleEpisodes: 0,
    maxUnassigned: 0,
    handoffsSigned: 0,
    covers: 0,
    conflicts: 0,
    overtimeMs: 0,
    noShows: 0,
    walks: 0,
    alertDelays: [],
    allSignedAt: null,
    officeKnown: {},
    officePhones: {},
    officeReportSent: {},
    officePhoneUp: false,
    violated: {},
    phase: 'Blackout: phones, pagers and Wi-Fi are down; shift change in 20 minutes',
  };
}

// ── helpers ─────────────────────────────────────────────────────────────────────────

const present = (s: HospitalState, ctx: Ctx, id: string): boolean => {
  const n = s.nurses[id];
  return !!n && ctx.isUp(id) && n.arrived && !n.departed;
};

function walk(s: HospitalState, ctx: Ctx, from: string, to: string, kind: string, body: Record<string, unknown>): void {
  s.walks += 1;
  ctx.send(from, to, kind, { ...body, sent: ctx.now_ms });
}

function addUnique<T>(xs: T[], v: T): boolean {
  if (xs.includes(v)) return false;
  xs.push(v);
  return true;
}

function removeValue<T>(xs: T[], v: T): boolean {
  const i = xs.indexOf(v);
  if (i < 0) return false;
  xs.splice(i, 1);
  return true;
}

function handoffMs(s: HospitalState, p: Patient): number {
  return s.p.handoff_base_ms + p.acuity * s.p.handoff_per_acuity_ms;
}

// ── ward knowledge (evidence for the modes) ─────────────────────────────────────────

function recordKnown(s: HospitalState, ctx: Ctx, w: Ward, node: string, why: string): void {
  w.gaugeSeq = ctx.evidence('probe', w.id, node, { detail: { gauge: 'uncovered_known', value: w.known.length, why } });
}

function setKnown(s: HospitalState, ctx: Ctx, w: Ward, node: string, add: number[], remove: number[], why: string): void {
  let changed = false;
  for (const i of add) changed = addUnique(w.known, i) || changed;
  for (const i of remove) changed = removeValue(w.known, i) || changed;
  if (changed) recordKnown(s, ctx, w, node, why);
}

// ── the safety monitor (ground truth, event-driven) ──────────────────────────────────

function holders(s: HospitalState, ctx: Ctx, p: Patient): { all: string[]; incoming: string[] } {
  const all: string[] = [];
  if (p.outHeld && present(s, ctx, p.out)) all.push(p.out);
  const incoming = p.claims.filter((c) => present(s, ctx, c));
  return { all: [...all, ...incoming], incoming };
}

function gapCount(s: HospitalState): number {
  let n = 0;
  for (const p of s.patients) if (p.gapSince !== null) n += 1;
  return n;
}

function checkPatient(s: HospitalState, ctx: Ctx, pi: number): void {
  const p = s.patients[pi]!;
  const h = holders(s, ctx, p);
  const now = ctx.now_ms;
  const w = s.wards[p.ward]!;
  if (h.all.length === 0) {
    if (p.gapSince === null) {
      p.gapSince = now;
      s.gapEpisodes += 1;
      s.maxUnassigned = Math.max(s.maxUnassigned, gapCount(s));
      const cites = [p.lastSeq, w.lastMissSeq, w.gaugeSeq].filter((x) => x >= 0);
      ctx.violation(
        'one-nurse',
        `${p.id} (acuity ${p.acuity}) has no responsible nurse: outgoing ${p.out} ${p.outHeld ? 'is gone' : 'signed off'}, no incoming nurse on the ward holds the bed`,
        cites,
      );
    }
  } else if (p.gapSince !== null) {
    s.gapMs += now - p.gapSince;
    p.gapSince = null;
  }
  if (h.incoming.length >= 2) {
    if (p.doubleSince === null) {
      p.doubleSince = now;
      s.doubleEpisodes += 1;
      ctx.violation('one-nurse', `${p.id} is held by two incoming nurses at once (${h.incoming.join(' and ')}): double coverage`, [p.lastSeq].filter((x) => x >= 0));
    }
  } else if (p.doubleSince !== null) {
    s.doubleMs += now - p.doubleSince;
    p.doubleSince = null;
  }
  checkAlerts(s, ctx, pi, h.incoming);
  if (s.allSignedAt === null && now >= s.p.shift_change_ms) maybeAllSigned(s, ctx);
}

function maybeAllSigned(s: HospitalState, ctx: Ctx): void {
  for (const p of s.patients) {
    if (p.outHeld || p.signedBy === null || !present(s, ctx, p.signedBy)) return;
  }
  s.allSignedAt = ctx.now_ms;
}

function checkAlerts(s: HospitalState, ctx: Ctx, pi: number, incoming: string[]): void {
  for (const a of s.alerts) {
    if (a.patient !== pi || a.delivered !== null || a.created > ctx.now_ms) continue;
    const who = incoming.find((c) => s.nurses[c]!.knows.includes(a.id));
    if (!who) continue;
    a.delivered = ctx.now_ms;
    s.alertDelays.push(ctx.now_ms - a.created);
    const w = s.wards[s.patients[pi]!.ward]!;
    ctx.evidence('ack', w.id, who, { detail: { alert: a.id, patient: s.patients[pi]!.id, kind: a.kind, delivery_ms: ctx.now_ms - a.created } });
  }
}

function claim(s: HospitalState, ctx: Ctx, nurse: Nurse, pi: number): void {
  const p = s.patients[pi]!;
  addUnique(p.claims, nurse.id);
  addUnique(nurse.holds, pi);
  setKnown(s, ctx, s.wards[p.ward]!, nurse.id, [], [pi], `${nurse.id} holds ${p.id}`);
  checkPatient(s, ctx, pi);
}

function unclaim(s: HospitalState, ctx: Ctx, nurse: Nurse, pi: number): void {
  const p = s.patients[pi]!;
  removeValue(p.claims, nurse.id);
  removeValue(nurse.holds, pi);
  delete nurse.waitingMeet[p.out];
  checkPatient(s, ctx, pi);
}

// ── start, arrivals, check-in ───────────────────────────────────────────────────────

function start(s: HospitalState, ctx: Ctx): void {
  const S = s.p.shift_change_ms;
  for (const w of s.wards) {
    // The blackout itself is evidence: the coordinator picks up the phone, no dial tone.
    ctx.evidence('probe', w.id, w.uc, { detail: { gauge: 'phone_up', value: 0, why: 'no dial tone, pagers and Wi-Fi down' } });
    recordKnown(s, ctx, w, w.uc, 'posted schedule: every bed has a nurse');
    ctx.setTimer(w.uc, 1000, 'status', {});
    if (s.p.coordination === 'coordinator') ctx.setTimer(w.uc, S - s.p.checkin_deadline_ms, 'deadline', {});
    for (const id of w.ins) {
      const at = s.p.arrive_earliest_ms + ctx.rng.next() * (s.p.arrive_latest_ms - s.p.arrive_earliest_ms);
      ctx.setTimer(id, Math.round(at), 'arrive', {});
    }
    for (const id of w.outs) ctx.setTimer(id, S, 'shift-end', {});
    // Bedside rounds start within ±5 minutes of the planned time, ward by ward.
    ctx.setTimer(SUPERVISOR, S + s.p.rounds_after_ms + Math.round((ctx.rng.next() * 2 - 1) * 300_000), 'rounds', { ward: w.id });
  }
  ctx.evidence('probe', OFFICE, SUPERVISOR, { detail: { gauge: 'phone_up', value: 0, why: 'switchboard dead' } });
  ctx.evidence('probe', OFFICE, SUPERVISOR, { detail: { gauge: 'uncovered_known', value: 0, why: 'no ward has reported a gap' } });
  for (const a of s.alerts) ctx.setTimer(PHARMACY, a.created, 'alert', { id: a.id });
}

/** The nurse's buddy (pairs 1-2, 3-4, …; with an odd count the last nurse joins the last pair). */
function buddyOf(s: HospitalState, n: Nurse): string | undefined {
  const ins = s.wards[n.ward]!.ins;
  const k = n.k % 2 === 0 ? n.k + 1 : n.k - 1;
  return ins[k < ins.length ? k : n.k - 1];
}

/** Everyone who counts on hearing from this nurse: her buddy, and the odd one out of a trio. */
function helloTargets(s: HospitalState, n: Nurse): string[] {
  const ins = s.wards[n.ward]!.ins;
  const out = [buddyOf(s, n)];
  if (ins.length % 2 === 1 && n.k === ins.length - 2) out.push(ins[ins.length - 1]);
  return out.filter((x): x is string => !!x && x !== n.id);
}

function arrive(s: HospitalState, ctx: Ctx, n: Nurse): void {
  if (n.arrived) return;
  n.arrived = true;
  n.arrivedAt = ctx.now_ms;
  const w = s.wards[n.ward]!;
  const late = ctx.now_ms > s.p.shift_change_ms - s.p.checkin_deadline_ms;
  s.phase = `${n.id} arrives${late ? ' late' : ''}`;
  switch (s.p.coordination) {
    case 'coordinator':
      walk(s, ctx, n.id, w.uc, 'checkin', {});
      ctx.setTimer(n.id, s.p.checkin_timeout_ms, 'checkin-timeout', {});
      return;
    case 'buddy': {
      for (const b of helloTargets(s, n)) walk(s, ctx, n.id, b, 'hello', {});
      takeList(s, ctx, n, n.list);
      ctx.setTimer(n.id, Math.max(0, s.p.shift_change_ms - s.p.checkin_deadline_ms - ctx.now_ms), 'buddy-deadline', {});
      return;
    }
    default:
      takeList(s, ctx, n, n.list);
  }
}

/** Claims patients and walks to their outgoing nurses for the bedside handoff. */
function takeList(s: HospitalState, ctx: Ctx, n: Nurse, list: number[]): void {
  const byOut: Record<string, number[]> = {};
  for (const pi of list) {
    claim(s, ctx, n, pi);
    (byOut[s.patients[pi]!.out] ??= []).push(pi);
  }
  for (const [out, ps] of Object.entries(byOut)) requestMeet(s, ctx, n, out, ps);
}

function requestMeet(s: HospitalState, ctx: Ctx, n: Nurse, out: string, ps: number[]): void {
  const prev = n.waitingMeet[out] ?? [];
  n.waitingMeet[out] = [...new Set([...prev, ...ps])];
  walk(s, ctx, n.id, out, 'meet', { patients: ps });
  ctx.setTimer(n.id, s.p.meet_timeout_ms, 'meet-timeout', { out });
}

function ucCheckin(s: HospitalState, ctx: Ctx, w: Ward, from: string): void {
  const n = s.nurses[from];
  if (!n) return;
  n.checkedIn = true;
  // Before the deadline: the posted list. After it: whatever of the list the board still gives her.
  const list = w.ucDecided ? n.list.filter((pi) => (w.board[pi] ?? s.patients[pi]!.posted) === from) : n.list;
  for (const pi of list) w.board[pi] = from;
  ctx.evidence('heartbeat-seen', w.id, w.uc, { peer: from, detail: { checkin: true } });
  walk(s, ctx, w.uc, from, 'assign', { patients: list, reason: w.ucDecided && list.length < n.list.length ? 'late: your beds were reassigned' : 'your posted beds' });
}

function ucDeadline(s: HospitalState, ctx: Ctx, w: Ward): void {
  if (w.ucDecided) return;
  w.ucDecided = true;
  const missing = w.ins.filter((id) => !s.nurses[id]!.checkedIn);
  const here = w.ins.filter((id) => s.nurses[id]!.checkedIn);
  const load: Record<string, number> = {};
  for (const id of here) load[id] = s.nurses[id]!.list.reduce((a, pi) => a + s.patients[pi]!.acuity, 0);
  const extra: Record<string, number[]> = {};
  const orphaned: number[] = [];
  for (const id of missing) {
    w.lastMissSeq = ctx.evidence('heartbeat-missed', w.id, w.uc, { peer: id, detail: { round: 1, why: 'no check-in by the deadline' } });
    s.noShows += 1;
    for (const pi of s.nurses[id]!.list) orphaned.push(pi);
  }
  if (orphaned.length === 0) return;
  setKnown(s, ctx, w, w.uc, orphaned, [], `${missing.join(', ')} did not check in`);
  s.phase = `${w.uc}: ${missing.length} nurse(s) missing on ${w.id}; reassigning ${orphaned.length} beds`;
  for (const pi of orphaned) {
    const target = here.slice().sort((a, b) => load[a]! - load[b]! || a.localeCompare(b))[0];
    if (!target) break;
    load[target]! += s.patients[pi]!.acuity;
    w.board[pi] = target;
    (extra[target] ??= []).push(pi);
  }
  for (const [id, ps] of Object.entries(extra)) walk(s, ctx, w.uc, id, 'assign', { patients: ps, reason: `cover for ${missing.join(', ')}` });
}

// ── the outgoing nurse: bedside handoffs, leaving, holding ──────────────────────────

function onMeet(s: HospitalState, ctx: Ctx, o: Nurse, from: string, ps: number[]): void {
  if (!present(s, ctx, o.id)) return;
  const inN = s.nurses[from];
  if (!inN) return;
  const mine: number[] = [];
  for (const pi of ps) {
    const p = s.patients[pi]!;
    const promised = o.queue.some((q) => q.nurse !== from && q.patients.includes(pi));
    if ((!p.outHeld && p.signedBy && p.signedBy !== from) || promised) {
      // The sheet (or the queue at the bedside) shows another nurse: the second claim is refused.
      s.conflicts += 1;
      const by = p.signedBy ?? o.queue.find((q) => q.patients.includes(pi))!.nurse;
      p.lastSeq = ctx.evidence('bedside', s.wards[p.ward]!.id, o.id, { peer: from, detail: { patient: p.id, conflict: true, holder: by } });
      walk(s, ctx, o.id, from, 'refused', { patients: [pi], holder: by });
    } else if (p.outHeld) mine.push(pi);
  }
  walk(s, ctx, o.id, from, 'meet-ack', { patients: mine });
  if (mine.length === 0) return;
  const q = o.queue.find((x) => x.nurse === from);
  if (q) q.patients.push(...mine.filter((x) => !q.patients.includes(x)));
  else o.queue.push({ nurse: from, patients: mine });
  nextHandoff(s, ctx, o);
}

function nextHandoff(s: HospitalState, ctx: Ctx, o: Nurse): void {
  if (o.busy || !present(s, ctx, o.id)) return;
  while (o.queue.length) {
    const q = o.queue[0]!;
    const pi = q.patients.find((x) => s.patients[x]!.outHeld && s.patients[x]!.out === o.id);
    if (pi === undefined || !ctx.isUp(q.nurse)) {
      o.queue.shift();
      continue;
    }
    o.busy = true;
    const wait = Math.max(0, o.pinnedUntil - ctx.now_ms);
    ctx.setTimer(o.id, wait + handoffMs(s, s.patients[pi]!), 'handoff-step', { nurse: q.nurse, patient: pi });
    return;
  }
  maybeLeave(s, ctx, o);
}

function handoffStep(s: HospitalState, ctx: Ctx, o: Nurse, inId: string, pi: number): void {
  if (ctx.now_ms < o.pinnedUntil) {
    // A crisis called her away mid-handoff: the sheet waits until she is back.
    ctx.setTimer(o.id, o.pinnedUntil - ctx.now_ms + handoffMs(s, s.patients[pi]!) / 2, 'handoff-step', { nurse: inId, patient: pi });
    return;
  }
  o.busy = false;
  const p = s.patients[pi]!;
  const inN = s.nurses[inId]!;
  if (p.outHeld && present(s, ctx, inId) && p.claims.includes(inId)) {
    p.outHeld = false;
    removeValue(o.holds, pi);
    p.signedBy = inId;
    for (const a of p.chart) addUnique(inN.knows, a);
    for (const a of o.knows) if (s.alerts[a]!.patient === pi) addUnique(inN.knows, a);
    s.handoffsSigned += 1;
    p.sheetSeq = ctx.evidence('handoff-sheet', s.wards[p.ward]!.id, o.id, {
      peer: inId,
      detail: { patient: p.id, acuity: p.acuity, signers: [o.id, inId], alerts: p.chart.length, cover: false },
    });
    p.lastSeq = p.sheetSeq;
    delete inN.waitingMeet[o.id];
    checkPatient(s, ctx, pi);
  }
  const q = o.queue[0];
  if (q && q.nurse === inId) q.patients = q.patients.filter((x) => x !== pi);
  if (q && q.patients.length === 0) o.queue.shift();
  nextHandoff(s, ctx, o);
}

function shiftEnd(s: HospitalState, ctx: Ctx, o: Nurse): void {
  if (!present(s, ctx, o.id)) return;
  const w = s.wards[o.ward]!;
  const met = new Set(o.queue.flatMap((q) => q.patients));
  const unmet = o.holds.filter((pi) => s.patients[pi]!.outHeld && !met.has(pi) && s.patients[pi]!.claims.length === 0);
  if (unmet.length) {
    const expected = [...new Set(unmet.map((pi) => s.patients[pi]!.posted))];
    for (const e of expected) {
      w.lastMissSeq = ctx.evidence('heartbeat-missed', w.id, o.id, { peer: e, detail: { round: 1, why: 'incoming nurse not seen at the shift change' } });
      s.noShows += 1;
    }
    recordKnown(s, ctx, w, o.id, `${o.id} still holds ${unmet.length} beds nobody came for`);
  }
  if (s.p.hold_until_signed) ctx.setTimer(o.id, s.p.hold_escalate_ms, 'escalate', {});
  else ctx.setTimer(o.id, s.p.leave_grace_ms, 'leave', {});
  maybeLeave(s, ctx, o);
}

function maybeLeave(s: HospitalState, ctx: Ctx, o: Nurse, force = false): void {
  if (o.departed || !ctx.isUp(o.id) || ctx.now_ms < s.p.shift_change_ms) return;
  const held = o.holds.filter((pi) => s.patients[pi]!.outHeld);
  if (held.length > 0) {
    if (!force || s.p.hold_until_signed || o.busy || o.queue.length) return;
    // Posted schedule: the shift is over; the unsigned beds are left (a note at the station).
    const w = s.wards[o.ward]!;
    const unclaimed = held.filter((pi) => !s.patients[pi]!.claims.some((c) => present(s, ctx, c)));
    const seq = ctx.evidence('lease-expiry', w.id, o.id, { detail: { why: 'shift over: leaves with unsigned beds', unsigned: held.map((pi) => s.patients[pi]!.id), unclaimed: unclaimed.length } });
    for (const pi of held) {
      s.patients[pi]!.outHeld = false;
      s.patients[pi]!.lastSeq = seq;
    }
    o.holds = [];
    depart(s, ctx, o);
    setKnown(s, ctx, w, o.id, unclaimed, [], `${o.id} left ${unclaimed.length} beds nobody came for`);
    for (const pi of held) checkPatient(s, ctx, pi);
    return;
  }
  depart(s, ctx, o);
}

function depart(s: HospitalState, ctx: Ctx, o: Nurse): void {
  if (o.departed) return;
  o.departed = true;
  o.departedAt = ctx.now_ms;
  s.overtimeMs += Math.max(0, ctx.now_ms - s.p.shift_change_ms);
}

/** Hold (CP): after waiting, hand the unmet beds to the next nurse on the ward. */
function escalate(s: HospitalState, ctx: Ctx, o: Nurse): void {
  if (!present(s, ctx, o.id)) return;
  const met = new Set(o.queue.flatMap((q) => q.patients));
  const unmet = o.holds.filter((pi) => s.patients[pi]!.outHeld && !met.has(pi));
  if (unmet.length === 0) return maybeLeave(s, ctx, o);
  const w = s.wards[o.ward]!;
  const ins = w.ins;
  for (let d = 1; d <= ins.length; d++) {
    const cand = ins[(o.k + d) % ins.length]!;
    if (present(s, ctx, cand)) {
      s.phase = `${o.id} stays (overtime) and asks ${cand} to take ${unmet.length} unsigned beds`;
      walk(s, ctx, o.id, cand, 'handover-request', { patients: unmet });
      break;
    }
  }
  ctx.setTimer(o.id, s.p.hold_escalate_ms, 'escalate', {});
}

// ── the incoming nurse: meet timeouts, bedside covers, buddies ──────────────────────

function meetTimeout(s: HospitalState, ctx: Ctx, n: Nurse, out: string): void {
  const ps = n.waitingMeet[out];
  if (!ps || !present(s, ctx, n.id)) return;
  delete n.waitingMeet[out];
  // Nobody answered: walk to each bed and read the chart.
  const todo = ps.filter((pi) => n.holds.includes(pi) && s.patients[pi]!.signedBy !== n.id);
  todo.forEach((pi, i) => ctx.setTimer(n.id, (i + 1) * s.p.cover_ms, 'cover', { patient: pi }));
}

function cover(s: HospitalState, ctx: Ctx, n: Nurse, pi: number, found = false): void {
  if (!present(s, ctx, n.id)) return;
  const p = s.patients[pi]!;
  const w = s.wards[p.ward]!;
  if (ctx.now_ms < n.pinnedUntil) {
    ctx.setTimer(n.id, n.pinnedUntil - ctx.now_ms, 'cover', { patient: pi });
    return;
  }
  if (p.signedBy && p.signedBy !== n.id && present(s, ctx, p.signedBy)) {
    s.conflicts += 1;
    p.lastSeq = ctx.evidence('bedside', w.id, n.id, { detail: { patient: p.id, conflict: true, holder: p.signedBy } });
    unclaim(s, ctx, n, pi);
    return;
  }
  if (p.outHeld && present(s, ctx, p.out)) {
    requestMeet(s, ctx, n, p.out, [pi]);
    return;
  }
  if (found) p.lastSeq = ctx.evidence('bedside', w.id, n.id, { detail: { patient: p.id, unattended: true } });
  p.outHeld = false;
  p.signedBy = n.id;
  for (const a of p.chart) addUnique(n.knows, a);
  s.covers += 1;
  p.cover = true;
  p.sheetSeq = ctx.evidence('handoff-sheet', w.id, n.id, { detail: { patient: p.id, acuity: p.acuity, signers: [n.id], alerts: p.chart.length, cover: true } });
  p.lastSeq = p.sheetSeq;
  claim(s, ctx, n, pi);
}

function buddyDeadline(s: HospitalState, ctx: Ctx, n: Nurse): void {
  if (!present(s, ctx, n.id) || n.heardBuddy) return;
  const b = buddyOf(s, n);
  if (!b || b === n.id) return;
  const w = s.wards[n.ward]!;
  const bn = s.nurses[b]!;
  w.lastMissSeq = ctx.evidence('heartbeat-missed', w.id, n.id, { peer: b, detail: { round: 1, why: 'buddy not seen by the deadline' } });
  s.noShows += 1;
  setKnown(s, ctx, w, n.id, bn.list, [], `${n.id}'s buddy ${b} is missing`);
  s.phase = `${n.id} takes over buddy ${b}'s ${bn.list.length} beds`;
  takeList(s, ctx, n, bn.list.filter((pi) => !n.holds.includes(pi)));
}

function rounds(s: HospitalState, ctx: Ctx, w: Ward): void {
  w.roundsDone = true;
  for (let pi = w.firstPatient; pi < w.firstPatient + w.beds; pi++) {
    const p = s.patients[pi]!;
    if (holders(s, ctx, p).all.length > 0) continue;
    const ins = w.ins;
    const k = s.nurses[p.posted]!.k;
    for (let d = 1; d <= ins.length; d++) {
      const cand = s.nurses[ins[(k + d) % ins.length]!]!;
      if (present(s, ctx, cand.id)) {
        s.phase = `Rounds on ${w.id}: ${cand.id} finds ${p.id} unattended and covers`;
        cover(s, ctx, cand, pi, true);
        break;
      }
    }
  }
}

// ── alerts ─────────────────────────────────────────────────────────────────────────

function alertTarget(s: HospitalState, a: Alert): string {
  const p = s.patients[a.patient]!;
  const w = s.wards[p.ward]!;
  const before = a.tries === 0 && a.created < s.p.shift_change_ms - s.p.checkin_deadline_ms;
  const named = before ? p.out : p.posted;
  if (s.p.coordination === 'coordinator') return a.tries % 2 === 0 ? w.uc : named;
  if (s.p.coordination === 'buddy' && a.tries % 2 === 1 && !before) return buddyOf(s, s.nurses[p.posted]!) ?? named;
  return named;
}

function raiseAlert(s: HospitalState, ctx: Ctx, a: Alert): void {
  const p = s.patients[a.patient]!;
  const w = s.wards[p.ward]!;
  a.seq = ctx.evidence('probe', w.id, a.origin === 'pharmacy' ? PHARMACY : p.out, { detail: { gauge: 'alerts_raised', value: a.id + 1, alert: a.id, patient: p.id, kind: a.kind } });
  if (a.origin === 'bedside') {
    // Found at the bedside: the nurses there know it and write it on the chart.
    addUnique(p.chart, a.id);
    for (const h of holders(s, ctx, p).all) addUnique(s.nurses[h]!.knows, a.id);
    a.acked = true;
    checkPatient(s, ctx, a.patient);
    return;
  }
  sendAlert(s, ctx, a);
}

function sendAlert(s: HospitalState, ctx: Ctx, a: Alert): void {
  walk(s, ctx, PHARMACY, alertTarget(s, a), 'alert', { id: a.id, hops: 0 });
  ctx.setTimer(PHARMACY, s.p.alert_retry_ms, 'alert-retry', { id: a.id });
}

function onAlert(s: HospitalState, ctx: Ctx, to: string, from: string, id: number, hops: number): void {
  const a = s.alerts[id];
  if (!a) return;
  const p = s.patients[a.patient]!;
  const w = s.wards[p.ward]!;
  if (to === w.uc) {
    walk(s, ctx, to, from, 'alert-ack', { id });
    const target = w.board[a.patient] ?? (p.outHeld ? p.out : p.posted);
    if (hops < 3) walk(s, ctx, to, target, 'alert', { id, hops: hops + 1 });
    return;
  }
  const n = s.nurses[to];
  if (!n || !present(s, ctx, to)) return;
  const holds = (n.shift === 'out' && p.outHeld && p.out === to) || (n.shift === 'in' && p.claims.includes(to));
  walk(s, ctx, to, from, 'alert-ack', { id });
  if (holds) {
    addUnique(n.knows, id);
    addUnique(p.chart, id);
    checkPatient(s, ctx, a.patient);
    return;
  }
  const next = p.signedBy ?? p.posted;
  if (hops < 3 && next !== to) walk(s, ctx, to, next, 'alert', { id, hops: hops + 1 });
}

// ── status runners and phones ───────────────────────────────────────────────────────

function statusRound(s: HospitalState, ctx: Ctx, w: Ward): void {
  w.lastStatusSent = ctx.now_ms;
  walk(s, ctx, w.uc, SUPERVISOR, 'status', { ward: w.id, known: w.known.length });
  ctx.setTimer(w.uc, s.p.status_every_ms, 'status', {});
}

function onStatusAck(s: HospitalState, ctx: Ctx, w: Ward, reqSent: number): void {
  if (reqSent <= w.lastAnswered) return;
  w.lastAnswered = reqSent;
  w.lastDelayMs = ctx.now_ms - reqSent;
  const up = w.lastDelayMs <= s.p.phone_bound_ms;
  w.phoneUp = up;
  ctx.evidence('probe', w.id, w.uc, { peer: OFFICE, detail: { gauge: 'phone_up', value: up ? 1 : 0, rtt_ms: Math.round(w.lastDelayMs), why: up ? 'phone line to the office answers' : 'status carried by a runner' } });
}

function onStatus(s: HospitalState, ctx: Ctx, from: string, body: { ward: string; known: number; sent: number }): void {
  s.officeKnown[body.ward] = body.known;
  s.officeReportSent[body.ward] = Math.max(s.officeReportSent[body.ward] ?? 0, body.sent);
  const delay = ctx.now_ms - body.sent;
  s.officePhones[body.ward] = delay * 2 <= s.p.phone_bound_ms;
  // The office is back in touch only when every ward reports by phone.
  const up = s.wards.every((w) => s.officePhones[w.id] === true);
  if (up !== s.officePhoneUp) {
    s.officePhoneUp = up;
    ctx.evidence('probe', OFFICE, SUPERVISOR, { peer: body.ward, detail: { gauge: 'phone_up', value: up ? 1 : 0, delay_ms: Math.round(delay) } });
  }
  const total = Object.values(s.officeKnown).reduce((a, b) => a + b, 0);
  ctx.evidence('probe', OFFICE, SUPERVISOR, { peer: body.ward, detail: { gauge: 'uncovered_known', value: total, ward: body.ward, delay_ms: delay } });
  walk(s, ctx, SUPERVISOR, from, 'status-ack', { req: body.sent });
}

// ── tick: liveness deadlines ────────────────────────────────────────────────────────

function tick(s: HospitalState, ctx: Ctx): void {
  for (const a of s.alerts) {
    if (a.delivered !== null || a.late || ctx.now_ms <= a.due) continue;
    a.late = true;
    const p = s.patients[a.patient]!;
    ctx.violation(
      'alert-deadline',
      `Critical alert #${a.id} (${a.kind}, ${p.id}) has not reached the incoming nurse ${Math.round(s.p.alert_deadline_ms / 60000)} min after the shift change / its creation`,
      [a.seq, p.lastSeq].filter((x) => x >= 0),
    );
  }
}

// ── observe, metrics ────────────────────────────────────────────────────────────────

const minutes = (ms: number) => `${Math.max(1, Math.round(ms / 60000))}min`;

/** The office's staleness: the age of its oldest ward report (sent time → now). */
function officeRecency(s: HospitalState, ctx: Ctx): { value: string; basis: string } {
  const ages = s.wards.map((w) => (s.officeReportSent[w.id] === undefined ? null : ctx.now_ms - s.officeReportSent[w.id]!));
  if (ages.some((a) => a === null)) return { value: 'BS(δ_walk)', basis: 'some ward has not reported yet: the walking bound' };
  const worst = Math.max(...(ages as number[]));
  return s.officePhoneUp
    ? { value: `BS(${Math.max(1, Math.ceil(worst / 1000))}s)`, basis: 'every ward reports by phone' }
    : { value: `BS(${minutes(worst)})`, basis: `the oldest ward report is ${(worst / 60000).toFixed(1)} min old (runners)` };
}

function observe(s: HospitalState, ctx: Ctx, scope: string): ScopeObservation {
  if (scope === OFFICE) {
    const reported = Object.keys(s.officeKnown).length;
    const known = Object.values(s.officeKnown).reduce((a, b) => a + b, 0);
    return {
      scope: s.officePhoneUp && reported === s.wards.length
        ? { value: 'Global', basis: 'every ward reports by phone' }
        : { value: 'Range', basis: `${reported} of ${s.wards.length} wards reported, by runner` },
      order: known > 0 ? { value: 'None', basis: `${known} beds reported uncovered` } : { value: 'Lx', basis: 'each bed has one sheet, signed in order' },
      visibility: known > 0 ? { value: 'Fractured', basis: `${known} beds reported uncovered` } : { value: 'SER', basis: 'no ward reports a gap' },
      recency: officeRecency(s, ctx),
      idempotence: { value: 'Idem(patient)', basis: 'one sheet per bed' },
      auth: { value: 'Auth(signature)', basis: 'reports signed by the unit coordinators' },
    };
  }
  const wi = WARD_IDS.indexOf(scope);
  const w = s.wards[wi];
  if (!w) {
    return {
      scope: { value: 'Local', basis: 'not a ward' },
      order: { value: 'None', basis: 'not a ward' },
      visibility: { value: 'Fractured', basis: 'not a ward' },
      recency: { value: 'EO', basis: 'not a ward' },
      idempotence: { value: 'None', basis: 'not a ward' },
      auth: { value: 'Unauth', basis: 'not a ward' },
    };
  }
  let gaps = 0;
  let doubles = 0;
  let unsigned = 0;
  let signed = 0;
  for (let pi = w.firstPatient; pi < w.firstPatient + w.beds; pi++) {
    const p = s.patients[pi]!;
    if (p.gapSince !== null) gaps += 1;
    if (p.doubleSince !== null) doubles += 1;
    // Held on the schedule's word only: the outgoing nurse is gone and no sheet was signed.
    if (!p.outHeld && p.signedBy === null && p.claims.length > 0) unsigned += 1;
    if (p.signedBy !== null && !p.cover) signed += 1;
  }
  const known = w.known.length;
  const ev = [w.gaugeSeq].filter((x) => x >= 0);
  const delay = w.lastDelayMs;
  const coversHere = s.patients.slice(w.firstPatient, w.firstPatient + w.beds).filter((p) => p.cover).length;
  return {
    scope: w.phoneUp
      ? { value: 'Global', basis: `phone line to the office answers (round trip ${((delay ?? 0) / 1000).toFixed(1)} s)`, evidence: ev }
      : known > 0 || gaps > 0
        ? { value: 'Local', basis: known > 0 ? `the ward cannot vouch for ${known} beds: each nurse knows only her own list` : `${gaps} beds have no nurse`, evidence: ev }
        : { value: 'Range', basis: 'the ward agrees on its own beds by paper and walking; no view of other wards', evidence: ev },
    order: known > 0 || gaps > 0
      ? { value: 'None', basis: `${known || gaps} beds without a confirmed holder`, evidence: ev }
      : { value: 'Lx', basis: 'each bed is one register: the sheet is signed in order at the bedside, a second claim is refused', evidence: ev },
    visibility: known > 0 || gaps > 0
      ? { value: 'Fractured', basis: `${known || gaps} beds uncovered: the ward's picture is partial`, evidence: ev }
      : unsigned > 0
        ? { value: 'RA', basis: `${unsigned} beds held on the schedule's word without a signed sheet`, evidence: ev }
        : { value: 'SER', basis: `every bed has one holder (${signed} sheets signed)`, evidence: ev },
    recency: w.phoneUp
      ? { value: `BS(${Math.max(1, Math.ceil((delay ?? 0) / 1000))}s)`, basis: 'news travels by phone', evidence: ev }
      : delay !== null
        ? { value: `BS(${minutes(delay)})`, basis: `news walks: the last runner round trip to the office took ${(delay / 60000).toFixed(1)} min`, evidence: ev }
        : { value: 'BS(δ_walk)', basis: 'no runner back yet: the walking bound' },
    idempotence: doubles > 0
      ? { value: 'None', basis: `${doubles} beds held by two nurses`, evidence: ev }
      : { value: 'Idem(patient)', basis: 'one sheet per bed: signing twice changes nothing, a second claim is refused', evidence: ev },
    auth: gaps > 0 || known > 0
      ? { value: 'Unauth', basis: `${known || gaps} beds nobody has signed for`, evidence: ev }
      : coversHere > 0
        ? { value: 'Auth(bedside)', basis: `${coversHere} beds taken over at the bedside on one signature (the chart, not the outgoing nurse)`, evidence: ev }
        : { value: 'Auth(signature)', basis: `handoff sheets signed by both nurses (${signed})`, evidence: ev },
  };
}

function pctile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1))]!;
}

const roundMs = (x: number | null) => (x === null ? null : Math.round(x));

/** Medication changes from the pharmacy only (they travel by runner or phone): p50, and the mean per ward. */
function pharmacyDelivery(s: HospitalState): Record<string, MetricValue> {
  const done = s.alerts.filter((a) => a.origin === 'pharmacy' && a.delivered !== null);
  const by: Record<string, MetricValue> = {};
  for (const w of s.wards) {
    const ds = done.filter((a) => s.patients[a.patient]!.ward === s.wards.indexOf(w)).map((a) => a.delivered! - a.created);
    by[w.id] = ds.length ? Math.round(ds.reduce((x, y) => x + y, 0) / ds.length) : null;
  }
  return { p50: roundMs(pctile(done.map((a) => a.delivered! - a.created), 0.5)), n: done.length, mean_by_ward: by };
}

function metrics(s: HospitalState, ctx: Ctx): Record<string, MetricValue> {
  const now = ctx.now_ms;
  let openGap = 0;
  let openDouble = 0;
  let unassignedNow = 0;
  let doubleNow = 0;
  for (const p of s.patients) {
    if (p.gapSince !== null) {
      openGap += now - p.gapSince;
      unassignedNow += 1;
    }
    if (p.doubleSince !== null) {
      openDouble += now - p.doubleSince;
      doubleNow += 1;
    }
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const delivered = s.alerts.filter((a) => a.delivered !== null).length;
  const created = s.alerts.filter((a) => a.created <= now).length;
  const late = s.alerts.filter((a) => a.late).length;
  const perWard: Record<string, MetricValue> = {};
  for (const w of s.wards) {
    const ps = s.patients.slice(w.firstPatient, w.firstPatient + w.beds);
    perWard[w.id] = {
      beds: w.beds,
      unassigned_now: ps.filter((p) => p.gapSince !== null).length,
      signed: ps.filter((p) => p.signedBy !== null && !p.outHeld).length,
      known_uncovered: w.known.length,
      phone_up: w.phoneUp,
      nurses_in: w.ins.filter((id) => present(s, ctx, id)).length,
      nurses_out_on_ward: w.outs.filter((id) => present(s, ctx, id)).length,
    };
  }
  const openOvertime = Object.values(s.nurses).filter((n) => n.shift === 'out' && !n.departed && ctx.isUp(n.id)).reduce((a) => a + Math.max(0, now - s.p.shift_change_ms), 0);
  return {
    coordination: s.p.coordination,
    hold_until_signed: s.p.hold_until_signed,
    patients: s.patients.length,
    unassigned_patient_minutes: r1((s.gapMs + openGap) / 60000),
    unassigned_now: unassignedNow,
    max_unassigned: s.maxUnassigned,
    unassigned_episodes: s.gapEpisodes,
    double_coverage: s.doubleEpisodes,
    double_coverage_now: doubleNow,
    double_coverage_minutes: r1((s.doubleMs + openDouble) / 60000),
    handoffs_signed: s.handoffsSigned,
    bedside_covers: s.covers,
    bedside_conflicts: s.conflicts,
    handoff_done_ms: s.allSignedAt === null ? null : Math.round(Math.max(0, s.allSignedAt - s.p.shift_change_ms)),
    alert_delivery_ms: {
      p50: roundMs(pctile(s.alertDelays, 0.5)),
      p95: roundMs(pctile(s.alertDelays, 0.95)),
      max: roundMs(pctile(s.alertDelays, 1)),
      n: s.alertDelays.length,
    },
    alert_delivery_min: {
      p50: s.alertDelays.length ? Math.round(pctile(s.alertDelays, 0.5)! / 6000) / 10 : null,
      p95: s.alertDelays.length ? Math.round(pctile(s.alertDelays, 0.95)! / 6000) / 10 : null,
    },
    pharmacy_alert_delivery_ms: pharmacyDelivery(s),
    alerts: { raised: created, delivered, late, pending: created - delivered },
    alerts_late: late,
    overtime_minutes: r1((s.overtimeMs + openOvertime) / 60000),
    no_shows_detected: s.noShows,
    walks: s.walks,
    wards_phone_up: s.wards.filter((w) => w.phoneUp).length,
    per_ward: perWard,
  };
}

function roles(s: HospitalState): Record<string, string> {
  const r: Record<string, string> = { [SUPERVISOR]: 'house supervisor', [PHARMACY]: 'pharmacy' };
  for (const w of s.wards) r[w.uc] = 'unit coordinator';
  for (const n of Object.values(s.nurses)) r[n.id] = n.shift === 'out' ? (n.departed ? 'gone home' : 'outgoing nurse') : n.arrived ? 'incoming nurse' : 'not arrived';
  return r;
}

function viewExtras(s: HospitalState, ctx: Ctx): Record<string, MetricValue> {
  return {
    phase: s.phase,
    shift_change_ms: s.p.shift_change_ms,
    coordination: s.p.coordination,
    wards: s.wards.map((w) => ({
      id: w.id,
      beds: w.beds,
      // One character per bed: '.' one holder, '!' no holder, '2' two holders, 's' signed sheet.
      beds_state: s.patients
        .slice(w.firstPatient, w.firstPatient + w.beds)
        .map((p) => (p.gapSince !== null ? '!' : p.doubleSince !== null ? '2' : p.signedBy !== null && !p.outHeld ? 's' : '.'))
        .join(''),
      phone_up: w.phoneUp,
      known_uncovered: w.known.length,
      nurses: [...w.outs, ...w.ins].filter((id) => present(s, ctx, id)).length,
    })),
  };
}

export const hospitalShiftsModel: ModelDefinition<HospitalState> = {
  id: 'hospital-shifts',
  byzantineBehaviors: ['crisis'],
  init,
  start,
  onMessage(s, ctx, to, from, kind, body) {
    const b = body as { patients?: number[]; id?: number; hops?: number; req?: number; ward?: string; known?: number; sent: number; holder?: string };
    const w = s.wards.find((x) => x.uc === to);
    if (to === SUPERVISOR && kind === 'status') return onStatus(s, ctx, from, b as { ward: string; known: number; sent: number });
    if (kind === 'status-ack' && w) return onStatusAck(s, ctx, w, b.req!);
    if (kind === 'alert') return onAlert(s, ctx, to, from, b.id!, b.hops ?? 0);
    if (kind === 'alert-ack') {
      if (to === PHARMACY) s.alerts[b.id!]!.acked = true;
      return;
    }
    if (w && kind === 'checkin') return ucCheckin(s, ctx, w, from);
    const n = s.nurses[to];
    if (!n) return;
    if (kind === 'hello') {
      n.heardBuddy = true;
      return;
    }
    if (!present(s, ctx, to)) return;
    switch (kind) {
      case 'meet':
        return onMeet(s, ctx, n, from, b.patients ?? []);
      case 'meet-ack':
        delete n.waitingMeet[from];
        return;
      case 'refused':
        for (const pi of b.patients ?? []) unclaim(s, ctx, n, pi);
        return;
      case 'assign': {
        n.checkedIn = true;
        const ps = (b.patients ?? []).filter((pi) => !n.holds.includes(pi));
        return takeList(s, ctx, n, ps);
      }
      case 'handover-request':
        return takeList(s, ctx, n, (b.patients ?? []).filter((pi) => s.patients[pi]!.outHeld));
    }
  },
  onTimer(s, ctx, node, name, data) {
    const d = (data ?? {}) as { id: number; ward: string; out: string; patient: number; nurse: string };
    const w = s.wards.find((x) => x.uc === node);
    if (w && name === 'status') return statusRound(s, ctx, w);
    if (w && name === 'deadline') return ucDeadline(s, ctx, w);
    if (node === PHARMACY && name === 'alert') return raiseAlert(s, ctx, s.alerts[d.id]!);
    if (node === PHARMACY && name === 'alert-retry') {
      const a = s.alerts[d.id]!;
      if (a.acked || a.delivered !== null) return;
      a.tries += 1;
      return sendAlert(s, ctx, a);
    }
    if (node === SUPERVISOR && name === 'rounds') {
      const rw = s.wards.find((x) => x.id === d.ward);
      return rw ? rounds(s, ctx, rw) : undefined;
    }
    const n = s.nurses[node];
    if (!n) return;
    switch (name) {
      case 'arrive':
        return arrive(s, ctx, n);
      case 'checkin-timeout':
        if (n.checkedIn || !present(s, ctx, n.id)) return;
        n.fellBack = true;
        s.wards[n.ward]!.lastMissSeq = ctx.evidence('heartbeat-missed', s.wards[n.ward]!.id, n.id, { peer: s.wards[n.ward]!.uc, detail: { round: 1, why: 'coordinator did not answer the check-in: fall back to the posted schedule' } });
        recordKnown(s, ctx, s.wards[n.ward]!, n.id, 'coordinator unreachable: posted schedule');
        return takeList(s, ctx, n, n.list);
      case 'buddy-deadline':
        return buddyDeadline(s, ctx, n);
      case 'meet-timeout':
        return meetTimeout(s, ctx, n, d.out);
      case 'cover':
        return n.holds.includes(d.patient) ? cover(s, ctx, n, d.patient) : undefined;
      case 'handoff-step':
        return handoffStep(s, ctx, n, d.nurse, d.patient);
      case 'shift-end':
        return shiftEnd(s, ctx, n);
      case 'leave':
        return maybeLeave(s, ctx, n, true);
      case 'escalate':
        return escalate(s, ctx, n);
    }
  },
  onCrash(s, ctx, node) {
    const n = s.nurses[node];
    if (!n) return;
    n.busy = false;
    for (const pi of [...n.holds]) checkPatient(s, ctx, pi);
  },
  onRestart(s, ctx, node) {
    const w = s.wards.find((x) => x.uc === node);
    if (w) {
      ctx.setTimer(w.uc, 1000, 'status', {});
      if (s.p.coordination === 'coordinator' && !w.ucDecided && ctx.now_ms >= s.p.shift_change_ms - s.p.checkin_deadline_ms) ucDeadline(s, ctx, w);
      return;
    }
    const n = s.nurses[node];
    if (!n) return;
    if (!n.arrived) return arrive(s, ctx, n);
    for (const pi of [...n.holds]) checkPatient(s, ctx, pi);
    if (n.shift === 'out') nextHandoff(s, ctx, n);
  },
  onByzantine(s, ctx, node, behavior) {
    const n = s.nurses[node];
    if (!n || behavior !== 'crisis') return;
    const mine = n.holds.filter((pi) => (n.shift === 'out' ? s.patients[pi]!.outHeld : true));
    const pi = mine.sort((a, b) => s.patients[b]!.acuity - s.patients[a]!.acuity || a - b)[0];
    n.pinnedUntil = ctx.now_ms + s.p.crisis_ms;
    if (pi === undefined) return;
    const p = s.patients[pi]!;
    p.acuity = 4;
    const a: Alert = { id: s.alerts.length, patient: pi, kind: 'medication', origin: 'bedside', created: ctx.now_ms, due: Math.max(ctx.now_ms, s.p.shift_change_ms) + s.p.alert_deadline_ms, delivered: null, tries: 0, acked: true, late: false, seq: -1 };
    s.alerts.push(a);
    s.phase = `Crisis: ${p.id} deteriorates; ${n.id} is at the bedside for ${Math.round(s.p.crisis_ms / 60000)} min (new medication)`;
    a.seq = ctx.evidence('probe', s.wards[p.ward]!.id, n.id, { detail: { gauge: 'alerts_raised', value: a.id + 1, alert: a.id, patient: p.id, kind: 'medication', crisis: true } });
    addUnique(p.chart, a.id);
    addUnique(n.knows, a.id);
    checkPatient(s, ctx, pi);
  },
  tick,
  leader: (s) => s.wards[1]?.uc ?? s.wards[0]?.uc,
  observe,
  roles,
  viewExtras,
  metrics,
  analysis: hospitalAnalysis,
};
