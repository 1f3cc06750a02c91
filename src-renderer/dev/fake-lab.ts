/**
 * DEV ONLY — a crude fake of the host for looking at the UI before the real engine runs.
 * Not imported by production code or tests; built only through dev/index.html by hand.
 */
import type { LabApi } from '../../src-shared/ipc/contract';
import type { Frame, LinkView, MessageView, RunDescription, ScopeView } from '../../src-shared/ipc/frames';
import type { TimelineRecord } from '../../src-shared/timeline/records';
import type { ScenarioSpec } from '../../src-shared/scenario/types';

const groups = [
  { id: 'us-east', label: 'US East', location: [-77.5, 39] as [number, number], nodes: ['us-east-1', 'us-east-2', 'us-east-3'] },
  { id: 'eu-west', label: 'EU West', location: [-8, 53.3] as [number, number], nodes: ['eu-west-1', 'eu-west-2', 'eu-west-3'] },
  { id: 'apac', label: 'Asia-Pacific', location: [103.8, 1.35] as [number, number], nodes: ['apac-1', 'apac-2', 'apac-3'] },
];
const TARGET = '⟨Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)⟩';
const MINORITY = '⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩';
const spec = {
  id: 'nt1-log-replication',
  title: 'Log replication across continents',
  test: 'NT-1',
  distance: 'near',
  impossibility: ['FLP', 'CAP', 'PACELC'],
  summary: '',
  model: 'log-replication',
  view: 'world',
  groups,
  network: { intra_group: { latency_ms: 2, jitter_ms: 1, loss: 0 }, inter_group: { latency_ms: 125, jitter_ms: 10, loss: 0 }, pairs: [] },
  parameters: {},
  symbols: { δ_repl: 500 },
  strategies: [
    { id: 'sync-all', label: 'Synchronous replication', description: 'Block each write until all three continents have it', params: {}, claims: {} },
    { id: 'leader-local-quorum', label: 'Leader + local quorum (CP)', description: '', params: {}, claims: {} },
    { id: 'region-ap', label: 'Leader per region (AP)', description: '', params: {}, claims: {} },
  ],
  default_strategy: 'sync-all',
  initial_mode: 'target',
  modes: [
    { id: 'target', label: 'Target', description: 'No partition', claim: TARGET, severity: 0 },
    { id: 'degraded', label: 'Degraded', description: 'Inter-continental partition', claim: MINORITY, severity: 1 },
    { id: 'recovery', label: 'Recovery', description: 'Catching up', claim: TARGET, severity: 2 },
    { id: 'floor', label: 'Floor', description: 'Local quorum lost', claim: MINORITY, severity: 3 },
  ],
  transitions: [],
  invariants: [],
  requirements: [{ id: 'write-latency', text: 'Writes complete in < 100 ms (p99)', metric: 'write_latency_ms.p99', op: '<', value: 100 }],
  questions: [],
} as unknown as ScenarioSpec;

