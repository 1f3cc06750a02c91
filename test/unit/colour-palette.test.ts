/**
 * Colour-blind-safe palette (issue 7): the CSS custom properties of both palettes, parsed
 * from styles/theme.css, are run through the Machado, Oliveira & Fernandes (2009) colour
 * vision deficiency simulation (severity 1.0, applied in linear RGB) and compared in
 * CIELAB with CIEDE2000.
 *
 * Thresholds: ΔE00 ≥ 20 for the pairs that carry meaning on their own (good vs bad, a
 * Target badge vs a broken claim, a fresh message vs a routine one); ΔE00 ≥ 14 between
 * mode tones, which always come with a glyph and a label as well (the light theme's tones
 * must also be dark enough for white badge text, which leaves less room).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPalette } from '../../src-renderer/lib/colours/colour-palette.svelte';

type Vision = 'normal' | 'protanopia' | 'deuteranopia' | 'tritanopia';
type Mat = readonly [readonly number[], readonly number[], readonly number[]];

/** Machado et al. 2009, severity 1.0 (their published table), for linear RGB. */
const MACHADO: Record<Vision, Mat> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
const VISIONS = Object.keys(MACHADO) as Vision[];

const css = readFileSync('src-renderer/styles/theme.css', 'utf8');

/** The custom properties declared in the block whose selector is exactly `selector`. */
function block(selector: string): Record<string, string> {
  const at = css.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`no block ${selector}`);
  const body = css.slice(at + selector.length + 2, css.indexOf('}', at));
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) out[m[1]!] = m[2]!.trim();
  return out;
}

const PALETTES = {
  'default dark': block(':root'),
  'default light': { ...block(':root'), ...block(":root[data-theme='light']") },
  'cb dark': { ...block(':root'), ...block(":root[data-palette='cb']") },
  'cb light': { ...block(':root'), ...block(":root[data-theme='light']"), ...block(":root[data-palette='cb'][data-theme='light']") },
};

const TONES = ['--mode-target', '--mode-degraded', '--mode-floor', '--mode-recovery', '--mode-other'];
const STRICT: [string, string][] = [
  ['--good', '--bad'],
  ['--mode-target', '--bad'],
  ['--message', '--message-routine'],
  ['--message', '--bad'],
];
const TONE_PAIRS: [string, string][] = TONES.flatMap((a, i) => TONES.slice(i + 1).map((b): [string, string] => [a, b]));
const STRICT_MIN = 20;
const TONE_MIN = 14;

function hexToLinear(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
}

function simulate(hex: string, v: Vision): [number, number, number] {
  const l = hexToLinear(hex);
  return MACHADO[v].map((row) => Math.min(1, Math.max(0, row[0]! * l[0] + row[1]! * l[1] + row[2]! * l[2]))) as [number, number, number];
}

/** Linear sRGB → CIELAB (D65). */
function lab([r, g, b]: [number, number, number]): [number, number, number] {
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIEDE2000 (Sharma, Wu & Dalal 2005). */
function deltaE2000([L1, a1, b1]: number[], [L2, a2, b2]: number[]): number {
  const rad = Math.PI / 180;
  const C1 = Math.hypot(a1!, b1!);
  const C2 = Math.hypot(a2!, b2!);
  const Cb7 = ((C1 + C2) / 2) ** 7;
  const G = 0.5 * (1 - Math.sqrt(Cb7 / (Cb7 + 25 ** 7)));
  const a1p = (1 + G) * a1!;
  const a2p = (1 + G) * a2!;
  const C1p = Math.hypot(a1p, b1!);
  const C2p = Math.hypot(a2p, b2!);
  const hue = (b: number, a: number) => ((Math.atan2(b, a) / rad) % 360 + 360) % 360;
  const h1p = hue(b1!, a1p);
  const h2p = hue(b2!, a2p);
  const dLp = L2! - L1!;
  const dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) dhp = Math.abs(h2p - h1p) <= 180 ? h2p - h1p : h2p - h1p > 180 ? h2p - h1p - 360 : h2p - h1p + 360;
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad);
  const Lbp = (L1! + L2!) / 2;
  const Cbp = (C1p + C2p) / 2;
  let hbp = h1p + h2p;
  if (C1p * C2p !== 0) hbp = Math.abs(h1p - h2p) <= 180 ? (h1p + h2p) / 2 : h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
  const T = 1 - 0.17 * Math.cos((hbp - 30) * rad) + 0.24 * Math.cos(2 * hbp * rad) + 0.32 * Math.cos((3 * hbp + 6) * rad) - 0.2 * Math.cos((4 * hbp - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hbp - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cbp ** 7 / (Cbp ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lbp - 50) ** 2) / Math.sqrt(20 + (Lbp - 50) ** 2);
  const Sc = 1 + 0.045 * Cbp;
  const Sh = 1 + 0.015 * Cbp * T;
  const Rt = -Math.sin(2 * dTheta * rad) * Rc;
  return Math.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh));
}

