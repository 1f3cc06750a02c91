/**
 * Presenter mode (issue 7): full screen, large type, high contrast, and a demo preset
 * (scenarios/demos, DEMOS.md) stepped with a clicker — PageDown next, PageUp previous.
 *
 * A step: switch strategy if it says so (the host replays the same seed and action log
 * under it), apply its fault actions now, then play `run_for` of simulated time at its
 * speed and pause. Previous seeks back to where that step started (the run is an event
 * log with a cursor): actions already in the log replay as the run plays forward again,
 * so a step's actions are applied only the first time it is entered.
 *
 * The spotlight: mode changes and broken claims arriving in frames are shown large for a
 * few seconds so the back row sees them.
 */
import type { DemoPreset, DemoStep } from '../../../src-shared/demo/demo';
import type { Frame } from '../../../src-shared/ipc/frames';
import { COMPONENT_LABELS } from '../../../src-shared/gvector';
import type { RunState } from '../run-state.svelte';

export interface Spot {
  id: number;
  text: string;
  tone: 'mode' | 'broken' | 'restored' | 'violation';
  until: number;
}

export interface PresenterDeps {
  lab: RunState;
  /** Opens a fresh session of a scenario (the session layer decides how). */
  openScenario: (scenario: string, opts: { strategy: string; seed: number }) => Promise<boolean>;
  now?: () => number;
  fullscreen?: (on: boolean) => void;
}

const SPOT_MS = 8000;
const MAX_SPOTS = 3;

/** The strategy in effect during step i: the last step up to i that names one, else the demo's. */
export function strategyAt(demo: DemoPreset, i: number): string {
  for (let k = Math.min(i, demo.steps.length - 1); k >= 0; k--) {
    const s = demo.steps[k]!.strategy;
    if (s) return s;
  }
  return demo.strategy;
}

/** Spotlight lines for the records of a frame: mode changes, broken claims, invariant violations. */
export function spotsOf(frame: Pick<Frame, 'records'>, label: (scope: string) => string): Omit<Spot, 'id' | 'until'>[] {
  const out: Omit<Spot, 'id' | 'until'>[] = [];
  for (const r of frame.records ?? []) {
    if (r.kind === 'mode') out.push({ text: `${label(r.scope)}: ${r.from} → ${r.to}`, tone: 'mode' });
    else if (r.kind === 'claim' && r.status === 'broken') out.push({ text: `${label(r.scope)}: claim broken — ${r.components.map((c) => COMPONENT_LABELS[c]).join(', ')}`, tone: 'broken' });
    else if (r.kind === 'invariant') out.push({ text: `Invariant violated: ${r.text}`, tone: 'violation' });
  }
  return out;
}

export class Presenter {
  on = $state(false);
  /** The demo picker is open. */
  picking = $state(false);
  demo = $state.raw<DemoPreset | null>(null);
  /** The current step; -1 before the first (the title card). */
  step = $state(-1);
  /** A step is playing toward its end. */
  busy = $state(false);
  spots = $state.raw<Spot[]>([]);

  #deps: PresenterDeps;
  #starts: number[] = [];
  #applied: boolean[] = [];
  #stopAt: number | null = null;
  #spotId = 0;
  #unsubscribe: () => void;

  constructor(deps: PresenterDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.lab.on((e) => {
      if (e.type === 'frame') this.#onFrame(e.frame);
    });
  }

  dispose(): void {
    this.#unsubscribe();
  }

  get current(): DemoStep | null {
    return this.demo && this.step >= 0 ? (this.demo.steps[this.step] ?? null) : null;
  }

  /** Presenter on/off. On without a demo opens the picker. */
  toggle(): void {
    this.on = !this.on;
    this.#deps.fullscreen?.(this.on);
    if (this.on && !this.demo) this.picking = true;
    if (!this.on) this.picking = false;
  }

  async start(demo: DemoPreset): Promise<boolean> {
    this.picking = false;
    if (!this.on) {
      this.on = true;
      this.#deps.fullscreen?.(true);
    }
    const ok = await this.#deps.openScenario(demo.scenario, { strategy: demo.strategy, seed: demo.seed });
    if (!ok) return false;
    this.demo = demo;
    this.step = -1;
    this.#starts = [];
    this.#applied = [];
    this.#stopAt = null;
    this.busy = false;
    return true;
  }

  async next(): Promise<boolean> {
    if (!this.demo || this.step >= this.demo.steps.length - 1) return false;
    return this.#enter(this.step + 1);
  }

  async prev(): Promise<boolean> {
    if (!this.demo || this.step < 0) return false;
    if (this.step === 0) {
      await this.#pause();
      await this.#ensureStrategy(this.demo.strategy);
      await this.#deps.lab.seek(this.#starts[0] ?? 0);
      this.step = -1;
      return true;
    }
    return this.#enter(this.step - 1);
  }

  async #enter(i: number): Promise<boolean> {
    const demo = this.demo!;
    const s = demo.steps[i]!;
    const lab = this.#deps.lab;
    await this.#pause();
    if (this.#applied[i]) {
      // Entered before: go back to where it started; its actions are in the log already.
      await this.#ensureStrategy(strategyAt(demo, i));
      await lab.seek(this.#starts[i]!);
    } else {
      this.#starts[i] = lab.t_ms;
      await this.#ensureStrategy(strategyAt(demo, i));
      for (const a of s.actions) await lab.act(a);
      this.#applied[i] = true;
      // Later steps were entered from another past: forget them.
      this.#applied.length = i + 1;
      this.#starts.length = i + 1;
    }
    this.step = i;
    if (s.run_for_ms > 0) {
      this.#stopAt = this.#starts[i]! + s.run_for_ms;
      if (s.speed !== null && s.speed !== lab.speed) await lab.setSpeed(s.speed);
      this.busy = true;
      if (!lab.playing) await lab.togglePlay();
    }
    return true;
  }

  async #ensureStrategy(id: string): Promise<void> {
    if (this.#deps.lab.strategy !== id) await this.#deps.lab.setStrategy(id);
  }

  async #pause(): Promise<void> {
    this.#stopAt = null;
    this.busy = false;
    if (this.#deps.lab.playing) await this.#deps.lab.togglePlay();
  }

  #onFrame(f: Frame): void {
    if (this.#stopAt !== null && f.t_ms >= this.#stopAt) {
      this.#stopAt = null;
      this.busy = false;
      if (f.playing) void this.#deps.lab.togglePlay();
    }
    if (!this.on) return;
    const now = (this.#deps.now ?? Date.now)();
    const groups = this.#deps.lab.scenario?.groups ?? [];
    const label = (id: string) => groups.find((g) => g.id === id)?.label ?? id;
    const fresh = f.reset ? [] : spotsOf(f, label);
    const live = this.spots.filter((s) => s.until > now);
    if (fresh.length === 0 && live.length === this.spots.length) return;
    this.spots = [...live, ...fresh.map((s) => ({ ...s, id: ++this.#spotId, until: now + SPOT_MS }))].slice(-MAX_SPOTS);
  }
}
