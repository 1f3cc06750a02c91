import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPONENTS,
  GVectorError,
  ORDERS,
  SCOPES,
  VISIBILITIES,
  isSignatureLabel,
  componentRank,
  formatDuration,
  formatGVector,
  gvectorEquals,
  leq,
  meet,
  normalizeGVector,
  parseDuration,
  parseGVector,
  weakerComponents,
  type AuthG,
  type GVector,
  type Idempotence,
  type Recency,
} from '../../src-shared/gvector/index';

// Small pools on purpose: collisions (equal δ, shared labels, same symbol) are where
// ties and unions happen, and where lattice laws would break if they were going to.
const label = fc.constantFrom('φ', 'disk', 'seq', 'event_id', 'version', 'JWT', 'mTLS', 'a b');
const sigLabel = fc.constantFrom('ECDSA', 'ECDSA_satellite', 'signature', 'Ed25519');
const labels = fc.array(label, { maxLength: 3 });
const delta = fc.oneof(
  fc.constantFrom(0, 100, 200, 500, 600, 1500, 60_000, 3_000_000),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true }),
);
const symbol = fc.constantFrom('δ_repl', 'TTL', 'T_recovery');

const recency: fc.Arbitrary<Recency> = fc.oneof(
  fc.constant<Recency>({ kind: 'EO' }),
  fc.record({ kind: fc.constant('BS' as const), delta_ms: delta }),
  fc.record({ kind: fc.constant('BS' as const), delta_ms: delta, symbol }),
  // Named bounds that often tie on δ with another name or with a literal.
  fc.record({ kind: fc.constant('BS' as const), delta_ms: fc.constantFrom(0, 500), symbol }),
  fc.record({ kind: fc.constant('BS' as const), delta_ms: fc.constantFrom(0, 500) }),
  fc.record({ kind: fc.constant('Fresh' as const), evidence: labels }),
);
const idempotence: fc.Arbitrary<Idempotence> = fc.oneof(
  fc.constant<Idempotence>({ kind: 'None' }),
  fc.record({ kind: fc.constant('Idem' as const), keys: labels }),
);
const auth: fc.Arbitrary<AuthG> = fc.oneof(
  fc.constant<AuthG>({ kind: 'Unauth' }),
  fc.record({ kind: fc.constant('Auth' as const), labels }), // token-level (or bare)
  fc.record({ kind: fc.constant('Auth' as const), labels: fc.array(sigLabel, { minLength: 1, maxLength: 2 }) }), // signature-level
);

/** Any G-vector with bound symbols only (unbound ones are tested separately), in
 * normalised form (sorted labels), as parse and meet produce. */
const gvector: fc.Arbitrary<GVector> = fc
  .record({
    scope: fc.constantFrom(...SCOPES),
    order: fc.constantFrom(...ORDERS),
    visibility: fc.constantFrom(...VISIBILITIES),
    recency,
    idempotence,
    auth,
  })
  .map(normalizeGVector);

const runs = { numRuns: 500 };

/** Independent oracle for "how strong is component c": a tuple compared
 * lexicographically, written from the DESIGN table rather than from the implementation. */
function strengthKey(g: GVector, c: (typeof COMPONENTS)[number]): number[] {
  switch (c) {
    case 'scope':
      return [SCOPES.indexOf(g.scope)];
    case 'order':
      return [ORDERS.indexOf(g.order)];
    case 'visibility':
      return [VISIBILITIES.indexOf(g.visibility)];
    case 'recency':
      return g.recency.kind === 'EO' ? [0, 0] : g.recency.kind === 'Fresh' ? [2, 0] : [1, -(g.recency.delta_ms as number)];
    case 'idempotence':
      return [g.idempotence.kind === 'None' ? 0 : 1];
    case 'auth':
      if (g.auth.kind === 'Unauth') return [0];
      return [g.auth.labels.length > 0 && g.auth.labels.every(isSignatureLabel) ? 2 : 1];
  }
}
const lexLess = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

