/**
 * The run's series (SPEC 4, 15.1): the day loop's ledger with the derived columns of accounts and
 * the portfolio (returns, margin utilization, leverage), the daily P&L read from it, and the name
 * each column is stored under, for the stage that writes them and the report that reads a few.
 */
import type { AccountLedger, Ledger, SleeveLedger } from '#shared/calc/compound.ts';
import { dailyPnl, type DailyPnl, type LedgerEquity } from '#shared/calc/dailyPnl.ts';
import { percentOf, ratioTo, returnsFromEquity } from '#shared/calc/performance.ts';
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';

export interface RunSeries {
  ledger: Ledger;
  accountReturns: Float64Array[];
  accountUtilization: Float64Array[];
  portfolioReturns: Float64Array;
  portfolioUtilization: Float64Array;
  leverage: Float64Array;
}

/**
 * The run's series but a sleeve's equity alone of its columns: what the report's files other
 * than the master file show (accounts, the portfolio, the daily P&L, the rolling figures), so the
 * stage that writes them need not hold every sleeve's columns (a whole `RunSeries` is one).
 */
export type RunTotals = Omit<RunSeries, 'ledger'> & {
  ledger: Omit<Ledger, 'sleeves'> & { sleeves: Pick<SleeveLedger, 'equity'>[] };
};

/** The ledger's figures that are not columns. */
export type LedgerMeta = Pick<Ledger, 'rebalances' | 'entries' | 'maxConcurrent' | 'riskParityFallbacks' | 'lastDayCapital'> & {
  wipeoutDays: number[];
  accounts: number;
};

export function runSeries(config: PortfolioConfig, ledger: Ledger): RunSeries {
  const totalAllocated = config.strategies.reduce((sum, strategy) => sum + strategy.allocatedCapital, 0);
  const totalStarting = config.accounts.reduce((sum, account) => sum + account.startingCapital, 0);
  return {
    ledger,
    accountReturns: config.accounts.map((account, a) => returnsFromEquity(at(ledger.accounts, a).equity, account.startingCapital)),
    accountUtilization: config.accounts.map((account, a) => percentOf(at(ledger.accounts, a).marginUsed, account.startingCapital)),
    portfolioReturns: returnsFromEquity(ledger.portfolio.equity, totalStarting),
    portfolioUtilization: percentOf(ledger.portfolio.marginUsed, totalAllocated),
    leverage: ratioTo(ledger.portfolio.notional, totalAllocated),
  };
}

/** The daily P&L, transfers and costs of a run's ledger (SPEC 15.1). */
export function dailyPnlOf(config: PortfolioConfig, ledger: LedgerEquity): DailyPnl {
  return dailyPnl(ledger, config.accounts.map((account) => account.startingCapital));
}

/** A sleeve's stored columns. */
export type SleeveColumn = Exclude<keyof SleeveLedger, 'wipeoutDay'>;
/** An account's stored columns: its ledger's and its derived returns and utilization. */
export type AccountColumn = keyof AccountLedger | 'returns' | 'utilization';
/** The portfolio's stored columns. */
export type PortfolioColumn = keyof Ledger['portfolio'] | 'returns' | 'utilization' | 'leverage';

/** The name each series of a run is stored and read under. */
export const runSeriesColumns = {
  sleeve: (s: number, series: SleeveColumn): string => `sleeve${s}.${series}`,
  account: (a: number, series: AccountColumn): string => `account${a}.${series}`,
  portfolio: (series: PortfolioColumn): string => `portfolio.${series}`,
};
