import { describe, expect, it } from 'vitest';
import { DEFAULT_PALETTE, drawFloor, radioSegments, readPalette, sensorLook, type FloorScene } from '../../src-renderer/lib/views/floor-draw';
import { HopBuffer, hopPosition, messageStyle, trailAlpha, trailWindow } from '../../src-renderer/lib/views/messages';
import type { SensorDot } from '../../src-renderer/lib/views/floor-geometry';
import type { MessageView } from '../../src-shared/ipc/frames';

/** A CanvasRenderingContext2D stand-in that records every call and style change. */
function recorder() {
  const calls: { op: string; args: unknown[]; fill?: unknown; stroke?: unknown }[] = [];
  const state: Record<string, unknown> = { fillStyle: '', strokeStyle: '', lineWidth: 1, globalAlpha: 1, lineCap: 'butt' };
  const ctx = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => calls.push({ op: prop, args, fill: target.fillStyle, stroke: target.strokeStyle });
    },
    set(target, prop: string, value) {
      target[prop] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const dot = (id: string, x: number, y: number, up = true, role = 'follower'): SensorDot => ({ id, x, y, up, role, byzantine: false, group: 'zone-a' });
const msg = (id: number, from: string, to: string, kind: string, sent_ms: number, arrive_ms: number): MessageView => ({ id, from, to, kind, sent_ms, arrive_ms });

function scene(over: Partial<FloorScene> = {}): FloorScene {
  const sensors = [dot('s1', 10, 10), dot('s2', 50, 10), dot('s3', 90, 10, false), dot('s4', 50, 50, true, 'candidate'), dot('s5', 90, 50, true, 'coordinator'), dot('s6', 10, 50, true, 'orphan')];
  return {
    width: 200,
    height: 100,
    r: 5,
    sensors,
    radio: radioSegments(sensors, [
      [0, 1],
      [1, 2],
    ]),
    messages: [],
    t_ms: 1000,
    fade_ms: 500,
    voted: new Set(),
    focus: null,
    ...over,
  };
}

describe('message styles', () => {
  it('classifies message kinds of both models', () => {
    expect(messageStyle('heartbeat')).toBe('routine');
    expect(messageStyle('hb')).toBe('routine');
    expect(messageStyle('beacon')).toBe('routine');
    expect(messageStyle('hb-ack')).toBe('ack');
    expect(messageStyle('link-ack')).toBe('hidden');
    expect(messageStyle('request-vote')).toBe('request');
    expect(messageStyle('vote')).toBe('vote');
    expect(messageStyle('commit')).toBe('cert');
    expect(messageStyle('accuse')).toBe('accuse');
    expect(messageStyle('uplink')).toBe('other');
  });

  it('moves a message along its hop and fades its trail after arrival', () => {
    const m = msg(1, 'a', 'b', 'vote', 100, 200);
    expect(hopPosition(m, 150, [0, 0], [10, 20])).toEqual([5, 10]);
    expect(hopPosition(m, 250, [0, 0], [10, 20])).toBeNull();
    expect(trailAlpha(m, 50, 100)).toBe(0);
    expect(trailAlpha(m, 150, 100)).toBe(1);
    expect(trailAlpha(m, 250, 100)).toBeCloseTo(0.5);
    expect(trailAlpha(m, 400, 100)).toBe(0);
    expect(trailWindow(1)).toBe(700);
    expect(trailWindow(10)).toBe(2500);
    expect(trailWindow(0.1)).toBe(250);
  });

  it('keeps recent hops across frames, forgets faded ones and starts over on a reset or a jump back', () => {
    const hops = new HopBuffer(10);
    hops.update([msg(1, 'a', 'b', 'vote', 0, 8)], 5, 100);
    hops.update([msg(2, 'b', 'c', 'vote', 40, 48)], 45, 100);
    expect(hops.size).toBe(2);
    hops.update([], 120, 100);
    expect([...hops.values()].map((m) => m.id)).toEqual([2]);
    hops.update([msg(3, 'c', 'd', 'vote', 10, 18)], 15, 100);
    expect([...hops.values()].map((m) => m.id)).toEqual([3]);
    hops.update([msg(4, 'c', 'd', 'vote', 16, 18)], 16, 100, true);
    expect([...hops.values()].map((m) => m.id)).toEqual([4]);
    hops.update(Array.from({ length: 30 }, (_, i) => msg(100 + i, 'a', 'b', 'hb', 16, 17 + i)), 16, 100);
    expect(hops.size).toBe(10);
    // In flight: only while some hop has not arrived yet.
    expect(hops.inFlightAt(40)).toBe(true);
    expect(hops.inFlightAt(47)).toBe(false);
    hops.clear();
    expect(hops.inFlightAt(0)).toBe(false);
  });
});

describe('floor drawing', () => {
  it('tells roles apart by shape, never by colour alone', () => {
    expect(sensorLook({ up: false, role: 'coordinator', byzantine: false })).toBe('down');
    expect(sensorLook({ up: true, role: 'coordinator', byzantine: false })).toBe('coordinator');
    expect(sensorLook({ up: true, role: 'candidate', byzantine: false })).toBe('candidate');
    expect(sensorLook({ up: true, role: 'orphan', byzantine: false })).toBe('orphan');
    expect(sensorLook({ up: true, role: 'follower', byzantine: true })).toBe('byzantine');
    expect(sensorLook({ up: true, role: 'follower', byzantine: false })).toBe('follower');
  });

  it('batches: one fill per sensor look, down sensors hollow with a cross', () => {
    const { ctx, calls } = recorder();
    const stats = drawFloor(ctx, scene(), DEFAULT_PALETTE);
    expect(stats).toEqual({ sensors: 6, messages: 0, trails: 0 });
    expect(calls[0]).toMatchObject({ op: 'clearRect', args: [0, 0, 200, 100] });
    const fills = calls.filter((c) => c.op === 'fill').map((c) => c.fill);
    // follower (fg), orphan (muted), down (bg = hollow), candidate (accent), coordinator (fg).
    expect(fills).toEqual([DEFAULT_PALETTE.fg, DEFAULT_PALETTE.fgMuted, DEFAULT_PALETTE.bg, DEFAULT_PALETTE.accent, DEFAULT_PALETTE.fg]);
    // The cross over the down sensor is stroked in the "bad" colour.
    expect(calls.some((c) => c.op === 'stroke' && c.stroke === DEFAULT_PALETTE.bad)).toBe(true);
    // Radio links: one stroke for all of them.
    expect(calls.filter((c) => c.op === 'stroke' && c.stroke === DEFAULT_PALETTE.link)).toHaveLength(1);
  });

  it('draws messages in flight at the interpolated time and trails of recent hops; skips link-layer acks', () => {
    const { ctx, calls } = recorder();
    const messages = [msg(1, 's1', 's2', 'vote', 900, 1100), msg(2, 's2', 's3', 'heartbeat', 700, 800), msg(3, 's1', 's2', 'link-ack', 950, 1050), msg(4, 's1', 'nowhere', 'vote', 900, 1100)];
    const stats = drawFloor(ctx, scene({ messages }), DEFAULT_PALETTE);
    expect(stats.messages).toBe(1);
    expect(stats.trails).toBe(2);
    // The vote is half-way from s1 (10,10) to s2 (50,10): a diamond around (30,10).
    expect(calls.some((c) => c.op === 'moveTo' && c.args[0] === 30 && (c.args[1] as number) < 10)).toBe(true);
  });

  it('is a pure function of the scene: same scene, same calls', () => {
    const a = recorder();
    const b = recorder();
    const s = scene({ messages: [msg(1, 's1', 's2', 'vote', 900, 1100)], voted: new Set(['s1']), focus: 's5' });
    drawFloor(a.ctx, s, DEFAULT_PALETTE);
    drawFloor(b.ctx, s, DEFAULT_PALETTE);
    expect(a.calls).toEqual(b.calls);
    expect(a.calls.length).toBeGreaterThan(20);
  });

  it('reads the palette from CSS variables, keeping defaults for empty ones', () => {
    const p = readPalette((v) => (v === '--bg' ? ' #ffffff ' : v === '--mode-other' ? '#a0457e' : ''));
    expect(p.bg).toBe('#ffffff');
    expect(p.other).toBe('#a0457e');
    expect(p.fg).toBe(DEFAULT_PALETTE.fg);
  });
});
