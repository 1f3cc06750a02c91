/**
 * The renderer's one piece of shared state: the connection to the host, the scenario
 * list, the open run, the latest frame and the accumulated timeline. Views read it;
 * commands go through its methods, which report host errors as dismissable notices
 * (never throws into a component).
 */
import type { Channel, LabApi, Request, Responses } from '../../src-shared/ipc/contract';
import type { Frame, RunDescription } from '../../src-shared/ipc/frames';
import type { ScenarioSummary } from '../../src-shared/scenario/types';
import type { DemoPreset } from '../../src-shared/demo/demo';
import type { FaultAction } from '../../src-shared/actions/fault-actions';
import { describeAction } from '../../src-shared/actions/fault-actions';
import { RecordStore } from './record-store';
import { nextSpeed } from './actions';
import { callHost, type CallResult } from './host-call';
import { FrameRouter } from './frame-router';
import { PanelCadence } from './panel-cadence';
import { markFirstScenarioDrawn } from './first-drawn';

export interface Notice {
  id: number;
  text: string;
}

type ControlCmd = Request<'lab:control'>['cmd'];

/** What a listener (the session autosave) hears: a run opened, a command succeeded, a frame arrived. */
export type RunEvent =
  | { type: 'opened'; run: RunDescription }
  | { type: 'command'; cmd: ControlCmd | 'act' }
  | { type: 'frame'; frame: Frame };

export type OpenOptions = Omit<Request<'lab:open-run'>, 'scenario'>;

export class RunState {
  connection = $state<'connecting' | 'ready' | 'failed'>('connecting');
  scenarios = $state.raw<ScenarioSummary[]>([]);
  /** Built-in demo presets (scenarios/demos) for presenter mode. */
  demos = $state.raw<DemoPreset[]>([]);
  run = $state.raw<RunDescription | null>(null);
  frame = $state.raw<Frame | null>(null);
  /** Bumped whenever `store` changes; read it to depend on the timeline. */
  recordsVersion = $state(0);
  /**
   * What the side panels read: `frame` and `recordsVersion` at the panel cadence
   * (panel-cadence.ts: at most every 250 ms while playing, at once otherwise). Canvas
   * views and the clock read `frame`. Measured on MT-3 at ×10: hiding the side panels
   * took the p95 frame from 67 ms to 17 ms.
   */
  panelFrame = $state.raw<Frame | null>(null);
  panelRecordsVersion = $state(0);
  notices = $state<Notice[]>([]);
  opening = $state(false);
  /** Step size for the single-step command, in simulated ms. */
  stepMs = $state(1000);

  readonly store = new RecordStore();
  /** performance.now() when `frame` arrived (for client-side interpolation). */
  frameRecvAt = 0;

  scenario = $derived(this.run?.scenario ?? null);
  playing = $derived(this.frame?.playing ?? false);
  speed = $derived(this.frame?.speed ?? 1);
  strategy = $derived(this.frame?.strategy ?? this.run?.strategy ?? '');
  t_ms = $derived(this.frame?.t_ms ?? 0);

  #api: LabApi | null = null;
  #unsubscribe: (() => void) | null = null;
  #router = new FrameRouter((f) => this.#apply(f));
  #noticeId = 0;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- listeners, not state
  #listeners = new Set<(e: RunEvent) => void>();

