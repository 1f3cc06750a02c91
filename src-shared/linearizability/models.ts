/**
 * Sequential specifications ("models") for the linearizability checker.
 *
 * A model says, for a state and an operation (input, output, status), whether the operation
 * could have happened in that state and what state follows. `status` carries what the client
 * learned: `ok` (the output is what the object returned), `fail` (the operation definitely
 * completed without its effect; what that tells about the state is model-specific) or `info`
 * (indeterminate: the output is unknown).
 *
 * Requirement for indeterminate operations: the checker treats an `info` operation that is
 * never linearized as "did not take effect", so a model only has to describe the case where
 * it did take effect, with any output.
 */
import type { Operation, Status } from './history';

export interface StepResult<S> {
  ok: boolean;
  newState: S;
}

/** Returned by `Model.next` when the operation is impossible in the given state. */
export const REJECT: unique symbol = Symbol('linearizability.reject');
export type Reject = typeof REJECT;

export interface Partition<I, O> {
  key: string;
  ops: Operation<I, O>[];
}

export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  step(state: S, input: I, output: O | undefined, status: Status): StepResult<S>;
  /**
   * Allocation-free form of `step` used by the checker's inner loop: the next state, or
   * REJECT. States must be treated as immutable values.
   */
  next(state: S, input: I, output: O | undefined, status: Status): S | Reject;
  equal(a: S, b: S): boolean;
  /** 32-bit hash, consistent with `equal`. */
  hash(state: S): number;
  /**
   * Optional: the hash of `next` (the successor of `prev` under this operation), computed
   * from `prevHash` more cheaply than hash(next). Must equal hash(next).
   */
  hashNext?(prevHash: number, prev: S, input: I, output: O | undefined, status: Status, next: S): number;
  /** Split a history into independently checkable sub-histories (P-compositionality). */
  partition(ops: readonly Operation<I, O>[]): Partition<I, O>[];
  describe(input: I, output: O | undefined, status: Status): string;
  describeState(state: S): string;
}

export interface ModelSpec<S, I, O> {
  name: string;
  init(): S;
  next(state: S, input: I, output: O | undefined, status: Status): S | Reject;
  equal?(a: S, b: S): boolean;
  hash(state: S): number;
  hashNext?(prevHash: number, prev: S, input: I, output: O | undefined, status: Status, next: S): number;
  /** Partition key of an operation; omit for a single partition. */
  partitionKey?(op: Operation<I, O>): string;
  describe(input: I, output: O | undefined, status: Status): string;
  describeState?(state: S): string;
}

/** Build a full Model from the essentials (`step` and `partition` are derived). */
export function defineModel<S, I, O>(spec: ModelSpec<S, I, O>): Model<S, I, O> {
  const equal = spec.equal ?? ((a: S, b: S) => a === b);
  const keyOf = spec.partitionKey;
  const model: Model<S, I, O> = {
    name: spec.name,
    init: spec.init,
    next: spec.next,
    equal,
    hash: spec.hash,
    describe: spec.describe,
    describeState: spec.describeState ?? ((s: S) => String(s)),
    step(state, input, output, status) {
      const n = spec.next(state, input, output, status);
      return n === REJECT ? { ok: false, newState: state } : { ok: true, newState: n };
    },
    partition(ops) {
      if (!keyOf) return [{ key: '', ops: ops.slice() }];
      return partitionBy(ops, keyOf);
    },
  };
  if (spec.hashNext) model.hashNext = spec.hashNext;
  return model;
}

/** Group operations by key, keeping history order inside each group and first-seen order of keys. */
export function partitionBy<I, O>(ops: readonly Operation<I, O>[], keyOf: (op: Operation<I, O>) => string): Partition<I, O>[] {
  const groups = new Map<string, Operation<I, O>[]>();
  for (const op of ops) {
    const k = keyOf(op);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(op);
  }
  return [...groups].map(([key, list]) => ({ key, ops: list }));
}

// ---------------------------------------------------------------------------------------
// Hashing helpers

