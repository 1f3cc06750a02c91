/**
 * Epidemic gossip as one batched round per gossip_round_ms (not one event per message):
 * every live edge holding the newest version pushes it to `fanout` peers chosen uniformly
 * among all edges ("I have vN, do you?" → "send it"). For a stale edge, the number of
 * pushes it receives from the F fresh edges it can reach is Binomial(fanout·F, 1/(N−1)),
 * so it is infected this round with probability 1 − (1 − 1/(N−1))^(fanout·F). Reachability
 * between regions comes from the engine (ctx.linkUp between one edge of each region), so
 * a partitioned region stays stale while a region with a dead hub is reached by its
 * neighbours' gossip. The exchange (digest, request, payload) costs three one-way delays.
 */
import { deliver } from './delivery';
import { delay, layout, type Ctx } from './params';
import type { CdnState } from './state';

export function gossipRound(s: CdnState, ctx: Ctx): void {
  const L = layout(ctx);
  s.gossipNext_ms = ctx.now_ms + s.p.gossipRoundMs;
  ctx.setTimer(L.edgeNode[s.gossipOwner]!, s.p.gossipRoundMs, 'gossip');
  if (s.onLatest === s.N) return; // every edge has the newest version: exchanges change nothing
  const R = L.regions.length;
  let maxV = 0;
  for (let e = 0; e < s.N; e++) if (!s.dead[e] && s.ver[e]! > maxV) maxV = s.ver[e]!;
  const fresh = new Array<number>(R).fill(0);
  let stale = 0;
  for (let e = 0; e < s.N; e++) {
    if (s.dead[e]) continue;
    if (s.ver[e] === maxV) fresh[L.regionOfEdge[e]!]! += 1;
    else if (s.landVer[e]! < maxV) stale += 1;
  }
  if (stale > 0) {
    const reps = L.regions.map((_, r) => L.edgeNode[r * s.E]!);
    const lnq = Math.log(1 - 1 / (s.N - 1));
    const pInfect: number[] = [];
    const pLocal: number[] = [];
    for (let a = 0; a < R; a++) {
      let reach = 0;
      for (let b = 0; b < R; b++) if (a === b || ctx.linkUp(reps[a]!, reps[b]!)) reach += fresh[b]!;
      pInfect.push(1 - Math.exp(s.p.fanout * reach * lnq));
      pLocal.push(reach > 0 ? fresh[a]! / reach : 0);
    }
    for (let e = 0; e < s.N; e++) {
      if (s.dead[e] || s.ver[e]! >= maxV || s.landVer[e]! >= maxV) continue;
      const r = L.regionOfEdge[e]!;
      if (!ctx.rng.chance(pInfect[r]!)) continue;
      if (ctx.rng.chance(s.p.edgeLoss)) continue;
      const local = ctx.rng.next() < pLocal[r]!;
      const oneWay = () => (local ? delay(ctx, s.p.intraLat, s.p.intraJit) : delay(ctx, s.p.interLat, s.p.interJit));
      deliver(s, ctx, e, maxV, oneWay() + oneWay() + oneWay());
    }
  }
}

/** The round timer lives on a live edge; when that edge dies the next live one takes over. */
export function gossipHandOver(s: CdnState, ctx: Ctx): void {
  const L = layout(ctx);
  for (let i = 1; i <= s.N; i++) {
    const e = (s.gossipOwner + i) % s.N;
    if (!s.dead[e]) {
      s.gossipOwner = e;
      ctx.setTimer(L.edgeNode[e]!, Math.max(0, s.gossipNext_ms - ctx.now_ms), 'gossip');
      return;
    }
  }
}
