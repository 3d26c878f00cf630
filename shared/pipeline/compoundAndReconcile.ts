/**
 * Stage 3, Compound+Reconcile (SPEC 4, 5, 7, 15, 16, 18.1, 19.1): the day loop, the derived
 * columns of accounts and the portfolio, every check on every date, the metrics, the as-of
 * figures and the attribution.
 */
import { benchmarkOnCalendar } from '#shared/calc/benchmark.ts';
import { benchmarkSummary } from '#shared/calc/benchmarkResults.ts';
import { restatementsCheck } from '#shared/calc/restatements.ts';
import { compoundEquity, type Ledger, type LoopAccount, type LoopSettings, type LoopStrategy } from '#shared/calc/compound.ts';
import { dailyPnl, type DailyPnl } from '#shared/calc/dailyPnl.ts';
import { partBResults } from '#shared/calc/partBResults.ts';
import { partCResults } from '#shared/calc/partCResults.ts';
import { dollarTailRisk } from '#shared/calc/valueAtRisk.ts';
import { partBInUse } from '#shared/config/partBInUse.ts';
import { computeMetrics, type MetricsSettings } from '#shared/calc/metrics.ts';
import { percentOf, ratioTo, returnsFromEquity } from '#shared/calc/performance.ts';
import { reconcile } from '#shared/calc/reconcile.ts';
import type { ScaledSeries } from '#shared/calc/scale.ts';
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { calendarMonths, isoDate } from '#shared/dates.ts';
import { InputErrors } from '#shared/problems.ts';
import { nonFiniteColumnError } from '#shared/report/nonFiniteFigure.ts';
import { levelColumns } from '#shared/report/reportFiles.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { chunkCount, chunkItemsKey } from './reportSource.ts';
import {
  artifactKey,
  decodeScaled,
  streamPerformance,
  readBundle,
  readBenchmarkSeries,
  readJson,
  writeJson,
  type LevelMetrics,
  type Performance,
  type Results,
  type ScaledData,
  type Validation,
} from './artifacts.ts';

export interface CompoundInput {
  workPrefix: string;
  /** Map items beyond this many go to a Distributed Map, which reads them from S3: the state then carries none. */
  inlineLimit?: number | undefined;
}

export interface FinalEquity {
  strategies: Record<string, number>;
  accounts: Record<string, number>;
  portfolio: number;
}

/**
 * What the state machine carries on: keys and counts, never a figure per strategy (a state of
 * 2,000 strategies' final equity passed Step Functions' 256 KiB).
 */
export interface CompoundOutput {
  ledgerKey: string;
  resultsKey: string;
  /** `final-equity.json`: every level's final equity, for the terminal and the email. */
  finalEquityKey: string;
  failedChecks: string[];
  wipeouts: number;
  /** The scenarios to run next, for a Map: their indexes, and the same as an S3 JSON list of items. */
  scenarios: MapItems;
  /** The chunks of levels the chart and page stages fan out over, the same way. */
  reportChunks: MapItems;
}

/** A Map's items: how many, their indexes when an inline Map runs them, and the S3 JSON list a Distributed Map reads. */
export interface MapItems {
  count: number;
  indexes: number[];
  itemsKey: string;
}

