/**
 * The deterministic discrete-event simulator. One Simulation is one run of a scenario
 * with a strategy, a seed and an action log. Everything it does is a function of those
 * inputs: time is simulated (never read from a wall clock), randomness comes from one
 * seeded PRNG, and same-time events fire in scheduling order. Hence: same seed + same
 * actions ⇒ same timeline ⇒ same digest.
 *
 * All mutable state lives in `this.s`, a plain object, so a checkpoint is a structured
 * clone of it (plus the recorder's mark); seeking restores the nearest checkpoint and
 * replays forward.
 */
import type { FaultAction, TimedAction } from '../../src-shared/actions/fault-actions';
import { describeAction } from '../../src-shared/actions/fault-actions';
import { validateAction, type ActionTargets } from '../../src-shared/actions/validate';
import type { Frame, LinkView, MessageView, MetricValue, NodeView, ScopeView } from '../../src-shared/ipc/frames';
import type { ScenarioSpec, StrategySpec, ParamValue } from '../../src-shared/scenario/types';
import type { EvidenceRecord, EvidenceType, TimelineRecord } from '../../src-shared/timeline/records';
import { EventQueue, type QueueSnapshot } from './event-queue';
import type { ModelContext, ModelDefinition } from './model-api';
import { buildTopology, emptyNetworkState, Network, type NetworkState, type Topology } from './network';
import { Recorder, type RecorderMark } from './recorder';
import { Rng } from './rng';
import { emptyEvidenceIndex, indexEvidence, type EvidenceIndexState } from './services/evidence-index';
import { GVectorObserver, type ObserverState } from './services/gvector-observer';
import { initialModes, ModeService, type ModeServiceState } from './services/modes';
import { emptyHistory, HistoryService, type HistoryState } from './services/history';
import type { HistoryView } from '../../src-shared/history/types';

export interface SimulationOptions {
  strategy?: string;
  seed?: number;
  /** Scripted actions (validated); live actions are appended with act(). A log being
   *  replayed keeps each action's source, which is part of the timeline. */
  actions?: (TimedAction & { source?: 'script' | 'user' })[];
  /** How often services re-derive modes and G-vectors (simulated ms). */
  tick_ms?: number;
  /** How often a checkpoint is taken (simulated ms). */
  checkpoint_every_ms?: number;
}

interface InFlight {
  type: 'msg';
  /** Message id (for views). */
  id: number;
  from: string;
  to: string;
  kind: string;
  body: unknown;
  sent_ms: number;
  arrive_ms: number;
}

interface PendingTimer {
  type: 'timer';
  node: string;
  epoch: number;
  name: string;
  data: unknown;
}

interface NodeState {
  up: boolean;
  epoch: number;
  drift_ppm: number;
  /** Drift accumulated before the current drift rate was set. */
  skew_ms: number;
  drift_since_ms: number;
  byzantine: string | null;
}

/** Everything that changes during a run, as plain data (cloneable for checkpoints). */
interface SimState {
  now_ms: number;
  rng: number[];
  queue: QueueSnapshot<InFlight | PendingTimer>;
  nextMsgId: number;
  nodes: Record<string, NodeState>;
  network: NetworkState;
  /** Index of the next action in the action log to apply. */
  actionCursor: number;
  nextTick_ms: number;
  model: unknown;
  evidence: EvidenceIndexState;
  modes: ModeServiceState;
  observer: ObserverState;
  /** Client operations and linearizability verdicts (services/history.ts). */
  history: HistoryState;
  violations: Record<string, number>;
  error: string | null;
  events: number;
}

interface Checkpoint {
  t_ms: number;
  state: SimState;
  mark: RecorderMark;
}

const DEFAULT_TICK_MS = 100;
const DEFAULT_CHECKPOINT_MS = 10_000;
const CHECKPOINT_MIN_EVENTS = 25_000;
/**
 * Retention: at most this many checkpoints per run, so a long session's memory is bounded
 * (each checkpoint is a copy of the whole state). When the cap is passed, every other
 * checkpoint of the older half is dropped: recent history stays dense (cheap seeks near
 * the cursor), older history gets sparser (a seek there replays a little longer), and a
 * seek is still exact because replay from any checkpoint is deterministic.
 */
export const MAX_CHECKPOINTS = 64;

