/**
 * The run's results (SPEC 5, 7, 14, 15, 16, 17, 18.1, 19): the day loop on a config's scaled data,
 * every check on every date, the metrics of every level, part B's and part C's figures: every
 * figure of summary.json that is not about the inputs. A scenario is the same on its own config.
 */
import type { BenchmarkSeries, BenchmarkSummary } from '#shared/calc/benchmarkResults.ts';
import { benchmarkOnCalendar } from '#shared/calc/benchmark.ts';
import { benchmarkSummary } from '#shared/calc/benchmarkResults.ts';
import { compoundEquity, type Ledger } from '#shared/calc/compound.ts';
import type { DailyPnl } from '#shared/calc/dailyPnl.ts';
import { computeMetrics, type Metrics, type MetricsSettings } from '#shared/calc/metrics.ts';
import { partBResults, type PartBChecks, type PartBResults } from '#shared/calc/partBResults.ts';
import { partCResults, type PartCResults } from '#shared/calc/partCResults.ts';
import { reconcile, type Checks } from '#shared/calc/reconcile.ts';
import { restatedStrategies, restatementsCheck, type RestatedStrategy, type RestatementsCheck } from '#shared/calc/restatements.ts';
import type { ScaledSeries } from '#shared/calc/scale.ts';
import { dollarTailRisk, type DollarTailRisk } from '#shared/calc/valueAtRisk.ts';
import { at } from '#shared/collections.ts';
import { partBInUse } from '#shared/config/partBInUse.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { calendarMonths, isoDate } from '#shared/dates.ts';
import { loopInputs, loopSettings, strategiesByAccount } from './loopInputs.ts';
import { dailyPnlOf, runSeries, type RunSeries } from './runSeries.ts';
import type { LoopData } from './scaledData.ts';
import type { Validation } from './validation.ts';

/** The metrics of an account or the portfolio: section 7's and 18.1's, with the tail risk in dollars too. */
export type LevelMetrics = Metrics & DollarTailRisk;

export interface Results {
  checks: Checks & Partial<PartBChecks> & PartCResults['checks'] & { restatements?: RestatementsCheck };
  unsizedReturns: Record<string, { count: number; dates: string[] }>;
  wipeouts: Record<string, string>;
  metrics: { strategies: Record<string, Metrics>; accounts: Record<string, LevelMetrics>; portfolio: LevelMetrics };
  /** What part B adds when it is in use (SPEC 14); null otherwise. */
  partB: Omit<PartBResults, 'checks'> | null;
  /** Part C's as-of figures and attribution (SPEC 15, 16), on every run. */
  asOf: PartCResults['asOf'];
  attribution: PartCResults['attribution'];
  /** SPEC 17, when the config names a benchmark. */
  benchmark?: BenchmarkSummary;
  /** Issue 15, when a previous copy was compared: what the morning's lines say about it (not in summary.json). */
  previousCopy?: { newStrategies: string[]; restated: Record<string, RestatedStrategy> };
}

export function computeResults(config: PortfolioConfig, scaledData: LoopData): { series: RunSeries; results: Results } {
  const { aligned, scaled } = scaledData;
  const { calendar } = aligned;
  const accountStrategies = strategiesByAccount(config);
  const { strategies, accounts } = loopInputs(config, scaledData);
  const ledger = compoundEquity(strategies, accounts, calendar, loopSettings(config));
  const series = runSeries(config, ledger);
  const partAChecks = reconcile({
    config,
    calendar,
    accountStrategies,
    scaled,
    ledger,
    accountUtilization: series.accountUtilization,
    portfolioUtilization: series.portfolioUtilization,
  });
  const partB = partBInUse(config) ? partBResults({ config, calendar, ledger, leverage: series.leverage }) : null;
  const flows = dailyPnlOf(config, ledger);
  const partC = partCResults({
    config,
    calendar,
    spans: aligned.series,
    accountStrategies,
    flows,
    strategyReturns: ledger.sleeves.map((sleeve) => sleeve.sleeveReturn),
    accountReturns: series.accountReturns,
    portfolioReturns: series.portfolioReturns,
    accountEquity: ledger.accounts.map((account) => account.equity),
    portfolioEquity: ledger.portfolio.equity,
  });
  return {
    series,
    results: {
      checks: { ...partAChecks, ...partB?.checks, ...partC.checks },
      unsizedReturns: unsizedReturnDays(config, calendar, scaled, ledger),
      wipeouts: wipeoutDates(config, calendar, ledger),
      metrics: allMetrics(config, aligned.calendar, aligned.series, series, flows),
      partB: partB === null ? null : { rebalances: partB.rebalances, blockedEntries: partB.blockedEntries, riskParityFallbacks: partB.riskParityFallbacks, limits: partB.limits },
      asOf: partC.asOf,
      attribution: partC.attribution,
    },
  };
}

