/**
 * The history service: records client operations on per-key read/write registers and
 * checks the live history for linearizability, window by window, within a step budget per
 * engine tick. Its verdicts feed the observed G-vector's Order (see Simulation.observe):
 * Order is earned from evidence, as Jepsen does, not asserted from a protocol's name.
 *
 * Model API (through ModelContext):
 *   const op = ctx.invoke('apac/reader', 'k2', { f: 'read' });      // at the call
 *   ctx.complete(op, 'ok', 'w17');                                   // the value read
 *   const w = ctx.invoke('apac/writer', 'k2', { f: 'write', value: 'w18' });
 *   ctx.complete(w, 'info');      // timed out: may or may not have taken effect
 * `fail` means definitely no effect. Write values must be unique per key (a write id).
 *
 * Windows (per key). The open window collects operations; at an engine tick it is CUT when
 * no write on its key is in flight and it is big or old enough (preferably when nothing at
 * all is in flight). Every definite write of a closed window then precedes, in real time,
 * every operation invoked after the cut, so the history decomposes at the cut: it is
 * linearizable iff each window is, from the states the window before can end in (a SET of
 * values, computed exactly — see ./history-window.ts). Operations that cross a cut are
 * handled by checking a merged span:
 *   - a read still in flight at the cut joins the next window; if it returns a value, that
 *     window is checked together with the window(s) back to the read's call;
 *   - an indeterminate write may take effect at any later time; a window whose reads return
 *     its value is checked together with the writer's window.
 * A merge needs the windows in between to be kept and linearizable; otherwise the window is
 * checked alone from "any value", with the operations it depends on included as floating
 * (still sound for violations). Unobserved writes never matter (values are unique).
 *
 * Verdicts: not linearizable only when a sub-history proves it (the window's minimal proof);
 * out of budget ⇒ unknown. After a violation or an unknown, the next window starts from any
 * value, and its linearizable verdict is relative ("from any start state").
 *
 * State is plain data inside the simulation state (checkpoints clone it): the open window
 * and the last KEEP_WINDOWS windows of each key, their operations, and small indexes.
 * Everything is deterministic: budgets are search steps, never wall time.
 */
import type { ComponentObservation } from '../model-api';
import type { Verdict } from '../../../src-shared/linearizability/history';
import type { HistoryOpView, HistoryView, HistoryWindowView, OpStatus } from '../../../src-shared/history/types';
import { ANY_STATE, INITIAL_STATE, checkWindow, describeStateSet, describeWindowOp, showValue, valueKey, type RegValue, type StateSet, type WindowOp } from './history-window';

export type { RegValue } from './history-window';

export type HistoryInput = { f: 'read' } | { f: 'write'; value: Exclude<RegValue, null> };
export type CompletionStatus = 'ok' | 'fail' | 'info';

export interface HistOp {
  id: number;
  client: string;
  scope: string;
  key: string;
  f: 'read' | 'write';
  /** write: the value written. */
  value?: RegValue;
  /** read, ok: the value returned. */
  output?: RegValue;
  status: OpStatus;
  call: number;
  ret: number | null;
  /** The window that was open when it was invoked. */
  w0: number;
  /** Completed as indeterminate by the service (pending too long). */
  auto?: true;
}

export interface WindowRec {
  id: number;
  key: string;
  from: number;
  to: number;
  ops: number[];
  verdict: 'queued' | Verdict;
  /** Completed operations dropped because the window overflowed (it is then not checked). */
  dropped: number;
  /** Set when checked: */
  start?: StateSet;
  end?: StateSet;
  /** The check covered windows spanFrom..id (a merged span), or was alone from any value (`alone`). */
  spanFrom?: number;
  alone?: boolean;
  /** Operations of other windows the check included (merged span or floating dependencies). */
  extra?: number[];
  linearization?: number[];
  offending?: number[];
  minimal?: boolean;
  stuck?: number;
  fail_at?: number;
  explored?: number;
  note?: string;
  /** Timeline records citing this window's verdict (verdict records first, then operations). */
  evidence?: number[];
  checked_ms?: number;
}

interface OpenWindow {
  id: number;
  from: number;
  ops: number[];
  dropped: number;
}

interface KeyState {
  open: OpenWindow;
  /** Closed windows, oldest first: the last KEEP_WINDOWS decided ones and any queued ones. */
  windows: WindowRec[];
  /** States the last decided window can end in: the start of the next window. */
  lastEnd: StateSet;
}

