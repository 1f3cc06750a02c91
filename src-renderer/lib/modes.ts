/**
 * How a mode looks: a colour-blind-safe tone (Okabe–Ito palette, set in CSS as
 * `--mode-<tone>`), a shape glyph and a label, so a mode never relies on colour alone.
 */
import type { ModeSpec } from '../../src-shared/scenario/types';

export type ModeTone = 'target' | 'degraded' | 'floor' | 'recovery' | 'other';

export interface ModeLook {
  tone: ModeTone;
  /** A shape that also tells the mode apart in greyscale. */
  glyph: string;
  label: string;
  severity: number;
}

const GLYPH: Record<ModeTone, string> = {
  target: '●',
  degraded: '▲',
  floor: '■',
  recovery: '◆',
  other: '✱',
};

const KNOWN: ModeTone[] = ['target', 'degraded', 'floor', 'recovery'];

/** Tone from the mode id/label first ("degraded-cp" → degraded), else from severity. */
export function modeTone(modeId: string, spec?: Pick<ModeSpec, 'label' | 'severity'>): ModeTone {
  const words = `${modeId} ${spec?.label ?? ''}`.toLowerCase();
  for (const t of KNOWN) if (new RegExp(`(^|[^a-z])${t}`).test(words)) return t;
  if (spec) {
    if (spec.severity <= 0) return 'target';
    if (spec.severity >= 3) return 'floor';
  }
  return 'other';
}

export function modeLook(modeId: string, modes: readonly ModeSpec[] = []): ModeLook {
  const spec = modes.find((m) => m.id === modeId);
  const tone = modeTone(modeId, spec);
  return {
    tone,
    glyph: GLYPH[tone],
    label: spec?.label ?? titleCase(modeId),
    severity: spec?.severity ?? KNOWN.indexOf(tone),
  };
}

export function titleCase(id: string): string {
  return id
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}
