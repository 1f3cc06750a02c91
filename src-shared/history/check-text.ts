/**
 * Outside histories: a recorded Jepsen register log or EDN key-value history (the text of
 * a file), parsed and checked whole against its model, as a HistoryView for the history
 * view and for reports. Pure: the caller reads the file and chooses the budget.
 */
import {
  casRegisterModel,
  detectFormat,
  HistoryParseError,
  kvModel,
  parseJepsenRegisterLog,
  parseKvHistory,
  type Model,
  type Operation,
  type Verdict,
} from '../linearizability/index';
import { checkWithWitness, type PartitionWitness } from './witness';
import type { HistoryOpView, HistoryView, HistoryWindowView } from './types';

export type HistoryModelChoice = 'auto' | 'cas-register' | 'kv';

export interface CheckTextOptions {
  /** File name shown as the title. */
  name?: string;
  model?: HistoryModelChoice;
  budgetSteps: number;
  /** Polled during the search; true stops it (undecided partitions are `unknown`). */
  deadline?: () => boolean;
  /** Wall-clock reader for `elapsed_ms` (the caller's: src-shared reads no clock). */
  now?: () => number;
}

/** A history that cannot be read: names the line when it is a parse error. */
export class HistoryTextError extends Error {
  override name = 'HistoryTextError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

function opView<I, O>(model: Model<unknown, I, O>, op: Operation<I, O>): HistoryOpView {
  const f = (op.input as { f?: unknown }).f;
  return {
    id: op.id,
    client: `p${op.client}`,
    key: op.key ?? '',
    f: typeof f === 'string' ? f : '?',
    label: model.describe(op.input, op.output, op.status),
    status: op.status,
    call: op.call,
    ret: op.status === 'info' || !Number.isFinite(op.ret) ? null : op.ret,
  };
}

function windowView<I, O>(id: number, w: PartitionWitness, ops: readonly Operation<I, O>[]): HistoryWindowView {
  const byId = new Map(ops.map((o) => [o.id, o]));
  let from = Infinity;
  let to = -Infinity;
  for (const o of ops) {
    from = Math.min(from, o.call);
    to = Math.max(to, o.call, o.status !== 'info' && Number.isFinite(o.ret) ? o.ret : o.call);
  }
  const view: HistoryWindowView = {
    id,
    key: w.key,
    from: Number.isFinite(from) ? from : 0,
    to: Number.isFinite(to) ? to : 0,
    ops: ops.map((o) => o.id),
    verdict: w.verdict,
    start: 'nil',
    linearization: w.linearization,
    offending: w.failing,
    explored: w.explored,
  };
  if (w.stuck !== undefined) {
    view.stuck = w.stuck;
    const s = byId.get(w.stuck);
    if (s) view.fail_at = s.ret;
  }
  if (w.verdict === 'unknown') view.note = 'search budget exhausted before a verdict';
  return view;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summarize(verdict: Verdict, windows: HistoryWindowView[], ops: number, partitioned: boolean): string {
  if (ops === 0) return 'no operations: vacuously linearizable';
  if (verdict === 'linearizable') return `linearizable: ${plural(ops, 'operation')}${partitioned ? ` over ${plural(windows.length, 'key')}` : ''}`;
  if (verdict === 'unknown') return `unknown: the search budget ran out before a verdict (${plural(windows.filter((w) => w.verdict === 'unknown').length, 'partition')} undecided)`;
  const bad = windows.filter((w) => w.verdict === 'not-linearizable');
  const first = bad[0]!;
  const where = partitioned ? `key ${JSON.stringify(first.key)}${bad.length > 1 ? ` (and ${plural(bad.length - 1, 'other key')})` : ''}` : 'the register';
  return `not linearizable: ${where}; longest linearizable prefix ${first.linearization.length} of ${first.ops.length}; stuck at ${plural(first.offending.length, 'operation')}`;
}

/**
 * Parses `text` (format guessed from its first line unless `model` says) and checks it.
 * Throws HistoryTextError for text that is not a history (naming the line).
 */
export function checkHistoryText(text: string, opts: CheckTextOptions): HistoryView {
  let model = opts.model ?? 'auto';
  if (model === 'auto') {
    const format = detectFormat(text);
    if (format === undefined && text.trim() !== '') {
      const line = text.split('\n').findIndex((l) => l.trim() !== '') + 1;
      throw new HistoryTextError(
        `line ${line}: cannot tell the history format: expected a Jepsen log line ('INFO  jepsen.util - ...') or an EDN map ('{:process ...}')`,
        line,
      );
    }
    model = format === 'kv-edn' ? 'kv' : 'cas-register';
  }
  let ops: Operation<unknown, unknown>[];
  try {
    ops = model === 'kv' ? parseKvHistory(text) : parseJepsenRegisterLog(text);
  } catch (e) {
    if (e instanceof HistoryParseError) throw new HistoryTextError(`malformed history: line ${e.line}: ${e.detail}`, e.line);
    throw e;
  }
  const m = (model === 'kv' ? kvModel() : casRegisterModel()) as unknown as Model<unknown, unknown, unknown>;
  const t0 = opts.now?.();
  const result = checkWithWitness(ops, m, { budgetSteps: opts.budgetSteps, deadline: opts.deadline });
  const elapsed = t0 === undefined ? undefined : opts.now!() - t0;
  const parts = m.partition(ops);
  const windows = result.partitions.map((w, i) => windowView(i + 1, w, parts[i]!.ops));
  const view: HistoryView = {
    source: 'file',
    title: opts.name ?? 'history',
    model: model === 'kv' ? 'kv (partitioned by key)' : 'cas-register',
    time_unit: 'line',
    verdict: ops.length === 0 ? 'linearizable' : result.verdict,
    ops: ops.map((o) => opView(m, o)),
    windows,
    truncated: 0,
    explored: result.explored,
    budget: opts.budgetSteps,
    summary: summarize(result.verdict, windows, ops.length, model === 'kv'),
  };
  if (elapsed !== undefined) view.elapsed_ms = Math.round(elapsed * 10) / 10;
  return view;
}