export async function compoundAndReconcile(storage: Storage, input: CompoundInput): Promise<CompoundOutput> {
  const validation = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const { config } = validation;
  const scaledData = await readBundle(storage, artifactKey(input.workPrefix, 'scaled'), decodeScaled);
  const { performance, results } = computeResults(config, scaledData);
  await addInputComparisons(storage, input.workPrefix, validation, scaledData, performance, results);
  const levels = levelColumns(validation, scaledData, performance);
  const nonFinite = nonFiniteColumnError([...levels.strategies, ...levels.accounts, levels.portfolio], Array.from(scaledData.aligned.calendar, isoDate));
  if (nonFinite !== null) throw new InputErrors([nonFinite]);
  const ledgerKey = artifactKey(input.workPrefix, 'ledger');
  const resultsKey = artifactKey(input.workPrefix, 'results');
  const finalEquityKey = artifactKey(input.workPrefix, 'finalEquity');
  await storage.put(ledgerKey, streamPerformance(performance));
  await writeJson(storage, resultsKey, results);
  await writeJson(storage, finalEquityKey, finalEquity(config, performance.ledger));
  const mapItems = async (count: number, itemsKey: string, field: string): Promise<MapItems> => {
    const indexes = Array.from({ length: count }, (_, index) => index);
    await writeJson(storage, itemsKey, indexes.map((index) => ({ [field]: index })));
    return { count, indexes: count <= (input.inlineLimit ?? Number.POSITIVE_INFINITY) ? indexes : [], itemsKey };
  };
  return {
    scenarios: await mapItems(config.scenarios.length, joinKey(input.workPrefix, 'scenarios/items.json'), 'index'),
    reportChunks: await mapItems(chunkCount(config), chunkItemsKey(input.workPrefix), 'chunk'),
    ledgerKey,
    resultsKey,
    finalEquityKey,
    failedChecks: Object.entries(results.checks)
      .filter(([, check]) => check.status === 'fail')
      .map(([name]) => name),
    wipeouts: Object.keys(results.wipeouts).length,
  };
}

function finalEquity(config: PortfolioConfig, ledger: Ledger): FinalEquity {
  const last = (series: Float64Array): number => series[series.length - 1] ?? 0;
  return {
    strategies: Object.fromEntries(config.strategies.map((strategy, s) => [strategy.name, last(at(ledger.sleeves, s).equity)])),
    accounts: Object.fromEntries(config.accounts.map((account, a) => [account.name, last(at(ledger.accounts, a).equity)])),
    portfolio: last(ledger.portfolio.equity),
  };
}

/**
 * What the run's inputs are compared with, when the config or the command asks: the benchmark
 * (SPEC 17) and the previous copy of the inputs (the `restatements` check of SPEC 19.2).
 */
async function addInputComparisons(
  storage: Storage,
  workPrefix: string,
  validation: Validation,
  { aligned }: ScaledData,
  performance: Performance,
  results: Results,
): Promise<void> {
  const { config } = validation;
  const series = await readBenchmarkSeries(storage, workPrefix, config);
  if (config.benchmark !== undefined && series !== null) {
    results.benchmark = benchmarkSummary({
      config,
      benchmark: config.benchmark,
      series,
      onCalendar: benchmarkOnCalendar(series.dates, series.returns, aligned.calendar),
      calendar: aligned.calendar,
      spans: aligned.series,
      strategyReturns: performance.ledger.sleeves.map((sleeve) => sleeve.sleeveReturn),
      accountReturns: performance.accountReturns,
      portfolioReturns: performance.portfolioReturns,
    });
  }
  if (validation.restatements !== undefined) results.checks.restatements = restatementsCheck(validation.restatements);
}

/** Per account, the indexes of its strategies in config order. */
export function strategiesByAccount(config: PortfolioConfig): number[][] {
  return config.accounts.map((account) =>
    config.strategies.flatMap((strategy, s) => (strategy.account === account.name ? [s] : [])),
  );
}

/** The day loop's inputs: each strategy's sizing, scaled series and span; each account's strategies. */
export function loopInputs(config: PortfolioConfig, { aligned, scaled }: ScaledData): { strategies: LoopStrategy[]; accounts: LoopAccount[] } {
  const accountStrategies = strategiesByAccount(config);
  return {
    strategies: config.strategies.map((strategy, s) => {
      const { spanStart, spanEnd } = at(aligned.series, s);
      return { allocatedCapital: strategy.allocatedCapital, scaled: at(scaled, s), spanStart, spanEnd };
    }),
    accounts: config.accounts.map((account, a) => ({ startingCapital: account.startingCapital, strategies: at(accountStrategies, a) })),
  };
}

/** The loop settings of a config: its allocation, rebalancing and concurrent-position limit. */
export function loopSettings(config: PortfolioConfig): LoopSettings {
  return { allocation: config.allocation, rebalance: config.rebalance, maxConcurrentPositions: config.limits.maxConcurrentPositions };
}

