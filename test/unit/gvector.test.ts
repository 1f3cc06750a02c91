import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COMPONENTS,
  COMPONENT_LABELS,
  GVectorError,
  componentRank,
  extractGVectors,
  formatComponent,
  formatDuration,
  formatGVector,
  isSignatureLabel,
  leq,
  meet,
  parseDuration,
  parseGVector,
  weakerComponents,
  type GVector,
} from '../../src-shared/gvector/index';

const FIXTURE = fileURLToPath(new URL('../fixtures/seed-gvectors.txt', import.meta.url));
// DESIGN's seed lives beside the repo: <repo>/../shared/seed/transfer-tests.md
const SEED = fileURLToPath(new URL('../../../shared/seed/transfer-tests.md', import.meta.url));

const fixtureLines = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '');

const P = (s: string, symbols?: Record<string, number>) => parseGVector(s, symbols ? { symbols } : {});
const F = (g: GVector) => formatGVector(g);

/** Run `f`, expect a GVectorError, return it. */
function gerr(f: () => unknown): GVectorError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(GVectorError);
    return e as GVectorError;
  }
  throw new Error('expected a GVectorError, nothing was thrown');
}

describe('seed G-vectors', () => {
  it('the fixture holds the 46 distinct G-vectors of the seed, no duplicates', () => {
    expect(fixtureLines).toHaveLength(46);
    expect(new Set(fixtureLines).size).toBe(fixtureLines.length);
  });

  it.each(fixtureLines)('parses and round-trips: %s', (line) => {
    const g = parseGVector(line);
    expect(parseGVector(formatGVector(g))).toStrictEqual(g);
    expect(parseGVector(formatGVector(g, { ascii: true }))).toStrictEqual(g);
    // Canonical print of the seed's own notation is the seed text, except BS(∞) → EO.
    expect(formatGVector(g)).toBe(line.replace('BS(∞)', 'EO'));
  });

  it.skipIf(!existsSync(SEED))('the fixture matches a fresh extraction from the seed (no drift)', () => {
    const found = extractGVectors(readFileSync(SEED, 'utf8'));
    expect(found.length).toBeGreaterThan(46); // the seed repeats many of them
    expect([...new Set(found)].sort()).toStrictEqual([...fixtureLines].sort());
  });
});

describe('extractGVectors', () => {
  it('finds ⟨…⟩ and <…> forms, odd spacing and annotated lines; skips code generics', () => {
    const text = [
      'G = ⟨Global, SS, SER, BS(500ms), Idem, Auth⟩ (routes to EU)',
      'ascii: <Range , Causal,RA, EO, Idem(version), Unauth>  // note',
      'pair ⟨ Local,None, Fractured, EO, Idem, Unauth ⟩ and ⟨Global, Lx, SER, Fresh(hb), Idem, Unauth⟩',
      'fn f() -> Result<(), RejectReason> { let v: Vec<Vote> = vec![]; } <Range>',
      'broken: ⟨Global, SS, SER, Idem, Auth⟩',
    ].join('\n');
    expect(extractGVectors(text)).toStrictEqual([
      '⟨Global, SS, SER, BS(500ms), Idem, Auth⟩',
      '<Range , Causal,RA, EO, Idem(version), Unauth>',
      '⟨ Local,None, Fractured, EO, Idem, Unauth ⟩',
      '⟨Global, Lx, SER, Fresh(hb), Idem, Unauth⟩',
      '⟨Global, SS, SER, Idem, Auth⟩', // malformed but extracted, so a parse test would catch it
    ]);
  });
});