/** An indeterminate write, remembered after its window is gone (a later read of its value). */
interface InfoWrite {
  op: number;
  window: number;
  client: string;
  scope: string;
  call: number;
}

export interface ScopeKeyStatus {
  status: 'verified' | 'violated' | 'unknown';
  window: number;
  t_ms: number;
  /** The verdict's start was relative (from any value). */
  relative: boolean;
  evidence: number[];
  offending?: number;
}

export interface HistoryStats {
  ops: number;
  windows: number;
  linearizable: number;
  not_linearizable: number;
  unknown: number;
  merged: number;
  indeterminate: number;
  steps: number;
}

export interface HistoryState {
  nextOp: number;
  nextWindow: number;
  ops: Record<number, HistOp>;
  keys: Record<string, KeyState>;
  /** Closed windows waiting for their check, in cut order (per key order is preserved). */
  queue: { key: string; id: number }[];
  info: Record<string, InfoWrite>;
  infoOrder: string[];
  /** True once an indeterminate write was forgotten (info cap): unexplained reads are then unknown, not violations. */
  infoLost: boolean;
  /** scope → key → status of the latest decided window that involved the scope. */
  scopes: Record<string, Record<string, ScopeKeyStatus>>;
  stats: HistoryStats;
  /** Bumped on every change (views poll it). */
  version: number;
}

export interface HistoryLimits {
  /** A window is cut at a quiescent point once it has this many completed ops… */
  minOps: number;
  /** …or is this old (ms). */
  maxAge_ms: number;
  /** With reads still in flight, a window is cut once it has this many ops or is this old. */
  forceOps: number;
  forceAge_ms: number;
  /** An open window that grows past this many operations is not checked (unknown). */
  hardCap: number;
  /** Closed windows kept per key (for merges and the view). */
  keepWindows: number;
  /** A merged span may hold at most this many operations. */
  maxSpanOps: number;
  /** Search steps for a window's verdict; for its end states or minimal proof; per engine tick (windows are checked whole: the first window of a tick always runs). */
  windowBudget: number;
  proofBudget: number;
  tickBudget: number;
  /** At most this many offending operations are recorded on the timeline per violation. */
  maxCitedOps: number;
  /** A pending operation is completed as indeterminate after this long (ms). */
  pendingTimeout_ms: number;
  /** Indeterminate writes remembered after their window is gone. */
  maxInfo: number;
}

export const DEFAULT_LIMITS: HistoryLimits = {
  minOps: 24,
  maxAge_ms: 5_000,
  forceOps: 72,
  forceAge_ms: 15_000,
  hardCap: 400,
  keepWindows: 4,
  maxSpanOps: 480,
  windowBudget: 200_000,
  proofBudget: 400_000,
  tickBudget: 300_000,
  maxCitedOps: 12,
  pendingTimeout_ms: 10_000,
  maxInfo: 5_000,
};

export function emptyHistory(): HistoryState {
  return {
    nextOp: 1,
    nextWindow: 1,
    ops: {},
    keys: {},
    queue: [],
    info: {},
    infoOrder: [],
    infoLost: false,
    scopes: {},
    stats: { ops: 0, windows: 0, linearizable: 0, not_linearizable: 0, unknown: 0, merged: 0, indeterminate: 0, steps: 0 },
    version: 0,
  };
}

/** What the service needs from the engine: time, and recording evidence on the timeline. */
export interface HistoryHost {
  now_ms(): number;
  evidence(type: 'linearizability' | 'history-op', scope: string, node: string, detail: Record<string, string | number | boolean | string[] | number[]>): number;
}

export class HistoryError extends Error {
  override name = 'HistoryError';
}

const ORDER_RANK: Record<string, number> = { None: 0, Causal: 1, Lx: 2, SS: 3 };

function windowOp(o: HistOp): WindowOp {
  const input = o.f === 'write' ? { f: 'write' as const, value: o.value ?? null } : { f: 'read' as const };
  const status = o.status === 'pending' ? 'info' : o.status;
  const w: WindowOp = { id: o.id, client: 0, input, call: o.call, ret: o.ret ?? Infinity, status, key: o.key };
  if (o.f === 'read' && o.status === 'ok') w.output = o.output ?? null;
  return w;
}

function secs(t: number): string {
  return `${(t / 1000).toFixed(1)}s`;
}