function distance(p: Record<string, string>, a: string, b: string, v: Vision): number {
  return deltaE2000(lab(simulate(p[a]!, v)), lab(simulate(p[b]!, v)));
}

/** Every failing (pair, vision) of a palette, worst first. */
function failures(p: Record<string, string>): string[] {
  const out: { d: number; text: string }[] = [];
  for (const v of VISIONS) {
    for (const [pairs, min] of [[STRICT, STRICT_MIN], [TONE_PAIRS, TONE_MIN]] as const) {
      for (const [a, b] of pairs) {
        const d = distance(p, a, b, v);
        if (d < min) out.push({ d, text: `${a} / ${b} under ${v}: ΔE00 ${d.toFixed(1)} < ${min}` });
      }
    }
  }
  return out.sort((x, y) => x.d - y.d).map((x) => x.text);
}

describe('the colour science is the published one', () => {
  it('CIEDE2000 matches Sharma et al.’s test data', () => {
    // Pairs 1 and 17 of the 34 published test pairs.
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
  });
  it('a grey stays grey under every simulated deficiency, and pure red and green collapse for a deuteranope', () => {
    for (const v of VISIONS) {
      const [r, g, b] = simulate('#808080', v);
      expect(Math.abs(r - g) + Math.abs(g - b)).toBeLessThan(0.01);
    }
    // Okabe–Ito vermillion and bluish green: far apart for normal vision, much closer for a deuteranope.
    const d = (v: Vision) => deltaE2000(lab(simulate('#d55e00', v)), lab(simulate('#009e73', v)));
    expect(d('normal')).toBeGreaterThan(50);
    expect(d('deuteranopia')).toBeLessThan(d('normal') / 2.5);
  });
});

describe('palettes from theme.css', () => {
  it('parses every colour of both palettes in both themes', () => {
    for (const p of Object.values(PALETTES)) for (const k of [...TONES, '--good', '--bad', '--message', '--message-routine']) expect(p[k]).toMatch(/^#[0-9a-f]{6}$/i);
    // The cb palette really changes the colours.
    expect(PALETTES['cb dark']['--mode-target']).not.toBe(PALETTES['default dark']['--mode-target']);
    expect(PALETTES['cb light']['--bad']).not.toBe(PALETTES['default light']['--bad']);
  });

  it('the OS-light block of the cb palette equals its explicit light block', () => {
    const media = /:root\[data-palette='cb'\]:not\(\[data-theme='dark'\]\) \{([^}]*)\}/.exec(css)?.[1] ?? '';
    const explicit = block(":root[data-palette='cb'][data-theme='light']");
    for (const [k, v] of Object.entries(explicit)) expect(media).toContain(`${k}: ${v};`);
  });

  for (const name of ['cb dark', 'cb light'] as const) {
    it(`${name}: every pair stays apart under deuteranopia, protanopia and tritanopia`, () => {
      expect(failures(PALETTES[name])).toEqual([]);
    });
  }

  it('the default palette does not: its target and bad are a red/green pair for a deuteranope', () => {
    const dark = PALETTES['default dark'];
    expect(distance(dark, '--mode-target', '--bad', 'normal')).toBeGreaterThan(STRICT_MIN);
    expect(distance(dark, '--mode-target', '--bad', 'deuteranopia')).toBeLessThan(STRICT_MIN);
    expect(failures(dark)).toContain(`--mode-target / --bad under deuteranopia: ΔE00 ${distance(dark, '--mode-target', '--bad', 'deuteranopia').toFixed(1)} < ${STRICT_MIN}`);
    expect(failures(PALETTES['default light']).length).toBeGreaterThan(0);
  });
});

describe('the palette choice', () => {
  it('is remembered as "cb" or falls back to the default', () => {
    expect(loadPalette({ getItem: () => 'cb' })).toBe('cb');
    expect(loadPalette({ getItem: () => 'nonsense' })).toBe('default');
    expect(loadPalette(null)).toBe('default');
    expect(
      loadPalette({
        getItem: () => {
          throw new Error('denied');
        },
      }),
    ).toBe('default');
  });
});
