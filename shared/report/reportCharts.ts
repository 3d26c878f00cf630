/**
 * The report's charts (SPEC 6), chunk by chunk: a PNG per strategy, account and the portfolio
 * (equity over margin utilization), each part-B account's sleeve weights; with the chunk that
 * holds the portfolio, its drawdown and monthly returns, all strategies' growth of 1 and the
 * scenarios side by side. Each chart comes with the report path it is written to, and carries its
 * alt text and hover data inside (charts/chartNotes.ts: pages read them with `chartNotes`).
 */
import type { AsOf, LevelAsOf } from '#shared/calc/partCResults.ts';
import { at } from '#shared/collections.ts';
import { partBInUse } from '#shared/config/partBInUse.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { runSeriesColumns } from '#shared/model/runSeries.ts';
import { benchmarkOnCalendar } from '#shared/calc/benchmark.ts';
import type { BenchmarkSeries } from '#shared/calc/benchmarkResults.ts';
import { ROLLING_WINDOWS, rollingFigures } from '#shared/calc/rollingMetrics.ts';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { accountWeightColumns, accountWeights } from './accountWeights.ts';
import { fanFigure, returnHistogramFigure, rollingFigure } from './charts/riskFigures.ts';
import { drawdownFigure, equityFigure, monthlyReturnsFigure, normalizedFigure, weightsFigure } from './charts/figures.ts';
import { chunkAccounts, chunkLevels, holdsPortfolio, levelCount } from './reportChunks.ts';
import { levelSeriesColumns, reportLevel, type ReportLevel, type ReportSource } from './reportLevels.ts';
import { reportPaths } from './reportNames.ts';

export interface ReportChart {
  path: string;
  png: Uint8Array;
}

/** The stored series a chunk's charts read: its levels', its part-B accounts' weights and, with the portfolio, every strategy's equity. */
export function chartChunkColumns(config: PortfolioConfig, chunk: number): Set<string> {
  const { from, to } = chunkLevels(config, chunk);
  const columns = new Set<string>();
  for (let index = from; index < to; index += 1) for (const name of levelSeriesColumns(config, index)) columns.add(name);
  if (partBInUse(config)) for (const a of chunkAccounts(config, chunk)) for (const name of accountWeightColumns(config, a)) columns.add(name);
  if (holdsPortfolio(config, chunk)) config.strategies.forEach((_, s) => columns.add(runSeriesColumns.sleeve(s, 'sleeveReturn')));
  return columns;
}

/** A level's equity over its margin utilization, with its alert line and rebalances; the portfolio's with the benchmark when the config names one. */
export function levelChart(level: ReportLevel, source: ReportSource, benchmark: BenchmarkSeries | null = null): ReportChart {
  const { calendar } = source;
  const benchmarkConfig = source.validation.config.benchmark;
  const withBenchmark = level.level === 'portfolio' && benchmark !== null && benchmarkConfig !== undefined;
  const png = equityFigure({
    title: level.level === 'portfolio' ? 'Portfolio' : `${level.level === 'strategy' ? 'Strategy' : 'Account'} ${level.name}`,
    window: { calendar, first: level.first, last: level.last },
    equity: level.equity,
    utilization: level.utilization,
    alertPct: level.alertPct,
    rebalanceDays: level.rebalanceDays,
    restatedDays: level.level === 'strategy' ? restatedDays(source, level.name) : [],
    startingCapital: level.startingCapital,
    maxDrawdown: level.metrics.maxDrawdown,
    asOf: levelAsOf(source.results.asOf, level),
    ...(withBenchmark ? { benchmark: { name: benchmarkConfig.name, equity: benchmarkEquity(benchmark, calendar, level.startingCapital) } } : {}),
  });
  return { path: reportPaths.equityChart(level.level, level.name), png };
}

/**
 * The calendar indexes of a strategy's restated dates (issue 15), each once, ascending. A removed
 * date may be on no date of this run's calendar: it is marked on the first date after it.
 */
function restatedDays({ validation, calendar }: ReportSource, strategy: string): number[] {
  const rows = validation.previousCopy?.restated[strategy]?.rows ?? [];
  const days = new Set<number>();
  for (const { date } of rows) {
    let low = 0;
    let high = calendar.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (at(calendar, middle) < date) low = middle + 1;
      else high = middle;
    }
    if (low < calendar.length) days.add(low);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * The benchmark grown from the portfolio's starting capital over the calendar (SPEC 17's returns
 * on the dates it shares with the calendar; flat on a calendar date it has no row for), so the two
 * lines start together and their gap is the difference in growth.
 */
function benchmarkEquity(benchmark: BenchmarkSeries, calendar: Int32Array, startingCapital: number): Float64Array {
  return growthOfOne(benchmarkOnCalendar(benchmark.dates, benchmark.returns, calendar).returns, 0, calendar.length - 1).map((growth) => growth * startingCapital);
}

