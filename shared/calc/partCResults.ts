/**
 * What part C adds to every run's results (SPEC 15, 16, 19.1): the as-of figures of every level
 * (the periods of `T`, drawdown now, dollar drawdowns), the attribution of P&L and risk, and the
 * checks `attributionReconciliation` and `freshness`. Composed from the figures' own files.
 */
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate } from '#shared/dates.ts';
import { asOfPeriods, PERIOD_NAMES, periodWindow, type AsOfPeriods, type PeriodName } from './asOfPeriods.ts';
import type { DailyPnl } from './dailyPnl.ts';
import { drawdownNow } from './drawdownNow.ts';
import { freshnessCheck, type FreshnessCheck } from './freshness.ts';
import { periodFigures, type LevelSeries, type PeriodFigures } from './periodFigures.ts';
import { attributionReconciliationCheck, pnlAttribution, type AttributionReconciliationCheck } from './pnlAttribution.ts';
import { riskAttribution, type StrategyRisk } from './riskAttribution.ts';
import { dollarDrawdowns } from './drawdowns.ts';

export interface LevelAsOf {
  periods: Record<PeriodName, PeriodFigures | null>;
  currentDrawdown: number;
  drawdownStart: string | null;
  daysUnderWater: number;
  maxDrawdownPeriod: { start: string; trough: string; end: string | null; days: number } | null;
  /** Accounts and the portfolio only. */
  currentDrawdownUsd?: number;
  maxDrawdownUsd?: number;
}

export interface AsOf {
  date: string;
  strategies: Record<string, LevelAsOf>;
  accounts: Record<string, LevelAsOf>;
  portfolio: LevelAsOf;
}

export interface PeriodAttribution {
  strategies: Record<string, number>;
  accounts: Record<string, number>;
  costsUsd: number;
  portfolioPnlUsd: number;
  residualUsd: number;
}

export interface WindowRisk {
  first: string;
  last: string;
  days: number;
  portfolioVolatilityUsd: number | null;
  strategies: Record<string, StrategyRisk>;
  costsContribution: number | null;
  diversificationRatio: number | null;
}

export interface Attribution {
  periods: Record<PeriodName, PeriodAttribution | null>;
  risk: { trailing: WindowRisk; inception: WindowRisk };
}

export interface PartCChecks {
  attributionReconciliation: AttributionReconciliationCheck;
  freshness: FreshnessCheck;
}

export interface PartCResults {
  asOf: AsOf;
  attribution: Attribution;
  checks: PartCChecks;
}

export interface PartCInputs {
  config: PortfolioConfig;
  calendar: Int32Array;
  /** Per strategy, the calendar indexes of its own span. */
  spans: readonly { spanStart: number; spanEnd: number }[];
  accountStrategies: readonly (readonly number[])[];
  flows: DailyPnl;
  /** The section-7 returns: each sleeve's `rho`, each account's and the portfolio's from equity. */
  strategyReturns: readonly Float64Array[];
  accountReturns: readonly Float64Array[];
  portfolioReturns: Float64Array;
  accountEquity: readonly Float64Array[];
  portfolioEquity: Float64Array;
}