export class HistoryService {
  constructor(
    private readonly host: HistoryHost,
    private readonly limits: HistoryLimits = DEFAULT_LIMITS,
  ) {}

  // ---- recording -------------------------------------------------------------------------

  invoke(st: HistoryState, client: string, scope: string, key: string, input: HistoryInput): number {
    if (typeof key !== 'string' || key === '') throw new HistoryError('history: invoke needs a non-empty key');
    if (input.f !== 'read' && input.f !== 'write') throw new HistoryError(`history: unknown operation ${JSON.stringify(input)}`);
    const ks = this.keyState(st, key);
    const now = this.host.now_ms();
    if (input.f === 'write') {
      const value = input.value;
      if (value === null || value === undefined || (typeof value !== 'string' && typeof value !== 'number')) {
        throw new HistoryError(`history: write on ${key} needs a string or number value`);
      }
      const vk = valueKey(value);
      for (const id of ks.open.ops) {
        const o = st.ops[id];
        if (o && o.f === 'write' && valueKey(o.value) === vk) throw new HistoryError(`history: value ${showValue(value)} written twice on key ${key} (write values must be unique per key)`);
      }
    }
    const id = st.nextOp++;
    const op: HistOp = { id, client, scope, key, f: input.f, status: 'pending', call: now, ret: null, w0: ks.open.id };
    if (input.f === 'write') op.value = input.value;
    st.ops[id] = op;
    ks.open.ops.push(id);
    if (ks.open.ops.length === 1) ks.open.from = now;
    st.stats.ops += 1;
    st.version += 1;
    return id;
  }

  complete(st: HistoryState, id: number, status: CompletionStatus, output?: RegValue): void {
    const op = st.ops[id];
    if (!op) {
      if (Number.isInteger(id) && id > 0 && id < st.nextOp) return; // its window is gone (or it was dropped): nothing to record
      throw new HistoryError(`history: complete(${id}): no such operation`);
    }
    if (op.status !== 'pending') {
      if (op.auto) return; // the service already gave up on it (pending too long)
      throw new HistoryError(`history: operation ${id} completed twice`);
    }
    if (status !== 'ok' && status !== 'fail' && status !== 'info') throw new HistoryError(`history: unknown status ${String(status)}`);
    this.finish(st, op, status, output);
  }

  private finish(st: HistoryState, op: HistOp, status: CompletionStatus, output?: RegValue): void {
    op.status = status;
    op.ret = status === 'info' ? null : this.host.now_ms();
    if (op.f === 'read' && status === 'ok') op.output = output === undefined ? null : output;
    if (status === 'info') st.stats.indeterminate += 1;
    if (op.f === 'write' && status === 'info') this.rememberInfo(st, op);
    st.version += 1;
  }

  private rememberInfo(st: HistoryState, op: HistOp): void {
    const vk = `${op.key}|${valueKey(op.value)}`;
    st.info[vk] = { op: op.id, window: op.w0, client: op.client, scope: op.scope, call: op.call };
    st.infoOrder.push(vk);
    if (st.infoOrder.length > this.limits.maxInfo) {
      delete st.info[st.infoOrder.shift()!];
      st.infoLost = true;
    }
  }

  private keyState(st: HistoryState, key: string): KeyState {
    let ks = st.keys[key];
    if (!ks) {
      ks = st.keys[key] = { open: { id: st.nextWindow++, from: this.host.now_ms(), ops: [], dropped: 0 }, windows: [], lastEnd: INITIAL_STATE };
    }
    return ks;
  }

  /** True once any operation was recorded: Order is then derived with the checker's verdicts. */
  active(st: HistoryState): boolean {
    return st.stats.ops > 0;
  }

  // ---- the tick: time out, cut, check ---------------------------------------------------

  tick(st: HistoryState): void {
    if (!this.active(st)) return;
    const now = this.host.now_ms();
    for (const key of Object.keys(st.keys)) {
      const ks = st.keys[key]!;
      this.expirePending(st, ks, now);
      this.maybeCut(st, key, ks, now);
    }
    let spent = 0;
    while (st.queue.length > 0 && spent < this.limits.tickBudget) {
      const { key, id } = st.queue.shift()!;
      const ks = st.keys[key]!;
      const rec = ks.windows.find((w) => w.id === id);
      if (!rec) continue;
      spent += this.check(st, ks, rec, now);
      this.evict(st, ks);
    }
  }

