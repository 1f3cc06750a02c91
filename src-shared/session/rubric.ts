/**
 * The seed's self-assessment rubric (seed/transfer-tests.md, "Scoring Rubric"): four
 * levels per transfer test with their point ranges, 10 points per test, 90 in total over
 * the nine tests, and the four mastery bands. Learners score themselves; nothing here
 * grades an answer.
 */

export type RubricLevelId = 'recognition' | 'framework' | 'gvector' | 'circumvention';

export interface RubricLevel {
  id: RubricLevelId;
  level: 1 | 2 | 3 | 4;
  title: string;
  /** The level's range is 0..max points. */
  max: number;
  criteria: readonly string[];
}

export const RUBRIC_LEVELS: readonly RubricLevel[] = [
  {
    id: 'recognition',
    level: 1,
    title: 'Recognition',
    max: 2,
    criteria: ['Identified which impossibility result (FLP/CAP/PACELC) applies', 'Recognized the fundamental trade-off at play'],
  },
  {
    id: 'framework',
    level: 2,
    title: 'Framework Application',
    max: 3,
    criteria: [
      'Defined safety and liveness invariants correctly',
      'Identified what evidence is needed to preserve invariants',
      'Mapped the problem to modes (Target/Degraded/Floor)',
    ],
  },
  {
    id: 'gvector',
    level: 3,
    title: 'G-Vector Reasoning',
    max: 3,
    criteria: [
      'Expressed guarantees as complete G-vectors',
      'Showed how G-vectors degrade across modes',
      'Identified weakest link in composition (if applicable)',
    ],
  },
  {
    id: 'circumvention',
    level: 4,
    title: 'Circumvention Analysis',
    max: 2,
    criteria: ['Proposed practical strategies to circumvent impossibility', 'Analyzed trade-offs of each strategy', 'Made assumptions explicit'],
  },
];

export const POINTS_PER_TEST = 10;
export const TEST_COUNT = 9;
export const TOTAL_POINTS = POINTS_PER_TEST * TEST_COUNT;

export type MasteryBandId = 'expert' | 'proficient' | 'developing' | 'novice';

export interface MasteryBand {
  id: MasteryBandId;
  label: string;
  /** Inclusive point range out of TOTAL_POINTS. */
  min: number;
  max: number;
  summary: string;
}

export const MASTERY_BANDS: readonly MasteryBand[] = [
  {
    id: 'expert',
    label: 'Expert',
    min: 80,
    max: 90,
    summary: "You've internalized impossibility patterns deeply and are ready to design production distributed systems.",
  },
  {
    id: 'proficient',
    label: 'Proficient',
    min: 65,
    max: 79,
    summary: 'You understand the core impossibility results; review specific weak areas and retry the corresponding exercises.',
  },
  {
    id: 'developing',
    label: 'Developing',
    min: 50,
    max: 64,
    summary: 'Focus on distinguishing invariants from evidence, mode transitions, and G-vector composition (weakest link).',
  },
  {
    id: 'novice',
    label: 'Novice',
    min: 0,
    max: 49,
    summary: 'Re-read FLP, CAP and PACELC, study the worked examples, and retry the Near Transfer tests first.',
  },
];

/** Self-assessed points per level; null = not scored yet. */
export type RubricScores = Record<RubricLevelId, number | null>;

export function emptyScores(): RubricScores {
  return { recognition: null, framework: null, gvector: null, circumvention: null };
}

/** Clamps a level score into its range (integers only); null stays null. */
export function clampLevelScore(level: RubricLevelId, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const max = RUBRIC_LEVELS.find((l) => l.id === level)!.max;
  return Math.min(max, Math.max(0, Math.round(value)));
}

/** The test's points so far (unscored levels count 0) and whether every level is scored. */
export function testScore(scores: RubricScores): { points: number; scored: number; complete: boolean } {
  let points = 0;
  let scored = 0;
  for (const l of RUBRIC_LEVELS) {
    const s = clampLevelScore(l.id, scores[l.id]);
    if (s === null) continue;
    points += s;
    scored++;
  }
  return { points, scored, complete: scored === RUBRIC_LEVELS.length };
}

/** The mastery band for a total out of TOTAL_POINTS (clamped to 0..90). */
export function masteryBand(total: number): MasteryBand {
  const t = Math.min(TOTAL_POINTS, Math.max(0, Math.round(total)));
  return MASTERY_BANDS.find((b) => t >= b.min && t <= b.max) ?? MASTERY_BANDS[MASTERY_BANDS.length - 1]!;
}

export interface LibraryMastery {
  /** Sum over the tests that have a fully scored session (best score per test). */
  points: number;
  /** Tests with a fully scored session, e.g. ['NT-1', 'NT-3']. */
  tests: string[];
  band: MasteryBand;
  /** True when all nine tests are scored, so the band is the seed's verdict. */
  final: boolean;
}

/**
 * Mastery over a learner's whole library: per transfer test the best fully scored
 * session counts; the band is read from the total out of 90 (it is provisional until
 * every test is scored, because missing tests count 0).
 */
export function libraryMastery(entries: readonly { test: string; scores: RubricScores }[]): LibraryMastery {
  const best = new Map<string, number>();
  for (const e of entries) {
    const s = testScore(e.scores);
    if (!s.complete) continue;
    best.set(e.test, Math.max(best.get(e.test) ?? 0, s.points));
  }
  const tests = [...best.keys()].sort();
  const points = [...best.values()].reduce((a, b) => a + b, 0);
  return { points, tests, band: masteryBand(points), final: tests.length >= TEST_COUNT };
}
