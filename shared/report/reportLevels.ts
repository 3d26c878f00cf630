/**
 * A level of a report (a strategy, an account, the portfolio) with the columns its charts and
 * tearsheet read; the pipeline's report source makes them, chunk by chunk.
 */
import type { Metrics } from '#shared/calc/metrics.ts';
import type { Level } from './reportNames.ts';

export interface ReportLevel {
  level: Level;
  name: string;
  /** Calendar indexes the level covers: a strategy its own span, the others the whole calendar. */
  first: number;
  last: number;
  startingCapital: number;
  equity: Float64Array;
  /** The daily returns its metrics use. */
  returns: Float64Array;
  utilization: Float64Array;
  /** The margin-utilization alert of accounts and the portfolio. */
  alertPct: number | null;
  metrics: Metrics;
  /** The account a strategy trades in. */
  account?: string;
  /** Calendar indexes of the rebalances that moved its capital (the first allocation not counted). */
  rebalanceDays: number[];
}