  private expirePending(st: HistoryState, ks: KeyState, now: number): void {
    for (const id of ks.open.ops) {
      const o = st.ops[id]!;
      if (o.status === 'pending' && now - o.call >= this.limits.pendingTimeout_ms) {
        o.auto = true;
        this.finish(st, o, 'info');
      }
    }
  }

  private maybeCut(st: HistoryState, key: string, ks: KeyState, now: number): void {
    const open = ks.open;
    if (open.ops.length === 0 && open.dropped === 0) return;
    let pendingWrites = 0;
    let pending = 0;
    for (const id of open.ops) {
      const o = st.ops[id]!;
      if (o.status !== 'pending') continue;
      pending++;
      if (o.f === 'write') pendingWrites++;
    }
    const done = open.ops.length - pending + open.dropped;
    const age = now - open.from;
    const L = this.limits;
    const cut = pendingWrites === 0 && done > 0 && (pending === 0 ? done >= L.minOps || age >= L.maxAge_ms : done >= L.forceOps || age >= L.forceAge_ms || open.dropped > 0);
    if (!cut) {
      // Never quiescent for writes: stop keeping completed ops; the window will be unknown.
      if (open.ops.length > L.hardCap) {
        const keep = open.ops.filter((id) => st.ops[id]!.status === 'pending');
        for (const id of open.ops) if (st.ops[id]!.status !== 'pending') delete st.ops[id];
        open.dropped += open.ops.length - keep.length;
        open.ops = keep;
        st.version += 1;
      }
      return;
    }
    const closed: WindowRec = { id: open.id, key, from: open.from, to: now, ops: [], verdict: 'queued', dropped: open.dropped };
    const carry: number[] = [];
    for (const id of open.ops) (st.ops[id]!.status === 'pending' ? carry : closed.ops).push(id);
    ks.windows.push(closed);
    st.queue.push({ key, id: closed.id });
    ks.open = { id: st.nextWindow++, from: now, ops: carry, dropped: 0 };
    st.version += 1;
  }

  /** Drops the oldest decided windows beyond the limit, with their operations. */
  private evict(st: HistoryState, ks: KeyState): void {
    let decided = ks.windows.filter((w) => w.verdict !== 'queued').length;
    while (decided > this.limits.keepWindows && ks.windows.length > 0 && ks.windows[0]!.verdict !== 'queued') {
      const w = ks.windows.shift()!;
      for (const id of w.ops) delete st.ops[id];
      decided--;
    }
  }

  // ---- checking one window ----------------------------------------------------------------

