/**
 * The data files of a report (SPEC 6, 14, 16.3, 17, 18.2, 19.2) and their columns: the one place where a name in the
 * code (`scaledMargin`) becomes a CSV header (`{s}_Scaled_Margin`).
 */
import { at } from '#shared/collections.ts';
import type { Ledger, SleeveLedger } from '#shared/calc/compound.ts';
import type { AlignedSeries } from '#shared/calc/align.ts';
import type { DailyPnl } from '#shared/calc/dailyPnl.ts';
import { BENCHMARK_BETA_WINDOW, benchmarkOnCalendar, rollingBeta, type BenchmarkOnCalendar } from '#shared/calc/benchmark.ts';
import type { BenchmarkSeries } from '#shared/calc/benchmarkResults.ts';
import { ROLLING_WINDOWS, rollingFigures } from '#shared/calc/rollingMetrics.ts';
import { PORTFOLIO_COLUMN_NAME } from '#shared/config/columnNameClashes.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate } from '#shared/dates.ts';
import { formatNumber } from '#shared/numbers.ts';
import type { Results } from '#shared/model/results.ts';
import type { RunSeries, RunTotals } from '#shared/model/runSeries.ts';
import type { InputData } from '#shared/model/scaledData.ts';
import type { Validation } from '#shared/model/validation.ts';
import { textCell, type CsvColumn } from './csvText.ts';

export const REPORT_FILES = {
  master: '1_master_aligned_data.csv',
  accounts: '2_account_performance.csv',
  portfolio: '3_total_portfolio_performance.csv',
  summary: 'summary.json',
  rebalanceLog: '4_rebalance_log.csv',
  limits: 'limits.json',
  comparison: 'comparison.json',
  dailyPnl: '5_daily_pnl.csv',
  rollingMetrics: '6_rolling_metrics.csv',
  restatements: 'restatements.csv',
} as const;

/** The data files of every run, in the order the report lists them; part B, scenarios and part C's options add theirs. */
export const EVERY_RUN_FILES = [
  REPORT_FILES.master,
  REPORT_FILES.accounts,
  REPORT_FILES.portfolio,
  REPORT_FILES.dailyPnl,
  REPORT_FILES.rollingMetrics,
  REPORT_FILES.summary,
] as const;

/** The columns one level (a strategy, an account, the portfolio) contributes to the data files, and where its figures come from. */
export interface LevelColumns {
  /** The file a user would look at: the strategy's CSV, or the config for an account or the portfolio. */
  file: string;
  /** `strategy Alpha`, `account Main`, `the portfolio`. */
  label: string;
  /** The inputs its figures are made of, in words. */
  sources: string;
  columns: CsvColumn[];
}

/** Every level's columns: the master file is the strategies', the account file the accounts'. */
export function levelColumns(
  validation: Validation,
  scaled: InputData,
  series: RunSeries,
): { strategies: LevelColumns[]; accounts: LevelColumns[]; portfolio: LevelColumns } {
  const { config, configFile } = validation;
  return {
    strategies: config.strategies.map((strategy, s) => ({
      file: `${strategy.name}.csv`,
      label: `strategy ${strategy.name}`,
      sources: `${strategy.name}.csv and strategies[${s}] (${strategy.name}) in ${configFile}`,
      columns: strategyColumns(config, s, strategySeries(scaled, series, s)),
    })),
    accounts: config.accounts.map((account, a) => ({
      file: configFile,
      label: `account ${account.name}`,
      sources: `accounts[${a}] (${account.name}).startingCapital and its strategies in ${configFile}`,
      columns: oneAccountColumns(config, a, series),
    })),
    portfolio: { file: configFile, label: 'the portfolio', sources: `the accounts and strategies in ${configFile}`, columns: portfolioColumns(series) },
  };
}

export function masterColumns(config: PortfolioConfig, scaled: InputData, series: RunSeries): CsvColumn[] {
  return config.strategies.flatMap((_, s) => strategyColumns(config, s, strategySeries(scaled, series, s)));
}

/** The series of one strategy the master file shows: its input as aligned, its implied units, its sleeve's columns. */
export interface StrategySeries {
  input: Pick<AlignedSeries, 'returns' | 'marginUsed' | 'notional'>;
  impliedUnits: Float64Array;
  sleeve: Pick<SleeveLedger, 'units' | 'margin' | 'notional' | 'scaledReturn' | 'equity' | 'marginUtilization'>;
}

