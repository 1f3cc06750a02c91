/**
 * `lab check <file> [--model cas-register|kv] [--budget <steps>] [--timeout <seconds>]`
 *
 * Checks a recorded history for linearizability. Formats: Jepsen register logs
 * (`INFO  jepsen.util - 3	:invoke	:cas	[1 4]`, checked against a compare-and-set register)
 * and EDN-like key-value histories (`{:process 0, :type :invoke, :f :get, :key "1", :value nil}`,
 * checked against a key-value store partitioned by key). Without --model the format is
 * guessed from the first non-blank line.
 *
 * Output: a short summary (operations, partitions, time, search steps, and for a violation
 * the operations where the search got stuck), then the verdict alone on the LAST line:
 *   linearizable | not-linearizable | unknown
 * `unknown` means the search ran out of budget (default 20,000,000 steps or 60 s) before
 * deciding; it is never a guess. The exit code is 0 for all three verdicts; it is 2 for bad
 * input (unreadable file, malformed history: stderr names the line and the problem) or bad
 * arguments. A file with no operations (e.g. a run whose cluster never started) is
 * vacuously linearizable, and the summary says so.
 */
import { readFileSync } from 'node:fs';
import type { CliCommand, CliIO } from '../io';
import {
  casRegisterModel,
  checkHistory,
  detectFormat,
  HistoryParseError,
  kvModel,
  parseJepsenRegisterLog,
  parseKvHistory,
  type CheckOptions,
  type CheckResult,
  type KvInput,
  type KvOutput,
  type Model,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
} from '../../../src-shared/linearizability/index';

const USAGE = 'usage: lab check <file> [--model cas-register|kv] [--budget <steps>] [--timeout <seconds>]';
const DEFAULT_BUDGET = 20_000_000;
const DEFAULT_TIMEOUT_S = 60;
const MODELS = ['cas-register', 'kv'] as const;
type ModelName = (typeof MODELS)[number];

interface Args {
  file: string;
  model?: ModelName;
  budget: number;
  timeoutS: number;
}

function parseArgs(args: string[], io: CliIO): Args | undefined {
  let file: string | undefined;
  let model: ModelName | undefined;
  let budget = DEFAULT_BUDGET;
  let timeoutS = DEFAULT_TIMEOUT_S;
  const bad = (msg: string): undefined => {
    io.err(`lab check: ${msg}`);
    io.err(USAGE);
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let name: string | undefined;
    let value: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) value = a.slice(eq + 1);
      else if (name === 'model' || name === 'budget' || name === 'timeout') value = args[++i];
    }
    if (name === undefined) {
      if (file !== undefined) return bad(`unexpected argument '${a}' (one file at a time)`);
      file = a;
      continue;
    }
    if (value === undefined && (name === 'model' || name === 'budget' || name === 'timeout')) return bad(`--${name} needs a value`);
    if (name === 'model') {
      if (!(MODELS as readonly string[]).includes(value!)) return bad(`unknown model '${value}' (expected ${MODELS.join(' or ')})`);
      model = value as ModelName;
    } else if (name === 'budget') {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) return bad(`--budget must be a positive integer number of search steps, got '${value}'`);
      budget = n;
    } else if (name === 'timeout') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) return bad(`--timeout must be a positive number of seconds, got '${value}'`);
      timeoutS = n;
    } else {
      return bad(`unknown option '${a}'`);
    }
  }
  if (file === undefined) return bad('missing <file>');
  return { file, model, budget, timeoutS };
}

function describeOp<S, I, O>(model: Model<S, I, O>, op: Operation<I, O> | undefined): string {
  if (!op) return '?';
  const where = Number.isFinite(op.ret) ? `lines ${op.call}-${op.ret}` : `line ${op.call}, never completed`;
  return `#${op.id} process ${op.client}: ${model.describe(op.input, op.output, op.status)} (${where})`;
}