  /** Checks a closed window; returns the search steps spent. */
  private check(st: HistoryState, ks: KeyState, rec: WindowRec, now: number): number {
    rec.checked_ms = now;
    if (rec.dropped > 0) {
      rec.start = ks.lastEnd;
      return this.decide(st, ks, rec, { verdict: 'unknown', explored: 0, linearization: [], offending: [], minimal: false, end: ANY_STATE, note: `${rec.dropped + rec.ops.length} operations without a point where no write was in flight: not checked` }, []);
    }
    const own = rec.ops.map((id) => st.ops[id]!).filter(Boolean);
    // What this window depends on: reads that crossed a cut, and reads of indeterminate writes of earlier windows.
    let needFrom = rec.id;
    const floating: HistOp[] = [];
    let orphanUnknown: string | null = null;
    const writtenHere = new Set(own.filter((o) => o.f === 'write').map((o) => valueKey(o.value)));
    for (const o of own) {
      if (o.f !== 'read' || o.status !== 'ok') continue;
      if (o.w0 < rec.id) needFrom = Math.min(needFrom, o.w0);
      const vk = valueKey(o.output);
      if (writtenHere.has(vk)) continue;
      const inf = st.info[`${rec.key}|${vk}`];
      if (inf && inf.window < rec.id) {
        needFrom = Math.min(needFrom, inf.window);
        const w = st.ops[inf.op];
        floating.push(w ?? { id: inf.op, client: inf.client, scope: inf.scope, key: rec.key, f: 'write', value: o.output ?? null, status: 'info', call: inf.call, ret: null, w0: inf.window });
      } else if (!inf && st.infoLost && !ks.lastEnd.any && !ks.lastEnd.values.some((v) => valueKey(v) === vk)) {
        orphanUnknown = `a read returned ${showValue(o.output)}, which may come from an indeterminate write no longer remembered`;
      }
    }
    if (orphanUnknown) {
      rec.start = ks.lastEnd;
      return this.decide(st, ks, rec, { verdict: 'unknown', explored: 0, linearization: [], offending: [], minimal: false, end: ANY_STATE, note: orphanUnknown }, []);
    }

    let ops: HistOp[] = own;
    let start = ks.lastEnd;
    let extra: number[] = [];
    if (needFrom < rec.id) {
      // A merged span. It must begin where a check chain begins: a window in between that was
      // itself checked in a span reaching further back had a dependency across the cuts in
      // between, so the start states recorded at those cuts are supersets, not exact.
      let first = needFrom;
      for (let changed = true; changed; ) {
        changed = false;
        for (const w of ks.windows) {
          if (w.id >= first && w.id < rec.id && w.spanFrom !== undefined && w.spanFrom < first) {
            first = w.spanFrom;
            changed = true;
          }
        }
      }
      const idx = ks.windows.findIndex((w) => w.id === first);
      const span = idx < 0 ? [] : ks.windows.slice(idx, ks.windows.indexOf(rec));
      const spanOps = span.reduce((a, w) => a + w.ops.length, 0) + own.length;
      const mergeable =
        idx >= 0 && span.length > 0 && span.every((w) => w.verdict === 'linearizable' && w.dropped === 0 && w.start !== undefined) && spanOps <= this.limits.maxSpanOps;
      if (mergeable) {
        start = span[0]!.start!;
        extra = span.flatMap((w) => w.ops);
        ops = [...extra.map((id) => st.ops[id]!).filter(Boolean), ...own];
        rec.spanFrom = span[0]!.id;
        st.stats.merged += 1;
      } else {
        // Alone, from any value, with what it depends on floating (sound for violations).
        start = ANY_STATE;
        rec.alone = true;
        const ids = new Set(own.map((o) => o.id));
        for (const f of floating) {
          if (ids.has(f.id)) continue;
          ids.add(f.id);
          ops = [...ops, f];
          extra.push(f.id);
        }
      }
    }
    rec.start = start;
    rec.spanFrom ??= rec.id;
    if (extra.length) rec.extra = extra;
    const res = checkWindow(ops.map(windowOp), start, this.limits.windowBudget, this.limits.proofBudget);
    return this.decide(st, ks, rec, res, ops);
  }

  private decide(st: HistoryState, ks: KeyState, rec: WindowRec, res: ReturnType<typeof checkWindow>, ops: HistOp[]): number {
    rec.verdict = res.verdict;
    rec.explored = res.explored;
    rec.linearization = res.linearization;
    rec.offending = res.offending;
    rec.minimal = res.minimal;
    rec.end = res.end;
    if (res.stuck !== undefined) rec.stuck = res.stuck;
    if (res.fail_at !== undefined) rec.fail_at = res.fail_at;
    const notes = [res.note, rec.alone ? 'checked alone from any value: the windows it depends on are gone or not linearizable' : undefined].filter(Boolean);
    if (notes.length) rec.note = notes.join('; ');
    ks.lastEnd = res.end;
    st.stats.windows += 1;
    st.stats.steps += res.explored;
    if (res.verdict === 'linearizable') st.stats.linearizable += 1;
    else if (res.verdict === 'not-linearizable') st.stats.not_linearizable += 1;
    else st.stats.unknown += 1;
    this.attribute(st, rec, ops.length ? ops : rec.ops.map((id) => st.ops[id]!).filter(Boolean));
    st.version += 1;
    return res.explored;
  }

