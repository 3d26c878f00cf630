/**
 * A level of a report (a strategy, an account, the portfolio) with the series its charts and
 * tearsheet read, made from a report source: the run's small figures and the few stored series
 * a chunk of levels was read with (SPEC 6).
 */
import type { Metrics } from '#shared/calc/metrics.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { Results } from '#shared/model/results.ts';
import { runSeriesColumns, type LedgerMeta } from '#shared/model/runSeries.ts';
import type { Validation } from '#shared/model/validation.ts';
import { levelCount } from './reportChunks.ts';
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

/** What the chart and page stages read of a run: its JSON figures, the calendar and spans, and some of its stored series. */
export interface ReportSource {
  validation: Validation;
  results: Results;
  calendar: Int32Array;
  spans: { spanStart: number; spanEnd: number }[];
  ledger: LedgerMeta;
  /** A stored series (`runSeriesColumns`) this source was read with; any other is a defect of the caller. */
  column(name: string): Float64Array;
}

/** The stored series of the level at `index`: its equity, daily returns and margin utilization. */
export function levelSeriesColumns(config: PortfolioConfig, index: number): string[] {
  const { sleeve, account, portfolio } = runSeriesColumns;
  const strategies = config.strategies.length;
  if (index < strategies) return [sleeve(index, 'equity'), sleeve(index, 'sleeveReturn'), sleeve(index, 'marginUtilization')];
  const a = index - strategies;
  if (a < config.accounts.length) return [account(a, 'equity'), account(a, 'returns'), account(a, 'utilization')];
  return [portfolio('equity'), portfolio('returns'), portfolio('utilization')];
}

/** The stored series of every level, in level order: what index.html and correlation.csv read. */
export function everyLevelColumns(config: PortfolioConfig): string[] {
  return Array.from({ length: levelCount(config) }, (_, index) => levelSeriesColumns(config, index)).flat();
}

/** Every level of the report in order, the portfolio last, from a source read with `everyLevelColumns`. */
export function everyLevel(source: ReportSource): ReportLevel[] {
  return Array.from({ length: levelCount(source.validation.config) }, (_, index) => reportLevel(source, index));
}

/** The level at `index` (strategies in config order, then accounts, then the portfolio), from the series it was read with. */
export function reportLevel(source: ReportSource, index: number): ReportLevel {
  const { config } = source.validation;
  const [equity, returns, utilization] = levelSeriesColumns(config, index).map((name) => source.column(name)) as [Float64Array, Float64Array, Float64Array];
  const last = source.calendar.length - 1;
  const alerts = config.thresholds.marginUtilizationAlertPct;
  const moved = source.ledger.rebalances.filter((rebalance) => rebalance.trigger !== 'initial');
  const daysOfAccount = (a: number): number[] => moved.filter((rebalance) => rebalance.account === a).map((rebalance) => rebalance.day);
  const strategies = config.strategies.length;
  if (index < strategies) {
    const strategy = config.strategies[index] as PortfolioConfig['strategies'][number];
    const span = source.spans[index] as { spanStart: number; spanEnd: number };
    return {
      level: 'strategy',
      name: strategy.name,
      first: span.spanStart,
      last: span.spanEnd,
      startingCapital: strategy.allocatedCapital,
      equity,
      returns,
      utilization,
      alertPct: null,
      metrics: source.results.metrics.strategies[strategy.name] as Metrics,
      account: strategy.account,
      rebalanceDays: daysOfAccount(config.accounts.findIndex((account) => account.name === strategy.account)),
    };
  }
  const a = index - strategies;
  const account = config.accounts[a];
  if (account !== undefined) {
    return {
      level: 'account',
      name: account.name,
      first: 0,
      last,
      startingCapital: account.startingCapital,
      equity,
      returns,
      utilization,
      alertPct: alerts.account,
      metrics: source.results.metrics.accounts[account.name] as Metrics,
      rebalanceDays: daysOfAccount(a),
    };
  }
  return {
    level: 'portfolio',
    name: 'Portfolio',
    first: 0,
    last,
    startingCapital: config.accounts.reduce((sum, item) => sum + item.startingCapital, 0),
    equity,
    returns,
    utilization,
    alertPct: alerts.portfolio,
    metrics: source.results.metrics.portfolio,
    rebalanceDays: [...new Set(moved.map((rebalance) => rebalance.day))],
  };
}
