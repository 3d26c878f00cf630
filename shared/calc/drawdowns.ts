/**
 * Every running-peak scan, once. The section-7 curve `C` (1 before the first date, then the
 * growth of 1, so a loss on the first day is a drawdown) under water as a fraction of its peak
 * (SPEC 7 `maxDrawdown`, `longestDrawdownDays`; 15.3; the tearsheet's spells; the drawdown chart),
 * and an equity curve under water in dollars from a peak that counts a starting value (SPEC 12.4,
 * 15.3 `...Usd`, the optimizer's and the bootstrap's dollar drawdowns).
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

/** The lowest value of a drawdown series, 0 when it is empty (the start is a peak). */
export function deepestDrawdown(series: Float64Array): number {
  let deepest = 0;
  for (let offset = 0; offset < series.length; offset += 1) deepest = Math.min(deepest, series[offset] ?? 0);
  return deepest;
}

/** Every spell under water of a drawdown series whose index 0 is calendar index `first`, in date order. */
export function underWaterSpells(series: Float64Array, calendar: Int32Array, first: number): Drawdown[] {
  const periods: Drawdown[] = [];
  let current: Drawdown | null = null;
  for (let offset = 0; offset < series.length; offset += 1) {
    const day = first + offset;
    const drawdown = series[offset] ?? 0;
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

/** Every drawdown of `returns[first..last]`, in date order. */
export function drawdownPeriods(returns: Float64Array, calendar: Int32Array, first: number, last: number): Drawdown[] {
  return underWaterSpells(drawdownSeries(returns, first, last), calendar, first);
}

/** The `count` deepest drawdowns, deepest first (earlier first on ties). */
export function worstDrawdowns(periods: readonly Drawdown[], count: number): Drawdown[] {
  return [...periods].sort((a, b) => a.depth - b.depth || a.start - b.start).slice(0, count);
}

/** The most calendar days of one spell under water, 0 without one. */
export function longestDrawdownDays(periods: readonly Drawdown[]): number {
  let longest = 0;
  for (const period of periods) longest = Math.max(longest, period.days);
  return longest;
}

/**
 * Dollar drawdowns of `equity[first..last]` with `DD(t) = E(t) - max(E up to t, peakBefore)`:
 * the largest `-DD` and its first date, `-DD` on the last date, and (with a limit) the dates
 * where DD reaches -limit after a date (or the start) above it.
 */
export function dollarDrawdowns(
  equity: Float64Array,
  peakBefore: number,
  limitUsd: number | null,
  first: number,
  last: number,
): { events: number[]; maxDrawdownUsd: number; maxDrawdownDay: number; lastDrawdownUsd: number } {
  const events: number[] = [];
  let peak = peakBefore;
  let maxDrawdownUsd = 0;
  let maxDrawdownDay = -1;
  let lastDrawdownUsd = 0;
  let breached = false;
  for (let day = first; day <= last; day += 1) {
    const value = equity[day] ?? 0;
    peak = Math.max(peak, value);
    const drawdown = value - peak;
    lastDrawdownUsd = -drawdown;
    if (-drawdown > maxDrawdownUsd) {
      maxDrawdownUsd = -drawdown;
      maxDrawdownDay = day;
    }
    if (limitUsd !== null) {
      const below = !(drawdown > -limitUsd);
      if (below && !breached) events.push(day);
      breached = below;
    }
  }
  return { events, maxDrawdownUsd, maxDrawdownDay, lastDrawdownUsd };
}