/**
 * The results with what the run's inputs are compared with, when the config or the command asks:
 * the benchmark (SPEC 17, its series as Load+Validate read it) and the previous copy of the inputs
 * (the `restatements` check of SPEC 19.2), in summary.json's key order.
 */
export function withInputComparisons(results: Results, validation: Validation, { aligned }: Pick<LoopData, 'aligned'>, series: RunSeries, benchmark: BenchmarkSeries | null): Results {
  const { config } = validation;
  const { restatements: summary, previousCopy } = validation;
  const restatements = summary === undefined ? {} : { restatements: restatementsCheck(summary) };
  const previous =
    summary === undefined || previousCopy === undefined
      ? {}
      : { previousCopy: { newStrategies: previousCopy.newStrategies, restated: restatedStrategies(summary, previousCopy.restated) } };
  const compared =
    config.benchmark === undefined || benchmark === null
      ? {}
      : {
          benchmark: benchmarkSummary({
            config,
            benchmark: config.benchmark,
            series: benchmark,
            onCalendar: benchmarkOnCalendar(benchmark.dates, benchmark.returns, aligned.calendar),
            calendar: aligned.calendar,
            spans: aligned.series,
            strategyReturns: series.ledger.sleeves.map((sleeve) => sleeve.sleeveReturn),
            accountReturns: series.accountReturns,
            portfolioReturns: series.portfolioReturns,
          }),
        };
  return { ...results, checks: { ...results.checks, ...restatements }, ...compared, ...previous };
}

/** Per strategy, the dates of the unsized returns it traded on (SPEC 3), when it has any. */
function unsizedReturnDays(config: PortfolioConfig, calendar: Int32Array, scaled: readonly ScaledSeries[], ledger: Ledger): Results['unsizedReturns'] {
  return Object.fromEntries(
    config.strategies.flatMap((strategy, s) => {
      const flags = at(scaled, s).unsizedReturn;
      const traded = at(ledger.sleeves, s).traded;
      const dates: string[] = [];
      for (let day = 0; day < calendar.length; day += 1) {
        if (flags[day] === 1 && traded[day] === 1) dates.push(isoDate(at(calendar, day)));
      }
      return dates.length === 0 ? [] : [[strategy.name, { count: dates.length, dates }]];
    }),
  );
}

/** The date each wiped-out strategy lost everything (SPEC 4). */
function wipeoutDates(config: PortfolioConfig, calendar: Int32Array, ledger: Ledger): Results['wipeouts'] {
  return Object.fromEntries(
    config.strategies.flatMap((strategy, s) => {
      const day = at(ledger.sleeves, s).wipeoutDay;
      return day === -1 ? [] : [[strategy.name, isoDate(at(calendar, day))]];
    }),
  );
}

/** Every level's metrics (SPEC 7, 18.1): a strategy over its own span, accounts and the portfolio over the calendar with their tail risk in dollars. */
function allMetrics(
  config: PortfolioConfig,
  calendar: Int32Array,
  spans: readonly { spanStart: number; spanEnd: number }[],
  series: RunSeries,
  flows: DailyPnl,
): Results['metrics'] {
  const settings: MetricsSettings = config.metrics;
  const months = calendarMonths(calendar);
  const whole = { calendar, months, first: 0, last: calendar.length - 1 };
  const withDollars = (returns: Float64Array, pnl: Float64Array): LevelMetrics => ({
    ...computeMetrics(returns, whole, settings),
    ...dollarTailRisk(pnl, whole.first, whole.last),
  });
  return {
    strategies: Object.fromEntries(
      config.strategies.map((strategy, s) => {
        const { spanStart, spanEnd } = at(spans, s);
        const window = { calendar, months, first: spanStart, last: spanEnd };
        return [strategy.name, computeMetrics(at(series.ledger.sleeves, s).sleeveReturn, window, settings)];
      }),
    ),
    accounts: Object.fromEntries(
      config.accounts.map((account, a) => [account.name, withDollars(at(series.accountReturns, a), at(flows.accountPnl, a))]),
    ),
    portfolio: withDollars(series.portfolioReturns, flows.portfolioPnl),
  };
}

/** A run's verdict: the checks that failed, by name, and how many levels were wiped out (the state machine carries it on, the email's subject says it). */
export function resultsOutcome(results: Results): { failedChecks: string[]; wipeouts: number } {
  return {
    failedChecks: Object.entries(results.checks)
      .filter(([, check]) => check.status === 'fail')
      .map(([name]) => name),
    wipeouts: Object.keys(results.wipeouts).length,
  };
}
