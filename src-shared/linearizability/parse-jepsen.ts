/**
 * Text → history parsers for the two recorded formats (pure; no file access here).
 *
 * 1. Jepsen register logs (etcd tests):
 *      INFO  jepsen.util - 3	:invoke	:cas	[1 4]
 *      INFO  jepsen.util - 3	:fail	:cas	[1 4]
 *    f is :read (invoke value nil), :write v or :cas [from to]; completions are :ok, :fail
 *    (a failed cas = the compare failed; a failed read = timed out, no effect) or :info
 *    (indeterminate: never completes). Fields are separated by tabs or spaces.
 * 2. EDN-like key-value histories, one map per line:
 *      {:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
 *    f is :get (invoke value nil; ok value = the string read, nil meaning ''), :put or :append.
 *
 * Times are 1-based line numbers: `call` = the invoke's line, `ret` = the completion's line
 * (Infinity for :info and for invocations still pending at the end of the text, which are
 * indeterminate). Operation ids are 0, 1, 2… in invocation order. Blank lines are ignored;
 * anything else that is not understood throws HistoryParseError naming the line.
 */
import type { Operation, Status } from './history';
import type { KvInput, KvOutput, RegisterInput, RegisterOutput, RegValue } from './models';

export class HistoryParseError extends Error {
  override name = 'HistoryParseError';
  constructor(
    /** 1-based line number. */
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

export type HistoryFormat = 'jepsen-register' | 'kv-edn';

/** Guesses the format from the first non-blank line; undefined for blank text or unknown shapes. */
export function detectFormat(text: string): HistoryFormat | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('{')) return 'kv-edn';
    if (/^INFO\s+jepsen\.util\b/.test(line)) return 'jepsen-register';
    return undefined;
  }
  return undefined;
}

type JepsenType = 'invoke' | 'ok' | 'fail' | 'info';
const TYPES: ReadonlySet<string> = new Set(['invoke', 'ok', 'fail', 'info']);

interface Pending {
  index: number;
  line: number;
  f: string;
}

/** Bookkeeping shared by both formats: pairs each completion with its process's invocation. */
class Pairer<I, O> {
  readonly ops: Operation<I, O>[] = [];
  private readonly pending = new Map<number, Pending>();

  invoke(lineNo: number, proc: number, f: string, input: I, key?: string): void {
    const p = this.pending.get(proc);
    if (p) {
      throw new HistoryParseError(lineNo, `process ${proc} invokes :${f} while its :${p.f} from line ${p.line} is still pending`);
    }
    const op: Operation<I, O> = { id: this.ops.length, client: proc, input, call: lineNo, ret: Infinity, status: 'info' };
    if (key !== undefined) op.key = key;
    this.pending.set(proc, { index: op.id, line: lineNo, f });
    this.ops.push(op);
  }

  /** The pending operation a completion line refers to (checked for a matching f). */
  pendingFor(lineNo: number, proc: number, type: string, f: string): Operation<I, O> {
    const p = this.pending.get(proc);
    if (!p) throw new HistoryParseError(lineNo, `process ${proc} reports :${type} :${f} but has no pending invocation`);
    if (p.f !== f) {
      throw new HistoryParseError(lineNo, `process ${proc} reports :${type} :${f} but its pending invocation (line ${p.line}) is :${p.f}`);
    }
    return this.ops[p.index];
  }

  complete(lineNo: number, proc: number, op: Operation<I, O>, status: Status, output?: O): void {
    this.pending.delete(proc);
    op.status = status;
    op.ret = status === 'info' ? Infinity : lineNo;
    if (output !== undefined) op.output = output;
  }
}

// ---------------------------------------------------------------------------------------
// Jepsen register logs

