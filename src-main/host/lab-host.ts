/**
 * The main-process host: opens runs, takes actions, plays them and streams frames.
 * Electron-free: Electron's ipcMain (src-main/electron/ipc.ts) and the loopback bridge
 * (src-main/bridge) are two thin adapters over the same `handle` and `subscribe`.
 * Every request is validated (src-shared/ipc/contract.ts) before it reaches a run.
 */
import { validateRequest, type Channel, type Envelope, type Request, type Responses } from '../../src-shared/ipc/contract';
import type { Frame } from '../../src-shared/ipc/frames';
import { summarize } from '../../src-shared/scenario/types';
import { loadScenarioDir, parseFaultScript, type ScenarioStore } from '../scenarios/scenario-store';
import { loadDemoDir, type DemoStore } from '../scenarios/demo-store';
import { join } from 'node:path';
import { effectiveParameters, strategyOf, validateActionLog } from '../scenarios/action-log';
import { reportFile } from '../report/report-file';
import type { HostLike } from './host-api';
import { RunController } from './run-controller';
import { checkHistoryFile } from './history-check';
import { analyseRun } from '../analysis/run-analysis';

/** Playback timing, injectable so tests can drive the host without real time. */
export interface PlaybackClock {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realClock: PlaybackClock = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export interface LabHostOptions {
  scenarioDir: string;
  clock?: PlaybackClock;
  /** Wall ms between playback frames. */
  frame_ms?: number;
  /** Simulated ms per wall second at speed 1. */
  sim_ms_per_s?: number;
  /** Prints report HTML to PDF (Electron's printToPDF in the app); without it PDF export is refused. */
  printPdf?: (html: string) => Promise<Uint8Array>;
}

const MAX_RUNS = 8;
const STEP_MS = 1000;

export class LabHost implements HostLike {
  private readonly store: ScenarioStore;
  private readonly demos: DemoStore;
  private readonly runs = new Map<string, RunController>();
  private readonly listeners = new Set<(f: Frame) => void>();
  private readonly clock: PlaybackClock;
  private readonly frame_ms: number;
  private readonly sim_ms_per_s: number;
  private readonly printPdf: ((html: string) => Promise<Uint8Array>) | null;
  private timer: unknown = null;
  private nextRun = 1;

  constructor(opts: LabHostOptions) {
    this.store = loadScenarioDir(opts.scenarioDir);
    this.demos = loadDemoDir(join(opts.scenarioDir, 'demos'), this.store.scenarios);
    this.clock = opts.clock ?? realClock;
    this.frame_ms = opts.frame_ms ?? 33;
    this.sim_ms_per_s = opts.sim_ms_per_s ?? 1000;
    this.printPdf = opts.printPdf ?? null;
  }

  static async create(opts: LabHostOptions): Promise<LabHost> {
    return new LabHost(opts);
  }

  get scenarioErrors(): { file: string; error: string }[] {
    return this.store.errors;
  }

  subscribe(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
    this.runs.clear();
    this.listeners.clear();
  }

  async handle(channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
    try {
      const req = validateRequest(channel, payload);
      return { ok: true, value: await this.dispatch(req.channel, req.payload) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : `failed: ${String(e)}` };
    }
  }

  /**
   * A loaded scenario by id. Never `store.get`, which also reads a scenario file by path
   * (for the CLI): a renderer must not make the main process read files.
   */
  private scenario(id: string) {
    const spec = this.store.scenarios.find((s) => s.id === id);
    if (!spec) throw new Error(`unknown scenario "${id}" (known: ${this.store.scenarios.map((s) => s.id).join(', ')})`);
    return spec;
  }

  private run(id: string): RunController {
    const r = this.runs.get(id);
    if (!r) throw new Error(`no open run "${id}"`);
    return r;
  }

