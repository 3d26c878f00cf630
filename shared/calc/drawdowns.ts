/**
 * The drawdowns of a return series, as a tearsheet lists them: each spell under water from its
 * first date to its last, with the deepest point. The curve starts at 1 before the first date,
 * so a loss on the first day is a drawdown (SPEC 7's convention).
 */
import { ZERO_TOLERANCE } from '#shared/numbers.ts';

export interface Drawdown {
  /** Calendar indexes: the first date under water, the lowest point, the last date under water. */
  start: number;
  valley: number;
  end: number;
  /** Calendar days from start to end, both counted. */
  days: number;
  /** The deepest `C / peak - 1` of the spell (a fraction <= 0). */
  depth: number;
  /** Whether the curve regained its peak after the spell (false: still under water at the end). */
  recovered: boolean;
}

/**
 * `C / runningMax(C) - 1` on each date of `returns[first..last]` (index 0 is `first`), where `C`
 * is 1 followed by the growth of 1: the running-peak scan every drawdown figure reads.
 */
export function drawdownSeries(returns: Float64Array, first: number, last: number): Float64Array {
  const series = new Float64Array(Math.max(0, last - first + 1));
  let growth = 1;
  let peak = 1;
  for (let day = first; day <= last; day += 1) {
    growth *= 1 + (returns[day] ?? 0);
    peak = Math.max(peak, growth);
    series[day - first] = growth / peak - 1;
  }
  return series;
}

/** Whether a drawdown is below the noise tolerance: the date is under water. */
export function underWater(drawdown: number): boolean {
  return drawdown < -ZERO_TOLERANCE;
}

/** Every drawdown of `returns[first..last]`, in date order. */
export function drawdownPeriods(returns: Float64Array, calendar: Int32Array, first: number, last: number): Drawdown[] {
  const periods: Drawdown[] = [];
  const series = drawdownSeries(returns, first, last);
  let current: Drawdown | null = null;
  for (let day = first; day <= last; day += 1) {
    const drawdown = series[day - first] ?? 0;
    if (underWater(drawdown)) {
      if (current === null) current = { start: day, valley: day, end: day, days: 1, depth: drawdown, recovered: false };
      current.end = day;
      current.days = (calendar[day] ?? 0) - (calendar[current.start] ?? 0) + 1;
      if (drawdown < current.depth) {
        current.depth = drawdown;
        current.valley = day;
      }
    } else if (current !== null) {
      periods.push({ ...current, recovered: true });
      current = null;
    }
  }
  if (current !== null) periods.push(current);
  return periods;
}

/** The `count` deepest drawdowns, deepest first (earlier first on ties). */
export function worstDrawdowns(periods: readonly Drawdown[], count: number): Drawdown[] {
  return [...periods].sort((a, b) => a.depth - b.depth || a.start - b.start).slice(0, count);
}