const JEPSEN_PREFIX = /^INFO\s+jepsen\.util\s+-\s+/;
const JEPSEN_FIELDS = /^(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/;
const INT = /^-?\d+$/;
const PAIR = /^\[\s*(-?\d+)\s*,?\s+(-?\d+)\s*\]$/;

function parseInt53(text: string, lineNo: number, what: string): number {
  const v = Number(text);
  if (!Number.isSafeInteger(v)) throw new HistoryParseError(lineNo, `${what} ${text} is not a safe integer`);
  return v;
}

function showValue(text: string | undefined): string {
  return text === undefined || text === '' ? 'nothing' : `'${text}'`;
}

/** Parses a Jepsen register / cas-register log (the etcd test logs). */
export function parseJepsenRegisterLog(text: string): Operation<RegisterInput, RegisterOutput>[] {
  const pairs = new Pairer<RegisterInput, RegisterOutput>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const prefix = JEPSEN_PREFIX.exec(line);
    if (!prefix) {
      throw new HistoryParseError(lineNo, `not a Jepsen history line: expected 'INFO  jepsen.util - <process> <:type> <:f> <value>', got '${clip(line)}'`);
    }
    const m = JEPSEN_FIELDS.exec(line.slice(prefix[0].length));
    if (!m) throw new HistoryParseError(lineNo, `expected '<process> <:type> <:f> <value>' after 'jepsen.util -', got '${clip(line)}'`);
    const [, procText, typeText, fText, valueText] = m;
    if (!/^\d+$/.test(procText)) throw new HistoryParseError(lineNo, `process '${procText}' is not a non-negative integer`);
    const proc = parseInt53(procText, lineNo, 'process');
    if (!typeText.startsWith(':') || !TYPES.has(typeText.slice(1))) {
      throw new HistoryParseError(lineNo, `unknown type '${typeText}' (expected :invoke, :ok, :fail or :info)`);
    }
    const type = typeText.slice(1) as JepsenType;
    const f = fText.slice(1);
    if (!fText.startsWith(':') || (f !== 'read' && f !== 'write' && f !== 'cas')) {
      throw new HistoryParseError(lineNo, `unknown function '${fText}' (expected :read, :write or :cas)`);
    }
    const value = valueText ?? '';

    if (type === 'invoke') {
      let input: RegisterInput;
      if (f === 'read') {
        if (value !== 'nil') throw new HistoryParseError(lineNo, `:invoke :read should have value nil, got ${showValue(value)}`);
        input = { f: 'read' };
      } else if (f === 'write') {
        if (!INT.test(value)) throw new HistoryParseError(lineNo, `:invoke :write needs an integer value, got ${showValue(value)}`);
        input = { f: 'write', value: parseInt53(value, lineNo, 'value') };
      } else {
        const pm = PAIR.exec(value);
        if (!pm) throw new HistoryParseError(lineNo, `:invoke :cas needs a value [from to] of two integers, got ${showValue(value)}`);
        input = { f: 'cas', from: parseInt53(pm[1], lineNo, 'value'), to: parseInt53(pm[2], lineNo, 'value') };
      }
      pairs.invoke(lineNo, proc, f, input);
      continue;
    }

    const op = pairs.pendingFor(lineNo, proc, type, f);
    const input = op.input;
    if (type === 'info') {
      pairs.complete(lineNo, proc, op, 'info');
      continue;
    }
    if (input.f === 'read') {
      if (type === 'ok') {
        let out: RegValue;
        if (value === 'nil') out = null;
        else if (INT.test(value)) out = parseInt53(value, lineNo, 'value');
        else throw new HistoryParseError(lineNo, `:ok :read needs nil or an integer, got ${showValue(value)}`);
        pairs.complete(lineNo, proc, op, 'ok', out);
      } else {
        pairs.complete(lineNo, proc, op, 'fail'); // e.g. ":fail :read :timed-out": no effect
      }
    } else if (input.f === 'write') {
      if (type === 'ok' && (!INT.test(value) || Number(value) !== input.value)) {
        throw new HistoryParseError(lineNo, `:ok :write reports ${showValue(value)} but line ${op.call} invoked :write ${String(input.value)}`);
      }
      pairs.complete(lineNo, proc, op, type);
    } else {
      const pm = PAIR.exec(value);
      if (pm) {
        if (Number(pm[1]) !== input.from || Number(pm[2]) !== input.to) {
          throw new HistoryParseError(lineNo, `:${type} :cas reports ${showValue(value)} but line ${op.call} invoked :cas [${String(input.from)} ${String(input.to)}]`);
        }
        pairs.complete(lineNo, proc, op, type); // :fail = the compare failed
      } else if (type === 'fail' && value.startsWith(':')) {
        // A cas that failed for another reason (e.g. :timed-out) says nothing about the
        // register's value; whether it happened is not guaranteed by every client, so treat
        // it as indeterminate (conservative: it can only make the history easier to explain).
        pairs.complete(lineNo, proc, op, 'info');
      } else {
        throw new HistoryParseError(lineNo, `:${type} :cas needs the value [from to], got ${showValue(value)}`);
      }
    }
  }
  return pairs.ops;
}

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

// ---------------------------------------------------------------------------------------
// EDN-like key-value histories

type EdnValue = null | boolean | number | string | { keyword: string };

class EdnLineReader {
  pos = 0;
  constructor(
    private readonly s: string,
    private readonly lineNo: number,
  ) {}

  fail(what: string): never {
    const at = this.pos < this.s.length ? `'${this.s.slice(this.pos, this.pos + 12)}'` : 'end of line';
    throw new HistoryParseError(this.lineNo, `${what} at column ${this.pos + 1} (found ${at})`);
  }

  skipSpace(): void {
    while (this.pos < this.s.length && /[\s,]/.test(this.s[this.pos])) this.pos++;
  }