describe('parseGVector', () => {
  const canonical = '⟨Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)⟩';

  it('builds the documented structure', () => {
    expect(P(canonical)).toStrictEqual({
      scope: 'Global',
      order: 'SS',
      visibility: 'SER',
      recency: { kind: 'BS', delta_ms: 500 },
      idempotence: { kind: 'Idem', keys: ['event_id'] },
      auth: { kind: 'Auth', labels: ['JWT'] },
    });
    expect(P('⟨Local, None, Fractured, EO, None, Unauth⟩')).toStrictEqual({
      scope: 'Local',
      order: 'None',
      visibility: 'Fractured',
      recency: { kind: 'EO' },
      idempotence: { kind: 'None' },
      auth: { kind: 'Unauth' },
    });
  });

  it('accepts ASCII brackets, other brackets, no brackets, odd whitespace and any keyword case', () => {
    const g = P(canonical);
    for (const variant of [
      '<Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)>',
      '〈Global,SS,SER,BS(500ms),Idem(event_id),Auth(JWT)〉',
      'Global, SS, SER, BS(0.5s), Idem(event_id), Auth(JWT)',
      '  ⟨ Global ,\tSS ,SER,  BS( 500 ms ) , Idem ( event_id ) , Auth(JWT)  ⟩ ',
      '⟨global, ss, ser, bs(500MS), idem(event_id), auth(JWT)⟩',
    ]) {
      expect(P(variant), variant).toStrictEqual(g);
    }
  });

  it('sorts and deduplicates labels; empty parentheses mean no label', () => {
    const g = P('⟨Global, SS, SER, Fresh(φ, disk, disk), Idem(b, a), Auth()⟩');
    expect(g.recency).toStrictEqual({ kind: 'Fresh', evidence: ['disk', 'φ'] });
    expect(g.idempotence).toStrictEqual({ kind: 'Idem', keys: ['a', 'b'] });
    expect(g.auth).toStrictEqual({ kind: 'Auth', labels: [] });
    expect(F(g)).toBe('⟨Global, SS, SER, Fresh(disk, φ), Idem(a, b), Auth⟩');
  });

  it('BS(∞) is EO', () => {
    expect(P('⟨Global, SS, SER, BS(∞), Idem, Auth⟩').recency).toStrictEqual({ kind: 'EO' });
    expect(P('<Global, SS, SER, BS(inf), Idem, Auth>').recency).toStrictEqual({ kind: 'EO' });
    expect(P('⟨Global, SS, SER, BS(T), Idem, Auth⟩', { T: Infinity }).recency).toStrictEqual({ kind: 'EO' });
  });

  describe('BS symbols', () => {
    const seedLine = '⟨Global, SS, SER, BS(δ_repl), Idem(event_id), Auth(JWT)⟩';

    it('parse unbound without a table (the seed has them)', () => {
      expect(P(seedLine).recency).toStrictEqual({ kind: 'BS', delta_ms: null, symbol: 'δ_repl' });
      expect(F(P(seedLine))).toBe(seedLine);
    });

    it('bind through the symbols option and print as name=duration, which round-trips without a table', () => {
      const g = P(seedLine, { δ_repl: 500 });
      expect(g.recency).toStrictEqual({ kind: 'BS', delta_ms: 500, symbol: 'δ_repl' });
      expect(F(g)).toBe('⟨Global, SS, SER, BS(δ_repl=500ms), Idem(event_id), Auth(JWT)⟩');
      expect(P(F(g))).toStrictEqual(g);
      expect(P('⟨Range, Causal, RA, BS(TTL), Idem(version), Unauth⟩', { TTL: 300_000 }).recency).toStrictEqual({
        kind: 'BS',
        delta_ms: 300_000,
        symbol: 'TTL',
      });
    });

    it('with a table, an unknown symbol is an error naming it', () => {
      const e = gerr(() => P('⟨Global, SS, SER, BS(fast), Idem, Auth⟩', { δ_repl: 500 }));
      expect(e.component).toBe('Recency');
      expect(e.message).toBe('Recency: "BS(fast)" — unknown symbol "fast" (known: δ_repl)');
    });

    it('an inline binding that contradicts the table is an error', () => {
      const e = gerr(() => P('⟨Global, SS, SER, BS(δ_repl=1s), Idem, Auth⟩', { δ_repl: 500 }));
      expect(e.component).toBe('Recency');
      expect(e.message).toContain('δ_repl');
    });

    it('comparing BS with different unbound symbols throws instead of guessing', () => {
      const a = P('⟨Global, SS, SER, BS(δ_repl), Idem, Auth⟩');
      const b = P('⟨Global, SS, SER, BS(TTL), Idem, Auth⟩');
      const c = P('⟨Global, SS, SER, BS(5s), Idem, Auth⟩');
      for (const [x, y] of [
        [a, b],
        [a, c],
        [c, a],
      ] as const) {
        const e = gerr(() => meet(x, y));
        expect(e.component).toBe('Recency');
        expect(e.message).toMatch(/cannot compare BS\(.+\) with BS\(.+\): symbol "(δ_repl|TTL)" is unbound/);
        gerr(() => leq(x, y));
        gerr(() => weakerComponents(x, y));
      }
    });

    it('an unbound symbol still compares with EO, Fresh and itself', () => {
      const u = P('⟨Global, SS, SER, BS(δ_repl), Idem, Auth⟩');
      const eo = P('⟨Global, SS, SER, EO, Idem, Auth⟩');
      const fresh = P('⟨Global, SS, SER, Fresh(φ), Idem, Auth⟩');
      expect(meet(u, eo)).toStrictEqual(eo);
      expect(meet(u, fresh)).toStrictEqual(u);
      expect(meet(u, u)).toStrictEqual(u);
      expect(leq(eo, u)).toBe(true);
      expect(leq(u, eo)).toBe(false);
    });
  });
});