  /** Updates the per-scope statuses and records the timeline evidence of a decided window. */
  private attribute(st: HistoryState, rec: WindowRec, ops: HistOp[]): void {
    const now = this.host.now_ms();
    const relative = !(rec.start?.exact ?? false);
    const set = (scope: string, s: ScopeKeyStatus) => {
      (st.scopes[scope] ??= {})[rec.key] = s;
    };
    const own = new Set(rec.ops);
    const served = [...new Set(ops.filter((o) => own.has(o.id) && o.status === 'ok').map((o) => o.scope))];
    if (rec.verdict === 'linearizable') {
      for (const scope of served) set(scope, { status: 'verified', window: rec.id, t_ms: now, relative, evidence: [] });
      return;
    }
    if (rec.verdict === 'unknown') {
      for (const scope of served) {
        const prev = st.scopes[scope]?.[rec.key];
        if (prev?.status === 'violated') continue; // a violation stands until a later window verifies
        const seq = this.host.evidence('linearizability', scope, 'history-checker', {
          verdict: 'unknown',
          key: rec.key,
          window: rec.id,
          ops: ops.length,
          explored: rec.explored ?? 0,
          reason: rec.note ?? 'search budget exhausted',
        });
        rec.evidence = [...(rec.evidence ?? []), seq];
        set(scope, { status: 'unknown', window: rec.id, t_ms: now, relative, evidence: [seq] });
      }
      return;
    }
    // Not linearizable: cite the offending operations, then the verdict, for each scope whose
    // clients observed the inconsistent state (the ok reads of the proof; else every op's scope).
    // Only a scope that was not already in violation on this key gets new timeline records: a
    // violation stands until a later window verifies the key; repeats show in the history view.
    const byId = new Map(ops.map((o) => [o.id, o]));
    const offending = (rec.offending ?? []).map((id) => byId.get(id)).filter((o): o is HistOp => o !== undefined);
    const observers = offending.filter((o) => o.f === 'read' && o.status === 'ok');
    const scopes = [...new Set((observers.length ? observers : offending).map((o) => o.scope))].filter((sc) => st.scopes[sc]?.[rec.key]?.status !== 'violated');
    if (scopes.length === 0) return;
    const opSeqs: number[] = [];
    for (const o of offending.slice(0, this.limits.maxCitedOps)) {
      // The words first: the timeline shows the first few fields.
      const detail: Record<string, string | number | boolean | string[] | number[]> = {
        text: describeWindowOp(windowOp(o).input, o.output, o.status === 'pending' ? 'info' : o.status),
        key: o.key,
        call_ms: Math.round(o.call * 10) / 10,
        ret_ms: o.ret === null ? -1 : Math.round(o.ret * 10) / 10,
        window: rec.id,
        op: o.id,
        f: o.f,
        status: o.status,
      };
      if (o.f === 'write') detail.value = String(o.value);
      else if (o.status === 'ok') detail.value = o.output === null || o.output === undefined ? 'nil' : String(o.output);
      opSeqs.push(this.host.evidence('history-op', o.scope, o.client, detail));
    }
    const verdictSeqs: number[] = [];
    for (const scope of scopes) {
      const detail: Record<string, string | number | boolean | string[] | number[]> = {
        verdict: 'not-linearizable',
        key: rec.key,
        window: rec.id,
        offending: offending.map((o) => o.id),
        ops: ops.length,
        offending_records: opSeqs,
        minimal: rec.minimal ?? false,
        linearized: rec.linearization?.length ?? 0,
        explored: rec.explored ?? 0,
        start: describeStateSet(rec.start ?? ANY_STATE),
      };
      if (rec.fail_at !== undefined) detail.fail_at_ms = Math.round(rec.fail_at * 10) / 10;
      if (rec.spanFrom !== undefined && rec.spanFrom !== rec.id) detail.merged_from = rec.spanFrom;
      const seq = this.host.evidence('linearizability', scope, 'history-checker', detail);
      verdictSeqs.push(seq);
      set(scope, { status: 'violated', window: rec.id, t_ms: now, relative, evidence: [seq, ...opSeqs], offending: offending.length });
    }
    rec.evidence = [...verdictSeqs, ...opSeqs];
  }

  // ---- the G-vector's Order ---------------------------------------------------------------

