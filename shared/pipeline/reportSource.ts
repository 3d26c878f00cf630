/**
 * What the chart and page stages read (SPEC 6), chunk by chunk: every level of the report (each
 * strategy, each account, the portfolio) in config order, cut into chunks of `LEVELS_PER_CHUNK`
 * levels that a Map fans out. A chunk reads the run's small JSON artifacts and, from the column
 * bundles, only the columns of its own levels, so its memory does not grow with the portfolio.
 */
import type { Metrics } from '#shared/calc/metrics.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { ReportLevel } from '#shared/report/reportLevels.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import type { Results } from '#shared/model/results.ts';
import type { LedgerMeta } from '#shared/model/runSeries.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, readJson } from './artifacts.ts';
import { readBundleColumns, readBundleLayout } from './columnBundle.ts';

/** Levels per Map item of the chart and page stages: 2,000 strategies make 21 items. */
export const LEVELS_PER_CHUNK = 100;

export function levelCount(config: PortfolioConfig): number {
  return config.strategies.length + config.accounts.length + 1;
}

export function chunkCount(config: PortfolioConfig): number {
  return Math.ceil(levelCount(config) / LEVELS_PER_CHUNK);
}

/** The level indexes `[from, to)` of a chunk. */
export function chunkLevels(config: PortfolioConfig, chunk: number): { from: number; to: number } {
  const from = chunk * LEVELS_PER_CHUNK;
  if (!Number.isInteger(chunk) || chunk < 0 || from >= levelCount(config)) throw new Error(`chunk ${chunk} is not a chunk of this report (${chunkCount(config)} chunks)`);
  return { from, to: Math.min(levelCount(config), from + LEVELS_PER_CHUNK) };
}

/** The chunks as the items of a Distributed Map, written beside the run's other artifacts. */
export function chunkItemsKey(workPrefix: string): string {
  return joinKey(workPrefix, 'report-chunks.json');
}

/** The ledger column a level's series is stored under (see `streamRunSeries`). */
export const ledgerColumns = {
  sleeve: (s: number, series: 'equity' | 'sleeveReturn' | 'marginUtilization'): string => `sleeve${s}.${series}`,
  account: (a: number, series: 'equity' | 'returns' | 'utilization' | 'cash'): string => `account${a}.${series}`,
  portfolio: (series: 'equity' | 'returns' | 'utilization'): string => `portfolio.${series}`,
};

/** The ledger columns of the level at `index`: its equity, daily returns and margin utilization. */
export function levelColumns(config: PortfolioConfig, index: number): string[] {
  const strategies = config.strategies.length;
  if (index < strategies) return [ledgerColumns.sleeve(index, 'equity'), ledgerColumns.sleeve(index, 'sleeveReturn'), ledgerColumns.sleeve(index, 'marginUtilization')];
  const a = index - strategies;
  if (a < config.accounts.length) return [ledgerColumns.account(a, 'equity'), ledgerColumns.account(a, 'returns'), ledgerColumns.account(a, 'utilization')];
  return [ledgerColumns.portfolio('equity'), ledgerColumns.portfolio('returns'), ledgerColumns.portfolio('utilization')];
}

export interface ReportSource {
  validation: Validation;
  results: Results;
  calendar: Int32Array;
  spans: { spanStart: number; spanEnd: number }[];
  ledger: LedgerMeta;
  /** A ledger column this source was read with; any other is a defect of the caller. */
  column(name: string): Float64Array;
}

/** The run's JSON artifacts, the calendar and spans, and the named ledger columns. */
export async function readReportSource(storage: Storage, workPrefix: string, columns: Iterable<string>): Promise<ReportSource> {
  const ranged = (key: string) => (start: number, end: number) => storage.getRange(key, start, end);
  const scaledKey = artifactKey(workPrefix, 'scaled');
  const ledgerKey = artifactKey(workPrefix, 'ledger');
  const scaledLayout = await readBundleLayout<{ spanStart: number; spanEnd: number }[]>(ranged(scaledKey));
  const calendar = (await readBundleColumns(ranged(scaledKey), scaledLayout, ['calendar'])).columns.get('calendar') as Int32Array;
  const ledgerLayout = await readBundleLayout<LedgerMeta>(ranged(ledgerKey));
  const read = (await readBundleColumns(ranged(ledgerKey), ledgerLayout, columns)).columns;
  return {
    validation: await readJson<Validation>(storage, artifactKey(workPrefix, 'validation')),
    results: await readJson<Results>(storage, artifactKey(workPrefix, 'results')),
    calendar,
    spans: scaledLayout.meta,
    ledger: ledgerLayout.meta,
    column(name) {
      const found = read.get(name);
      if (found === undefined) throw new Error(`the ledger column ${name} was not read for this part of the report`);
      return found as Float64Array;
    },
  };
}

/** The level at `index` (strategies in config order, then accounts, then the portfolio), from the columns it was read with. */
export function reportLevel(source: ReportSource, index: number): ReportLevel {
  const { config } = source.validation;
  const [equity, returns, utilization] = levelColumns(config, index).map((name) => source.column(name)) as [Float64Array, Float64Array, Float64Array];
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