describe('meet is a semilattice operation', () => {
  it('commutative', () => {
    fc.assert(fc.property(gvector, gvector, (a, b) => {
      expect(meet(a, b)).toStrictEqual(meet(b, a));
    }), runs);
  });
  it('associative', () => {
    fc.assert(
      fc.property(gvector, gvector, gvector, (a, b, c) => {
        expect(meet(meet(a, b), c)).toStrictEqual(meet(a, meet(b, c)));
      }),
      runs,
    );
  });
  it('idempotent', () => {
    fc.assert(fc.property(gvector, (a) => {
      expect(meet(a, a)).toStrictEqual(a);
    }), runs);
  });
  it('n-ary meet equals the fold of binary meets', () => {
    fc.assert(
      fc.property(fc.array(gvector, { minLength: 1, maxLength: 6 }), (gs) => {
        expect(meet(...gs)).toStrictEqual(gs.reduce((x, y) => meet(x, y)));
      }),
      runs,
    );
  });
});

describe('leq is a partial order and meet its greatest lower bound', () => {
  it('reflexive', () => {
    fc.assert(fc.property(gvector, (a) => leq(a, a)), runs);
  });
  it('antisymmetric', () => {
    fc.assert(
      fc.property(gvector, gvector, (a, b) => {
        if (leq(a, b) && leq(b, a)) expect(a).toStrictEqual(b);
      }),
      runs,
    );
    // Non-vacuous: pairs built to be equal-by-order are exactly equal.
    fc.assert(fc.property(gvector, gvector, (a, b) => {
      const m = meet(a, b);
      const m2 = meet(b, a, m);
      expect(leq(m, m2) && leq(m2, m)).toBe(true);
      expect(m2).toStrictEqual(m);
    }), runs);
  });
  it('transitive (on chains built by meet, and on random triples)', () => {
    fc.assert(
      fc.property(gvector, gvector, gvector, (a, b, c) => {
        const y = meet(a, b); // y ⊑ a
        const z = meet(y, c); // z ⊑ y
        expect(leq(z, y) && leq(y, a)).toBe(true);
        expect(leq(z, a)).toBe(true);
        if (leq(a, b) && leq(b, c)) expect(leq(a, c)).toBe(true);
      }),
      runs,
    );
  });
  it('meet(a,b) ⊑ a, ⊑ b, and every common lower bound c is ⊑ meet(a,b)', () => {
    fc.assert(
      fc.property(gvector, gvector, gvector, (a, b, x) => {
        const m = meet(a, b);
        expect(leq(m, a)).toBe(true);
        expect(leq(m, b)).toBe(true);
        const c = meet(x, a, b); // a common lower bound that is usually strictly below m
        expect(leq(c, a) && leq(c, b)).toBe(true);
        expect(leq(c, m)).toBe(true);
        if (leq(x, a) && leq(x, b)) expect(leq(x, m)).toBe(true);
      }),
      runs,
    );
  });
  it('leq(a, b) ⇔ meet(a, b) = a', () => {
    fc.assert(fc.property(gvector, gvector, (a, b) => {
      expect(leq(a, b)).toBe(gvectorEquals(meet(a, b), a));
    }), runs);
  });
  it('the order is not trivial: most random pairs are incomparable or strictly ordered', () => {
    const samples = fc.sample(fc.tuple(gvector, gvector), { numRuns: 300, seed: 42 });
    const strict = samples.filter(([a, b]) => leq(a, b) !== leq(b, a)).length;
    const neither = samples.filter(([a, b]) => !leq(a, b) && !leq(b, a)).length;
    expect(strict).toBeGreaterThan(0);
    expect(neither).toBeGreaterThan(0);
  });
});

