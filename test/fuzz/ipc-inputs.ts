/**
 * Generators for the IPC contract's requests (shared by the IPC and bridge doors): every
 * channel with payloads near the valid shape, junk, values only a structured clone
 * carries, and huge payloads. Run ids are placeholders for a pool of open runs.
 */
import fc from 'fast-check';
import { CHANNELS } from '../../src-shared/ipc/contract';
import { actionArb, cloneOnly, HUGE_STRING, historyText, junk, junkScalar, looseRecord, mostly } from './arbitraries';

export const NT1 = 'nt1-log-replication';
export const NT1_NAMES = ['us-east', 'eu-west', 'apac', 'us-east-1', 'us-east-2', 'eu-west-1', 'eu-west-3', 'apac-1', 'apac-2', '@leader'];
/** Pool runs are opened short, so any seek/step the fuzzer sends is cheap. */
export const POOL_UNTIL_MS = 5000;
export const POOL_SIZE = 3;
/** Placeholders the generator uses for "an open run"; resolved when the input runs. */
export const POOL_REFS = Array.from({ length: POOL_SIZE }, (_, i) => `@@pool${i}`);

// ---- generators --------------------------------------------------------------------------

const runId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...POOL_REFS) },
  { weight: 1, arbitrary: fc.constantFrom('run-0', 'run-999999999', 'run-1 ', 'RUN-1', 'run-', 'run-1e3', 'run-0x1') },
  { weight: 1, arbitrary: junkScalar },
);
const scenarioId = fc.oneof(
  { weight: 8, arbitrary: fc.constant(NT1) },
  { weight: 1, arbitrary: fc.constantFrom('package.json', 'nt1-log-replication.yaml', 'scenarios', '.yaml', 'nope', 'NT1-LOG-REPLICATION') },
  { weight: 1, arbitrary: junkScalar },
);
const strategy = mostly(fc.constantFrom('async-cp', 'async-ap', 'sync-cp', 'region-cp', 'region-ap', 'nope'));
const seed = mostly(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(2 ** 32 - 1, 2 ** 32, -1, 1.5)));
const action = actionArb(NT1_NAMES, false);
const loggedAction = looseRecord({
  at_ms: mostly(fc.integer({ min: 0, max: 20_000 })),
  action: mostly(action),
  source: mostly(fc.constantFrom('user', 'script')),
});
const atOf = (a: unknown): number => {
  const t = (a as { at_ms?: unknown }).at_ms;
  return typeof t === 'number' ? t : 0;
};
const actionLog = mostly(fc.array(loggedAction, { maxLength: 4 }).map((l) => [...l].sort((a, b) => atOf(a) - atOf(b))));
const safeJson = (x: unknown): string => {
  try {
    return JSON.stringify(x) ?? 'null';
  } catch {
    return '{"actions": [[[[[[';
  }
};
const scriptText = mostly(
  fc.array(actionArb(NT1_NAMES, true), { maxLength: 4 }).map((actions) => safeJson({ actions })),
  1,
  3,
);
const scores = looseRecord({
  recognition: mostly(fc.constantFrom(0, 1, 2, null, 3)),
  framework: mostly(fc.constantFrom(0, 1, 2, 3, null)),
  gvector: mostly(fc.constantFrom(0, 1, 3, null)),
  circumvention: mostly(fc.constantFrom(0, 2, null)),
});