/** Drops every second checkpoint of the older half, always keeping the first (t = 0) and the newer half. */
export function thinCheckpoints<T>(cps: readonly T[]): T[] {
  const half = Math.floor(cps.length / 2);
  return cps.filter((_, i) => i === 0 || i >= half || i % 2 === 0);
}
const MAX_INFLIGHT_VIEW = 400;
const MAX_QUEUE = 2_000_000;

/**
 * A deep copy of the run state for a checkpoint. The node table is flat records of
 * primitives, one per node: copied by spread, it costs a fraction of what
 * structuredClone pays per object (MT-3's 5011 nodes: ~0.3 ms instead of ~6.6 ms).
 */
function cloneState(s: SimState): SimState {
  const nodes: Record<string, NodeState> = {};
  for (const id in s.nodes) nodes[id] = { ...s.nodes[id]! };
  const copy = structuredClone({ ...s, nodes: {} });
  copy.nodes = nodes;
  return copy;
}

export class ModelError extends Error {
  override name = 'ModelError';
}

export class Simulation {
  readonly spec: ScenarioSpec;
  readonly strategy: StrategySpec;
  readonly seed: number;
  readonly topo: Topology;
  readonly targets: ActionTargets;
  readonly recorder = new Recorder();
  /** The action log: scripted and live actions, sorted by time (stable). */
  readonly actions: (TimedAction & { source: 'script' | 'user' })[];

  private s: SimState;
  private queue = new EventQueue<InFlight | PendingTimer>();
  private rng: Rng;
  private network: Network;
  private modes: ModeService;
  private observer: GVectorObserver;
  private history: HistoryService;
  private readonly params: Record<string, ParamValue>;
  private readonly tick_ms: number;
  private readonly checkpointEvery: number;
  private checkpoints: Checkpoint[] = [];
  private ctx: ModelContext;

  constructor(
    spec: ScenarioSpec,
    private readonly model: ModelDefinition<unknown>,
    opts: SimulationOptions = {},
  ) {
    this.spec = spec;
    const strategyId = opts.strategy ?? spec.default_strategy;
    const strategy = spec.strategies.find((x) => x.id === strategyId);
    if (!strategy) throw new Error(`unknown strategy "${strategyId}" (known: ${spec.strategies.map((x) => x.id).join(', ')})`);
    this.strategy = strategy;
    this.seed = (opts.seed ?? 1) >>> 0;
    this.topo = buildTopology(spec);
    this.targets = { nodes: new Set(this.topo.nodes), groups: new Set(this.topo.groups), byzantineBehaviors: model.byzantineBehaviors ?? [] };
    this.params = { ...spec.parameters, ...strategy.params };
    this.tick_ms = opts.tick_ms ?? DEFAULT_TICK_MS;
    this.checkpointEvery = opts.checkpoint_every_ms ?? DEFAULT_CHECKPOINT_MS;
    this.actions = (opts.actions ?? []).map((a) => ({ at_ms: a.at_ms, action: a.action, source: a.source ?? 'script' }));
    this.rng = new Rng(this.seed);
    const nodes: Record<string, NodeState> = {};
    for (const n of this.topo.nodes) nodes[n] = { up: true, epoch: 0, drift_ppm: 0, skew_ms: 0, drift_since_ms: 0, byzantine: null };
    this.s = {
      now_ms: 0,
      rng: [],
      queue: { items: [], nextSeq: 0 },
      nextMsgId: 0,
      nodes,
      network: emptyNetworkState(),
      actionCursor: 0,
      nextTick_ms: 0,
      model: undefined,
      evidence: emptyEvidenceIndex(),
      modes: initialModes(spec),
      observer: {},
      history: emptyHistory(),
      violations: Object.fromEntries(spec.invariants.map((i) => [i.id, 0])),
      error: null,
      events: 0,
    };
    this.network = new Network(spec, this.topo, this.s.network);
    this.modes = new ModeService(spec, this.topo);
    this.observer = new GVectorObserver(spec, strategy.id);
    this.history = new HistoryService({
      now_ms: () => this.s.now_ms,
      evidence: (type, scope, node, detail) => this.recordEvidence(type, scope, node, undefined, detail),
    });
    this.ctx = this.makeContext();
    this.guard(() => {
      this.s.model = model.init(this.ctx);
      model.start(this.s.model, this.ctx);
    });
    // Without a model state there is no run to show: refuse it here, with the reason,
    // rather than fail later while drawing its first frame.
    if (this.s.model === undefined && this.s.error) throw new Error(this.s.error);
    this.takeCheckpoint();
  }

