/**
 * Each function's memory (MB), set from `npm run bench:stages` at 2,000 strategies x 20 years with
 * 41 scenarios (figures in docs/DECISIONS.md): the measured peak plus headroom. Lambda gives CPU
 * in proportion to memory, so the heavy stages keep more than they strictly need.
 */
export const FUNCTION_MEMORY_MB = {
  'load-validate': 3008,
  'align-scale': 3008,
  'compound-reconcile': 3008,
  'run-scenario': 3008,
  'write-report': 3008,
  'render-charts': 3008,
  'write-pages': 3008,
  'write-index': 3008,
  'seal-report': 1024,
  'publish-latest': 1024,
  'discard-report': 1024,
  'expire-runs': 1024,
  notify: 1024,
} as const;

export type StageFunction = keyof typeof FUNCTION_MEMORY_MB;
