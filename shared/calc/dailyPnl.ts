/**
 * Daily P&L and transfers (SPEC 15.1). A sleeve trades on `t` with `E'_s(t)`: its capital after
 * any rebalance that day (the rebalance log's `Equity_After`), else `E_s(t-1)`. What it earns is
 * its P&L, `E_s(t) - E'_s(t)`; what moves into it is a transfer, `E'_s(t) - E_s(t-1)` (with
 * `E_s(t0-1) = 0`, so the first allocation is a transfer and a cost a sleeve pays is inside
 * its transfer). Accounts and the portfolio earn the change of their equity; costs are what a
 * rebalance leaks, so `pnl_a = sum pnl_s - costs_a` on every date.
 */
import { at } from '#shared/collections.ts';
import { float64Columns } from './columnSlab.ts';
import type { AccountLedger, Ledger, PortfolioLedger, Rebalance, SleeveLedger } from './compound.ts';

export interface DailyPnl {
  /** Per strategy, in config order. */
  strategyPnl: Float64Array[];
  strategyTransfers: Float64Array[];
  /** Per account, in config order. */
  accountPnl: Float64Array[];
  accountCosts: Float64Array[];
  /** Every account's costs of the date. */
  costs: Float64Array;
  portfolioPnl: Float64Array;
}

/** `E'_s(t)`: `E_s(t-1)` (0 before the first date), replaced by `Equity_After` where a rebalance moved the sleeve. */
export function tradedCapital(sleeveEquity: readonly Float64Array[], rebalances: readonly Rebalance[]): Float64Array[] {
  const capital = float64Columns(sleeveEquity.length, sleeveEquity[0]?.length ?? 0);
  sleeveEquity.forEach((equity, s) => at(capital, s).set(equity.subarray(0, equity.length - 1), 1));
  for (const rebalance of rebalances) {
    for (const move of rebalance.moves) at(capital, move.strategy)[rebalance.day] = move.equityAfter;
  }
  return capital;
}

/** `pnl_s(t) = E_s(t) - E'_s(t)`, into `pnl` (the equity's length). */
export function sleevePnl(equity: Float64Array, capital: Float64Array, pnl: Float64Array = new Float64Array(equity.length)): Float64Array {
  for (let day = 0; day < equity.length; day += 1) pnl[day] = (equity[day] ?? 0) - (capital[day] ?? 0);
  return pnl;
}

/** `tr_s(t) = E'_s(t) - E_s(t-1)`, with `E_s(t0-1) = 0`, written over the capital column it reads (one column less per sleeve). */
export function sleeveTransfersInPlace(equity: Float64Array, capital: Float64Array): Float64Array {
  for (let day = 1; day < equity.length; day += 1) capital[day] = (capital[day] ?? 0) - (equity[day - 1] ?? 0);
  return capital;
}

/** `E(t) - E(t-1)` with `E(t0-1)` the starting value: the P&L of an account or the portfolio. */
export function pnlFromEquity(equity: Float64Array, startingValue: number): Float64Array {
  const pnl = new Float64Array(equity.length);
  let previous = startingValue;
  for (let day = 0; day < equity.length; day += 1) {
    const current = equity[day] ?? 0;
    pnl[day] = current - previous;
    previous = current;
  }
  return pnl;
}

/** Per account, the costs of its rebalances on each date (0 without one). */
export function rebalanceCosts(rebalances: readonly Rebalance[], accounts: number, days: number): Float64Array[] {
  const costs = Array.from({ length: accounts }, () => new Float64Array(days));
  for (const rebalance of rebalances) {
    const account = at(costs, rebalance.account);
    for (const move of rebalance.moves) account[rebalance.day] = (account[rebalance.day] ?? 0) + move.cost;
  }
  return costs;
}

/** `sum_i series_i(t)` day by day, in list order. */
export function sumOfSeries(series: readonly Float64Array[], days: number): Float64Array {
  const total = new Float64Array(days);
  for (const values of series) for (let day = 0; day < days; day += 1) total[day] = (total[day] ?? 0) + (values[day] ?? 0);
  return total;
}

/** What the daily P&L is made of: every level's equity and the rebalances (a whole `Ledger` is one). */
export type LedgerEquity = Pick<Ledger, 'rebalances'> & {
  sleeves: readonly Pick<SleeveLedger, 'equity'>[];
  accounts: readonly Pick<AccountLedger, 'equity'>[];
  portfolio: Pick<PortfolioLedger, 'equity'>;
};

/** Every P&L, transfer and cost of the ledger, by date. */
export function dailyPnl(ledger: LedgerEquity, startingCapitals: readonly number[]): DailyPnl {
  const days = ledger.portfolio.equity.length;
  const sleeveEquity = ledger.sleeves.map((sleeve) => sleeve.equity);
  const capital = tradedCapital(sleeveEquity, ledger.rebalances);
  const accountCosts = rebalanceCosts(ledger.rebalances, ledger.accounts.length, days);
  const pnlColumns = float64Columns(sleeveEquity.length, days);
  const strategyPnl = sleeveEquity.map((equity, s) => sleevePnl(equity, at(capital, s), at(pnlColumns, s)));
  return {
    strategyPnl,
    strategyTransfers: sleeveEquity.map((equity, s) => sleeveTransfersInPlace(equity, at(capital, s))),
    accountPnl: ledger.accounts.map((account, a) => pnlFromEquity(account.equity, at(startingCapitals, a))),
    accountCosts,
    costs: sumOfSeries(accountCosts, days),
    portfolioPnl: pnlFromEquity(
      ledger.portfolio.equity,
      startingCapitals.reduce((sum, capital) => sum + capital, 0),
    ),
  };
}
