/**
 * Canvas 2D drawing of the NT-2 floor's many small things: radio links, up to 500
 * sensors and the messages hopping between them. A pure function of the scene (built
 * from frame, extras and simulated time) and the palette; styles are batched into one
 * path each, so 500 sensors + 400 messages cost a handful of fill() calls.
 */
import type { MessageView } from '../../../src-shared/ipc/frames';
import type { SensorDot } from './floor-geometry';
import { hopPosition, messageStyle, trailAlpha, type MessageStyle } from './messages';

export interface Palette {
  bg: string;
  fg: string;
  fgMuted: string;
  fgFaint: string;
  link: string;
  message: string;
  messageRoutine: string;
  accent: string;
  bad: string;
  good: string;
  other: string;
  focus: string;
}

/** Dark-theme defaults (theme.css); the component reads the live CSS variables. */
export const DEFAULT_PALETTE: Palette = {
  bg: '#0b0e13',
  fg: '#f2f5f8',
  fgMuted: '#a7b3c2',
  fgFaint: '#6f7c8c',
  link: '#8fa0b5',
  message: '#f0e442',
  messageRoutine: '#c9d3de',
  accent: '#56b4e9',
  bad: '#ff6b4a',
  good: '#1fbf8f',
  other: '#e08fc0',
  focus: '#f0e442',
};

/** CSS custom property behind each palette entry. */
export const PALETTE_VARS: Record<keyof Palette, string> = {
  bg: '--bg',
  fg: '--fg',
  fgMuted: '--fg-muted',
  fgFaint: '--fg-faint',
  link: '--link',
  message: '--message',
  messageRoutine: '--message-routine',
  accent: '--accent',
  bad: '--bad',
  good: '--good',
  other: '--mode-other',
  focus: '--focus',
};

export function readPalette(get: (cssVar: string) => string): Palette {
  const out = { ...DEFAULT_PALETTE };
  for (const k of Object.keys(PALETTE_VARS) as (keyof Palette)[]) {
    const v = get(PALETTE_VARS[k]).trim();
    if (v) out[k] = v;
  }
  return out;
}

export interface FloorScene {
  width: number;
  height: number;
  /** Sensor dot radius, px. */
  r: number;
  sensors: readonly SensorDot[];
  /** Radio links as flat [x1, y1, x2, y2, …] pixel coordinates. */
  radio: ArrayLike<number>;
  /** Messages to draw (the latest frame's plus recent hops for trails). */
  messages: Iterable<MessageView>;
  /** Simulated time to draw at. */
  t_ms: number;
  /** How long an arrived hop's trail stays (simulated ms); 0 = no trails. */
  fade_ms: number;
  /** Sensor ids that sent a vote recently (drawn with a ring). */
  voted: ReadonlySet<string>;
  /** Sensor under the pointer / keyboard focus. */
  focus: string | null;
}

/** Pixel position of every sensor by id (message endpoints). */
export function positionIndex(sensors: readonly SensorDot[]): Map<string, [number, number]> {
  return new Map(sensors.map((s) => [s.id, [s.x, s.y]]));
}

type Ctx = Pick<
  CanvasRenderingContext2D,
  | 'clearRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'arc'
  | 'rect'
  | 'closePath'
  | 'fill'
  | 'stroke'
  | 'save'
  | 'restore'
  | 'setLineDash'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'globalAlpha'
  | 'lineCap'
>;

const MSG_SIZE: Record<MessageStyle, number> = { routine: 3.2, ack: 2.4, request: 5.5, vote: 5.5, cert: 6, accuse: 6.5, other: 3.5, hidden: 0 };

function msgColour(style: MessageStyle, p: Palette): string {
  switch (style) {
    case 'routine':
      return p.messageRoutine;
    case 'ack':
      return p.fgFaint;
    case 'request':
      return p.accent;
    case 'vote':
      return p.message;
    case 'cert':
      return p.good;
    case 'accuse':
      return p.bad;
    default:
      return p.message;
  }
}

/** One shape of a batch: circle, diamond, triangle or square centred on (x, y). */
function shape(ctx: Ctx, kind: 'circle' | 'diamond' | 'triangle' | 'square', x: number, y: number, r: number): void {
  switch (kind) {
    case 'circle':
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
      return;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.25);
      ctx.lineTo(x + r * 1.25, y);
      ctx.lineTo(x, y + r * 1.25);
      ctx.lineTo(x - r * 1.25, y);
      ctx.closePath();
      return;
    case 'triangle':
      ctx.moveTo(x, y - r * 1.3);
      ctx.lineTo(x + r * 1.15, y + r * 0.75);
      ctx.lineTo(x - r * 1.15, y + r * 0.75);
      ctx.closePath();
      return;
    case 'square':
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      return;
  }
}