  map(): Map<string, EdnValue> {
    const out = new Map<string, EdnValue>();
    this.skipSpace();
    if (this.s[this.pos] !== '{') this.fail("expected '{' to start a map");
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.s.length) this.fail("expected '}' to close the map");
      if (this.s[this.pos] === '}') {
        this.pos++;
        break;
      }
      if (this.s[this.pos] !== ':') this.fail('expected a :keyword key');
      const key = this.keyword();
      this.skipSpace();
      if (out.has(key)) this.fail(`duplicate key :${key}`);
      out.set(key, this.value());
    }
    this.skipSpace();
    if (this.pos < this.s.length) this.fail('unexpected text after the map');
    return out;
  }

  private keyword(): string {
    const m = /^:([A-Za-z_*!?+<>=/.-][\w*!?+<>=/.-]*)/.exec(this.s.slice(this.pos));
    if (!m) this.fail('expected a keyword');
    this.pos += m[0].length;
    return m[1];
  }

  private value(): EdnValue {
    const c = this.s[this.pos];
    if (c === undefined || c === '}') this.fail('expected a value');
    if (c === ':') return { keyword: this.keyword() };
    if (c === '"') return this.string();
    const m = /^[^\s,{}[\]"]+/.exec(this.s.slice(this.pos));
    if (!m) this.fail('expected a value (nil, a number, a string or a keyword)');
    const tok = m[0];
    this.pos += tok.length;
    if (tok === 'nil') return null;
    if (tok === 'true' || tok === 'false') return tok === 'true';
    if (INT.test(tok)) return parseInt53(tok, this.lineNo, 'number');
    this.pos -= tok.length;
    return this.fail(`unsupported value '${tok}'`);
  }

  private string(): string {
    let out = '';
    this.pos++; // opening quote
    for (;;) {
      if (this.pos >= this.s.length) this.fail('unterminated string');
      const c = this.s[this.pos++];
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const esc = this.s[this.pos++];
      if (esc === 'n') out += '\n';
      else if (esc === 't') out += '\t';
      else if (esc === 'r') out += '\r';
      else if (esc === '"' || esc === '\\') out += esc;
      else {
        this.pos -= 2;
        this.fail(`unsupported escape '\\${esc ?? ''}' in string`);
      }
    }
  }
}

function describeEdn(v: EdnValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'nil';
  if (typeof v === 'object') return ':' + v.keyword;
  return JSON.stringify(v);
}

/** Parses an EDN-like key-value history (:get / :put / :append on string keys). */
export function parseKvHistory(text: string): Operation<KvInput, KvOutput>[] {
  const pairs = new Pairer<KvInput, KvOutput>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const m = new EdnLineReader(line, lineNo).map();
    for (const field of ['process', 'type', 'f', 'key']) {
      if (!m.has(field)) throw new HistoryParseError(lineNo, `missing :${field}`);
    }
    const procV = m.get('process');
    if (typeof procV !== 'number' || procV < 0) throw new HistoryParseError(lineNo, `:process should be a non-negative integer, got ${describeEdn(procV)}`);
    const typeV = m.get('type');
    if (typeV === null || typeof typeV !== 'object' || !TYPES.has(typeV.keyword)) {
      throw new HistoryParseError(lineNo, `:type should be :invoke, :ok, :fail or :info, got ${describeEdn(typeV)}`);
    }
    const type = typeV.keyword as JepsenType;
    const fV = m.get('f');
    const f = fV !== null && typeof fV === 'object' ? fV.keyword : undefined;
    if (f !== 'get' && f !== 'put' && f !== 'append') throw new HistoryParseError(lineNo, `:f should be :get, :put or :append, got ${describeEdn(fV)}`);
    const keyV = m.get('key');
    if (typeof keyV !== 'string' && typeof keyV !== 'number') throw new HistoryParseError(lineNo, `:key should be a string or a number, got ${describeEdn(keyV)}`);
    const key = String(keyV);
    const value = m.get('value');

    if (type === 'invoke') {
      let input: KvInput;
      if (f === 'get') {
        if (value !== null && value !== undefined) throw new HistoryParseError(lineNo, `:invoke :get should have :value nil, got ${describeEdn(value)}`);
        input = { f: 'get', key };
      } else {
        if (typeof value !== 'string') throw new HistoryParseError(lineNo, `:invoke :${f} needs a string :value, got ${describeEdn(value)}`);
        input = { f, key, value };
      }
      pairs.invoke(lineNo, procV, f, input, key);
      continue;
    }

    const op = pairs.pendingFor(lineNo, procV, type, f);
    if (op.input.key !== key) {
      throw new HistoryParseError(lineNo, `completion is for key ${JSON.stringify(key)} but line ${op.call} invoked key ${JSON.stringify(op.input.key)}`);
    }
    if (type === 'info' || type === 'fail') {
      pairs.complete(lineNo, procV, op, type);
      continue;
    }
    if (op.input.f === 'get') {
      if (value !== null && value !== undefined && typeof value !== 'string') {
        throw new HistoryParseError(lineNo, `:ok :get needs a string :value (or nil), got ${describeEdn(value)}`);
      }
      pairs.complete(lineNo, procV, op, 'ok', value ?? '');
    } else {
      if (value !== undefined && value !== op.input.value) {
        throw new HistoryParseError(lineNo, `:ok :${f} reports ${describeEdn(value)} but line ${op.call} invoked it with ${JSON.stringify(op.input.value)}`);
      }
      pairs.complete(lineNo, procV, op, 'ok');
    }
  }
  return pairs.ops;
}