describe('text form', () => {
  it('format → parse round-trips exactly (Unicode and ASCII)', () => {
    fc.assert(
      fc.property(gvector, (g) => {
        expect(parseGVector(formatGVector(g))).toStrictEqual(g);
        expect(parseGVector(formatGVector(g, { ascii: true }))).toStrictEqual(g);
      }),
      runs,
    );
  });
  it('parse ignores whitespace around components, commas and brackets', () => {
    const ws = fc.constantFrom('', ' ', '  ', '\t', ' \t ');
    fc.assert(
      fc.property(gvector, fc.array(ws, { minLength: 16, maxLength: 16 }), (g, pads) => {
        let i = 0;
        const text = formatGVector(g, { ascii: true })
          .replace(/, /g, () => `${pads[i++ % 16]},${pads[i++ % 16]}`)
          .replace(/^</, `${pads[15]}<${pads[14]}`);
        expect(parseGVector(text)).toStrictEqual(g);
      }),
      runs,
    );
  });
  it('durations round-trip exactly', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 1e12 }), fc.double({ min: 0, max: 1e15, noNaN: true, noDefaultInfinity: true })),
        (ms) => {
          expect(parseDuration(formatDuration(ms))).toBe(ms);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('BS(∞) ≡ EO', () => {
  it('in parse, format, meet and order', () => {
    fc.assert(
      fc.property(gvector, fc.option(symbol, { nil: undefined }), (g, sym) => {
        const inf: GVector = { ...g, recency: sym === undefined ? { kind: 'BS', delta_ms: Infinity } : { kind: 'BS', delta_ms: Infinity, symbol: sym } };
        const eo: GVector = { ...g, recency: { kind: 'EO' } };
        expect(leq(inf, eo) && leq(eo, inf)).toBe(true);
        expect(meet(inf, g)).toStrictEqual(meet(eo, g));
        expect(formatGVector(inf)).toBe(formatGVector(eo));
        const text = formatGVector(eo).replace(', EO, ', ', BS(∞), ');
        expect(parseGVector(text)).toStrictEqual(eo);
      }),
      runs,
    );
  });
});

describe('rank and broken claims agree with the order', () => {
  it('a ⊑ b ⇒ componentRank(a, c) ≤ componentRank(b, c) for every component', () => {
    fc.assert(
      fc.property(gvector, gvector, (a, b) => {
        const m = meet(a, b);
        for (const c of COMPONENTS) expect(componentRank(m, c)).toBeLessThanOrEqual(componentRank(a, c));
      }),
      runs,
    );
  });
  it('claimed ⊑ observed ⇒ no broken component; otherwise only components that really differ', () => {
    fc.assert(
      fc.property(gvector, gvector, (x, y) => {
        const claimed = meet(x, y);
        expect(weakerComponents(x, claimed)).toStrictEqual([]);
        // Claiming x but observing the weaker meet breaks exactly where strength dropped.
        const broken = weakerComponents(claimed, x);
        expect(broken).toStrictEqual(COMPONENTS.filter((c) => lexLess(strengthKey(claimed, c), strengthKey(x, c))));
        for (const c of broken) expect(componentRank(claimed, c)).toBeLessThanOrEqual(componentRank(x, c));
        if (broken.length > 0) expect(leq(x, claimed)).toBe(false);
      }),
      runs,
    );
  });
});

describe('unbound symbols', () => {
  it('compare only with themselves, EO and Fresh; anything else throws a Recency GVectorError', () => {
    fc.assert(
      fc.property(gvector, symbol, (g, sym) => {
        const u: GVector = { ...g, recency: { kind: 'BS', delta_ms: null, symbol: sym } };
        expect(meet(u, u)).toStrictEqual(u);
        if (g.recency.kind === 'BS') {
          try {
            meet(u, g);
            expect.unreachable('meet with a different bound must throw');
          } catch (e) {
            expect(e).toBeInstanceOf(GVectorError);
            expect((e as GVectorError).component).toBe('Recency');
          }
        } else {
          expect(() => meet(u, g)).not.toThrow();
        }
      }),
      runs,
    );
  });
});
