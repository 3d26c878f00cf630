/**
 * Each function's memory (MB), set from `npm run bench:stages` at 2,000 strategies x 20 years with
 * 41 scenarios (figures in docs/DECISIONS.md): the measured peak resident memory plus about 30 %,
 * rounded up to 256 MB, and never below 1,024 MB (Lambda's CPU grows with memory).
 */
export const FUNCTION_MEMORY_MB = {
  /** Peak 818 MiB: the 2,000 CSVs parsed one at a time into columns. */
  'load-validate': 1280,
  /** Peak 1,075 MiB. */
  'align-scale': 1536,
  /** Peak 1,713 MiB with part C's figures (1,481 before): the scaled columns (679 MB) and the ledger it computes (603 MB). */
  'compound-reconcile': 2304,
  /** Peak 1,826 MiB with part C's figures (1,562 before): one scenario's day loop on the same columns. */
  'run-scenario': 2560,
  /** Peak 126 MiB: reads the validation artifact and writes the list of chunks. */
  'plan-monte-carlo': 1024,
  /** Peak 1,516 MiB: the scaled columns and the track records as read, and the paths' date-by-date copy of the rows (334 MB), for one chunk of 250 paths. */
  'run-bootstrap-chunk': 2048,
  /** Peak 784 MiB: the scaled data read for its calendar, and every path's equity curve over the horizon (1,000 x 252 doubles: 2 MB). */
  'merge-monte-carlo': 1024,
  /** Peak 2,027 MiB with part C's two CSVs (2,004 before): every column, to stream the 1 GB master CSV and comparison.json. */
  'write-report': 2816,
  /**
   * Peak 2,569 MiB in the chunk that holds the portfolio (all 2,000 strategies normalised on one
   * chart); 322 MiB in the others. 3,584 MB also buys two vCPUs (1,769 MB buys one), and the
   * function draws on both (a worker thread with its own copy of the chunk's series, ~322 MiB).
   */
  'render-charts': 3584,
  /** Peak 305 MiB: a chunk of 100 tearsheets. */
  'write-pages': 1024,
  /** Peak 1,396 MiB: every level's columns and the 2,000 x 2,000 correlation matrix. */
  'write-index': 2048,
  /** Peak 125 MiB on the file system; S3 copies server-side, so the function holds listings only. */
  'seal-report': 1024,
  /** Peak 126 MiB. */
  'publish-latest': 1024,
  'discard-report': 1024,
  'expire-runs': 1024,
  /** Peak 491 MiB: the summary of 2,000 strategies and 41 scenarios read one entry at a time. */
  notify: 1024,
} as const;

export type StageFunction = keyof typeof FUNCTION_MEMORY_MB;