describe('errors name the component and the reason', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['⟨Planet, SS, SER, EO, Idem, Auth⟩', 'Scope', /^Scope: "Planet" — expected one of Local, Transaction, Range, Global$/],
    ['⟨Global, Strong, SER, EO, Idem, Auth⟩', 'Order', /^Order: "Strong" — expected one of None, Causal, Lx, SS$/],
    ['⟨Global, SS, Linear, EO, Idem, Auth⟩', 'Visibility', /^Visibility: "Linear"/],
    ['⟨Global, SER, SS, EO, Idem, Auth⟩', 'Order', /^Order: "SER" — .*looks like a Visibility value/],
    ['⟨Global, SS, SER, BS(500), Idem, Auth⟩', 'Recency', /^Recency: "BS\(500\)" — a duration needs a unit/],
    ['⟨Global, SS, SER, BS(5 parsecs), Idem, Auth⟩', 'Recency', /^Recency: "BS\(5 parsecs\)" — "5 parsecs" is neither a duration/],
    ['⟨Global, SS, SER, BS(), Idem, Auth⟩', 'Recency', /^Recency: "BS\(\)" — BS needs a bound/],
    ['⟨Global, SS, SER, EO(x), Idem, Auth⟩', 'Recency', /^Recency: "EO\(x\)" — EO takes no arguments$/],
    ['⟨Global, SS, SER, Stale, Idem, Auth⟩', 'Recency', /^Recency: "Stale" — expected EO, BS\(δ\) or Fresh\(evidence\)$/],
    ['⟨Global, SS, SER, EO, Idem(a,,b), Auth⟩', 'Idempotence', /^Idempotence: "Idem\(a,,b\)" — empty label$/],
    ['⟨Global, SS, SER, EO, Once, Auth⟩', 'Idempotence', /^Idempotence: "Once" — expected None, Idem/],
    ['⟨Global, SS, SER, EO, Idem, Unauth(JWT)⟩', 'Auth', /^Auth: "Unauth\(JWT\)" — Unauth takes no arguments$/],
    ['⟨Global, SS, SER, EO, Idem, Signed⟩', 'Auth', /^Auth: "Signed" — expected Unauth, Auth/],
    ['⟨Global, SS, SER, EO, Idem, ⟩', 'Auth', /^Auth: "" — missing value$/],
    ['⟨Global, SS, SER, Idem, Auth⟩', 'structure', /^expected 6 components .* got 5/],
    ['⟨Global, SS, SER, EO, Idem, Auth, Extra⟩', 'structure', /got 7/],
    ['', 'structure', /empty G-vector/],
    ['⟨Global, SS, SER, BS(5s, Idem, Auth⟩', 'structure', /unbalanced parentheses/],
    ['⟨Global, SS, SER, EO, Idem, Auth', 'structure', /missing closing bracket/],
  ];
  it.each(cases)('%s → %s', (input, component, message) => {
    const e = gerr(() => parseGVector(input));
    expect(e.component).toBe(component);
    expect(e.input).toBe(input);
    expect(e.message).toMatch(message);
  });
});