function summarize<S, I, O>(io: CliIO, result: CheckResult, model: Model<S, I, O>, ops: Operation<I, O>[], ms: number): void {
  const indet = ops.filter((o) => o.status === 'info').length;
  const failed = ops.filter((o) => o.status === 'fail').length;
  io.out(`operations: ${ops.length} (${ops.length - indet - failed} ok, ${failed} failed, ${indet} indeterminate)`);
  const counts = { linearizable: 0, 'not-linearizable': 0, unknown: 0 };
  for (const p of result.partitions) counts[p.verdict]++;
  const parts = [`${counts.linearizable} linearizable`, `${counts['not-linearizable']} not linearizable`];
  if (counts.unknown > 0) parts.push(`${counts.unknown} undecided`);
  io.out(`partitions: ${result.partitions.length} (${parts.join(', ')})`);
  io.out(`checked in ${ms.toFixed(1)} ms, ${result.explored} search steps`);
  if (ops.length === 0) io.out('no operations in this history: vacuously linearizable');
  const byId = new Map(ops.map((o) => [o.id, o]));
  for (const p of result.partitions) {
    if (p.verdict !== 'not-linearizable') continue;
    const label = p.key === '' ? 'history' : `partition ${JSON.stringify(p.key)}`;
    io.out(`${label}: not linearizable; longest linearizable prefix ${p.longestPrefix?.length ?? 0} of ${p.ops} operations; stuck at:`);
    for (const id of p.failingOps ?? []) io.out(`  ${describeOp(model, byId.get(id))}`);
  }
  if (result.verdict === 'not-linearizable' && counts.unknown > 0) {
    io.out('(the check stops at the first violation; undecided partitions were not searched to the end)');
  }
  if (result.verdict === 'unknown') io.out('search budget exhausted before a verdict (raise --budget / --timeout)');
}

function run<S, I, O>(io: CliIO, ops: Operation<I, O>[], model: Model<S, I, O>, opts: CheckOptions): CheckResult {
  const start = performance.now();
  const result = checkHistory(ops, model, opts);
  summarize(io, result, model, ops, performance.now() - start);
  return result;
}

export const checkCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, io);
  if (!parsed) return 2;
  let text: string;
  try {
    text = readFileSync(parsed.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    io.err(`lab check: cannot read '${parsed.file}': ${why}`);
    return 2;
  }

  let modelName = parsed.model;
  if (modelName === undefined) {
    const format = detectFormat(text);
    if (format === undefined && text.trim() !== '') {
      const lineNo = text.split('\n').findIndex((l) => l.trim() !== '') + 1;
      io.err(`${parsed.file}:${lineNo}: cannot tell the history format: expected a Jepsen log line ('INFO  jepsen.util - ...') or an EDN map ('{:process ...}'); pass --model to force one`);
      return 2;
    }
    modelName = format === 'kv-edn' ? 'kv' : 'cas-register';
  }

  let ops: Operation<unknown, unknown>[];
  try {
    ops = modelName === 'kv' ? parseKvHistory(text) : parseJepsenRegisterLog(text);
  } catch (e) {
    if (e instanceof HistoryParseError) {
      io.err(`${parsed.file}:${e.line}: malformed history (line ${e.line}): ${e.detail}`);
      return 2;
    }
    throw e;
  }

  io.out(`${parsed.file}: ${modelName === 'kv' ? 'key-value history, kv model (partitioned by key)' : 'Jepsen register log, cas-register model'}`);
  const stopAt = performance.now() + parsed.timeoutS * 1000;
  const opts = { budgetSteps: parsed.budget, deadline: () => performance.now() > stopAt };
  const result =
    modelName === 'kv'
      ? run(io, ops as Operation<KvInput, KvOutput>[], kvModel(), opts)
      : run(io, ops as Operation<RegisterInput, RegisterOutput>[], casRegisterModel(), opts);
  io.out(result.verdict);
  return 0;
};
