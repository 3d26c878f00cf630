/**
 * One candidate set of the optimizer: the whole day loop with only that set trading (the others'
 * weights kept as cash), up to the last in-sample date, and the figures the search compares: the
 * portfolio's Sharpe, its largest dollar drawdown and its drawdown breach events.
 */
import { compoundEquity } from '#shared/calc/compound.ts';
import { computeMetrics } from '#shared/calc/metrics.ts';
import { returnsFromEquity } from '#shared/calc/performance.ts';
import { dollarDrawdowns } from '#shared/calc/drawdowns.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { calendarMonths, parseDate } from '#shared/dates.ts';
import { loopInputs, loopSettings, type LoopInputs } from '#shared/model/loopInputs.ts';
import type { ScaledData } from '#shared/model/scaledData.ts';
import type { SetFigures } from './greedySelection.ts';

/** What every evaluation of one run shares: computed once. */
export interface EvaluationContext {
  config: PortfolioConfig;
  calendar: Int32Array;
  months: string[];
  inputs: LoopInputs;
  startingEquity: number;
  /** The calendar index of the last in-sample date (`inSampleLastDay`): sets are compared up to it. */
  lastInSampleDay: number;
}

export function evaluationContext(config: PortfolioConfig, scaledData: ScaledData): EvaluationContext {
  const { calendar } = scaledData.aligned;
  return {
    config,
    calendar,
    months: calendarMonths(calendar),
    inputs: loopInputs(config, scaledData),
    startingEquity: config.accounts.reduce((sum, account) => sum + account.startingCapital, 0),
    lastInSampleDay: inSampleLastDay(calendar, config.optimizer?.inSampleEnd ?? null),
  };
}

/** The calendar index of the last in-sample date: the last date on or before `inSampleEnd` (all dates without one). */
function inSampleLastDay(calendar: Int32Array, inSampleEnd: string | null): number {
  if (inSampleEnd === null) return calendar.length - 1;
  const parsed = parseDate(inSampleEnd, 'YYYY-MM-DD');
  const end = parsed.ok ? parsed.day : Number.POSITIVE_INFINITY;
  let last = -1;
  for (let day = 0; day < calendar.length && (calendar[day] ?? 0) <= end; day += 1) last = day;
  return last;
}

/** The portfolio equity of a set over `0..lastDay`, the set trading and everything else cash. */
export function setEquity(context: EvaluationContext, set: readonly number[], lastDay: number): Float64Array {
  const included = context.config.strategies.map((_, s) => set.includes(s));
  const ledger = compoundEquity(context.inputs.strategies, context.inputs.accounts, context.calendar, {
    ...loopSettings(context.config),
    included,
    days: lastDay + 1,
  });
  return ledger.portfolio.equity;
}

/** A set's figures in sample, the ones the search compares. */
export function evaluateSet(context: EvaluationContext, set: readonly number[]): SetFigures {
  const lastDay = context.lastInSampleDay;
  const equity = setEquity(context, set, lastDay);
  const returns = returnsFromEquity(equity, context.startingEquity);
  const { sharpe } = computeMetrics(returns, { calendar: context.calendar, months: context.months, first: 0, last: lastDay }, context.config.metrics);
  const breachLimit = context.config.limits.drawdownBreachUsd;
  const { events, maxDrawdownUsd } = dollarDrawdowns(equity, context.startingEquity, breachLimit, 0, lastDay);
  return { sharpe, maxDrawdownUsd, breachEvents: breachLimit === null ? null : events.length };
}