const MSG_SHAPE: Record<MessageStyle, 'circle' | 'diamond' | 'triangle' | 'square'> = {
  routine: 'circle',
  ack: 'circle',
  request: 'triangle',
  vote: 'diamond',
  cert: 'square',
  accuse: 'square',
  other: 'circle',
  hidden: 'circle',
};

/** Sensor look: how each role is told apart without colour (shape and size). */
export type SensorLook = 'follower' | 'orphan' | 'candidate' | 'coordinator' | 'down' | 'byzantine';

export function sensorLook(s: Pick<SensorDot, 'up' | 'role' | 'byzantine'>): SensorLook {
  if (!s.up) return 'down';
  if (s.byzantine) return 'byzantine';
  if (/coordinator|leader|primary/.test(s.role)) return 'coordinator';
  if (/candidate/.test(s.role)) return 'candidate';
  if (/orphan/.test(s.role)) return 'orphan';
  return 'follower';
}

export interface DrawStats {
  sensors: number;
  messages: number;
  trails: number;
}

interface SensorIndex {
  pos: Map<string, [number, number]>;
  byLook: Map<SensorLook, SensorDot[]>;
}

/** Per sensor list (a frame's): positions by id and sensors by look, computed once, not per draw. */
const indexCache = new WeakMap<readonly SensorDot[], SensorIndex>();

function sensorIndex(sensors: readonly SensorDot[]): SensorIndex {
  let ix = indexCache.get(sensors);
  if (!ix) {
    const byLook = new Map<SensorLook, SensorDot[]>();
    for (const s of sensors) {
      const look = sensorLook(s);
      const list = byLook.get(look);
      if (list) list.push(s);
      else byLook.set(look, [s]);
    }
    ix = { pos: positionIndex(sensors), byLook };
    indexCache.set(sensors, ix);
  }
  return ix;
}