  private dispatch(channel: Channel, payload: Request<Channel>): Responses[Channel] | Promise<Responses[Channel]> {
    switch (channel) {
      case 'lab:scenarios':
        return this.store.scenarios.map(summarize);
      case 'lab:demos':
        return this.demos;
      case 'lab:open-run': {
        const p = payload as Request<'lab:open-run'>;
        const spec = this.scenario(p.scenario);
        if (p.script !== undefined && p.actions !== undefined) throw new Error('lab:open-run: give a script or an action log, not both');
        const script = p.script ? parseFaultScript(p.script, spec) : p.actions ? validateActionLog(p.actions, spec) : [];
        if (p.strategy !== undefined) strategyOf(spec, p.strategy);
        if (this.runs.size >= MAX_RUNS) {
          const oldest = this.runs.keys().next().value!;
          this.runs.delete(oldest);
        }
        const id = `run-${this.nextRun++}`;
        const run = new RunController(id, spec, p.strategy ?? spec.default_strategy, p.seed ?? 1, script, p.until_ms);
        this.runs.set(id, run);
        this.emit(run);
        return run.describe();
      }
      case 'lab:close-run': {
        const p = payload as Request<'lab:close-run'>;
        this.run(p.run_id);
        this.runs.delete(p.run_id);
        this.syncTimer();
        return { closed: true };
      }
      case 'lab:act': {
        const p = payload as Request<'lab:act'>;
        const run = this.run(p.run_id);
        const applied = run.act(p.action);
        this.emit(run);
        return { applied };
      }
      case 'lab:control': {
        const p = payload as Request<'lab:control'>;
        const run = this.run(p.run_id);
        const num = typeof p.value === 'number' ? p.value : undefined;
        switch (p.cmd) {
          case 'play':
            run.playing = true;
            break;
          case 'pause':
            run.playing = false;
            break;
          case 'step':
            run.playing = false;
            run.advance(num ?? STEP_MS);
            break;
          case 'speed':
            if (num === undefined || num <= 0 || num > 1000) throw new Error('lab:control speed: value must be a number in (0, 1000]');
            run.speed = num;
            break;
          case 'seek':
            if (num === undefined) throw new Error('lab:control seek: value must be a time in ms');
            run.seek(num);
            break;
          case 'strategy':
            if (typeof p.value !== 'string') throw new Error('lab:control strategy: value must be a strategy id');
            run.setStrategy(p.value);
            break;
          case 'restart':
            run.restart();
            break;
        }
        this.syncTimer();
        this.emit(run);
        return { t_ms: run.sim.now_ms, playing: run.playing, speed: run.speed, strategy: run.sim.strategy.id };
      }
      case 'lab:run-log': {
        const p = payload as Request<'lab:run-log'>;
        return this.run(p.run_id).log();
      }
      case 'lab:check-session': {
        const p = payload as Request<'lab:check-session'>;
        const spec = this.scenario(p.scenario);
        strategyOf(spec, p.strategy);
        const actions = validateActionLog(p.actions, spec);
        return { actions: actions.length, parameters: effectiveParameters(spec, p.strategy) };
      }
      case 'lab:check-history': {
        const p = payload as Request<'lab:check-history'>;
        return checkHistoryFile(p.text, p.model, p.name);
      }
      case 'lab:history': {
        const p = payload as Request<'lab:history'>;
        return this.run(p.run_id).history(p.since);
      }
      case 'lab:analysis': {
        const p = payload as Request<'lab:analysis'>;
        return analyseRun(this.run(p.run_id).sim, { wait: false, ...(p.seeds === undefined ? {} : { seeds: p.seeds }) });
      }
      case 'lab:report': {
        const p = payload as Request<'lab:report'>;
        const run = this.run(p.run_id);
        return reportFile(run.sim, p.format, p.session, this.printPdf);
      }
    }
  }

  private emit(run: RunController): void {
    const frame = run.frame();
    for (const l of this.listeners) l(frame);
  }

  /** Runs the playback timer only while some run is playing. */
  private syncTimer(): void {
    const anyPlaying = [...this.runs.values()].some((r) => r.playing);
    if (anyPlaying && this.timer === null) this.timer = this.clock.setInterval(() => this.playbackTick(), this.frame_ms);
    if (!anyPlaying && this.timer !== null) {
      this.clock.clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** One playback tick: advance every playing run by speed × frame time. Public for tests. */
  playbackTick(): void {
    for (const run of this.runs.values()) {
      if (!run.playing) continue;
      run.advance((this.frame_ms / 1000) * this.sim_ms_per_s * run.speed);
      this.emit(run);
    }
    this.syncTimer();
  }
}
