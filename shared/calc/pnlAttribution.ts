/**
 * Where the money came from (SPEC 16.1): over a run of dates, each strategy's and account's
 * P&L, the rebalance costs, the portfolio's P&L and what is left unexplained; and the check
 * that, on every date, the portfolio's and each account's P&L is its strategies' P&L less costs.
 */
import { at } from '#shared/collections.ts';
import { isoDate } from '#shared/dates.ts';
import { sumOfSeries, type DailyPnl } from './dailyPnl.ts';
import { windowSum } from './moments.ts';
import type { Status } from './reconcile.ts';

export interface PnlAttribution {
  strategies: number[];
  accounts: number[];
  costsUsd: number;
  portfolioPnlUsd: number;
  /** `portfolioPnlUsd - (sum of strategies - costsUsd)`: rounding, unless something leaks. */
  residualUsd: number;
}

export function pnlAttribution(flows: DailyPnl, first: number, last: number): PnlAttribution {
  const strategies = flows.strategyPnl.map((pnl) => windowSum(pnl, first, last));
  const costsUsd = windowSum(flows.costs, first, last);
  const portfolioPnlUsd = windowSum(flows.portfolioPnl, first, last);
  const explained = strategies.reduce((sum, pnl) => sum + pnl, 0) - costsUsd;
  return {
    strategies,
    accounts: flows.accountPnl.map((pnl) => windowSum(pnl, first, last)),
    costsUsd,
    portfolioPnlUsd,
    residualUsd: portfolioPnlUsd - explained,
  };
}

export interface AttributionReconciliationCheck {
  status: Status;
  toleranceUsd: number;
  maxAbsResidualUsd: number;
  /** The first date of the largest residual; null when it is rounding noise (at most 1e-6). */
  date: string | null;
}

/** Below this a residual in dollars is rounding noise (SPEC part C's dollar rule). */
const DOLLAR_NOISE = 1e-6;

/**
 * The largest `|pnl_p - (sum_s pnl_s - costs)|` and `|pnl_a - (sum_{s in a} pnl_s - costs_a)|`
 * over every date and account; fails above the reconciliation tolerance.
 */
export function attributionReconciliationCheck(
  flows: DailyPnl,
  accountStrategies: readonly (readonly number[])[],
  calendar: Int32Array,
  toleranceUsd: number,
): AttributionReconciliationCheck {
  const days = calendar.length;
  let largest = 0;
  let largestDay = -1;
  /** Scans one level's residual `pnl - (strategies - costs)` date by date. */
  const scan = (pnl: Float64Array, strategies: Float64Array, costs: Float64Array): void => {
    for (let day = 0; day < days; day += 1) {
      const residual = Math.abs((pnl[day] ?? 0) - ((strategies[day] ?? 0) - (costs[day] ?? 0)));
      // Earlier dates first, so on a tie the first date is kept.
      if (residual > largest || (residual === largest && day < largestDay)) {
        largest = residual;
        largestDay = day;
      }
    }
  };
  scan(flows.portfolioPnl, sumOfSeries(flows.strategyPnl, days), flows.costs);
  accountStrategies.forEach((members, a) => {
    scan(at(flows.accountPnl, a), sumOfSeries(members.map((s) => at(flows.strategyPnl, s)), days), at(flows.accountCosts, a));
  });
  return {
    status: largest > toleranceUsd ? 'fail' : 'pass',
    toleranceUsd,
    maxAbsResidualUsd: largest,
    date: largest <= DOLLAR_NOISE || largestDay === -1 ? null : isoDate(at(calendar, largestDay)),
  };
}