describe('meet and leq', () => {
  it('NT-1 §4: client → US gateway → EU replica → storage composes to ⟨Global, SS, SER, BS(500ms), Idem, Auth⟩', () => {
    const path = [
      '⟨Global, SS, SER, Fresh(φ), Idem, Auth⟩', // G_client_request
      '⟨Global, SS, SER, BS(100ms), Idem, Auth⟩', // G_gateway
      '⟨Global, SS, SER, BS(500ms), Idem, Auth⟩', // G_EU_replica
      '⟨Global, SS, SER, Fresh(disk), Idem, Auth⟩', // G_storage
    ].map((s) => P(s));
    expect(F(meet(...path))).toBe('⟨Global, SS, SER, BS(500ms), Idem, Auth⟩');
    // Order of composition does not matter.
    expect(F(meet(...[...path].reverse()))).toBe('⟨Global, SS, SER, BS(500ms), Idem, Auth⟩');
    // Weakest link: the replica; the result is below every hop.
    for (const hop of path) expect(leq(meet(...path), hop)).toBe(true);
  });

  it('NT-3: ground → satellites composes to ⟨Global, SS, SER, BS(600ms), Idem(seq), Auth(ECDSA)⟩', () => {
    const path = [
      '⟨Global, SS, SER, Fresh(atomic_clock), Idem(seq), Auth(ECDSA)⟩', // G_ground
      '⟨Global, SS, SER, BS(600ms), Idem(seq), Auth(ECDSA)⟩', // G_uplink
      '⟨Global, SS, SER, Fresh(GPS_50ms), Idem(seq), Auth(ECDSA)⟩', // G_satA
      '⟨Global, SS, SER, BS(200ms), Idem(seq), Auth(ECDSA)⟩', // G_mesh_AB
      '⟨Global, SS, SER, Fresh(GPS_50ms), Idem(seq), Auth(ECDSA)⟩', // G_satB
      '⟨Global, SS, SER, BS(200ms), Idem(seq), Auth(ECDSA)⟩', // G_mesh_BC
      '⟨Global, SS, SER, Fresh(GPS_50ms), Idem(seq), Auth(ECDSA)⟩', // G_satC
    ].map((s) => P(s));
    expect(F(meet(...path))).toBe('⟨Global, SS, SER, BS(600ms), Idem(seq), Auth(ECDSA)⟩');
  });

  it('NT-3 during partition composes to ⟨Range, SS, SER, BS(50min), Idem(seq), Auth(ECDSA_satellite)⟩', () => {
    const path = [
      '⟨Range, SS, SER, BS(50min), Idem(seq), Auth(ECDSA_satellite)⟩',
      '⟨Range, SS, SER, BS(200ms), Idem(seq), Auth(ECDSA_satellite)⟩',
      '⟨Range, SS, SER, BS(50min), Idem(seq), Auth(ECDSA_satellite)⟩',
    ].map((s) => P(s));
    expect(F(meet(...path))).toBe('⟨Range, SS, SER, BS(50min), Idem(seq), Auth(ECDSA_satellite)⟩');
  });

  it('takes the weakest value of each component independently', () => {
    const a = P('⟨Global, Causal, SER, BS(2s), None, Auth(signature)⟩');
    const b = P('⟨Range, SS, RA, Fresh(V), Idem(version), Unauth⟩');
    expect(F(meet(a, b))).toBe('⟨Range, Causal, RA, BS(2s), None, Unauth⟩');
    expect(leq(a, b)).toBe(false);
    expect(leq(b, a)).toBe(false);
    expect(leq(meet(a, b), a) && leq(meet(a, b), b)).toBe(true);
  });

  it('larger δ is weaker; EO < BS < Fresh', () => {
    const g = (r: string) => P(`⟨Global, SS, SER, ${r}, Idem, Auth⟩`);
    expect(leq(g('BS(1min)'), g('BS(59s)'))).toBe(true);
    expect(leq(g('BS(59s)'), g('BS(1min)'))).toBe(false);
    expect(leq(g('EO'), g('BS(50min)'))).toBe(true);
    expect(leq(g('BS(0ms)'), g('Fresh(φ)'))).toBe(true);
    expect(leq(g('Fresh(φ)'), g('BS(0ms)'))).toBe(false);
    expect(F(meet(g('BS(1.5s)'), g('BS(1500ms)')))).toBe(F(g('BS(1500ms)')));
  });

  it('equal-strength labels are kept (set union); a stronger level gives way to a weaker one', () => {
    const g = (r: string, i: string, a: string) => P(`⟨Global, SS, SER, ${r}, ${i}, ${a}⟩`);
    expect(F(meet(g('Fresh(φ)', 'Idem(seq)', 'Auth(ECDSA)'), g('Fresh(disk)', 'Idem(msg_id)', 'Auth(ECDSA_satellite)')))).toBe(
      '⟨Global, SS, SER, Fresh(disk, φ), Idem(msg_id, seq), Auth(ECDSA, ECDSA_satellite)⟩',
    );
    // Token-like (JWT) is weaker than signature-like (ECDSA): no union across levels.
    expect(F(meet(g('EO', 'Idem', 'Auth(JWT)'), g('EO', 'Idem', 'Auth(ECDSA)')))).toBe('⟨Global, SS, SER, EO, Idem, Auth(JWT)⟩');
    expect(F(meet(g('EO', 'Idem', 'Auth(ECDSA)'), g('EO', 'Idem', 'Unauth')))).toBe('⟨Global, SS, SER, EO, Idem, Unauth⟩');
    expect(F(meet(g('EO', 'Idem(seq)', 'Auth'), g('EO', 'None', 'Auth')))).toBe('⟨Global, SS, SER, EO, None, Auth⟩');
    // Bare Auth is token-level: it unions with JWT.
    expect(F(meet(g('EO', 'Idem', 'Auth'), g('EO', 'Idem', 'Auth(JWT)')))).toBe('⟨Global, SS, SER, EO, Idem, Auth(JWT)⟩');
  });

  it('BS ties on δ keep the scenario symbol', () => {
    const named = P('⟨Global, SS, SER, BS(δ_repl), Idem, Auth⟩', { δ_repl: 500 });
    const literal = P('⟨Global, SS, SER, BS(500ms), Idem, Auth⟩');
    expect(F(meet(named, literal))).toBe('⟨Global, SS, SER, BS(δ_repl=500ms), Idem, Auth⟩');
    expect(F(meet(literal, named))).toBe('⟨Global, SS, SER, BS(δ_repl=500ms), Idem, Auth⟩');
    // Two names for the same δ: the smaller name (code-unit order) wins, either way round.
    const ttl = P('⟨Global, SS, SER, BS(TTL), Idem, Auth⟩', { TTL: 500 });
    expect(F(meet(named, ttl))).toBe('⟨Global, SS, SER, BS(TTL=500ms), Idem, Auth⟩');
    expect(F(meet(ttl, named))).toBe('⟨Global, SS, SER, BS(TTL=500ms), Idem, Auth⟩');
    expect(leq(ttl, named)).toBe(true);
    expect(leq(named, ttl)).toBe(false);
    // …but neither breaks a claim made with the other: they are equally strong.
    expect(weakerComponents(ttl, named)).toStrictEqual([]);
  });

  it('meet needs at least one argument, and meet(g) is g', () => {
    expect(gerr(() => meet()).component).toBe('structure');
    const g = P('⟨Transaction, Causal, SI, EO, Idem(saga_id), Auth⟩');
    expect(meet(g)).toStrictEqual(g);
  });
});