/** 32-bit FNV-1a over UTF-16 code units, finished with a murmur-style avalanche. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// ---------------------------------------------------------------------------------------
// Registers

/** A register value; null is "nil", the value of a register nobody has written. */
export type RegValue = number | string | null;

export type RegisterInput =
  | { f: 'read' }
  | { f: 'write'; value: RegValue }
  | { f: 'cas'; from: RegValue; to: RegValue };

/** Output of a register operation: the value read (reads only). */
export type RegisterOutput = RegValue;

function hashRegValue(v: RegValue): number {
  if (v === null) return 0x2f0b3c1d;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= 0x7fffffff) return fmix32(v ^ 0x5bd1e995);
    return hashString('n' + String(v));
  }
  return hashString('s' + v);
}

function showRegValue(v: RegValue | undefined): string {
  if (v === undefined) return '?';
  if (v === null) return 'nil';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * Register semantics:
 * - read: `ok` must return the current value; `fail`/`info` observe nothing.
 * - write: `ok`/`info` set the value; `fail` did not happen.
 * - cas [from to]: `ok` requires value === from and sets `to`; `fail` means the compare
 *   failed, so it requires value !== from (Porcupine's reading of Jepsen's etcd client,
 *   which reports a failed compare as :fail); `info` sets `to` iff value === from.
 */
function registerNext(allowCas: boolean) {
  return (state: RegValue, input: RegisterInput, output: RegisterOutput | undefined, status: Status): RegValue | Reject => {
    switch (input.f) {
      case 'read':
        if (status !== 'ok') return state;
        return output === state ? state : REJECT;
      case 'write':
        return status === 'fail' ? state : input.value;
      case 'cas':
        if (!allowCas) throw new Error('the plain register model has no cas; use casRegisterModel');
        if (status === 'ok') return state === input.from ? input.to : REJECT;
        if (status === 'fail') return state !== input.from ? state : REJECT;
        return state === input.from ? input.to : state;
      default:
        throw new Error(`register model: unknown operation ${JSON.stringify(input)}`);
    }
  };
}

function describeRegister(input: RegisterInput, output: RegisterOutput | undefined, status: Status): string {
  const suffix = status === 'info' ? ' → ? (indeterminate)' : '';
  switch (input.f) {
    case 'read':
      if (status === 'ok') return `read() → ${showRegValue(output)}`;
      return status === 'fail' ? 'read() → failed' : 'read()' + suffix;
    case 'write':
      return `write(${showRegValue(input.value)})` + (status === 'fail' ? ' → failed' : suffix);
    case 'cas':
      return `cas(${showRegValue(input.from)} → ${showRegValue(input.to)})` + (status === 'ok' ? ' → ok' : status === 'fail' ? ' → fail' : suffix);
  }
}

function registerModelOf(name: string, allowCas: boolean, initial: RegValue): Model<RegValue, RegisterInput, RegisterOutput> {
  return defineModel<RegValue, RegisterInput, RegisterOutput>({
    name,
    init: () => initial,
    next: registerNext(allowCas),
    hash: hashRegValue,
    describe: describeRegister,
    describeState: (s) => showRegValue(s),
  });
}

/** A single read/write register (one partition). */
export function registerModel(initial: RegValue = null): Model<RegValue, RegisterInput, RegisterOutput> {
  return registerModelOf('register', false, initial);
}

/** A single compare-and-set register, as in the Jepsen etcd tests (one partition). */
export function casRegisterModel(initial: RegValue = null): Model<RegValue, RegisterInput, RegisterOutput> {
  return registerModelOf('cas-register', true, initial);
}

// ---------------------------------------------------------------------------------------
// Key-value store

export type KvInput =
  | { f: 'get'; key: string }
  | { f: 'put'; key: string; value: string }
  | { f: 'append'; key: string; value: string };

/** Output of a kv operation: the value a get returned ('' for a missing key). */
export type KvOutput = string;

/**
 * Per-key semantics (a missing key reads as ''): get `ok` must return the value; put and
 * append `ok`/`info` take effect; `fail` did not happen and observed nothing.
 */
function kvNextValue(value: string, input: KvInput, output: KvOutput | undefined, status: Status): string | Reject {
  if (input.f === 'get') {
    if (status !== 'ok') return value;
    return output === value ? value : REJECT;
  }
  if (status === 'fail') return value;
  return input.f === 'put' ? input.value : value + input.value;
}

const MAX_SHOWN = 40;
function showStr(s: string | undefined): string {
  if (s === undefined) return '?';
  if (s.length <= MAX_SHOWN) return JSON.stringify(s);
  return JSON.stringify(s.slice(0, MAX_SHOWN - 12) + '…' + s.slice(-8)) + ` (${s.length} chars)`;
}

function describeKv(input: KvInput, output: KvOutput | undefined, status: Status): string {
  const k = JSON.stringify(input.key);
  const tail = status === 'info' ? ' → ? (indeterminate)' : status === 'fail' ? ' → failed' : '';
  if (input.f === 'get') return status === 'ok' ? `get(${k}) → ${showStr(output)}` : `get(${k})` + tail;
  return `${input.f}(${k}, ${showStr(input.value)})` + tail;
}

/**
 * Polynomial string hash (Horner, base KV_BASE, mod 2^32). Unlike FNV it extends: the hash
 * of a + b is hash(a) * KV_BASE^|b| + hash(b), so an append is hashed in O(|b|) without
 * flattening or rescanning the (long, growing) value.
 */
const KV_BASE = 0x01000193;
export function polyHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, KV_BASE) + s.charCodeAt(i)) | 0;
  return h;
}
function polyAppend(h: number, suffix: string): number {
  for (let i = 0; i < suffix.length; i++) h = (Math.imul(h, KV_BASE) + suffix.charCodeAt(i)) | 0;
  return h;
}