/**
 * An account's and the portfolio's rolling volatility and Sharpe (SPEC 18.2, the figures of
 * 6_rolling_metrics.csv) and its daily returns with value at risk and expected shortfall marked
 * (SPEC 18.1); a strategy has neither (the CSV has no rolling column for it).
 */
export function levelRiskCharts(level: ReportLevel, source: ReportSource): ReportChart[] {
  if (level.level === 'strategy') return [];
  const window = { calendar: source.calendar, first: level.first, last: level.last };
  const title = level.level === 'portfolio' ? 'Portfolio' : `Account ${level.name}`;
  const rolling = ROLLING_WINDOWS.map((days) => ({ window: days, ...rollingFigures(level.returns, days, source.validation.config.metrics) }));
  return [
    { path: reportPaths.rollingChart(level.level, level.name), png: rollingFigure(title, window, rolling) },
    { path: reportPaths.returnsHistogramChart(level.level, level.name), png: returnHistogramFigure(title, window, level.returns, level.metrics) },
  ];
}

/** The bootstrap's fan of portfolio equity (SPEC 20), from montecarlo.json and the fan CSV the Monte Carlo stage wrote. */
export function monteCarloFanChart(source: ReportSource, report: MonteCarloJson, fan: { dates: Int32Array; fan: Float64Array[] }): ReportChart {
  const portfolio = reportLevel(source, levelCount(source.validation.config) - 1);
  const lastDay = source.calendar[source.calendar.length - 1] ?? 0;
  return { path: reportPaths.monteCarloFanChart, png: fanFigure({ lastDay, startingCapital: portfolio.startingCapital, dates: fan.dates, fan: fan.fan, report }) };
}

/** The sleeve weights of a chunk's accounts when part B is in use (an account of one sleeve has nothing to stack). */
export function weightCharts(source: ReportSource, chunk: number): ReportChart[] {
  const { config } = source.validation;
  if (!partBInUse(config)) return [];
  const { calendar } = source;
  return chunkAccounts(config, chunk).flatMap((a) => {
    const series = accountWeights(source, a);
    if (series.length <= 1) return [];
    const name = config.accounts[a]?.name ?? '';
    return [{ path: reportPaths.weightsChart(name), png: weightsFigure(name, { calendar, first: 0, last: calendar.length - 1 }, series) }];
  });
}

/** A level's figures of SPEC 15 in summary.json's asOf. */
function levelAsOf(asOf: AsOf, level: ReportLevel): LevelAsOf {
  const figures = level.level === 'portfolio' ? asOf.portfolio : level.level === 'account' ? asOf.accounts[level.name] : asOf.strategies[level.name];
  if (figures === undefined) throw new Error(`summary.json asOf has no ${level.level} ${level.name}`);
  return figures;
}

/**
 * `prod(1 + R)` day by day over `first..last`: the time-weighted growth of 1 that SPEC 15's
 * return measures, so a sleeve's line shows what it earned, not the capital part B moved into it.
 */
function growthOfOne(returns: Float64Array, first: number, last: number): Float64Array {
  const growth = new Float64Array(returns.length);
  let value = 1;
  for (let day = first; day <= last; day += 1) growth[day] = value *= 1 + (returns[day] ?? 0);
  return growth;
}

/** The whole-portfolio charts, drawn by the chunk that holds the portfolio; `scenarioEquity` in config order. */
export function portfolioCharts(source: ReportSource, scenarioEquity: readonly Float64Array[]): ReportChart[] {
  const { config } = source.validation;
  const { calendar } = source;
  const portfolio = reportLevel(source, levelCount(config) - 1);
  const whole = { calendar, first: 0, last: calendar.length - 1 };
  const charts = [
    { path: reportPaths.portfolioDrawdownChart, png: drawdownFigure('Portfolio', whole, portfolio.returns, portfolio.metrics.maxDrawdown, source.results.asOf.portfolio) },
    { path: reportPaths.portfolioMonthlyChart, png: monthlyReturnsFigure('Portfolio', portfolio.metrics.monthlyReturns) },
    {
      path: reportPaths.normalizedChart,
      png: normalizedFigure(
        whole,
        config.strategies.map((strategy, s) => {
          const span = source.spans[s] ?? { spanStart: 0, spanEnd: 0 };
          return { name: strategy.name, values: growthOfOne(source.column(runSeriesColumns.sleeve(s, 'sleeveReturn')), span.spanStart, span.spanEnd), first: span.spanStart, last: span.spanEnd };
        }),
        'strategies',
      ),
    },
  ];
  if (config.scenarios.length === 0) return charts;
  const normalized = (name: string, equity: Float64Array) => ({ name, values: equity.map((value) => value / portfolio.startingCapital), first: 0, last: calendar.length - 1 });
  const series = [normalized('base', portfolio.equity), ...config.scenarios.map((scenario, index) => normalized(scenario.name, scenarioEquity[index] as Float64Array))];
  return [...charts, { path: reportPaths.scenariosChart, png: normalizedFigure(whole, series, 'scenarios') }];
}
