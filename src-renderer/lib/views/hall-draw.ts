/**
 * FT-2 meeting hall on a Canvas 2D layer: the 500 seats, raised hands and the counters'
 * sight lines (SVG for 1000 changing elements costs a projector's frame rate). The seat
 * style is a pure function (unit-tested); drawHall only paints what it returns.
 */
import type { HallExtras, HallLayout, SeatLook } from './hall-geometry';
import { seatLook, sightWedge } from './hall-geometry';

export interface HallPalette {
  seat: string;
  seatEdge: string;
  yes: string;
  no: string;
  abstain: string;
  accent: string;
  committed: string;
  bad: string;
  fg: string;
}

export const DEFAULT_HALL_PALETTE: HallPalette = {
  seat: '#1b232e',
  seatEdge: '#6f7c8c',
  yes: '#1fbf8f',
  no: '#ff9f3d',
  abstain: '#f2f5f8',
  accent: '#56b4e9',
  committed: '#cc79a7',
  bad: '#ff6b4a',
  fg: '#f2f5f8',
};

/** Reads the palette from the theme's CSS variables (falls back to the dark theme). */
export function readHallPalette(el: Element | null): HallPalette {
  if (!el || typeof getComputedStyle !== 'function') return DEFAULT_HALL_PALETTE;
  const cs = getComputedStyle(el);
  const v = (name: string, d: string) => cs.getPropertyValue(name).trim() || d;
  const p = DEFAULT_HALL_PALETTE;
  return { ...p, seat: v('--panel-2', p.seat), seatEdge: v('--fg-faint', p.seatEdge), yes: v('--good', p.yes), accent: v('--accent', p.accent), bad: v('--bad', p.bad), fg: v('--fg', p.fg), abstain: v('--fg', p.abstain) };
}

export interface SeatStyle {
  fill: string | null;
  stroke: string | null;
  width: number;
  /** Draw a raised arm (solid) or a half-raised one (dashed). */
  arm: 'up' | 'half' | null;
}

export function callColor(call: HallExtras['call'], p: HallPalette): string {
  return call === 'yes' ? p.yes : call === 'no' ? p.no : p.abstain;
}

export function seatStyle(look: SeatLook, truth: string, call: HallExtras['call'], p: HallPalette): SeatStyle {
  switch (look) {
    case 'hand':
      return { fill: callColor(call, p), stroke: null, width: 0, arm: 'up' };
    case 'half':
      return { fill: null, stroke: callColor(call, p), width: 2, arm: 'half' };
    case 'asked':
      return { fill: p.seat, stroke: p.accent, width: 2.5, arm: null };
    case 'audited':
      return { fill: p.accent, stroke: p.fg, width: 1, arm: null };
    case 'committed':
      return { fill: p.committed, stroke: null, width: 0, arm: null };
    case 'opened':
      return { fill: p.committed, stroke: p.fg, width: 1.5, arm: null };
    case 'late':
      return { fill: p.bad, stroke: p.fg, width: 1, arm: null };
  }
  // After the declaration the seats show the residents' true votes, faintly.
  if (truth === 'y') return { fill: p.yes, stroke: null, width: 0, arm: null };
  if (truth === 'n') return { fill: p.no, stroke: null, width: 0, arm: null };
  return { fill: p.seat, stroke: p.seatEdge, width: 1, arm: null };
}

export function drawHall(ctx: CanvasRenderingContext2D, L: HallLayout, fx: HallExtras, colors: readonly string[], p: HallPalette): void {
  // Sight lines first (under the seats).
  fx.counters.forEach((c, k) => {
    if (c.row < 0 || !c.up) return;
    const color = colors[k % colors.length]!;
    const path = new Path2D(sightWedge(L, c.x, c.row));
    ctx.globalAlpha = 0.16;
    ctx.fillStyle = color;
    ctx.fill(path);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2.5;
    ctx.stroke(path);
  });
  const n = fx.rows * fx.seats;
  const truthAlpha = 0.55;
  for (let i = 0; i < n; i++) {
    const [x, y] = L.seatAt(i);
    const st = seatStyle(seatLook(fx.hands[i], fx.marks[i]), fx.truth?.[i] ?? '', fx.call, p);
    if (st.arm) {
      ctx.strokeStyle = st.fill ?? st.stroke ?? p.fg;
      ctx.lineWidth = 2.5;
      ctx.setLineDash(st.arm === 'half' ? [2, 2] : []);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + L.r * 0.9, y - L.r * 2.2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.beginPath();
    ctx.arc(x, y, L.r, 0, Math.PI * 2);
    if (st.fill) {
      ctx.globalAlpha = !st.arm && fx.truth && (fx.truth[i] === 'y' || fx.truth[i] === 'n') && seatLook(fx.hands[i], fx.marks[i]) === 'empty' ? truthAlpha : 1;
      ctx.fillStyle = st.fill;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    if (st.stroke) {
      ctx.strokeStyle = st.stroke;
      ctx.lineWidth = st.width;
      ctx.stroke();
    }
  }
}
