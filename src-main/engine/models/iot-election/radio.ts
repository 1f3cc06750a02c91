/**
 * The radio layer: one-hop broadcast (floods) and one-hop unicast with link-layer
 * retransmission (802.15.4-style: a frame is acknowledged by the receiver and resent up
 * to `arq_retries` times). Every hop is one engine message, so a wall (partition) or a
 * set-link loss acts on each hop; the `interference_loss` parameter drops frames on
 * every hop of the mesh on top of that. Each transmitted and each received frame costs
 * `frame_cost_uAh` of the sensor's battery.
 */
import type { ModelContext } from '../../model-api';
import { floorOf } from './source';
import { FRAME_RING, type IotState } from './state';

/** Message kinds that belong to elections (counted as the battery cost of elections). */
const ELECTION_KINDS = new Set(['request-vote', 'vote']);

function spend(s: IotState, i: number, tx: boolean): void {
  s.v.used_uAh[i]! += s.p.frame_uAh;
  if (tx) s.stats.tx += 1;
  else s.stats.rx += 1;
}

function hop(s: IotState, ctx: ModelContext, from: number, to: number, kind: string, body: unknown): void {
  if (s.p.interference > 0 && ctx.rng.chance(s.p.interference)) return;
  ctx.send(s.names[from]!, s.names[to]!, kind, body);
}

/** One transmission heard by every radio neighbour (each reception may be lost independently). */
export function broadcast(s: IotState, ctx: ModelContext, from: number, kind: string, body: unknown): void {
  spend(s, from, true);
  if (ELECTION_KINDS.has(kind)) s.stats.electionFrames += 1;
  for (const nb of floorOf(ctx).nbr[from]!) hop(s, ctx, from, nb, kind, body);
}

/** Sends `payload` to the neighbour `to`, retransmitting until acknowledged or out of retries. */
export function unicast(s: IotState, ctx: ModelContext, from: number, to: number, kind: string, payload: unknown): void {
  const f = s.nextFrame++;
  s.frames[f] = { from, to, kind, payload, tries: 0 };
  transmit(s, ctx, f);
}

function transmit(s: IotState, ctx: ModelContext, f: number): void {
  const fr = s.frames[f]!;
  fr.tries += 1;
  spend(s, fr.from, true);
  if (ELECTION_KINDS.has(fr.kind)) s.stats.electionFrames += 1;
  hop(s, ctx, fr.from, fr.to, fr.kind, { f, p: fr.payload });
  ctx.setTimer(s.names[fr.from]!, s.p.arq_wait_ms, 'arq', f);
}

/** The retransmission timer of frame f fired. */
export function onArqTimer(s: IotState, ctx: ModelContext, f: number): void {
  const fr = s.frames[f];
  if (!fr) return;
  if (fr.tries > s.p.arq_retries) {
    delete s.frames[f];
    s.stats.arqDropped += 1;
    return;
  }
  transmit(s, ctx, f);
}

export function onLinkAck(s: IotState, f: number): void {
  delete s.frames[f];
}

/** Accounts a received frame. */
export function received(s: IotState, i: number): void {
  spend(s, i, false);
}

/**
 * A unicast frame arrived at `to`: acknowledge it and return its payload, or null when it
 * is a retransmission already delivered (its acknowledgement was lost).
 */
export function acceptUnicast(s: IotState, ctx: ModelContext, to: number, from: number, body: { f: number; p: unknown }): unknown {
  spend(s, to, true);
  hop(s, ctx, to, from, 'link-ack', body.f);
  const ring = s.v.frames;
  const base = to * FRAME_RING;
  for (let k = base; k < base + FRAME_RING; k++) if (ring[k] === body.f) return null;
  const pos = s.v.framePos[to]!;
  ring[base + pos] = body.f;
  s.v.framePos[to] = (pos + 1) % FRAME_RING;
  return body.p;
}

/** A crashed sensor's pending retransmissions die with it. */
export function dropFramesOf(s: IotState, i: number): void {
  for (const k of Object.keys(s.frames)) {
    const f = Number(k);
    if (s.frames[f]!.from === i) delete s.frames[f];
  }
}