export function partCResults(inputs: PartCInputs): PartCResults {
  const { config, calendar, spans, flows } = inputs;
  const periods = asOfPeriods(calendar);
  const lastIndex = calendar.length - 1;
  const asOfDay = at(calendar, lastIndex);
  const strategyNames = config.strategies.map((strategy) => strategy.name);
  const accountNames = config.accounts.map((account) => account.name);
  const byName = <T>(names: readonly string[], values: readonly T[]): Record<string, T> =>
    Object.fromEntries(names.map((name, i) => [name, at(values, i)]));
  const startingCapitals = config.accounts.map((account) => account.startingCapital);

  const levelAsOf = (level: LevelSeries, equity?: { values: Float64Array; startingCapital: number }): LevelAsOf => {
    const now = drawdownNow(level.returns, calendar, level.spanStart, level.spanEnd);
    const dateOf = (day: number): string | null => (day === -1 ? null : isoDate(at(calendar, day)));
    const period = now.maxDrawdownPeriod;
    const figures: LevelAsOf = {
      periods: periodFigures(periods, calendar, level),
      currentDrawdown: now.currentDrawdown,
      drawdownStart: dateOf(now.drawdownStart),
      daysUnderWater: now.daysUnderWater,
      maxDrawdownPeriod:
        period === null
          ? null
          : { start: isoDate(at(calendar, period.start)), trough: isoDate(at(calendar, period.trough)), end: dateOf(period.end), days: period.days },
    };
    if (equity === undefined) return figures;
    const dollars = dollarDrawdowns(equity.values, equity.startingCapital, null, 0, lastIndex);
    return { ...figures, currentDrawdownUsd: dollars.lastDrawdownUsd, maxDrawdownUsd: dollars.maxDrawdownUsd };
  };

  const asOf: AsOf = {
    date: isoDate(asOfDay),
    strategies: byName(
      strategyNames,
      spans.map(({ spanStart, spanEnd }, s) =>
        levelAsOf({
          returns: at(inputs.strategyReturns, s),
          pnl: at(flows.strategyPnl, s),
          transfers: at(flows.strategyTransfers, s),
          spanStart,
          spanEnd,
        }),
      ),
    ),
    accounts: byName(
      accountNames,
      config.accounts.map((_, a) =>
        levelAsOf(
          { returns: at(inputs.accountReturns, a), pnl: at(flows.accountPnl, a), spanStart: 0, spanEnd: lastIndex },
          { values: at(inputs.accountEquity, a), startingCapital: at(startingCapitals, a) },
        ),
      ),
    ),
    portfolio: levelAsOf(
      { returns: inputs.portfolioReturns, pnl: flows.portfolioPnl, spanStart: 0, spanEnd: lastIndex },
      { values: inputs.portfolioEquity, startingCapital: startingCapitals.reduce((sum, capital) => sum + capital, 0) },
    ),
  };

  return {
    asOf,
    attribution: {
      periods: periodAttributions(periods, calendar, flows, strategyNames, accountNames),
      risk: {
        trailing: windowRisk(Math.max(0, calendar.length - config.attribution.riskWindowDays)),
        inception: windowRisk(0),
      },
    },
    checks: {
      attributionReconciliation: attributionReconciliationCheck(flows, inputs.accountStrategies, calendar, config.thresholds.reconciliationToleranceUsd),
      // A strategy's span ends on the last date of its file (under `intersection` on T, never before).
      freshness: freshnessCheck(
        strategyNames,
        spans.map(({ spanEnd }) => at(calendar, spanEnd)),
        asOfDay,
        config.thresholds.staleAfterWeekdays,
      ),
    },
  };

  function windowRisk(first: number): WindowRisk {
    const risk = riskAttribution(flows, first, lastIndex, config.metrics.periodsPerYear);
    return {
      first: isoDate(at(calendar, risk.first)),
      last: isoDate(at(calendar, risk.last)),
      days: risk.days,
      portfolioVolatilityUsd: risk.portfolioVolatilityUsd,
      strategies: byName(strategyNames, risk.strategies),
      costsContribution: risk.costsContribution,
      diversificationRatio: risk.diversificationRatio,
    };
  }
}

/** Each period's P&L attribution over the whole calendar's dates in it (1y: null without a year of history). */
function periodAttributions(
  periods: AsOfPeriods,
  calendar: Int32Array,
  flows: DailyPnl,
  strategyNames: readonly string[],
  accountNames: readonly string[],
): Record<PeriodName, PeriodAttribution | null> {
  const attribution = (name: PeriodName): PeriodAttribution | null => {
    const window = periodWindow(periods, name, calendar, 0, calendar.length - 1);
    if (window === null) return null;
    const figures = pnlAttribution(flows, window.first, window.last);
    return {
      strategies: Object.fromEntries(strategyNames.map((strategy, s) => [strategy, at(figures.strategies, s)])),
      accounts: Object.fromEntries(accountNames.map((account, a) => [account, at(figures.accounts, a)])),
      costsUsd: figures.costsUsd,
      portfolioPnlUsd: figures.portfolioPnlUsd,
      residualUsd: figures.residualUsd,
    };
  };
  return Object.fromEntries(PERIOD_NAMES.map((name) => [name, attribution(name)])) as Record<PeriodName, PeriodAttribution | null>;
}
