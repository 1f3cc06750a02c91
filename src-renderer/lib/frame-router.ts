/**
 * Routes frames to the open run. Frames carry only the records that are new since the
 * previous frame, so none may be dropped: frames for a run id we do not know yet (they
 * can arrive before the open-run reply names the run) are held and replayed when it opens.
 * Frames' node lists are delta-decoded here, so everything after the router sees full lists.
 */
import type { Frame } from '../../src-shared/ipc/frames';
import { NodeDeltaDecoder } from '../../src-shared/ipc/node-delta';

const MAX_HELD_PER_RUN = 200;
const MAX_HELD_RUNS = 4;

export class FrameRouter {
  #current: string | null = null;
  #held = new Map<string, Frame[]>();
  #nodes = new NodeDeltaDecoder();

  constructor(private readonly deliver: (f: Frame) => void) {}

  get current(): string | null {
    return this.#current;
  }

  receive(wire: Frame): void {
    // Node lists arrive delta-encoded (src-shared/ipc/node-delta.ts); decode every frame, in
    // arrival order, before anything is held or dropped, so deliver() always sees full nodes.
    const f = this.#nodes.decode(wire);
    if (f.run_id === this.#current) {
      this.deliver(f);
      return;
    }
    if (!this.#held.has(f.run_id) && this.#held.size >= MAX_HELD_RUNS) this.#held.clear();
    const q = this.#held.get(f.run_id) ?? [];
    if (q.length < MAX_HELD_PER_RUN) q.push(f);
    this.#held.set(f.run_id, q);
  }

  /** Makes `runId` the open run and delivers the frames held for it, in order. */
  open(runId: string): void {
    this.#current = runId;
    const early = this.#held.get(runId) ?? [];
    this.#held.clear();
    for (const f of early) this.deliver(f);
  }

  heldCount(): number {
    let n = 0;
    for (const q of this.#held.values()) n += q.length;
    return n;
  }
}