  get now_ms(): number {
    return this.s.now_ms;
  }

  get error(): string | null {
    return this.s.error;
  }

  get eventCount(): number {
    return this.s.events;
  }

  get timeline(): readonly TimelineRecord[] {
    return this.recorder.records;
  }

  digest(): string {
    return this.recorder.digest();
  }

  private makeContext(): ModelContext {
    // The context exposes live getters (now_ms, rng) that must read the current state object.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sim = this;
    return {
      get now_ms() {
        return sim.s.now_ms;
      },
      spec: this.spec,
      strategy: this.strategy,
      topo: this.topo,
      get rng() {
        return sim.rng;
      },
      param<T extends ParamValue>(name: string): T {
        const v = sim.params[name];
        if (v === undefined) throw new ModelError(`scenario ${sim.spec.id} has no parameter "${name}"`);
        return v as T;
      },
      send: (from, to, kind, body) => this.send(from, to, kind, body),
      setTimer: (node, delay_ms, name, data) => this.setTimer(node, delay_ms, name, data),
      isUp: (node) => this.s.nodes[node]?.up ?? false,
      clock: (node) => {
        const ns = this.s.nodes[node];
        return ns ? this.s.now_ms + ns.skew_ms + ((this.s.now_ms - ns.drift_since_ms) * ns.drift_ppm) / 1e6 : this.s.now_ms;
      },
      linkUp: (a, b) => !this.network.isCut(a, b),
      evidence: (type, scope, node, extra) => this.recordEvidence(type, scope, node, extra?.peer, extra?.detail),
      violation: (invariant, text, evidence) => {
        this.s.violations[invariant] = (this.s.violations[invariant] ?? 0) + 1;
        this.recorder.append({ t_ms: this.s.now_ms, kind: 'invariant', invariant, status: 'violated', text, evidence });
      },
      modeOf: (scope) => this.s.modes[scope]?.mode ?? this.spec.initial_mode,
      invoke: (client, key, input, scope) => this.history.invoke(this.s.history, client, this.clientScope(client, scope), key, input),
      complete: (opId, status, output) => this.history.complete(this.s.history, opId, status, output),
    };
  }

  /** The scope of a history client: given, or the group of a node id, a group id, or `group/…`. */
  private clientScope(client: string, scope?: string): string {
    if (scope !== undefined) {
      if (!this.topo.groups.includes(scope)) throw new ModelError(`history: client ${client}: unknown scope "${scope}"`);
      return scope;
    }
    const g = this.topo.groupOf.get(client) ?? (this.topo.groups.includes(client) ? client : undefined) ?? client.split('/')[0];
    if (g === undefined || !this.topo.groups.includes(g)) throw new ModelError(`history: cannot tell the scope of client "${client}" (name a node, a group, or "group/…", or pass the scope)`);
    return g;
  }

  private guard(fn: () => void): void {
    if (this.s.error) return;
    try {
      fn();
    } catch (e) {
      // A bug or a bad parameter in a model stops this run only, with the evidence so far.
      this.fail(e);
    }
  }

  private send(from: string, to: string, kind: string, body: unknown): void {
    if (!this.s.nodes[from]?.up) return;
    const d = this.network.delay(from, to, this.rng);
    if (d === null) return;
    const now = this.s.now_ms;
    this.push(now + d, { type: 'msg', id: this.s.nextMsgId++, from, to, kind, body, sent_ms: now, arrive_ms: now + d });
  }

  private setTimer(node: string, delay_ms: number, name: string, data: unknown): void {
    const ns = this.s.nodes[node];
    if (!ns) throw new ModelError(`timer for unknown node "${node}"`);
    if (!ns.up) return;
    // A drifting clock runs fast (ppm > 0) or slow: its timers fire early or late.
    const real = ns.drift_ppm === 0 ? delay_ms : delay_ms / (1 + ns.drift_ppm / 1e6);
    this.push(this.s.now_ms + (real > 0 ? real : 0), { type: 'timer', node, epoch: ns.epoch, name, data });
  }

