/** FT-2 meeting hall view: the extras reader, the hall geometry and the seat styles (pure). */
import { describe, expect, it } from 'vitest';
import { callWords, counterLetter, hallLayout, readHallExtras, reportedMedian, sectionRows, seatLook, sightWedge } from '../../src-renderer/lib/views/hall-geometry';
import { DEFAULT_HALL_PALETTE as P, seatStyle } from '../../src-renderer/lib/views/hall-draw';
import { viewKind, stageKind } from '../../src-renderer/lib/views/view-kind';

describe('meeting hall extras', () => {
  it('reads the model’s drawing data and tolerates junk', () => {
    const fx = readHallExtras({
      hall: { rows: 25, seats: 20, sections: [{ id: 'front', residents: 160 }, { id: 'middle', residents: 180 }, { id: 'back', residents: 160 }, 'junk'] },
      call: 'no',
      round: 2,
      phase: 'p',
      hands: '^~.',
      marks: 's..',
      truth: null,
      counters: [{ id: 'counter-a', x: 0.1666, row: 3, running: 12, call: 'no', yes: 250, no: 220, abstain: 10, excluded: false, malicious: true, up: true }, 7],
      disagreement_pct: 6.4,
      declared: { outcome: 'yes', yes: 238, no: 210, method: 'median of counters', certified: false },
      audit: null,
      board: null,
    });
    expect(fx.rows).toBe(25);
    expect(fx.sections.map((s) => s.id)).toEqual(['front', 'middle', 'back']);
    expect(fx.call).toBe('no');
    expect(fx.counters).toHaveLength(1);
    expect(fx.counters[0]).toMatchObject({ id: 'counter-a', row: 3, malicious: true, yes: 250 });
    expect(fx.declared).toMatchObject({ outcome: 'yes', certified: false });
    const empty = readHallExtras({ call: 'maybe', counters: 'x' as never });
    expect(empty).toMatchObject({ rows: 25, seats: 20, call: null, counters: [], declared: null, hands: '' });
    expect(readHallExtras(undefined).rows).toBe(25);
  });

  it('the view kind is registered', () => {
    expect(viewKind('meeting-hall')).toBe('meeting-hall');
    expect(stageKind('meeting-hall', [])).toBe('meeting-hall');
  });
});

describe('meeting hall geometry', () => {
  const L = hallLayout({ x: 10, y: 100, w: 900, h: 400 }, 25, 20, 90);

  it('rows are columns from the front (left, by the counters) to the back (right); seats stay inside the area', () => {
    expect(L.rowX(0)).toBeLessThan(L.rowX(24));
    expect(L.table.x + L.table.w).toBeLessThanOrEqual(L.seats.x);
    const [x0, y0] = L.seatAt(0);
    const [x1, y1] = L.seatAt(499);
    expect(x0).toBe(L.rowX(0));
    expect(x1).toBe(L.rowX(24));
    expect(y0).toBeLessThan(y1);
    expect(L.seats.y + L.seats.h).toBeLessThanOrEqual(500 + 1e-9);
    expect(L.seats.x + L.seats.w).toBeLessThanOrEqual(910 + 1e-9);
    expect(L.dx).toBeGreaterThanOrEqual(L.dy);
    expect(L.dx).toBeLessThanOrEqual(2 * L.dy + 1e-9);
    // Counters stand at the table, spread along the front.
    const [ca, ya] = L.counterAt(1 / 6);
    const [, yc] = L.counterAt(5 / 6);
    expect(ca).toBeLessThan(L.seats.x);
    expect(ya).toBeLessThan(yc);
  });

  it('a sight line is a wedge from the counter to the row it looks at', () => {
    const d = sightWedge(L, 0.5, 10);
    const [cx, cy] = L.counterAt(0.5);
    expect(d.startsWith(`M${cx.toFixed(1)},${cy.toFixed(1)} L`)).toBe(true);
    expect(d).toContain((L.rowX(10) - L.dx * 0.45).toFixed(1));
  });

  it('sections map to rows; median of reported tallies ignores excluded counters', () => {
    expect(sectionRows([{ id: 'front', residents: 160 }, { id: 'middle', residents: 180 }, { id: 'back', residents: 160 }], 20)).toEqual([
      { id: 'front', from: 0, to: 7 },
      { id: 'middle', from: 8, to: 16 },
      { id: 'back', from: 17, to: 24 },
    ]);
    const c = (yes: number | null, no: number | null, excluded = false) => ({ id: 'c', x: 0, row: -1, running: 0, call: null, yes, no, abstain: 0, excluded, malicious: false, up: true });
    expect(reportedMedian([c(243, 210), c(211, 227), c(238, 202)])).toEqual({ yes: 238, no: 210 });
    expect(reportedMedian([c(243, 210), c(100, 300, true)])).toEqual({ yes: 243, no: 210 });
    expect(reportedMedian([c(null, null)])).toBeNull();
    expect(counterLetter('counter-a')).toBe('A');
    expect(callWords('yes')).toBe('ALL IN FAVOUR, hands up');
    expect(callWords(null)).toBe('');
  });
});

describe('meeting hall seats', () => {
  it('a raised hand wins over marks; marks show audit and ballots; after the declaration, true votes', () => {
    expect(seatLook('^', 's')).toBe('hand');
    expect(seatLook('~', '.')).toBe('half');
    expect(seatLook('.', 's')).toBe('asked');
    expect(seatLook('.', 'v')).toBe('audited');
    expect(seatLook('.', 'c')).toBe('committed');
    expect(seatLook('.', 'l')).toBe('late');
    expect(seatLook(undefined, undefined)).toBe('empty');
    expect(seatStyle('hand', '', 'yes', P)).toMatchObject({ fill: P.yes, arm: 'up' });
    expect(seatStyle('hand', '', 'no', P)).toMatchObject({ fill: P.no, arm: 'up' });
    expect(seatStyle('half', '', 'yes', P)).toMatchObject({ fill: null, stroke: P.yes, arm: 'half' });
    expect(seatStyle('late', '', null, P).fill).toBe(P.bad);
    expect(seatStyle('empty', 'y', null, P).fill).toBe(P.yes);
    expect(seatStyle('empty', '', null, P)).toMatchObject({ fill: P.seat, stroke: P.seatEdge });
  });
});
