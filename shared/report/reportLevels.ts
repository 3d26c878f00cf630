/**
 * Every level of a report (each strategy, each account, the portfolio) with the columns its
 * charts and tearsheet read: the one place that pairs a name with its series.
 */
import type { Metrics } from '../calc/metrics.js';
import { at } from '../collections.js';
import type { Performance, Results, ScaledData, Validation } from '../pipeline/artifacts.js';
import type { Level } from './reportNames.js';

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

export function reportLevels(validation: Validation, results: Results, { aligned }: ScaledData, performance: Performance): ReportLevel[] {
  const { config } = validation;
  const { ledger } = performance;
  const last = aligned.calendar.length - 1;
  const alerts = config.thresholds.marginUtilizationAlertPct;
  const moved = ledger.rebalances.filter((rebalance) => rebalance.trigger !== 'initial');
  const daysOfAccount = (a: number): number[] => moved.filter((rebalance) => rebalance.account === a).map((rebalance) => rebalance.day);
  const accountIndex = new Map(config.accounts.map((account, a) => [account.name, a]));
  const strategies = config.strategies.map((strategy, s): ReportLevel => {
    const sleeve = at(ledger.sleeves, s);
    const span = at(aligned.series, s);
    return {
      level: 'strategy',
      name: strategy.name,
      first: span.spanStart,
      last: span.spanEnd,
      startingCapital: strategy.allocatedCapital,
      equity: sleeve.equity,
      returns: sleeve.sleeveReturn,
      utilization: sleeve.marginUtilization,
      alertPct: null,
      metrics: results.metrics.strategies[strategy.name] as Metrics,
      account: strategy.account,
      rebalanceDays: daysOfAccount(accountIndex.get(strategy.account) ?? -1),
    };
  });
  const accounts = config.accounts.map(
    (account, a): ReportLevel => ({
      level: 'account',
      name: account.name,
      first: 0,
      last,
      startingCapital: account.startingCapital,
      equity: at(ledger.accounts, a).equity,
      returns: at(performance.accountReturns, a),
      utilization: at(performance.accountUtilization, a),
      alertPct: alerts.account,
      metrics: results.metrics.accounts[account.name] as Metrics,
      rebalanceDays: daysOfAccount(a),
    }),
  );
  const portfolio: ReportLevel = {
    level: 'portfolio',
    name: 'Portfolio',
    first: 0,
    last,
    startingCapital: config.accounts.reduce((sum, account) => sum + account.startingCapital, 0),
    equity: ledger.portfolio.equity,
    returns: performance.portfolioReturns,
    utilization: performance.portfolioUtilization,
    alertPct: alerts.portfolio,
    metrics: results.metrics.portfolio,
    rebalanceDays: [...new Set(moved.map((rebalance) => rebalance.day))],
  };
  return [...strategies, ...accounts, portfolio];
}