  /** Listens to runs opening, successful commands and frames; returns an unsubscribe function. */
  on(listener: (e: RunEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(e: RunEvent): void {
    for (const l of [...this.#listeners]) {
      try {
        l(e);
      } catch (err) {
        console.error('run listener failed', err);
      }
    }
  }

  /** One host request without a notice on failure (the caller reports it its own way). */
  request<C extends Channel>(channel: C, payload: Request<C>, what: string): Promise<CallResult<Responses[C]>> {
    return callHost(this.#api, channel, payload, what);
  }

  async connect(connectLab: () => Promise<LabApi>): Promise<boolean> {
    this.connection = 'connecting';
    try {
      this.#api = await connectLab();
    } catch (e) {
      this.connection = 'failed';
      this.notify(`Cannot reach the lab host: ${message(e)}`);
      return false;
    }
    this.#unsubscribe = this.#api.onFrame((f) => this.#router.receive(f));
    this.connection = 'ready';
    const list = await this.#call('lab:scenarios', {}, 'list the scenarios');
    if (list) this.scenarios = list;
    // Demo presets are optional: a host without them (or a broken file) leaves the app usable.
    const demos = await this.request('lab:demos', {}, 'list the demos');
    if (demos.ok) {
      this.demos = demos.value.demos;
      for (const e of demos.value.errors) this.notify(`Demo ${e.file} was not loaded: ${e.error}`);
    }
    return list !== null;
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#panels.dispose();
  }

  /** Best effort, for page unload: stop the host simulating a run nobody watches. */
  closeRun(): void {
    const run = this.run;
    if (!run || !this.#api) return;
    try {
      void this.#api.invoke('lab:close-run', { run_id: run.run_id }).catch(() => {});
    } catch {
      // the page is going away; nothing to report to
    }
  }

  async open(scenario: string, opts: OpenOptions = {}): Promise<boolean> {
    const prev = this.run;
    this.opening = true;
    const desc = await this.#call('lab:open-run', { scenario, ...opts }, `open “${scenario}”`);
    this.opening = false;
    if (!desc) return false;
    if (prev && prev.run_id !== desc.run_id) void this.#call('lab:close-run', { run_id: prev.run_id }, 'close the previous run');
    this.store.clear();
    this.recordsVersion++;
    this.frame = null;
    this.#panels.update(true, this.playing);
    this.run = desc;
    this.#router.open(desc.run_id);
    this.#emit({ type: 'opened', run: desc });
    return true;
  }

  // ── transport ────────────────────────────────────────────────────────────────
  togglePlay(): Promise<boolean> {
    return this.control(this.playing ? 'pause' : 'play');
  }
  setSpeed(speed: number): Promise<boolean> {
    return this.control('speed', speed);
  }
  faster(): Promise<boolean> {
    return this.setSpeed(nextSpeed(this.speed, 1));
  }
  slower(): Promise<boolean> {
    return this.setSpeed(nextSpeed(this.speed, -1));
  }
  step(ms = this.stepMs): Promise<boolean> {
    return this.control('step', ms);
  }
  restart(): Promise<boolean> {
    return this.control('restart');
  }
  setStrategy(id: string): Promise<boolean> {
    return this.control('strategy', id);
  }
  seek(t_ms: number): Promise<boolean> {
    return this.control('seek', Math.max(0, Math.round(t_ms)));
  }

  async control(cmd: ControlCmd, value?: number | string): Promise<boolean> {
    const run = this.run;
    if (!run) return false;
    const payload: Request<'lab:control'> = value === undefined ? { run_id: run.run_id, cmd } : { run_id: run.run_id, cmd, value };
    const res = await this.#call('lab:control', payload, controlWhat(cmd, value));
    if (!res) return false;
    // The host may not send a frame while paused: reflect the new state at once.
    if (this.frame && this.frame.run_id === run.run_id) {
      this.frame = { ...this.frame, playing: res.playing, speed: res.speed, strategy: res.strategy, records: [], reset: false };
      this.frameRecvAt = performance.now();
      this.#panels.update(true, this.playing);
    }
    this.#emit({ type: 'command', cmd });
    return true;
  }

  // ── faults ───────────────────────────────────────────────────────────────────
  async act(action: FaultAction): Promise<boolean> {
    const run = this.run;
    if (!run) return false;
    const res = await this.#call('lab:act', { run_id: run.run_id, action }, describeAction(action));
    if (res !== null) this.#emit({ type: 'command', cmd: 'act' });
    return res !== null;
  }

  // ── notices ──────────────────────────────────────────────────────────────────
  notify(text: string): void {
    this.notices = [...this.notices.slice(-4), { id: ++this.#noticeId, text }];
  }
  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
  dismissAll(): void {
    this.notices = [];
  }

  // ── internals ────────────────────────────────────────────────────────────────
  async #call<C extends Channel>(channel: C, payload: Request<C>, what: string): Promise<Responses[C] | null> {
    const res = await callHost(this.#api, channel, payload, what);
    if (res.ok) return res.value;
    this.notify(res.message);
    return null;
  }

  /**
   * Frames are batched per animation frame: every frame's records go into the store at
   * once (and listeners hear every frame), but only the latest frame of those that arrive
   * between two animation frames becomes `frame`, so views draw once per display frame.
   * A frame that changes playback state (reset, play/pause, speed, strategy, error) is
   * presented at once.
   */
  #pending: Frame | null = null;
  #recordsDirty = false;
  #flushScheduled = false;
  #fallbackTimer: ReturnType<typeof setTimeout> | null = null;
  #panels = new PanelCadence(() => {
    this.panelFrame = this.frame;
    this.panelRecordsVersion = this.recordsVersion;
  });

  #apply(f: Frame): void {
    if (this.store.apply(f.records ?? [], f.reset)) this.#recordsDirty = true;
    const cur = this.frame;
    const transition = !cur || f.reset || f.run_id !== cur.run_id || f.playing !== cur.playing || f.speed !== cur.speed || f.strategy !== cur.strategy || f.error !== cur.error;
    this.#pending = f;
    if (transition || typeof requestAnimationFrame !== 'function') this.#flush(transition);
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      requestAnimationFrame(() => this.#flush());
      // A hidden window gets no animation frames; cancelled when the animation frame comes.
      this.#fallbackTimer ??= setTimeout(() => this.#flush(), 100);
    }
    this.#emit({ type: 'frame', frame: f });
  }

  #flush(transition = false): void {
    this.#flushScheduled = false;
    if (this.#fallbackTimer !== null) clearTimeout(this.#fallbackTimer);
    this.#fallbackTimer = null;
    if (this.#recordsDirty) {
      this.#recordsDirty = false;
      this.recordsVersion++;
    }
    const f = this.#pending;
    this.#pending = null;
    if (!f || f.run_id !== this.run?.run_id) return;
    this.frame = f;
    this.frameRecvAt = performance.now();
    this.#panels.update(transition, this.playing);
    markFirstScenarioDrawn();
  }
}

function controlWhat(cmd: ControlCmd, value?: number | string): string {
  switch (cmd) {
    case 'speed':
      return `set speed ×${value}`;
    case 'strategy':
      return `switch strategy to “${value}”`;
    case 'step':
      return 'step';
    case 'seek':
      return `seek to ${value} ms`;
    default:
      return cmd;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
