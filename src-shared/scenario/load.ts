/**
 * Parse and validate a scenario file. Errors name the file, the path inside it and the
 * problem (`scenarios/x.yaml: modes[2].claim: Recency: "BS(fast)" — unknown symbol`),
 * because lecturers write these files by hand.
 */
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { parseDuration, parseGVector } from '../gvector';
import { ScenarioFileSchema, type PredicateFile, type ScenarioFile } from './schema';
import type { EvidenceType } from '../timeline/records';
import type { Predicate } from './predicate';
import type { CompositionSpec, LinkSpec, ScenarioSpec } from './types';
import { unknownPlaceholders } from '../analysis/template';
import type { AnalysisSpec } from '../analysis/types';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(
    readonly source: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${source}: ${path ? `${path}: ` : ''}${problem}`);
  }
}

const MAX_FILE_CHARS = 2_000_000;

/** Parses YAML or JSON text (JSON is YAML) and validates it. */
export function parseScenarioText(text: string, source = 'scenario'): ScenarioSpec {
  if (text.length > MAX_FILE_CHARS) throw new ScenarioError(source, '', `file is too large (${text.length} characters)`);
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (e) {
    throw new ScenarioError(source, '', `not valid YAML/JSON: ${yamlProblem(e)}`);
  }
  return validateScenario(raw, source);
}

/**
 * The first line of a YAML parser error. Nesting deep enough to exhaust the parser's stack
 * (a hostile file: `[[[[…`) is named as such rather than as a stack overflow.
 */
export function yamlProblem(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || /Maximum call stack size exceeded/.test(message)) {
    const where = /at line \d+, column \d+/.exec(message);
    return `nested too deeply${where ? ` (${where[0]})` : ''}`;
  }
  return message.split('\n')[0] ?? message;
}

function dotPath(issue: v.BaseIssue<unknown>): string {
  const parts: string[] = [];
  for (const item of issue.path ?? []) {
    const key = item.key as unknown;
    if (typeof key === 'number') parts.push(`[${key}]`);
    else parts.push(parts.length ? `.${String(key)}` : String(key));
  }
  return parts.join('');
}

function ms(source: string, path: string, d: string | number): number {
  try {
    const n = typeof d === 'number' ? d : parseDuration(d);
    if (!Number.isFinite(n) || n < 0) throw new Error('negative');
    return n;
  } catch {
    throw new ScenarioError(source, path, `bad duration ${JSON.stringify(d)} (write e.g. "250ms", "10s")`);
  }
}

export function validateScenario(raw: unknown, source = 'scenario'): ScenarioSpec {
  const result = v.safeParse(ScenarioFileSchema, raw);
  if (!result.success) {
    // Report the deepest issue first: it names the actual field rather than "union".
    const issue = result.issues.reduce((a, b) => ((b.path?.length ?? 0) > (a.path?.length ?? 0) ? b : a));
    throw new ScenarioError(source, dotPath(issue), issue.message);
  }
  return toSpec(result.output, source);
}

function link(source: string, path: string, l: ScenarioFile['network']['intra_group']): LinkSpec {
  return {
    latency_ms: ms(source, `${path}.latency`, l.latency),
    jitter_ms: l.jitter === undefined ? 0 : ms(source, `${path}.jitter`, l.jitter),
    loss: l.loss ?? 0,
  };
}

function predicate(source: string, path: string, p: PredicateFile): Predicate {
  if ('all' in p) return { all: p.all.map((x, i) => predicate(source, `${path}.all[${i}]`, x)) };
  if ('any' in p) return { any: p.any.map((x, i) => predicate(source, `${path}.any[${i}]`, x)) };
  if ('not' in p) return { not: predicate(source, `${path}.not`, p.not) };
  if ('quorum_lost' in p) return { quorum_lost: p.quorum_lost };
  if ('quorum_held' in p) return { quorum_held: p.quorum_held };
  if ('seen' in p) {
    return {
      seen: p.seen as EvidenceType,
      within_ms: p.within === undefined ? undefined : ms(source, `${path}.within`, p.within),
      since_entry: p.since_entry,
      detail: p.detail,
    };
  }
  if ('gauge' in p) return { gauge: p.gauge, op: p.op as '>', value: p.value, since_entry: p.since_entry };
  return { for_ms: ms(source, `${path}.for`, p.for), hold: predicate(source, `${path}.hold`, p.hold) };
}

function unique(source: string, path: string, ids: string[], what: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new ScenarioError(source, `${path}[${i}].id`, `duplicate ${what} id "${id}"`);
    seen.add(id);
  });
}

function toSpec(f: ScenarioFile, source: string): ScenarioSpec {
  unique(source, 'groups', f.groups.map((g) => g.id), 'group');
  unique(source, 'strategies', f.strategies.map((s) => s.id), 'strategy');
  unique(source, 'modes', f.modes.map((m) => m.id), 'mode');
  unique(source, 'invariants', f.invariants.map((x) => x.id), 'invariant');

  const groups = f.groups.map((g) => ({
    id: g.id,
    label: g.label,
    location: g.location,
    nodes: Array.isArray(g.nodes)
      ? g.nodes
      : Array.from({ length: g.nodes.count }, (_, i) => `${g.nodes && !Array.isArray(g.nodes) ? g.nodes.prefix : ''}${String(i + 1).padStart(3, '0')}`),
  }));
  const allNodes = new Set<string>();
  const groupIds = new Set(groups.map((g) => g.id));
  groups.forEach((g, gi) =>
    g.nodes.forEach((n, ni) => {
      if (allNodes.has(n) || groupIds.has(n)) throw new ScenarioError(source, `groups[${gi}].nodes[${ni}]`, `node id "${n}" is used twice`);
      allNodes.add(n);
    }),
  );

  const symbols: Record<string, number> = {};
  for (const [k, d] of Object.entries(f.symbols ?? {})) symbols[k] = ms(source, `symbols.${k}`, d);

  const modeIds = new Set(f.modes.map((m) => m.id));
  const checkClaim = (path: string, text: string) => {
    try {
      parseGVector(text, { symbols });
    } catch (e) {
      throw new ScenarioError(source, path, (e as Error).message);
    }
  };
  f.modes.forEach((m, i) => checkClaim(`modes[${i}].claim`, m.claim));
  f.strategies.forEach((s, i) =>
    Object.entries(s.claims ?? {}).forEach(([mode, text]) => {
      if (!modeIds.has(mode)) throw new ScenarioError(source, `strategies[${i}].claims.${mode}`, `unknown mode "${mode}"`);
      checkClaim(`strategies[${i}].claims.${mode}`, text);
    }),
  );
  const transitions = f.transitions.map((t, i) => {
    const from = t.from === '*' ? [...modeIds] : Array.isArray(t.from) ? t.from : [t.from];
    from.forEach((m, j) => {
      if (!modeIds.has(m)) throw new ScenarioError(source, `transitions[${i}].from[${j}]`, `unknown mode "${m}"`);
    });
    if (!modeIds.has(t.to)) throw new ScenarioError(source, `transitions[${i}].to`, `unknown mode "${t.to}"`);
    return { from, to: t.to, when: predicate(source, `transitions[${i}].when`, t.when) };
  });
  const default_strategy = f.default_strategy ?? f.strategies[0]!.id;
  if (!f.strategies.some((s) => s.id === default_strategy)) {
    throw new ScenarioError(source, 'default_strategy', `unknown strategy "${default_strategy}"`);
  }
  const initial_mode = f.initial_mode ?? f.modes[0]!.id;
  if (!modeIds.has(initial_mode)) throw new ScenarioError(source, 'initial_mode', `unknown mode "${initial_mode}"`);
  (f.network.pairs ?? []).forEach((p, i) =>
    p.between.forEach((g, j) => {
      if (!groupIds.has(g)) throw new ScenarioError(source, `network.pairs[${i}].between[${j}]`, `unknown group "${g}"`);
    }),
  );

  return {
    id: f.id,
    title: f.title,
    test: f.test,
    distance: f.distance,
    impossibility: f.impossibility,
    summary: f.summary,
    model: f.model,
    view: f.view,
    groups,
    network: {
      intra_group: link(source, 'network.intra_group', f.network.intra_group),
      inter_group: link(source, 'network.inter_group', f.network.inter_group),
      pairs: (f.network.pairs ?? []).map((p, i) => ({ between: p.between, link: link(source, `network.pairs[${i}].link`, p.link) })),
    },
    parameters: f.parameters ?? {},
    symbols,
    strategies: f.strategies.map((s) => ({
      id: s.id,
      label: s.label,
      description: s.description ?? '',
      params: s.params ?? {},
      claims: s.claims ?? {},
    })),
    default_strategy,
    initial_mode,
    modes: f.modes.map((m, i) => ({ id: m.id, label: m.label ?? m.id, description: m.description ?? '', claim: m.claim, severity: m.severity ?? Math.min(i, 3) })),
    transitions,
    invariants: f.invariants.map((x) => ({ id: x.id, name: x.name, kind: x.kind, description: x.description ?? '' })),
    requirements: f.requirements ?? [],
    questions: f.questions ?? [],
    ...(f.analysis ? { analysis: analysisSpec(source, f) } : {}),
    ...(f.composition ? { composition: compositionSpec(f, checkClaim) } : {}),
  };
}

/** The composition section: every G-vector in it must parse with the scenario's symbols. */
function compositionSpec(f: ScenarioFile, checkClaim: (path: string, text: string) => void): CompositionSpec {
  const c = f.composition!;
  checkClaim('composition.request', c.request);
  checkClaim('composition.link', c.link);
  (c.tail ?? []).forEach((h, i) => checkClaim(`composition.tail[${i}].g`, h.g));
  return { client: c.client ?? 'client', request: c.request, link: c.link, gateway: c.gateway ?? 'link', replica: c.replica ?? 'replica', tail: c.tail ?? [] };
}

/** The analysis section: questions that exist, placeholders that are understood. */
function analysisSpec(source: string, f: ScenarioFile): AnalysisSpec {
  const a = f.analysis!;
  const questions = f.questions ?? [];
  const answers = a.answers.map((x, i) => {
    if (x.question > questions.length) throw new ScenarioError(source, `analysis.answers[${i}].question`, `no question ${x.question} (the file has ${questions.length})`);
    const check = (path: string, text: string) => {
      const bad = unknownPlaceholders(text);
      if (bad.length) throw new ScenarioError(source, path, `unknown placeholder ${bad[0]} (use {metric.…}, {figure.…}, {mode.SCOPE}, {modes.SCOPE}, {invariant.ID}, {requirement.ID}, {observed.SCOPE}, {claimed.SCOPE}, {strategy}, {strategy_label}, {seed}, {t})`);
    };
    check(`analysis.answers[${i}].text`, x.text);
    const figures = (x.figures ?? []).map((g, j) => {
      check(`analysis.answers[${i}].figures[${j}].label`, g.label);
      check(`analysis.answers[${i}].figures[${j}].value`, g.value);
      return { label: g.label, value: g.value };
    });
    return { question: x.question, title: x.title ?? `Question ${x.question}`, text: x.text.trim(), figures };
  });
  return { seeds: a.seeds ?? 20, horizon_ms: a.horizon === undefined ? 600_000 : ms(source, 'analysis.horizon', a.horizon), answers };
}