  /**
   * The Order component for a scope, given the protocol-derived one from the model: capped
   * below Lx (at Causal) while a window involving the scope is proven not linearizable; Lx/SS
   * kept with a basis that says whether the checker has verified it.
   */
  order(st: HistoryState, scope: string, protocol: ComponentObservation): ComponentObservation {
    if (!this.active(st)) return protocol;
    const all = Object.entries(st.scopes[scope] ?? {});
    const violated = all.filter(([, s]) => s.status === 'violated').sort((a, b) => b[1].t_ms - a[1].t_ms);
    if (violated.length > 0) {
      const [key, v] = violated[0]!;
      const capped = (ORDER_RANK[protocol.value] ?? 0) > ORDER_RANK.Causal! ? 'Causal' : protocol.value;
      const keys = violated.map(([k]) => JSON.stringify(k)).join(', ');
      return {
        value: capped,
        basis: `not linearizable: the checker proved it on key ${keys} (window #${v.window} of ${JSON.stringify(key)}, ${v.offending ?? 0} offending operations, at t=${secs(v.t_ms)}); protocol: ${protocol.basis}`,
        evidence: [...new Set(violated.flatMap(([, s]) => s.evidence))].sort((a, b) => a - b),
      };
    }
    if ((ORDER_RANK[protocol.value] ?? 0) < ORDER_RANK.Lx!) return protocol;
    const verified = all.filter(([, s]) => s.status === 'verified');
    const unknown = all.filter(([, s]) => s.status === 'unknown');
    let basis: string;
    if (verified.length > 0 && unknown.length === 0) {
      const last = Math.max(...verified.map(([, s]) => s.t_ms));
      const rel = verified.some(([, s]) => s.relative) ? ' (from any start state: an earlier window was not linearizable or undecided)' : '';
      basis = `verified linearizable by the history checker on ${verified.length} key(s), last window at t=${secs(last)}${rel}; single-key operations, so also strictly serializable; protocol: ${protocol.basis}`;
    } else if (unknown.length > 0) {
      basis = `protocol: ${protocol.basis}; NOT verified: the history checker could not decide the latest window of key ${unknown.map(([k]) => JSON.stringify(k)).join(', ')}`;
    } else {
      basis = `protocol: ${protocol.basis}; not verified by the history checker yet (no checked window with operations served here)`;
    }
    return { ...protocol, basis };
  }

  // ---- views -------------------------------------------------------------------------------

  metrics(st: HistoryState): Record<string, number> {
    const s = st.stats;
    return { operations: s.ops, windows_checked: s.windows, linearizable: s.linearizable, not_linearizable: s.not_linearizable, unknown: s.unknown, merged_checks: s.merged, indeterminate: s.indeterminate };
  }

  view(st: HistoryState, title: string, maxOps = 2000): HistoryView {
    const opsAll = Object.values(st.ops).sort((a, b) => a.call - b.call || a.id - b.id);
    const ops = opsAll.length > maxOps ? opsAll.slice(opsAll.length - maxOps) : opsAll;
    const opViews: HistoryOpView[] = ops.map((o) => {
      const v: HistoryOpView = {
        id: o.id,
        client: o.client,
        key: o.key,
        f: o.f,
        label: o.status === 'pending' ? (o.f === 'write' ? `write(${showValue(o.value)}) …` : 'read() …') : describeWindowOp(windowOp(o).input, o.output, o.status),
        status: o.status,
        call: o.call,
        ret: o.ret,
        scope: o.scope,
      };
      return v;
    });
    const windows: HistoryWindowView[] = [];
    for (const [key, ks] of Object.entries(st.keys)) {
      for (const w of ks.windows) {
        const wv: HistoryWindowView = {
          id: w.id,
          key,
          from: w.from,
          to: w.to,
          ops: [...(w.extra ?? []), ...w.ops],
          verdict: w.verdict,
          linearization: w.linearization ?? [],
          offending: w.offending ?? [],
          explored: w.explored ?? 0,
        };
        if (w.start) wv.start = describeStateSet(w.start);
        if (w.stuck !== undefined) wv.stuck = w.stuck;
        if (w.fail_at !== undefined) wv.fail_at = w.fail_at;
        const notes = [w.note, w.spanFrom !== undefined && w.spanFrom !== w.id ? `checked together with windows #${w.spanFrom}…#${w.id}` : undefined].filter(Boolean);
        if (notes.length) wv.note = notes.join('; ');
        windows.push(wv);
      }
      if (ks.open.ops.length > 0) windows.push({ id: ks.open.id, key, from: ks.open.from, to: null, ops: [...ks.open.ops], verdict: 'open', linearization: [], offending: [], explored: 0 });
    }
    windows.sort((a, b) => a.from - b.from || a.id - b.id);
    const s = st.stats;
    const verdict: HistoryView['verdict'] = s.not_linearizable > 0 ? 'not-linearizable' : s.unknown > 0 ? 'unknown' : s.linearizable > 0 ? 'linearizable' : 'none';
    const summary =
      s.windows === 0
        ? `${s.ops} operations recorded; no window checked yet`
        : `${s.windows} windows checked: ${s.linearizable} linearizable, ${s.not_linearizable} not linearizable, ${s.unknown} unknown (${s.ops} operations)`;
    return {
      source: 'run',
      title,
      model: 'register per key (read/write)',
      time_unit: 'ms',
      verdict,
      ops: opViews,
      windows,
      truncated: s.ops - ops.length,
      explored: s.steps,
      budget: this.limits.windowBudget,
      summary,
    };
  }
}