function strategySeries({ aligned, scaled }: InputData, { ledger }: RunSeries, s: number): StrategySeries {
  return { input: at(aligned.series, s), impliedUnits: at(scaled, s).impliedUnits, sleeve: at(ledger.sleeves, s) };
}

/** Strategy `s`'s columns of the master file. */
export function strategyColumns(config: PortfolioConfig, s: number, { input, impliedUnits, sleeve }: StrategySeries): CsvColumn[] {
  const name = at(config.strategies, s).name;
  return [
    { header: `${name}_Return_%`, values: input.returns },
    { header: `${name}_Margin_Used`, values: input.marginUsed },
    { header: `${name}_Notional_Value`, values: input.notional },
    { header: `${name}_Implied_Units`, values: impliedUnits },
    { header: `${name}_Scaled_Units`, values: sleeve.units, tenDecimals: true },
    { header: `${name}_Scaled_Margin`, values: sleeve.margin },
    { header: `${name}_Scaled_Notional`, values: sleeve.notional },
    { header: `${name}_Scaled_Return_%`, values: sleeve.scaledReturn },
    { header: `${name}_Equity_Value`, values: sleeve.equity },
    { header: `${name}_Margin_Utilization_%`, values: sleeve.marginUtilization },
  ];
}

export function accountColumns(config: PortfolioConfig, series: RunTotals): CsvColumn[] {
  return config.accounts.flatMap((_, a) => oneAccountColumns(config, a, series));
}

/** Account `a`'s columns of the account file. */
export function oneAccountColumns(config: PortfolioConfig, a: number, series: RunTotals): CsvColumn[] {
  const ledger = at(series.ledger.accounts, a);
  const name = at(config.accounts, a).name;
  return [
    { header: `${name}_Equity_Value`, values: ledger.equity },
    { header: `${name}_Return_%`, values: at(series.accountReturns, a) },
    { header: `${name}_Margin_Used`, values: ledger.marginUsed },
    { header: `${name}_Notional_Exposure`, values: ledger.notional },
    { header: `${name}_Margin_Utilization_%`, values: at(series.accountUtilization, a) },
  ];
}

export function portfolioColumns(series: RunTotals): CsvColumn[] {
  const { portfolio } = series.ledger;
  return [
    { header: 'Portfolio_Equity_Value', values: portfolio.equity },
    { header: 'Total_Return_%', values: series.portfolioReturns },
    { header: 'Equity_Curve', values: portfolio.equity },
    { header: 'Total_Margin_Used', values: portfolio.marginUsed },
    { header: 'Total_Notional_Exposure', values: portfolio.notional },
    { header: 'Margin_Utilization_%', values: series.portfolioUtilization },
    { header: 'Leverage_Ratio', values: series.leverage },
  ];
}

/** `5_daily_pnl.csv` (SPEC 16.3): each strategy's P&L, then its transfers, the costs, each account's P&L, the portfolio's. */
export function dailyPnlColumns(config: PortfolioConfig, flows: DailyPnl): CsvColumn[] {
  return [
    ...config.strategies.map((strategy, s) => ({ header: `${strategy.name}_PnL_USD`, values: at(flows.strategyPnl, s) })),
    ...config.strategies.map((strategy, s) => ({ header: `${strategy.name}_Transfer_USD`, values: at(flows.strategyTransfers, s) })),
    { header: 'Costs_USD', values: flows.costs },
    ...config.accounts.map((account, a) => ({ header: `${account.name}_PnL_USD`, values: at(flows.accountPnl, a) })),
    { header: `${PORTFOLIO_COLUMN_NAME}_PnL_USD`, values: flows.portfolioPnl },
  ];
}