  private push(t: number, payload: InFlight | PendingTimer): void {
    if (this.queue.size >= MAX_QUEUE) throw new ModelError(`event queue exceeded ${MAX_QUEUE} events`);
    this.queue.push(t, payload);
  }

  private recordEvidence(type: EvidenceType, scope: string, node: string, peer?: string, detail?: EvidenceRecord['detail']): number {
    const rec = this.recorder.append({ t_ms: this.s.now_ms, kind: 'evidence', type, scope, node, ...(peer ? { peer } : {}), ...(detail ? { detail } : {}) }) as EvidenceRecord;
    indexEvidence(this.s.evidence, rec);
    this.stepModes(scope);
    return rec.seq;
  }

  private stepModes(scope: string): void {
    // Several transitions may chain (e.g. Floor → Recovery → Degraded); bound the chain.
    for (let i = 0; i < 4; i++) {
      const change = this.modes.step(this.s.modes, this.s.evidence, scope, this.s.now_ms);
      if (!change) return;
      this.recorder.append({ t_ms: this.s.now_ms, kind: 'mode', ...change });
      this.observe(scope);
    }
  }

  private observe(scope: string): void {
    let obs = this.model.observe(this.s.model, this.ctx, scope);
    // Order is earned from evidence: the history checker's verdicts cap or back the protocol's claim.
    if (this.history.active(this.s.history)) obs = { ...obs, order: this.history.order(this.s.history, scope, obs.order) };
    const recs = this.observer.update(this.s.observer, scope, this.ctx.modeOf(scope), obs);
    for (const r of recs) this.recorder.append({ t_ms: this.s.now_ms, ...r });
  }

  private tick(): void {
    this.model.tick?.(this.s.model, this.ctx);
    this.history.tick(this.s.history);
    for (const g of this.topo.groups) {
      this.stepModes(g);
      this.observe(g);
    }
  }

  /** Resolves role selectors and applies one validated action atomically. */
  private apply(action: FaultAction, source: 'script' | 'user'): string {
    let a = action;
    if ('node' in a && a.node.startsWith('@')) {
      const leader = this.model.leader(this.s.model, this.ctx);
      if (!leader) {
        const text = `${describeAction(a)}: no ${a.node.slice(1)} at this time — nothing done`;
        this.recorder.append({ t_ms: this.s.now_ms, kind: 'fault', action: a, source, text });
        return text;
      }
      a = { ...a, node: leader } as FaultAction;
    }
    switch (a.do) {
      case 'cut':
        this.network.cut(a.link);
        break;
      case 'heal':
        this.network.heal(a.link);
        break;
      case 'partition':
        this.network.partition(a.groups);
        break;
      case 'heal-all':
        this.network.healAll();
        break;
      case 'set-link':
        this.network.setLink(a.link, a.latency_ms, a.loss);
        break;
      case 'kill': {
        const ns = this.s.nodes[a.node]!;
        if (ns.up) {
          ns.up = false;
          ns.epoch += 1;
          this.model.onCrash?.(this.s.model, this.ctx, a.node);
        }
        break;
      }
      case 'restart': {
        const ns = this.s.nodes[a.node]!;
        if (!ns.up) {
          ns.up = true;
          ns.epoch += 1;
          this.model.onRestart?.(this.s.model, this.ctx, a.node);
        }
        break;
      }
      case 'byzantine':
        this.s.nodes[a.node]!.byzantine = a.behavior;
        this.model.onByzantine?.(this.s.model, this.ctx, a.node, a.behavior);
        break;
      case 'clock-drift': {
        const ns = this.s.nodes[a.node]!;
        ns.skew_ms += ((this.s.now_ms - ns.drift_since_ms) * ns.drift_ppm) / 1e6;
        ns.drift_since_ms = this.s.now_ms;
        ns.drift_ppm = a.ppm;
        break;
      }
    }
    const text = describeAction(a);
    this.recorder.append({ t_ms: this.s.now_ms, kind: 'fault', action: a, source, text });
    return text;
  }

  /**
   * Runs every event with time ≤ t_ms, then sets the clock to t_ms. At one instant,
   * actions fire first, then events in scheduling order, then the engine tick.
   * A model that throws stops this run only (error set, timeline kept).
   */
  runUntil(t_ms: number): void {
    if (this.s.error) return;
    try {
      this.loop(t_ms);
    } catch (e) {
      this.fail(e);
      return;
    }
    this.s.now_ms = Math.max(this.s.now_ms, t_ms);
  }