export function fakeLab(): LabApi {
  const listeners = new Set<(f: Frame) => void>();
  let t = 0;
  let playing = false;
  let speed = 1;
  let strategy = 'sync-all';
  let seq = 0;
  let msgId = 0;
  const cut = new Set<string>();
  const down = new Set<string>();
  let pending: TimelineRecord[] = [];
  let reset = true;
  const modes: Record<string, string> = { 'us-east': 'target', 'eu-west': 'target', apac: 'target' };
  const missed: Record<string, number[]> = { 'us-east': [], 'eu-west': [], apac: [] };
  let messages: MessageView[] = [];
  const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const rec = (r: Record<string, unknown>) => {
    const full = { seq: ++seq, t_ms: t, ...r } as TimelineRecord;
    pending.push(full);
    return full.seq;
  };
  const reachable = (g: string) => groups.filter((o) => o.id !== g && !cut.has(key(g, o.id))).length;

  function tick(dt: number) {
    const before = t;
    t += dt;
    messages = messages.filter((m) => m.arrive_ms >= t);
    // heartbeats every second between regions; checks every 1 s
    for (let s = Math.floor(before / 1000) + 1; s * 1000 <= t; s++) {
      for (const a of groups)
        for (const b of groups) {
          if (a.id >= b.id) continue;
          const ok = !cut.has(key(a.id, b.id));
          if (ok) messages.push({ id: ++msgId, from: a.nodes[0]!, to: b.nodes[0]!, kind: 'heartbeat', sent_ms: s * 1000, arrive_ms: s * 1000 + 125 });
          messages.push({ id: ++msgId, from: a.nodes[1]!, to: a.nodes[2]!, kind: 'append', sent_ms: s * 1000, arrive_ms: s * 1000 + 300 });
          if (ok && strategy === 'sync-all') messages.push({ id: ++msgId, from: b.nodes[0]!, to: a.nodes[1]!, kind: 'append', sent_ms: s * 1000 + 200, arrive_ms: s * 1000 + 330 });
        }
      for (const g of groups) {
        if (s % 3 !== 0) continue;
        if (reachable(g.id) < 1) {
          const e = rec({ kind: 'evidence', type: 'heartbeat-missed', scope: g.id, node: g.nodes[0], peer: 'majority', detail: { in_a_row: missed[g.id]!.length + 1 } });
          missed[g.id]!.push(e);
          if (missed[g.id]!.length === 3 && modes[g.id] === 'target') {
            rec({ kind: 'mode', scope: g.id, from: 'target', to: 'degraded', evidence: [...missed[g.id]!], reason: '3 consecutive heartbeat failures' });
            rec({ kind: 'claim', scope: g.id, status: 'broken', components: ['scope', 'order'], observed: MINORITY, claimed: TARGET, evidence: [...missed[g.id]!] });
            modes[g.id] = 'degraded';
          }
        } else {
          rec({ kind: 'evidence', type: 'heartbeat-seen', scope: g.id, node: g.nodes[0], peer: 'majority' });
          if (modes[g.id] === 'degraded') {
            rec({ kind: 'mode', scope: g.id, from: 'degraded', to: 'recovery', evidence: [seq], reason: 'quorum reachable again' });
            modes[g.id] = 'recovery';
          } else if (modes[g.id] === 'recovery') {
            rec({ kind: 'mode', scope: g.id, from: 'recovery', to: 'target', evidence: [seq], reason: 'caught up' });
            modes[g.id] = 'target';
          }
          missed[g.id] = [];
        }
      }
    }
  }

  function frame(): Frame {
    const links: LinkView[] = [];
    for (const a of groups)
      for (const b of groups) if (a.id < b.id) links.push({ a: a.id, b: b.id, state: cut.has(key(a.id, b.id)) ? 'cut' : 'up', latency_ms: 125, loss: 0 });
    const scopes: ScopeView[] = groups.map((g) => {
      const deg = modes[g.id] === 'degraded';
      return {
        id: g.id,
        mode: modes[g.id]!,
        observed: deg ? '⟨Local, Causal, Fractured, EO, Idem(event_id), Auth(JWT)⟩' : TARGET,
        claimed: deg ? MINORITY : TARGET,
        weaker: deg ? ['visibility'] : [],
        basis: { scope: deg ? 'reaches only its own region (3 missed heartbeats)' : 'all 3 regions reachable', visibility: 'no read-atomic snapshot while isolated' },
      };
    });
    const p99 = strategy === 'sync-all' ? 262 : 71;
    const f: Frame = {
      run_id: 'run-1',
      t_ms: t,
      until_ms: 600_000,
      playing,
      speed,
      strategy,
      nodes: groups.flatMap((g) => g.nodes.map((id, i) => ({ id, group: g.id, up: !down.has(id), role: i === 0 ? 'leader' : 'follower', byzantine: false }))),
      links,
      messages,
      scopes,
      records: pending,
      reset,
      extras: {},
      metrics: { write_latency_ms: { p50: p99 - 12, p99 }, writes_accepted: Math.round(t / 10), writes_refused: 0 },
      requirements: [{ id: 'write-latency', text: 'Writes complete in < 100 ms (p99)', value: p99, met: p99 < 100 }],
      digest: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12',
    };
    pending = [];
    reset = false;
    return f;
  }
  const push = () => {
    const f = frame();
    for (const l of listeners) l(f);
  };
  setInterval(() => {
    if (playing) {
      tick(50 * speed);
      push();
    }
  }, 50);

  const desc: RunDescription = { run_id: 'run-1', scenario: spec, strategy: 'sync-all', seed: 42 };
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  return {
    onFrame(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    invoke(channel, payload) {
      const p = payload as Record<string, unknown>;
      switch (channel) {
        case 'lab:scenarios':
          return ok([{ id: spec.id, title: spec.title, test: spec.test, distance: spec.distance, impossibility: spec.impossibility, strategies: spec.strategies.map((s) => ({ id: s.id, label: s.label })) }]) as never;
        case 'lab:open-run':
          setTimeout(push, 0);
          return ok(desc) as never;
        case 'lab:act': {
          const a = p.action as { do: string; link?: [string, string]; node?: string; groups?: string[][] };
          if (a.do === 'cut' && a.link) cut.add(key(...a.link));
          else if (a.do === 'heal' && a.link) cut.delete(key(...a.link));
          else if (a.do === 'heal-all') cut.clear();
          else if (a.do === 'kill' && a.node) down.add(a.node);
          else if (a.do === 'restart' && a.node) down.delete(a.node);
          else if (a.do === 'partition' && a.groups) for (const x of a.groups[0]!) for (const y of a.groups[1]!) cut.add(key(x, y));
          else return Promise.resolve({ ok: false as const, error: `lab:act: unknown action ${a.do}` }) as never;
          rec({ kind: 'fault', action: a, source: 'user', text: `${a.do} ${a.link?.join('–') ?? a.node ?? ''}` });
          push();
          return ok({ applied: a.do }) as never;
        }
        case 'lab:control': {
          const cmd = p.cmd as string;
          if (cmd === 'play') playing = true;
          if (cmd === 'pause') playing = false;
          if (cmd === 'speed') speed = p.value as number;
          if (cmd === 'strategy') strategy = p.value as string;
          if (cmd === 'step') tick(p.value as number);
          push();
          return ok({ t_ms: t, playing, speed, strategy }) as never;
        }
        default:
          return ok({ closed: true }) as never;
      }
    },
  };
}
