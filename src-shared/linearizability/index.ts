/**
 * Linearizability checking (Wing–Gong / Lowe search with memoization, P-compositional, in
 * the manner of Porcupine). Pure TypeScript: no Node, DOM or Electron.
 *
 *   const ops = parseJepsenRegisterLog(text);            // or parseKvHistory, or build Operation[]
 *   const res = checkHistory(ops, casRegisterModel(), { budgetSteps: 5e6 });
 *   res.verdict;                                          // 'linearizable' | 'not-linearizable' | 'unknown'
 *
 * For a live view, IncrementalChecker takes operations as they happen and a step budget per
 * frame. New models: defineModel({ name, init, next, hash, partitionKey?, describe }).
 */
export * from './history';
export * from './models';
export * from './checker';
export * from './parse-jepsen';
