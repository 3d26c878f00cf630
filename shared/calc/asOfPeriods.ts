/**
 * The periods of the as-of date `T` (SPEC 15.2): the last day, week, month, quarter and year to
 * date, the trailing year and since inception. Each is a run of calendar dates ending at `T`,
 * so it is named by its first calendar index; a level (a strategy's span, or the whole calendar)
 * counts only its own dates in it.
 */
import { civilDate, dayNumber, isoWeekday } from '#shared/dates.ts';

export const PERIOD_NAMES = ['day', 'wtd', 'mtd', 'qtd', 'ytd', '1y', 'inception'] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

export interface AsOfPeriods {
  /** The first calendar index of each period (the calendar's length when no date falls in it). */
  starts: Record<PeriodName, number>;
  /** `T` minus one year (29 Feb -> 28 Feb): a level whose first date is after it has no `1y`. */
  yearBefore: number;
}

/** The same month and day a year earlier; 29 February becomes 28 February. */
export function oneYearBefore(day: number): number {
  const { year, month, day: dayOfMonth } = civilDate(day);
  return dayNumber(year - 1, month, month === 2 && dayOfMonth === 29 ? 28 : dayOfMonth);
}

/** The first day of each period of `T`, as day numbers (`1y` starts the day after `T` minus one year). */
function firstDays(asOf: number): Record<PeriodName, number> {
  const { year, month } = civilDate(asOf);
  return {
    day: asOf,
    wtd: asOf - isoWeekday(asOf),
    mtd: dayNumber(year, month, 1),
    qtd: dayNumber(year, month - ((month - 1) % 3), 1),
    ytd: dayNumber(year, 1, 1),
    '1y': oneYearBefore(asOf) + 1,
    inception: Number.NEGATIVE_INFINITY,
  };
}

/** The index of the first calendar date on or after `day`. */
function firstIndexFrom(calendar: Int32Array, day: number): number {
  let low = 0;
  let high = calendar.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((calendar[middle] ?? 0) < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The periods of the calendar's last date. */
export function asOfPeriods(calendar: Int32Array): AsOfPeriods {
  const asOf = calendar[calendar.length - 1] ?? 0;
  const days = firstDays(asOf);
  const starts = Object.fromEntries(PERIOD_NAMES.map((name) => [name, firstIndexFrom(calendar, days[name])])) as Record<PeriodName, number>;
  return { starts, yearBefore: oneYearBefore(asOf) };
}

/**
 * The dates of a period that a level counts, as calendar indexes `first..last`: those of its
 * span from the period's start; null when it has none, and for `1y` also when the level's first
 * date is after `T` minus one year (less than a year of history is never shown as a year).
 */
export function periodWindow(
  periods: AsOfPeriods,
  name: PeriodName,
  calendar: Int32Array,
  spanStart: number,
  spanEnd: number,
): { first: number; last: number } | null {
  const first = Math.max(periods.starts[name], spanStart);
  if (first > spanEnd) return null;
  if (name === '1y' && (calendar[spanStart] ?? 0) > periods.yearBefore) return null;
  return { first, last: spanEnd };
}