/**
 * Key-value store partitioned by key (P-compositional: each partition's state is that key's
 * string value, '' when missing).
 */
export function kvModel(): Model<string, KvInput, KvOutput> {
  return defineModel<string, KvInput, KvOutput>({
    name: 'kv',
    init: () => '',
    next: kvNextValue,
    hash: polyHash,
    hashNext(prevHash, _prev, input, _output, _status, next) {
      if (input.f === 'append') return polyAppend(prevHash, input.value);
      if (input.f === 'put') return polyHash(input.value);
      return polyHash(next);
    },
    partitionKey: (op) => op.input.key,
    describe: describeKv,
    describeState: showStr,
  });
}

/** Immutable map state of the unpartitioned kv model; keys holding '' are absent. */
export type KvMap = ReadonlyMap<string, string>;

/**
 * The same key-value store as one object, with no partitioning: a reference for checking that
 * P-compositional checking (kvModel) does not change verdicts. Slower; meant for tests.
 */
export function kvWholeModel(): Model<KvMap, KvInput, KvOutput> {
  return defineModel<KvMap, KvInput, KvOutput>({
    name: 'kv-unpartitioned',
    init: () => new Map(),
    next(state, input, output, status) {
      const cur = state.get(input.key) ?? '';
      const nv = kvNextValue(cur, input, output, status);
      if (nv === REJECT) return REJECT;
      if (nv === cur) return state;
      const m = new Map(state);
      if (nv === '') m.delete(input.key);
      else m.set(input.key, nv);
      return m;
    },
    equal(a, b) {
      if (a === b) return true;
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (b.get(k) !== v) return false;
      return true;
    },
    hash(state) {
      let h = state.size;
      for (const [k, v] of state) h = (h + fmix32(hashString(k) ^ Math.imul(hashString(v), 0x27d4eb2d))) | 0;
      return h;
    },
    describe: describeKv,
    describeState: (s) => '{' + [...s].map(([k, v]) => `${JSON.stringify(k)}: ${showStr(v)}`).join(', ') + '}',
  });
}