  private loop(t_ms: number): void {
    const s = this.s;
    for (;;) {
      const nextAction = this.actions[s.actionCursor]?.at_ms ?? Infinity;
      const nextTick = s.nextTick_ms;
      // Drain messages and timers up to the next action or tick (the hot path).
      const limit = Math.min(t_ms, nextTick);
      let tEv = this.queue.peekTime();
      while (tEv <= limit && tEv < nextAction) {
        const ev = this.queue.pop()!;
        s.now_ms = tEv;
        s.events += 1;
        this.dispatch(ev.payload);
        tEv = this.queue.peekTime();
      }
      const next = Math.min(nextAction, tEv, nextTick);
      if (next > t_ms) return;
      if (nextAction === next) {
        const a = this.actions[s.actionCursor++]!;
        s.now_ms = Math.max(s.now_ms, a.at_ms);
        this.apply(a.action, a.source);
      } else if (tEv !== next) {
        s.now_ms = nextTick;
        s.nextTick_ms = nextTick + this.tick_ms;
        this.tick();
        if (this.checkpointDue()) this.takeCheckpoint();
      }
    }
  }

  private fail(e: unknown): void {
    const why = e instanceof Error ? e.message : typeof e === 'string' ? e : `threw ${String(e)}`;
    this.s.error = `${this.model.id} model failed at t=${(this.s.now_ms / 1000).toFixed(3)}s: ${why}`;
  }

  private dispatch(p: InFlight | PendingTimer): void {
    if (p.type === 'msg') {
      // Lost if the receiver is down or the link was cut while the message was in flight.
      if (!this.s.nodes[p.to]!.up || this.network.isCut(p.from, p.to)) return;
      this.model.onMessage(this.s.model, this.ctx, p.to, p.from, p.kind, p.body);
    } else {
      const ns = this.s.nodes[p.node]!;
      if (!ns.up || ns.epoch !== p.epoch) return;
      this.model.onTimer(this.s.model, this.ctx, p.node, p.name, p.data);
    }
  }

  /**
   * Applies a live action from the UI. It is stamped just after the current instant
   * (so a replay of the log fires it at the same point), and anything in the log after
   * the cursor is dropped: acting in the past forks the timeline.
   */
  act(raw: unknown): { at_ms: number; text: string } {
    const action = validateAction(raw, this.targets);
    if (this.s.error) throw new Error(`this run has stopped: ${this.s.error}`);
    const at_ms = Math.floor(this.s.now_ms) + 1;
    this.actions.length = this.s.actionCursor;
    this.checkpoints = this.checkpoints.filter((c) => c.t_ms <= this.s.now_ms);
    this.actions.push({ at_ms, action, source: 'user' });
    this.runUntil(at_ms);
    const last = this.recorder.records[this.recorder.length - 1];
    return { at_ms, text: last?.kind === 'fault' ? last.text : describeAction(action) };
  }

  // ---- checkpoints and seeking -------------------------------------------------------

  /**
   * A checkpoint is due after checkpoint_every_ms of simulated time once enough events
   * have run since the last one that replaying them would cost more than cloning — or
   * after six intervals regardless. Seeking replays at most about MIN_EVENTS events, and
   * sparse or very large scenarios do not pay for a clone every few seconds.
   */
  private checkpointDue(): boolean {
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (!last) return true;
    const since = this.s.now_ms - last.t_ms;
    if (since < this.checkpointEvery) return false;
    return this.s.events - last.state.events >= CHECKPOINT_MIN_EVENTS || since >= 6 * this.checkpointEvery;
  }

  private takeCheckpoint(): void {
    this.s.rng = this.rng.getState();
    this.s.queue = this.queue.snapshot();
    this.checkpoints.push({ t_ms: this.s.now_ms, state: cloneState(this.s), mark: this.recorder.mark() });
    this.s.queue = { items: [], nextSeq: 0 }; // the live queue is the heap; this copy was for the clone
    if (this.checkpoints.length > MAX_CHECKPOINTS) this.checkpoints = thinCheckpoints(this.checkpoints);
  }

