/**
 * summary.json `benchmark` (SPEC 17): the benchmark's own section-7 metrics over its dates within
 * the calendar's first and last date, and every level's figures against it (a strategy over its
 * own span, an account and the portfolio over the whole calendar). Composed from `benchmark.ts`
 * and `metrics.ts`.
 */
import { at } from '#shared/collections.ts';
import type { BenchmarkConfig } from '#shared/config/benchmarkSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { calendarMonths } from '#shared/dates.ts';
import { benchmarkFigures, type BenchmarkFigures, type BenchmarkOnCalendar } from './benchmark.ts';
import { computeMetrics, type Metrics } from './metrics.ts';

/** The benchmark's file as read: ascending, unique dates and their returns. */
export interface BenchmarkSeries {
  dates: Int32Array;
  returns: Float64Array;
}

export interface BenchmarkSummary {
  name: string;
  file: string;
  /** Its dates within `[t0, T]`, calendar dates or not. */
  days: number;
  metrics: Metrics | null;
  strategies: Record<string, BenchmarkFigures>;
  accounts: Record<string, BenchmarkFigures>;
  portfolio: BenchmarkFigures;
}

export interface BenchmarkInputs {
  config: PortfolioConfig;
  benchmark: BenchmarkConfig;
  series: BenchmarkSeries;
  onCalendar: BenchmarkOnCalendar;
  calendar: Int32Array;
  /** Per strategy, the calendar indexes of its own span. */
  spans: readonly { spanStart: number; spanEnd: number }[];
  /** The section-7 returns: each sleeve's `rho`, each account's and the portfolio's from equity. */
  strategyReturns: readonly Float64Array[];
  accountReturns: readonly Float64Array[];
  portfolioReturns: Float64Array;
}

export function benchmarkSummary(inputs: BenchmarkInputs): BenchmarkSummary {
  const { config, calendar, onCalendar } = inputs;
  const settings = config.metrics;
  const lastDay = calendar.length - 1;
  const within = datesWithin(inputs.series, at(calendar, 0), at(calendar, lastDay));
  return {
    name: inputs.benchmark.name,
    file: inputs.benchmark.file,
    days: within.dates.length,
    metrics:
      within.dates.length === 0
        ? null
        : computeMetrics(within.returns, { calendar: within.dates, months: calendarMonths(within.dates), first: 0, last: within.dates.length - 1 }, settings),
    strategies: Object.fromEntries(
      config.strategies.map((strategy, s) => {
        const { spanStart, spanEnd } = at(inputs.spans, s);
        return [strategy.name, benchmarkFigures(at(inputs.strategyReturns, s), onCalendar, spanStart, spanEnd, settings)];
      }),
    ),
    accounts: Object.fromEntries(
      config.accounts.map((account, a) => [account.name, benchmarkFigures(at(inputs.accountReturns, a), onCalendar, 0, lastDay, settings)]),
    ),
    portfolio: benchmarkFigures(inputs.portfolioReturns, onCalendar, 0, lastDay, settings),
  };
}

/** The rows dated from `first` to `last`, inclusive. */
function datesWithin(series: BenchmarkSeries, first: number, last: number): BenchmarkSeries {
  let from = 0;
  while (from < series.dates.length && (series.dates[from] ?? 0) < first) from += 1;
  let to = from;
  while (to < series.dates.length && (series.dates[to] ?? 0) <= last) to += 1;
  return { dates: series.dates.subarray(from, to), returns: series.returns.subarray(from, to) };
}
