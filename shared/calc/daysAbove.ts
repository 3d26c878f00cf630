/**
 * The scan behind every "how often above its limit" check: the days on which a daily series is
 * strictly above a limit, the first of them, and the highest value over all days with the first
 * date it was reached (SPEC 5.1-5.2 reconciliation differences, 5.5 margin utilization, 12.1
 * leverage). A value that is not a number counts as above (`exceeds`), so it is never hidden.
 */
import { exceeds } from '#shared/numbers.ts';

export interface DaysAbove {
  days: number;
  /** Index of the first day above the limit; -1 when none. */
  first: number;
  /** Index of the highest value (earliest on ties); 0 for an empty series. */
  worst: number;
}

export function daysAbove(values: Float64Array, limit: number): DaysAbove {
  let days = 0;
  let first = -1;
  let worst = 0;
  for (let day = 0; day < values.length; day += 1) {
    const value = values[day] ?? 0;
    if (exceeds(value, limit)) {
      days += 1;
      if (first === -1) first = day;
    }
    if (exceeds(value, values[worst] ?? 0)) worst = day;
  }
  return { days, first, worst };
}