  private restore(cp: Checkpoint): void {
    this.s = cloneState(cp.state);
    this.rng.setState(this.s.rng);
    this.queue.restore(this.s.queue);
    this.s.queue = { items: [], nextSeq: 0 };
    this.network.state = this.s.network;
    this.recorder.restore(cp.mark);
  }

  /**
   * The same seed and action log under another strategy, run to this run's time: the A/B
   * switch of the app (RunController.setStrategy) and of demo presets (demo-run.ts).
   */
  underStrategy(strategy: string): Simulation {
    const actions = this.actions.map(({ at_ms, action, source }) => ({ at_ms, action, source }));
    const sim = new Simulation(this.spec, this.model, { strategy, seed: this.seed, actions, tick_ms: this.tick_ms, checkpoint_every_ms: this.checkpointEvery });
    sim.runUntil(this.now_ms);
    return sim;
  }

  /** Moves the run to t_ms: forward by running, backward via the nearest checkpoint. */
  seek(t_ms: number): void {
    if (t_ms >= this.s.now_ms) {
      this.runUntil(t_ms);
      return;
    }
    let cp = this.checkpoints[0]!;
    for (const c of this.checkpoints) if (c.t_ms <= t_ms) cp = c;
    this.restore(cp);
    this.runUntil(t_ms);
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  // ---- views ---------------------------------------------------------------------------

  nodeViews(): NodeView[] {
    const roles = this.model.roles(this.s.model, this.ctx);
    return this.topo.nodes.map((id) => {
      const ns = this.s.nodes[id]!;
      return { id, group: this.topo.groupOf.get(id)!, up: ns.up, role: ns.up ? (roles[id] ?? 'node') : 'down', byzantine: ns.byzantine !== null };
    });
  }

  networkLinks(): LinkView[] {
    return this.network.groupLinks();
  }

  messageViews(): MessageView[] {
    const out: MessageView[] = [];
    for (const ev of this.queue.pending()) {
      const m = ev.payload;
      if (m.type !== 'msg') continue;
      out.push({ id: m.id, from: m.from, to: m.to, kind: m.kind, sent_ms: m.sent_ms, arrive_ms: m.arrive_ms });
      if (out.length >= MAX_INFLIGHT_VIEW) break;
    }
    return out.sort((a, b) => a.id - b.id);
  }

  scopeViews(): ScopeView[] {
    return this.topo.groups.map((g) => {
      const o = this.s.observer[g];
      const mode = this.ctx.modeOf(g);
      return {
        id: g,
        mode,
        observed: o?.observed ?? '',
        claimed: o ? o.claimed : this.observer.claim(mode).text,
        weaker: o?.weaker ?? [],
        basis: o?.basis ?? {},
      };
    });
  }

  metrics(): Record<string, MetricValue> {
    if (this.s.model === undefined) return {};
    const m = this.model.metrics(this.s.model, this.ctx);
    return this.history.active(this.s.history) ? { ...m, linearizability: this.history.metrics(this.s.history) } : m;
  }

  /** The recorded client history and the checker's verdicts, for the history view and reports. */
  historyView(): HistoryView {
    return this.history.view(this.s.history, `${this.spec.id} · ${this.strategy.id}`);
  }

  /** Changes whenever the history view would (cheap to poll). */
  get historyVersion(): number {
    return this.s.history.version;
  }

  viewExtras(): Record<string, MetricValue> {
    if (this.s.model === undefined || !this.model.viewExtras) return {};
    return this.model.viewExtras(this.s.model, this.ctx);
  }

  violations(): Record<string, number> {
    return { ...this.s.violations };
  }

  requirementViews(): Frame['requirements'] {
    const metrics = this.metrics();
    return this.spec.requirements.map((r) => {
      const value = lookupMetric(metrics, r.metric);
      const met =
        value === null ? null : r.op === '<' ? value < r.value : r.op === '<=' ? value <= r.value : r.op === '>' ? value > r.value : r.op === '>=' ? value >= r.value : value === r.value;
      return { id: r.id, text: r.text, value, met };
    });
  }
}

/** Reads a dotted metric path such as "write_latency_ms.p99" as a number, or null. */
export function lookupMetric(metrics: Record<string, MetricValue>, path: string): number | null {
  let cur: MetricValue | undefined = metrics;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return null;
    cur = (cur as Record<string, MetricValue>)[part];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}
