/**
 * A level's figures for each period of `T` (SPEC 15.2): its dates in the period, the
 * time-weighted return `prod(1 + R) - 1`, the dollars it earned (the sum of its daily P&L) and,
 * for a strategy, the capital moved into it (the transfers of every calendar date of the
 * period, even those outside its span). P&L and return side by side: once capital moves,
 * final over starting equity is not a return.
 */
import { isoDate } from '#shared/dates.ts';
import { PERIOD_NAMES, periodWindow, type AsOfPeriods, type PeriodName } from './asOfPeriods.ts';
import { windowSum } from './moments.ts';

export interface PeriodFigures {
  first: string;
  last: string;
  days: number;
  return: number;
  pnlUsd: number;
  transfersUsd?: number;
}

export interface LevelSeries {
  /** The section-7 returns and the 15.1 P&L of the level, by calendar index. */
  returns: Float64Array;
  pnl: Float64Array;
  /** A strategy's transfers; absent for accounts and the portfolio. */
  transfers?: Float64Array;
  spanStart: number;
  spanEnd: number;
}

/** `prod(1 + R) - 1` over `returns[first..last]`, in date order. */
export function compoundReturn(returns: Float64Array, first: number, last: number): number {
  let growth = 1;
  for (let day = first; day <= last; day += 1) growth *= 1 + (returns[day] ?? 0);
  return growth - 1;
}

export function periodFigures(periods: AsOfPeriods, calendar: Int32Array, level: LevelSeries): Record<PeriodName, PeriodFigures | null> {
  const lastIndex = calendar.length - 1;
  const figures = (name: PeriodName): PeriodFigures | null => {
    const window = periodWindow(periods, name, calendar, level.spanStart, level.spanEnd);
    if (window === null) return null;
    const { first, last } = window;
    return {
      first: isoDate(calendar[first] ?? 0),
      last: isoDate(calendar[last] ?? 0),
      days: last - first + 1,
      return: compoundReturn(level.returns, first, last),
      pnlUsd: windowSum(level.pnl, first, last),
      ...(level.transfers === undefined ? {} : { transfersUsd: windowSum(level.transfers, periods.starts[name], lastIndex) }),
    };
  };
  return Object.fromEntries(PERIOD_NAMES.map((name) => [name, figures(name)])) as Record<PeriodName, PeriodFigures | null>;
}
