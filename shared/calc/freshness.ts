/**
 * Freshness of the track records (SPEC 19.1): how many weekdays each strategy's file is behind
 * the as-of date `T`, and whether that is more than `staleAfterWeekdays` (null: the check is
 * off). Holidays count as weekdays: a file that skips a holiday is one day behind on it.
 */
import { isoDate, isoWeekday } from '#shared/dates.ts';
import type { Status } from './reconcile.ts';

/** A Monday: 1970-01-05. */
const A_MONDAY = 4;

/** Monday-to-Friday dates from the week of 1970-01-05 up to and including `day` (negative before it). */
function weekdaysUpTo(day: number): number {
  const weekday = isoWeekday(day);
  const weeks = (day - weekday - A_MONDAY) / 7;
  return weeks * 5 + Math.min(weekday + 1, 5);
}

/** The Monday-to-Friday dates `d` with `after < d <= upTo`. */
export function weekdaysBetween(after: number, upTo: number): number {
  return upTo <= after ? 0 : weekdaysUpTo(upTo) - weekdaysUpTo(after);
}

export interface FreshnessCheck {
  status: Status;
  staleAfterWeekdays: number | null;
  asOf: string;
  strategies: Record<string, { lastDate: string; weekdaysBehind: number; stale: boolean }>;
}

/** Every strategy whose file ends one weekday or more before `T`; fails when one is stale. */
export function freshnessCheck(names: readonly string[], lastDates: readonly number[], asOf: number, staleAfterWeekdays: number | null): FreshnessCheck {
  const strategies: FreshnessCheck['strategies'] = {};
  let stale = false;
  if (staleAfterWeekdays !== null) {
    names.forEach((name, s) => {
      const lastDate = lastDates[s] ?? asOf;
      const weekdaysBehind = weekdaysBetween(lastDate, asOf);
      if (weekdaysBehind === 0) return;
      const isStale = weekdaysBehind > staleAfterWeekdays;
      stale ||= isStale;
      strategies[name] = { lastDate: isoDate(lastDate), weekdaysBehind, stale: isStale };
    });
  }
  return { status: stale ? 'fail' : 'pass', staleAfterWeekdays, asOf: isoDate(asOf), strategies };
}
