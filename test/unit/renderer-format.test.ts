import { describe, expect, it } from 'vitest';
import { flattenMetrics, formatClock, formatNumber, formatStamp, formatWithUnit, shortDigest, shortLabel, unitOf } from '../../src-renderer/lib/format';
import { modeLook, modeTone, titleCase } from '../../src-renderer/lib/modes';
import { pickInitialScenario } from '../../src-renderer/lib/startup';
import type { ModeSpec, ScenarioSummary } from '../../src-shared/scenario/types';

describe('formatClock', () => {
  it('shows tenths of a simulated second', () => {
    expect(formatClock(42_300)).toBe('t = 42.3 s');
    expect(formatClock(0)).toBe('t = 0.0 s');
    expect(formatClock(59_999)).toBe('t = 60.0 s');
  });
  it('switches to minutes past ten minutes', () => {
    expect(formatClock(723_400)).toBe('t = 12:03.4');
  });
  it('never shows negative or NaN time', () => {
    expect(formatClock(-5)).toBe('t = 0.0 s');
    expect(formatClock(Number.NaN)).toBe('t = —');
  });
  it('stamps records to the millisecond', () => {
    expect(formatStamp(12_345)).toBe('12.345 s');
  });
});

describe('shortDigest', () => {
  it('keeps the first 8 hex characters', () => {
    expect(shortDigest('3fa2c1d9e0b1c2d3')).toBe('3fa2c1d9');
    expect(shortDigest('sha256:abcdef0123456789')).toBe('abcdef01');
    expect(shortDigest('')).toBe('—');
  });
});

describe('flattenMetrics', () => {
  it('flattens nested figures and takes units from the key', () => {
    const rows = flattenMetrics({ write_latency_ms: { p50: 70.04, p99: 252 }, writes_refused: 12, ok: true, note: null });
    expect(rows).toEqual([
      { key: 'write_latency_ms.p50', label: 'write latency p50', value: '70.0 ms' },
      { key: 'write_latency_ms.p99', label: 'write latency p99', value: '252 ms' },
      { key: 'writes_refused', label: 'writes refused', value: '12' },
      { key: 'ok', label: 'ok', value: 'yes' },
      { key: 'note', label: 'note', value: '—' },
    ]);
  });
  it('formats numbers for the back row', () => {
    expect(formatNumber(0.0123)).toBe('0.012');
    expect(formatNumber(123456)).toBe('123,456');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(3.14159)).toBe('3.1');
  });
  it('keeps the parent unit for statistics only', () => {
    expect(unitOf(['write_latency_ms', 'p99'])).toBe('ms');
    expect(unitOf(['write_latency_ms', 'count'])).toBe('');
    expect(unitOf(['replication_lag_ms', 'apac'])).toBe('');
    expect(unitOf(['loss_pct'])).toBe('%');
    expect(formatWithUnit(72.25, 'write_latency_ms.p99')).toBe('72.3 ms');
    expect(formatWithUnit(0, 'lost_acked_events')).toBe('0');
    expect(flattenMetrics({ write_latency_ms: { count: 777 } })[0]!.value).toBe('777');
  });
  it('caps the number of rows', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${i}`, i]));
    expect(flattenMetrics(many, 10)).toHaveLength(10);
  });
});

describe('shortLabel', () => {
  it('drops a trailing parenthetical', () => {
    expect(shortLabel('US East (Virginia)')).toBe('US East');
    expect(shortLabel('Asia-Pacific')).toBe('Asia-Pacific');
    expect(shortLabel('(odd)')).toBe('(odd)');
  });
});

describe('mode looks', () => {
  const modes: ModeSpec[] = [
    { id: 'target', label: 'Target', description: '', claim: '', severity: 0 },
    { id: 'degraded-cp', label: 'Degraded (CP)', description: '', claim: '', severity: 1 },
    { id: 'floor', label: 'Floor', description: '', claim: '', severity: 3 },
    { id: 'recovery', label: 'Recovery', description: '', claim: '', severity: 2 },
    { id: 'byzantine', label: 'Byzantine', description: '', claim: '', severity: 2 },
  ];
  it('maps the four standard modes to distinct tones and glyphs', () => {
    const looks = ['target', 'degraded-cp', 'floor', 'recovery'].map((m) => modeLook(m, modes));
    expect(looks.map((l) => l.tone)).toEqual(['target', 'degraded', 'floor', 'recovery']);
    expect(new Set(looks.map((l) => l.glyph)).size).toBe(4);
    expect(looks[1]!.label).toBe('Degraded (CP)');
  });
  it('gives scenario-specific modes their own tone', () => {
    expect(modeLook('byzantine', modes).tone).toBe('other');
  });
  it('falls back to severity, then to a title-cased id', () => {
    expect(modeTone('normal', { label: 'Normal', severity: 0 })).toBe('target');
    expect(modeTone('blackout', { label: 'Blackout', severity: 3 })).toBe('floor');
    expect(modeLook('split-brain').label).toBe('Split Brain');
    expect(titleCase('a_b-c')).toBe('A B C');
  });
  it('does not match a tone inside another word', () => {
    expect(modeTone('untargeted')).toBe('other');
  });
});

describe('pickInitialScenario', () => {
  const s = (id: string): ScenarioSummary => ({ id, title: id, test: '', distance: 'near', impossibility: [], strategies: [] });
  it('prefers the requested scenario, then NT-1, then the first', () => {
    const list = [s('mt1-cache-invalidation'), s('nt1-log-replication')];
    expect(pickInitialScenario(list, 'mt1-cache-invalidation')).toBe('mt1-cache-invalidation');
    expect(pickInitialScenario(list, 'nope')).toBe('nt1-log-replication');
    expect(pickInitialScenario([s('x')], null)).toBe('x');
    expect(pickInitialScenario([], null)).toBeNull();
  });
});