export const payloads: Record<string, fc.Arbitrary<unknown>> = {
  'lab:scenarios': mostly(fc.constant({}), 1, 2),
  'lab:open-run': looseRecord({ scenario: scenarioId, strategy, seed, script: scriptText, until_ms: mostly(fc.integer({ min: 500, max: 20_000 })), actions: actionLog }),
  'lab:close-run': looseRecord({ run_id: runId }),
  'lab:act': looseRecord({ run_id: runId, action }),
  'lab:control': looseRecord({
    run_id: runId,
    cmd: mostly(fc.constantFrom('play', 'pause', 'step', 'speed', 'seek', 'strategy', 'restart', 'stop')),
    value: mostly(fc.oneof(fc.integer({ min: -10, max: 6000 }), fc.constantFrom(0.5, 1000, 1001, 4 * 3600_000, 'async-ap', 'region-cp', 'nope'))),
  }),
  'lab:run-log': looseRecord({ run_id: runId }),
  'lab:check-session': looseRecord({ scenario: scenarioId, strategy, actions: actionLog }),
  'lab:report': looseRecord({
    run_id: runId,
    format: mostly(fc.constantFrom('json', 'md', 'html', 'pdf', 'docx')),
    session: mostly(looseRecord({ name: mostly(fc.string({ maxLength: 10 })), notes: mostly(fc.string({ maxLength: 10 })), answers: mostly(fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 })), scores }), 1, 1),
  }),
  'lab:check-history': looseRecord({ text: mostly(historyText, 1, 6), model: mostly(fc.constantFrom('auto', 'cas-register', 'kv', 'etcd')), name: mostly(fc.string({ maxLength: 8 })) }),
  'lab:history': looseRecord({ run_id: runId, since: mostly(fc.integer({ min: -1, max: 3_000_000_000 })) }),
};

export const channel = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...CHANNELS) },
  { weight: 1, arbitrary: fc.constantFrom('lab:frame', 'lab:eval', 'lab:', '__proto__', 'constructor', 'LAB:SCENARIOS', 'lab:scenarios ', 'ELECTRON_BROWSER_REQUIRE') },
  { weight: 1, arbitrary: junkScalar },
);

export type Sender = { senderFrame: { url: string; parent: unknown } | null };
/** Mostly the app's own top-level frame, often another one (a compromised or foreign frame). */
export const sender = (APP_URL: string, TRUSTED: Sender): fc.Arbitrary<Sender> =>
  fc.oneof(
  { weight: 8, arbitrary: fc.constant(TRUSTED) },
  { weight: 1, arbitrary: fc.constant({ senderFrame: { url: `${APP_URL}?bridge=x#t`, parent: null } }) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.constantFrom<Sender>(
        { senderFrame: null },
        { senderFrame: { url: APP_URL, parent: { url: APP_URL } } },
        { senderFrame: { url: 'https://evil.example/index.html', parent: null } },
        { senderFrame: { url: 'file:///opt/lab/out/renderer/other.html', parent: null } },
        { senderFrame: { url: 'file:///opt/lab/out/renderer/index.html/../../../../etc/passwd', parent: null } },
        { senderFrame: { url: 'file://evil.host/opt/lab/out/renderer/index.html', parent: null } },
        { senderFrame: { url: 'data:text/html,<script>1</script>', parent: null } },
        { senderFrame: { url: 'about:blank', parent: null } },
        { senderFrame: { url: 'devtools://devtools/bundled/inspector.html', parent: null } },
        { senderFrame: { url: '', parent: null } },
      ),
      fc.webUrl().map((url) => ({ senderFrame: { url, parent: null } })),
    ),
  },
);

export const payloadFor = (ch: unknown): fc.Arbitrary<unknown> =>
  typeof ch === 'string' && Object.hasOwn(payloads, ch)
    ? fc.oneof({ weight: 12, arbitrary: payloads[ch]! }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: cloneOnly }, { weight: 1, arbitrary: fc.constant({ text: HUGE_STRING }) })
    : junk;

/** Replaces pool placeholders in the payload's top-level fields (run_id is never deeper). */
export function resolvePool(x: unknown, pool: readonly string[]): unknown {
  const one = (s: unknown): unknown => (typeof s === 'string' && POOL_REFS.includes(s) ? pool[POOL_REFS.indexOf(s)] : s);
  if (x && typeof x === 'object' && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(x)) Object.defineProperty(out, k, { value: one(val), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return one(x);
}