/** `6_rolling_metrics.csv` (SPEC 18.2): the portfolio, then each account, over 63 and 252 dates; empty cells where there is no figure. */
export function rollingMetricsColumns(config: PortfolioConfig, series: RunTotals): CsvColumn[] {
  const levels = [
    { name: PORTFOLIO_COLUMN_NAME, returns: series.portfolioReturns },
    ...config.accounts.map((account, a) => ({ name: account.name, returns: at(series.accountReturns, a) })),
  ];
  return levels.flatMap(({ name, returns }) =>
    ROLLING_WINDOWS.flatMap((window) => {
      const { volatility, sharpe } = rollingFigures(returns, window, config.metrics);
      return [
        { header: `${name}_Rolling_Volatility_${window}`, values: volatility, optional: true },
        { header: `${name}_Rolling_Sharpe_${window}`, values: sharpe, optional: true },
      ];
    }),
  );
}

/** `6_rolling_metrics.csv`'s columns: the rolling figures, then the benchmark's rolling beta when the config names one (SPEC 17). */
export function rollingCsvColumns(config: PortfolioConfig, series: RunTotals, calendar: Int32Array, benchmark: BenchmarkSeries | null): CsvColumn[] {
  return [
    ...rollingMetricsColumns(config, series),
    ...(benchmark === null ? [] : [rollingBetaColumn(series, benchmarkOnCalendar(benchmark.dates, benchmark.returns, calendar))]),
  ];
}

/** SPEC 17: the last column of `6_rolling_metrics.csv` when the config names a benchmark. */
function rollingBetaColumn(series: RunTotals, benchmark: BenchmarkOnCalendar): CsvColumn {
  return {
    header: `${PORTFOLIO_COLUMN_NAME}_Rolling_Beta_${BENCHMARK_BETA_WINDOW}`,
    values: rollingBeta(series.portfolioReturns, benchmark, BENCHMARK_BETA_WINDOW),
    optional: true,
  };
}

/** summary.json in the SPEC's key order; the part-B keys only when part B is in use, part C's optional keys with their setting. */
export function buildSummary(validation: Validation, results: Results): Record<string, unknown> {
  const { partB } = results;
  const { allocation, rebalance, limits, optimizer, scenarios, attribution, benchmark, ...partAConfig } = validation.config;
  const partCConfig = { attribution, ...(benchmark === undefined ? {} : { benchmark }) };
  return {
    checks: results.checks,
    unsizedReturns: results.unsizedReturns,
    wipeouts: results.wipeouts,
    ...(partB === null
      ? {}
      : {
          rebalances: partB.rebalances,
          ...(partB.blockedEntries === undefined ? {} : { blockedEntries: partB.blockedEntries }),
          ...(partB.riskParityFallbacks === undefined ? {} : { riskParityFallbacks: partB.riskParityFallbacks }),
        }),
    warnings: validation.warnings,
    metrics: results.metrics,
    inputs: validation.inputs,
    config:
      partB === null
        ? { ...partAConfig, ...partCConfig }
        : { ...partAConfig, allocation, rebalance, limits, ...(optimizer === undefined ? {} : { optimizer }), scenarios, ...partCConfig },
    asOf: results.asOf,
    attribution: results.attribution,
    ...(results.benchmark === undefined ? {} : { benchmark: results.benchmark }),
    ...(validation.restatements === undefined ? {} : { restatements: validation.restatements }),
  };
}

/** `4_rebalance_log.csv`: a row per sleeve of every rebalance, the first allocation included. */
export function rebalanceLogCsv(config: PortfolioConfig, calendar: Int32Array, ledger: Pick<Ledger, 'rebalances'>): string {
  return `${rebalanceLogRows(config, calendar, ledger).join('\n')}\n`;
}

function rebalanceLogRows(config: PortfolioConfig, calendar: Int32Array, ledger: Pick<Ledger, 'rebalances'>): string[] {
  const header = ['Date', 'Account', 'Strategy', 'Weight_Before', 'Target_Weight', 'Equity_Before', 'Equity_After', 'Cost', 'Trigger'];
  const rows = [header.join(',')];
  for (const rebalance of ledger.rebalances) {
    const date = isoDate(at(calendar, rebalance.day));
    const account = textCell(at(config.accounts, rebalance.account).name);
    for (const move of rebalance.moves) {
      rows.push(
        [
          date,
          account,
          textCell(at(config.strategies, move.strategy).name),
          formatNumber(move.weightBefore),
          formatNumber(move.targetWeight),
          formatNumber(move.equityBefore),
          formatNumber(move.equityAfter),
          formatNumber(move.cost),
          rebalance.trigger,
        ].join(','),
      );
    }
  }
  return rows;
}