describe('Auth classification', () => {
  it.each([
    ['JWT', false],
    ['mTLS', false],
    ['HMAC', false],
    ['OAuth', false],
    ['api_key', false],
    ['ECDSA', true],
    ['ECDSA_satellite', true],
    ['signature', true],
    ['Ed25519', true],
    ['quorum_signatures', true],
  ])('%s signature-like: %s', (label, sig) => {
    expect(isSignatureLabel(label)).toBe(sig);
    const rank = componentRank(P(`⟨Global, SS, SER, EO, Idem, Auth(${label})⟩`), 'auth');
    expect(rank).toBe(sig ? 2 : 1);
  });

  it('a mixed label set is as strong as its weakest mechanism', () => {
    expect(componentRank(P('⟨Global, SS, SER, EO, Idem, Auth(ECDSA, JWT)⟩'), 'auth')).toBe(1);
    expect(componentRank(P('⟨Global, SS, SER, EO, Idem, Auth⟩'), 'auth')).toBe(1);
    expect(componentRank(P('⟨Global, SS, SER, EO, Idem, Unauth⟩'), 'auth')).toBe(0);
  });
});

describe('componentRank', () => {
  it('chains rank by position; Recency EO 0 < BS in (1,2] decreasing in δ < Fresh 3', () => {
    const g = P('⟨Range, Lx, SI, Fresh(heartbeat), Idem(msg_id), Unauth⟩');
    expect(COMPONENTS.map((c) => componentRank(g, c))).toStrictEqual([2, 2, 2, 3, 1, 0]);
    const r = (x: string) => componentRank(P(`⟨Global, SS, SER, ${x}, Idem, Auth⟩`), 'recency');
    expect(r('EO')).toBe(0);
    expect(r('BS(0ms)')).toBe(2);
    expect(r('BS(100ms)')).toBeGreaterThan(r('BS(500ms)'));
    expect(r('BS(500ms)')).toBeGreaterThan(r('BS(50min)'));
    expect(r('BS(50min)')).toBeGreaterThan(1);
    expect(r('BS(δ_repl)')).toBe(1.5);
  });
});

