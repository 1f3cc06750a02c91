/**
 * FT-2 meeting hall: a tolerant reader for the town-meeting model's drawing data
 * (`Frame.extras`) and the pure geometry of the hall view (components/views/MeetingHall.svelte):
 * where each seat, counter and sight line goes, and how a seat looks. Seen from above:
 * row 0 (the front) is the leftmost column, next to the counters' table; the back row is
 * the rightmost.
 */
import type { MetricValue } from '../../../src-shared/ipc/frames';
import { isObj, num, str } from './extras';

export interface HallCounter {
  id: string;
  /** Position along the front, 0..1. */
  x: number;
  /** Row being looked at (−1: none). */
  row: number;
  running: number;
  call: string | null;
  yes: number | null;
  no: number | null;
  abstain: number | null;
  excluded: boolean;
  malicious: boolean;
  up: boolean;
}

export interface HallExtras {
  rows: number;
  seats: number;
  sections: { id: string; residents: number }[];
  call: 'yes' | 'no' | 'abstain' | null;
  round: number;
  phase: string;
  method: string;
  /** One character per resident: '^' hand up, '~' half-raised, '.' none. */
  hands: string;
  /** One character per resident: 's' asked by the audit, 'v' audited, 'c' committed, 'o' opened, 'l' late, '.' none. */
  marks: string;
  /** One character per resident after the declaration ('y' / 'n' / 'a'), else null. */
  truth: string | null;
  counters: HallCounter[];
  disagreement: number | null;
  declared: { outcome: string; yes: number; no: number; method: string; certified: boolean } | null;
  audit: { n: number; target: number; low: number; high: number; decision: string | null } | null;
  board: { posted: number; late: number; opened: number; hash: string } | null;
}

const bool = (v: unknown) => v === true;

