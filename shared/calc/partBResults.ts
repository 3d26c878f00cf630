/**
 * What part B adds to a run's results (SPEC 14): the rule checks, the rebalance summary, the
 * blocked entries, the risk-parity fallbacks, and limits.json for the last date.
 */
import { at } from '#shared/collections.ts';
import type { LimitsConfig } from '#shared/config/partBSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate } from '#shared/dates.ts';
import type { Ledger } from './compound.ts';
import {
  costConservationCheck,
  dailyStopLossCheck,
  drawdownBreachesCheck,
  maxConcentrationCheck,
  maxConcurrentPositionsCheck,
  maxLeverageCheck,
  type CostConservationCheck,
  type DailyStopLossCheck,
  type DrawdownBreachesCheck,
  type MaxConcentrationCheck,
  type MaxConcurrentPositionsCheck,
  type MaxLeverageCheck,
} from './riskRules.ts';

export interface PartBChecks {
  costConservation: CostConservationCheck;
  maxLeverage?: MaxLeverageCheck;
  maxConcurrentPositions?: MaxConcurrentPositionsCheck;
  dailyStopLoss?: DailyStopLossCheck;
  drawdownBreaches?: DrawdownBreachesCheck;
  maxConcentration?: MaxConcentrationCheck;
}

export interface RebalanceSummary {
  count: number;
  totalCost: number;
  byTrigger: { calendar: number; band: number };
  accounts: Record<string, { count: number; totalCost: number }>;
}

export interface LimitsReport {
  date: string;
  equity: number;
  maxExposure: number | null;
  currentExposure: number;
  availableExposure: number | null;
  exposureUtilizationPct: number | null;
  perStrategy: Record<string, { budget: number; used: number; available: number; utilizationPct: number | null }>;
  config: LimitsConfig;
}

export interface PartBResults {
  checks: PartBChecks;
  rebalances: RebalanceSummary;
  blockedEntries?: Record<string, { count: number; dates: string[] }>;
  riskParityFallbacks?: { date: string; account: string; strategies: string[]; maxContributionDeviation: number | null }[];
  limits: LimitsReport;
}

export interface PartBInputs {
  config: PortfolioConfig;
  calendar: Int32Array;
  ledger: Ledger;
  leverage: Float64Array;
}

export function partBResults({ config, calendar, ledger, leverage }: PartBInputs): PartBResults {
  const { limits } = config;
  const names = config.strategies.map((strategy) => strategy.name);
  const startingEquity = config.accounts.reduce((sum, account) => sum + account.startingCapital, 0);
  const equity = ledger.portfolio.equity;
  const checks: PartBChecks = {
    costConservation: costConservationCheck(calendar, ledger.rebalances, config.thresholds.reconciliationToleranceUsd),
  };
  if (limits.maxLeverage !== null) checks.maxLeverage = maxLeverageCheck(calendar, leverage, limits.maxLeverage);
  if (limits.maxConcurrentPositions !== null) {
    checks.maxConcurrentPositions = maxConcurrentPositionsCheck(calendar, names, ledger, limits.maxConcurrentPositions);
  }
  if (limits.dailyStopLossUsd !== null) checks.dailyStopLoss = dailyStopLossCheck(calendar, equity, startingEquity, limits.dailyStopLossUsd);
  if (limits.drawdownBreachUsd !== null) checks.drawdownBreaches = drawdownBreachesCheck(calendar, equity, startingEquity, limits.drawdownBreachUsd);
  if (limits.maxConcentrationPct !== null) checks.maxConcentration = maxConcentrationCheck(calendar, names, ledger, limits.maxConcentrationPct);

  const results: PartBResults = { checks, rebalances: rebalanceSummary(config, ledger), limits: limitsReport(config, calendar, ledger) };
  if (limits.maxConcurrentPositions !== null) {
    results.blockedEntries = Object.fromEntries(
      names.flatMap((name, s) => {
        const days = at(ledger.entries, s).blockedDays;
        return days.length === 0 ? [] : [[name, { count: days.length, dates: days.map((day) => isoDate(at(calendar, day))) }]];
      }),
    );
  }
  if (ledger.riskParityFallbacks.length > 0) {
    results.riskParityFallbacks = ledger.riskParityFallbacks.map((fallback) => ({
      date: isoDate(at(calendar, fallback.day)),
      account: at(config.accounts, fallback.account).name,
      strategies: fallback.strategies.map((s) => at(names, s)),
      maxContributionDeviation: fallback.maxContributionDeviation,
    }));
  }
  return results;
}

/** Rebalances after the first allocation: a calendar trigger counts for every account it moves. */
function rebalanceSummary(config: PortfolioConfig, ledger: Ledger): RebalanceSummary {
  const summary: RebalanceSummary = {
    count: 0,
    totalCost: 0,
    byTrigger: { calendar: 0, band: 0 },
    accounts: Object.fromEntries(config.accounts.map((account) => [account.name, { count: 0, totalCost: 0 }])),
  };
  for (const rebalance of ledger.rebalances) {
    if (rebalance.trigger === 'initial') continue;
    const cost = rebalance.moves.reduce((sum, move) => sum + move.cost, 0);
    const account = summary.accounts[at(config.accounts, rebalance.account).name];
    summary.count += 1;
    summary.totalCost += cost;
    summary.byTrigger[rebalance.trigger] += 1;
    if (account !== undefined) {
      account.count += 1;
      account.totalCost += cost;
    }
  }
  return summary;
}

/** The original position-sizing engine's limits, for the last date. */
function limitsReport(config: PortfolioConfig, calendar: Int32Array, ledger: Ledger): LimitsReport {
  const last = calendar.length - 1;
  const totalAllocated = config.strategies.reduce((sum, strategy) => sum + strategy.allocatedCapital, 0);
  const maxExposure = config.limits.maxLeverage === null ? null : config.limits.maxLeverage * totalAllocated;
  const currentExposure = ledger.portfolio.notional[last] ?? 0;
  return {
    date: isoDate(at(calendar, last)),
    equity: ledger.portfolio.equity[last] ?? 0,
    maxExposure,
    currentExposure,
    availableExposure: maxExposure === null ? null : maxExposure - currentExposure,
    exposureUtilizationPct: maxExposure === null ? null : (currentExposure / maxExposure) * 100,
    perStrategy: Object.fromEntries(
      config.strategies.map((strategy, s) => {
        const budget = ledger.lastDayCapital[s] ?? 0;
        const used = at(ledger.sleeves, s).margin[last] ?? 0;
        return [strategy.name, { budget, used, available: budget - used, utilizationPct: budget === 0 ? null : (used / budget) * 100 }];
      }),
    ),
    config: config.limits,
  };
}