export function computeResults(config: PortfolioConfig, scaledData: ScaledData): { performance: Performance; results: Results } {
  const { aligned, scaled } = scaledData;
  const { calendar } = aligned;
  const accountStrategies = strategiesByAccount(config);
  const { strategies, accounts } = loopInputs(config, scaledData);
  const ledger = compoundEquity(strategies, accounts, calendar, loopSettings(config));
  const totalAllocated = config.strategies.reduce((sum, strategy) => sum + strategy.allocatedCapital, 0);
  const totalStarting = config.accounts.reduce((sum, account) => sum + account.startingCapital, 0);
  const performance: Performance = {
    ledger,
    accountReturns: config.accounts.map((account, a) => returnsFromEquity(at(ledger.accounts, a).equity, account.startingCapital)),
    accountUtilization: config.accounts.map((account, a) => percentOf(at(ledger.accounts, a).marginUsed, account.startingCapital)),
    portfolioReturns: returnsFromEquity(ledger.portfolio.equity, totalStarting),
    portfolioUtilization: percentOf(ledger.portfolio.marginUsed, totalAllocated),
    leverage: ratioTo(ledger.portfolio.notional, totalAllocated),
  };
  const partAChecks = reconcile({
    config,
    calendar,
    accountStrategies,
    scaled,
    ledger,
    accountUtilization: performance.accountUtilization,
    portfolioUtilization: performance.portfolioUtilization,
  });
  const partB = partBInUse(config) ? partBResults({ config, calendar, ledger, leverage: performance.leverage }) : null;
  const flows = dailyPnlOf(config, ledger);
  const partC = partCResults({
    config,
    calendar,
    spans: aligned.series,
    accountStrategies,
    flows,
    strategyReturns: ledger.sleeves.map((sleeve) => sleeve.sleeveReturn),
    accountReturns: performance.accountReturns,
    portfolioReturns: performance.portfolioReturns,
    accountEquity: ledger.accounts.map((account) => account.equity),
    portfolioEquity: ledger.portfolio.equity,
  });
  return {
    performance,
    results: {
      checks: { ...partAChecks, ...partB?.checks, ...partC.checks },
      unsizedReturns: unsizedReturnDays(config, calendar, scaled, ledger),
      wipeouts: Object.fromEntries(
        config.strategies.flatMap((strategy, s) => {
          const day = at(ledger.sleeves, s).wipeoutDay;
          return day === -1 ? [] : [[strategy.name, isoDate(at(calendar, day))]];
        }),
      ),
      metrics: allMetrics(config, aligned.calendar, aligned.series, performance, flows),
      partB: partB === null ? null : { rebalances: partB.rebalances, blockedEntries: partB.blockedEntries, riskParityFallbacks: partB.riskParityFallbacks, limits: partB.limits },
      asOf: partC.asOf,
      attribution: partC.attribution,
    },
  };
}

/** The daily P&L, transfers and costs of a run's ledger (SPEC 15.1). */
export function dailyPnlOf(config: PortfolioConfig, ledger: Ledger): DailyPnl {
  return dailyPnl(ledger, config.accounts.map((account) => account.startingCapital));
}


function unsizedReturnDays(
  config: PortfolioConfig,
  calendar: Int32Array,
  scaled: readonly ScaledSeries[],
  ledger: Ledger,
): Results['unsizedReturns'] {
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

function allMetrics(
  config: PortfolioConfig,
  calendar: Int32Array,
  spans: readonly { spanStart: number; spanEnd: number }[],
  performance: Performance,
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
        return [strategy.name, computeMetrics(at(performance.ledger.sleeves, s).sleeveReturn, window, settings)];
      }),
    ),
    accounts: Object.fromEntries(
      config.accounts.map((account, a) => [account.name, withDollars(at(performance.accountReturns, a), at(flows.accountPnl, a))]),
    ),
    portfolio: withDollars(performance.portfolioReturns, flows.portfolioPnl),
  };
}