describe('weakerComponents (claim broken)', () => {
  it('lists the components where the observed vector is weaker than the claim, in notation order', () => {
    const claimed = P('⟨Global, SS, SER, BS(δ_repl), Idem(event_id), Auth(JWT)⟩', { δ_repl: 500 });
    const minority = P('⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩');
    expect(weakerComponents(minority, claimed)).toStrictEqual(['scope', 'order', 'visibility', 'recency']);
    expect(weakerComponents(claimed, minority)).toStrictEqual([]);
    const lagging = P('⟨Global, SS, SER, BS(800ms), Idem(event_id), Auth(JWT)⟩');
    expect(weakerComponents(lagging, claimed)).toStrictEqual(['recency']);
    const keeping = P('⟨Global, SS, SER, BS(480ms), Idem(event_id), Auth(JWT)⟩');
    expect(weakerComponents(keeping, claimed)).toStrictEqual([]);
  });

  it('compares strength, not label names', () => {
    const claimed = P('⟨Range, SS, SER, Fresh(φ), Idem, Auth(ECDSA)⟩');
    const observed = P('⟨Range, SS, SER, Fresh(heartbeat), Idem(seq), Auth(ECDSA_satellite)⟩');
    expect(weakerComponents(observed, claimed)).toStrictEqual([]);
    const forged = P('⟨Range, SS, SER, Fresh(φ), Idem, Auth(JWT)⟩');
    expect(weakerComponents(forged, claimed)).toStrictEqual(['auth']);
  });
});

describe('formatComponent / labels', () => {
  it('prints single components canonically', () => {
    const g = P('<Global, SS, SER, BS(1500ms), Idem(event_id), Auth(JWT)>');
    expect(COMPONENTS.map((c) => formatComponent(g, c))).toStrictEqual(['Global', 'SS', 'SER', 'BS(1.5s)', 'Idem(event_id)', 'Auth(JWT)']);
    expect(COMPONENTS.map((c) => COMPONENT_LABELS[c])).toStrictEqual(['Scope', 'Order', 'Visibility', 'Recency', 'Idempotence', 'Auth']);
    expect(formatGVector(g, { ascii: true })).toBe('<Global, SS, SER, BS(1.5s), Idem(event_id), Auth(JWT)>');
  });
});

describe('durations', () => {
  it.each([
    [500, '500ms'],
    [1500, '1.5s'],
    [60_000, '1min'],
    [90_000, '1.5min'],
    [3_600_000, '1h'],
    [2_700_000, '45min'],
    [61_000, '61s'],
    [1005, '1.005s'],
    [0, '0ms'],
    [0.5, '0.5ms'],
    [3_000_000, '50min'],
  ])('formatDuration(%s) = %s and back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  it('parses the documented forms exactly', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('5min')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1.005s')).toBe(1005); // naive 1.005 * 1000 is 1004.9999999999999
    expect(parseDuration(' 2 s ')).toBe(2000);
  });

  it.each(['500', '5 parsecs', '1m', '-5s', 's', ''])('rejects %j with an error naming the text', (text) => {
    expect(() => parseDuration(text)).toThrow(`invalid duration "${text}"`);
  });

  it('formatDuration rejects negative and NaN', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});
