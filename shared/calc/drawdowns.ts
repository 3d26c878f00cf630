/**
 * The drawdowns of a return series, as a tearsheet lists them: each spell under water from its
 * first date to its last, with the deepest point. The curve starts at 1 before the first date,
 * so a loss on the first day is a drawdown (SPEC 7's convention).
 */
import { ZERO_TOLERANCE } from '../numbers.js';

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

/** Every drawdown of `returns[first..last]`, in date order. */
export function drawdownPeriods(returns: Float64Array, calendar: Int32Array, first: number, last: number): Drawdown[] {
  const periods: Drawdown[] = [];
  let growth = 1;
  let peak = 1;
  let current: Drawdown | null = null;
  for (let day = first; day <= last; day += 1) {
    growth *= 1 + (returns[day] ?? 0);
    peak = Math.max(peak, growth);
    const drawdown = growth / peak - 1;
    if (drawdown < -ZERO_TOLERANCE) {
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