export function readHallExtras(x: Record<string, MetricValue> | undefined | null): HallExtras {
  const hall = isObj(x?.hall) ? x.hall : {};
  const rows = Math.max(1, Math.round(num(hall.rows) ?? 25));
  const seats = Math.max(1, Math.round(num(hall.seats) ?? 20));
  const sections = Array.isArray(hall.sections)
    ? hall.sections.filter(isObj).map((s) => ({ id: str(s.id) ?? '?', residents: num(s.residents) ?? 0 }))
    : [];
  const call = x?.call === 'yes' || x?.call === 'no' || x?.call === 'abstain' ? x.call : null;
  const counters = Array.isArray(x?.counters)
    ? x.counters.filter(isObj).map((c) => ({
        id: str(c.id) ?? '?',
        x: Math.min(1, Math.max(0, num(c.x) ?? 0.5)),
        row: Math.round(num(c.row) ?? -1),
        running: num(c.running) ?? 0,
        call: str(c.call),
        yes: num(c.yes),
        no: num(c.no),
        abstain: num(c.abstain),
        excluded: bool(c.excluded),
        malicious: bool(c.malicious),
        up: c.up !== false,
      }))
    : [];
  const d = isObj(x?.declared) ? x.declared : null;
  const a = isObj(x?.audit) ? x.audit : null;
  const b = isObj(x?.board) ? x.board : null;
  return {
    rows,
    seats,
    sections,
    call,
    round: num(x?.round) ?? 0,
    phase: str(x?.phase) ?? '',
    method: str(x?.method) ?? '',
    hands: typeof x?.hands === 'string' ? x.hands : '',
    marks: typeof x?.marks === 'string' ? x.marks : '',
    truth: typeof x?.truth === 'string' ? x.truth : null,
    counters,
    disagreement: num(x?.disagreement_pct),
    declared: d ? { outcome: str(d.outcome) ?? '?', yes: num(d.yes) ?? 0, no: num(d.no) ?? 0, method: str(d.method) ?? '', certified: bool(d.certified) } : null,
    audit: a ? { n: num(a.n) ?? 0, target: num(a.target) ?? 0, low: num(a.low) ?? 0, high: num(a.high) ?? 1, decision: str(a.decision) } : null,
    board: b ? { posted: num(b.posted) ?? 0, late: num(b.late) ?? 0, opened: num(b.opened) ?? 0, hash: str(b.hash) ?? '' } : null,
  };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface HallLayout {
  /** The seating area. */
  seats: Box;
  /** Seat pitch along a row (dy) and between rows (dx, up to twice dy), and the dot radius. */
  dx: number;
  dy: number;
  r: number;
  /** The counters' table, left of the front row. */
  table: Box;
  /** Where a counter at position x (0..1 along the front) stands. */
  counterAt(x: number): [number, number];
  seatAt(index: number): [number, number];
  /** Centre of a row (a column on screen: the front row is the leftmost). */
  rowX(row: number): number;
}

/**
 * Lays out `rows × seats` in `area` as seen from above with the front of the hall on the
 * left: rows are columns (row 0, the front, next to the counters' table), seats run top
 * to bottom. Rows may be spaced up to twice the seat pitch to use a wide stage; `tableW`
 * is kept for the table.
 */
export function hallLayout(area: Box, rows: number, seats: number, tableW: number): HallLayout {
  const availW = Math.max(10, area.w - tableW);
  const dy = Math.max(2, Math.min(availW / rows, area.h / seats));
  const dx = Math.max(dy, Math.min(availW / rows, dy * 2));
  const w = dx * rows;
  const h = dy * seats;
  const x0 = area.x + tableW + Math.max(0, (availW - w) / 2);
  const y0 = area.y + Math.max(0, (area.h - h) / 2);
  const table = { x: x0 - tableW, y: y0, w: Math.max(8, tableW - 10), h };
  const rowX = (row: number) => x0 + (row + 0.5) * dx;
  return {
    seats: { x: x0, y: y0, w, h },
    dx,
    dy,
    r: Math.max(1.5, dy * 0.36),
    table,
    counterAt: (x: number) => [table.x + table.w * 0.5, y0 + x * h],
    seatAt: (i: number) => [rowX(Math.floor(i / seats)), y0 + ((i % seats) + 0.5) * dy],
    rowX,
  };
}

/** The sight line of a counter looking at a row: a wedge from the counter to the row's full length. */
export function sightWedge(l: HallLayout, counterX: number, row: number): string {
  const [cx, cy] = l.counterAt(counterX);
  const x = l.rowX(row);
  const top = l.seats.y;
  const bottom = l.seats.y + l.seats.h;
  const half = l.dx * 0.45;
  const f = (n: number) => n.toFixed(1);
  return `M${f(cx)},${f(cy)} L${f(x - half)},${f(top)} L${f(x - half)},${f(bottom)} Z M${f(x + half)},${f(top)} L${f(x + half)},${f(bottom)}`;
}

export type SeatLook = 'empty' | 'hand' | 'half' | 'asked' | 'audited' | 'committed' | 'opened' | 'late';

/** How a seat looks: a raised hand wins over the audit / ballot marks. */
export function seatLook(hand: string | undefined, mark: string | undefined): SeatLook {
  if (hand === '^') return 'hand';
  if (hand === '~') return 'half';
  switch (mark) {
    case 's':
      return 'asked';
    case 'v':
      return 'audited';
    case 'c':
      return 'committed';
    case 'o':
      return 'opened';
    case 'l':
      return 'late';
  }
  return 'empty';
}

/** The chair's call in words, for the banner. */
export function callWords(call: HallExtras['call']): string {
  return call === 'yes' ? 'ALL IN FAVOUR, hands up' : call === 'no' ? 'ALL OPPOSED, hands up' : call === 'abstain' ? 'ABSTAINING, hands up' : '';
}

/** A counter's short name: "counter-a" → "A". */
export function counterLetter(id: string): string {
  const m = /-([a-z0-9]+)$/i.exec(id);
  return (m ? m[1]! : id).toUpperCase();
}

/** The median of the counters' reported yes and no (null until two have reported). */
export function reportedMedian(cs: readonly HallCounter[]): { yes: number; no: number } | null {
  const rep = cs.filter((c) => c.yes !== null && c.no !== null && !c.excluded);
  if (rep.length === 0) return null;
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
  };
  return { yes: med(rep.map((c) => c.yes!)), no: med(rep.map((c) => c.no!)) };
}

/** Which section a row belongs to, given the section sizes and seats per row. */
export function sectionRows(sections: readonly { id: string; residents: number }[], seats: number): { id: string; from: number; to: number }[] {
  const out: { id: string; from: number; to: number }[] = [];
  let row = 0;
  for (const s of sections) {
    const n = Math.max(0, Math.round(s.residents / seats));
    out.push({ id: s.id, from: row, to: row + n - 1 });
    row += n;
  }
  return out;
}
