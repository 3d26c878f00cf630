/**
 * optimizer.json (SPEC 14, with the keys of 18.1 and the deflated Sharpe of 18.3): every step's candidates with their figures, the chosen set, and its
 * metrics in sample and, when `inSampleEnd` is set, out of sample: the honest figure. Both come
 * from one continuous run of the chosen set; out-of-sample drawdowns count from the equity at
 * `inSampleEnd`. The deflated Sharpe says how much of the in-sample Sharpe the number of sets
 * tried explains.
 */
import { at } from '#shared/collections.ts';
import { deflatedSharpe, type DeflatedSharpe } from '#shared/calc/deflatedSharpe.ts';
import { computeMetrics, dailyRiskFreeRate, type Metrics } from '#shared/calc/metrics.ts';
import { centralMoments, type CentralMoments } from '#shared/calc/moments.ts';
import { pnlFromEquity } from '#shared/calc/dailyPnl.ts';
import { returnsFromEquity } from '#shared/calc/performance.ts';
import { dollarDrawdowns } from '#shared/calc/drawdowns.ts';
import { dollarTailRisk, type DollarTailRisk } from '#shared/calc/valueAtRisk.ts';
import type { PortfolioConfig, StrategyConfig } from '#shared/config/schema.ts';
import { isoDate } from '#shared/dates.ts';
import { setEquity, type EvaluationContext } from './evaluateSet.ts';
import type { Constraints, SelectionState, StopReason } from './greedySelection.ts';

export type WindowMetrics = Metrics & DollarTailRisk & { maxDrawdownUsd: number; breachEvents: number | null };

export interface OptimizerJson {
  objective: 'sharpe';
  inSampleEnd: string | null;
  inSample: { first: string; last: string; days: number };
  outOfSample: { first: string; last: string; days: number } | null;
  constraints: Constraints;
  steps: {
    step: number;
    current: string[];
    currentSharpe: number | null;
    candidates: { strategy: string; set: string[]; sharpe: number | null; maxDrawdownUsd: number; breachEvents: number | null; feasible: boolean; failed: string[] }[];
    chosen: string | null;
  }[];
  chosen: string[];
  stopReason: StopReason;
  inSampleMetrics: WindowMetrics | null;
  outOfSampleMetrics: WindowMetrics | null;
  deflatedSharpe: DeflatedSharpe;
}

/** The optimizer's constraints with the defaults of SPEC 14 filled in. */
export function optimizerConstraints(config: PortfolioConfig): Constraints {
  const optimizer = config.optimizer;
  return {
    maxDrawdownUsd: optimizer?.maxDrawdownUsd ?? null,
    maxBreachEvents: optimizer?.maxBreachEvents ?? null,
    drawdownBreachUsd: config.limits.drawdownBreachUsd,
    maxStrategies: optimizer?.maxStrategies ?? config.strategies.length,
  };
}

export function optimizerJson(context: EvaluationContext, state: SelectionState): OptimizerJson {
  const { config, calendar } = context;
  const inSampleEnd = config.optimizer?.inSampleEnd ?? null;
  const isLast = context.lastInSampleDay;
  const end = calendar.length - 1;
  const names = config.strategies.map((strategy) => strategy.name);
  const name = (s: number): string => at(names, s);
  const date = (day: number): string => isoDate(at(calendar, day));

  let inSampleMetrics: WindowMetrics | null = null;
  let outOfSampleMetrics: WindowMetrics | null = null;
  let chosenExcess: CentralMoments | null = null;
  if (state.chosen.length > 0) {
    const equity = setEquity(context, state.chosen, end);
    const returns = returnsFromEquity(equity, context.startingEquity);
    // A window's first P&L is measured from the equity it starts with, as its first return is.
    const pnl = pnlFromEquity(equity, context.startingEquity);
    const breachLimit = config.limits.drawdownBreachUsd;
    const windowMetrics = (first: number, last: number, peakBefore: number): WindowMetrics => {
      const { events, maxDrawdownUsd } = dollarDrawdowns(equity, peakBefore, breachLimit, first, last);
      return {
        ...computeMetrics(returns, { calendar, months: context.months, first, last }, config.metrics),
        ...dollarTailRisk(pnl, first, last),
        maxDrawdownUsd,
        breachEvents: breachLimit === null ? null : events.length,
      };
    };
    inSampleMetrics = windowMetrics(0, isLast, context.startingEquity);
    // The moments of x = R - rf_d, taken as the probabilistic Sharpe of 18.1 takes them.
    const moments = centralMoments(returns, 0, isLast);
    chosenExcess = { ...moments, mean: moments.mean - dailyRiskFreeRate(config.metrics) };
    if (inSampleEnd !== null) outOfSampleMetrics = windowMetrics(isLast + 1, end, equity[isLast] ?? 0);
  }

  return {
    objective: 'sharpe',
    inSampleEnd,
    inSample: { first: date(0), last: date(isLast), days: isLast + 1 },
    outOfSample: inSampleEnd === null ? null : { first: date(isLast + 1), last: date(end), days: end - isLast },
    constraints: state.constraints,
    steps: state.steps.map((step) => ({
      step: step.step,
      current: step.current.map(name),
      currentSharpe: step.currentSharpe,
      candidates: step.candidates.map((candidate) => ({
        strategy: name(candidate.strategy),
        set: candidate.set.map(name),
        sharpe: candidate.sharpe,
        maxDrawdownUsd: candidate.maxDrawdownUsd,
        breachEvents: candidate.breachEvents,
        feasible: candidate.feasible,
        failed: candidate.failed,
      })),
      chosen: step.chosen === null ? null : name(step.chosen),
    })),
    chosen: state.chosen.map(name),
    stopReason: state.stopReason ?? 'allChosen',
    inSampleMetrics,
    outOfSampleMetrics,
    deflatedSharpe: deflatedSharpe(trialSharpes(state), config.metrics.periodsPerYear, chosenExcess),
  };
}

/** Every candidate of every step whose in-sample Sharpe is not null: the trials of SPEC 18.3. */
export function trialSharpes(state: SelectionState): number[] {
  return state.steps.flatMap((step) => step.candidates.flatMap((candidate) => (candidate.sharpe === null ? [] : [candidate.sharpe])));
}

/** The chosen strategies' config, as optimizer.html offers it to paste: in config order. */
export function chosenStrategyConfigs(config: PortfolioConfig, report: OptimizerJson): StrategyConfig[] {
  return config.strategies.filter((strategy) => report.chosen.includes(strategy.name));
}