export function drawFloor(ctx: Ctx, scene: FloorScene, p: Palette): DrawStats {
  const { r } = scene;
  ctx.clearRect(0, 0, scene.width, scene.height);
  const { pos, byLook } = sensorIndex(scene.sensors);

  // Radio links: one faint path.
  if (scene.radio.length >= 4) {
    ctx.save();
    ctx.globalAlpha = 0.22;
    ctx.strokeStyle = p.link;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 0; i + 3 < scene.radio.length; i += 4) {
      ctx.moveTo(scene.radio[i]!, scene.radio[i + 1]!);
      ctx.lineTo(scene.radio[i + 2]!, scene.radio[i + 3]!);
    }
    ctx.stroke();
    ctx.restore();
  }

  // Hop trails (fading lines, and a fading ring on the sensor that received the hop: a
  // flood reads as a wave) and messages in flight, batched by style and opacity step.
  const trails = new Map<MessageStyle, { a: number; seg: number[]; rings: number[] }[]>();
  const dots = new Map<MessageStyle, number[]>();
  let nTrails = 0;
  let nMsgs = 0;
  for (const m of scene.messages) {
    const style = messageStyle(m.kind);
    if (style === 'hidden') continue;
    const a = pos.get(m.from);
    const b = pos.get(m.to);
    if (!a || !b) continue;
    const alpha = scene.fade_ms > 0 ? trailAlpha(m, scene.t_ms, scene.fade_ms) : 0;
    const here = hopPosition(m, scene.t_ms, a, b);
    if (alpha > 0.02 && style !== 'ack') {
      const end = here ?? b;
      const bucket = Math.min(4, Math.ceil(alpha * 4));
      const list = trails.get(style) ?? [];
      let entry = list.find((e) => e.a === bucket);
      if (!entry) list.push((entry = { a: bucket, seg: [], rings: [] }));
      entry.seg.push(a[0], a[1], end[0], end[1]);
      if (!here) entry.rings.push(b[0], b[1]);
      trails.set(style, list);
      nTrails++;
    }
    if (here) {
      const list = dots.get(style) ?? [];
      list.push(here[0], here[1]);
      dots.set(style, list);
      nMsgs++;
    }
  }
  ctx.save();
  ctx.lineCap = 'round';
  for (const [style, list] of trails) {
    ctx.strokeStyle = msgColour(style, p);
    const routine = style === 'routine';
    for (const { a, seg, rings } of list) {
      ctx.globalAlpha = (routine ? 0.55 : 0.85) * (a / 4);
      ctx.lineWidth = routine ? 2 : 3;
      ctx.beginPath();
      for (let i = 0; i + 3 < seg.length; i += 4) {
        ctx.moveTo(seg[i]!, seg[i + 1]!);
        ctx.lineTo(seg[i + 2]!, seg[i + 3]!);
      }
      ctx.stroke();
      if (rings.length) {
        ctx.lineWidth = routine ? 2 : 3;
        ctx.beginPath();
        const rr = r + 3;
        for (let i = 0; i + 1 < rings.length; i += 2) {
          ctx.moveTo(rings[i]! + rr, rings[i + 1]!);
          ctx.arc(rings[i]!, rings[i + 1]!, rr, 0, Math.PI * 2);
        }
        ctx.stroke();
      }
    }
  }
  ctx.restore();

  // Sensors, by look.
  const batch = (list: SensorDot[] | undefined, kind: 'circle' | 'diamond' | 'triangle' | 'square', rr: number, fill: string | null, stroke: string | null, lw = 1.5) => {
    if (!list?.length) return;
    ctx.beginPath();
    for (const s of list) shape(ctx, kind, s.x, s.y, rr);
    if (fill) {
      ctx.fillStyle = fill;
      ctx.fill();
    }
    if (stroke) {
      ctx.strokeStyle = stroke;
      ctx.lineWidth = lw;
      ctx.stroke();
    }
  };
  ctx.save();
  batch(byLook.get('follower'), 'circle', r, p.fg, p.bg, 1);
  batch(byLook.get('orphan'), 'square', r * 0.8, p.fgMuted, p.bg, 1);
  batch(byLook.get('byzantine'), 'square', r * 1.1, p.other, p.bg, 1.5);
  // Down: hollow, with a cross when there is room for one.
  // Down: hollow and a little larger than the living, so a dead sensor reads from the back row.
  const down = byLook.get('down');
  const rd = Math.max(4, r * 1.2);
  batch(down, 'circle', rd, p.bg, p.fgMuted, Math.max(1.5, rd * 0.28));
  if (down?.length && rd >= 4.5) {
    ctx.beginPath();
    const c = rd * 0.6;
    for (const s of down) {
      ctx.moveTo(s.x - c, s.y - c);
      ctx.lineTo(s.x + c, s.y + c);
      ctx.moveTo(s.x - c, s.y + c);
      ctx.lineTo(s.x + c, s.y - c);
    }
    ctx.strokeStyle = p.bad;
    ctx.lineWidth = Math.max(2, rd * 0.32);
    ctx.stroke();
  }
  // Voted recently: a ring in the vote colour.
  if (scene.voted.size > 0) {
    const ringed = scene.sensors.filter((s) => s.up && scene.voted.has(s.id));
    batch(ringed, 'circle', r + 3, null, p.message, 2);
  }
  batch(byLook.get('candidate'), 'diamond', r * 1.35, p.accent, p.bg, 2);
  batch(byLook.get('coordinator'), 'circle', r * 1.5, p.fg, p.bg, 2.5);
  ctx.restore();

  // Messages on top.
  ctx.save();
  for (const [style, xy] of dots) {
    const size = MSG_SIZE[style];
    ctx.beginPath();
    for (let i = 0; i + 1 < xy.length; i += 2) shape(ctx, MSG_SHAPE[style], xy[i]!, xy[i + 1]!, size);
    ctx.fillStyle = msgColour(style, p);
    ctx.fill();
    if (size >= 5) {
      ctx.strokeStyle = p.bg;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }
  ctx.restore();

  // Focus ring.
  if (scene.focus) {
    const s = pos.get(scene.focus);
    if (s) {
      ctx.save();
      ctx.beginPath();
      ctx.arc(s[0], s[1], r * 1.6 + 4, 0, Math.PI * 2);
      ctx.strokeStyle = p.focus;
      ctx.lineWidth = 3;
      ctx.stroke();
      ctx.restore();
    }
  }
  return { sensors: scene.sensors.length, messages: nMsgs, trails: nTrails };
}

/** Flattens radio pairs into pixel segments for FloorScene.radio. */
export function radioSegments(sensors: readonly SensorDot[], pairs: readonly [number, number][]): Float32Array {
  const out = new Float32Array(pairs.length * 4);
  pairs.forEach(([i, j], k) => {
    const a = sensors[i]!;
    const b = sensors[j]!;
    out[k * 4] = a.x;
    out[k * 4 + 1] = a.y;
    out[k * 4 + 2] = b.x;
    out[k * 4 + 3] = b.y;
  });
  return out;
}
