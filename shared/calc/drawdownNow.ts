/**
 * Drawdown now (SPEC 15.3): how far a level is under water on its last date `L` and since when,
 * and the dates of its deepest drawdown (start, trough, recovery, length). Read from the
 * section-7 curve over the level's span, so a strategy's "now" is the last date of its file.
 */
import { drawdownSeries, underWater } from './drawdowns.ts';
import { ZERO_TOLERANCE } from '#shared/numbers.ts';

export interface DrawdownNow {
  /** `C(L) / max C - 1`; 0 when `L` is not under water. */
  currentDrawdown: number;
  /** Calendar index of the first date of the run under water that ends at `L`; -1 when none. */
  drawdownStart: number;
  /** Calendar days from `drawdownStart` to `L`, both counted; 0 without one. */
  daysUnderWater: number;
  /** The run under water that holds the deepest point; null when never under water. */
  maxDrawdownPeriod: DrawdownRun | null;
}

export interface DrawdownRun {
  /** Calendar indexes: the run's first date, its deepest date, the first date after it (-1: not recovered by `L`). */
  start: number;
  trough: number;
  end: number;
  /** Calendar days from `start` to the run's last date, both counted. */
  days: number;
}

export function drawdownNow(returns: Float64Array, calendar: Int32Array, first: number, last: number): DrawdownNow {
  const series = drawdownSeries(returns, first, last);
  const length = series.length;
  const dayOf = (offset: number): number => calendar[first + offset] ?? 0;
  /** The first offset of the run under water that holds `offset`. */
  const runStart = (offset: number): number => {
    let start = offset;
    while (start > 0 && underWater(series[start - 1] ?? 0)) start -= 1;
    return start;
  };

  let deepest = 0;
  for (let offset = 0; offset < length; offset += 1) deepest = Math.min(deepest, series[offset] ?? 0);
  // The deepest point is the first date under water within the noise tolerance of the minimum.
  let trough = -1;
  for (let offset = 0; offset < length && trough === -1; offset += 1) {
    const drawdown = series[offset] ?? 0;
    if (underWater(drawdown) && drawdown - deepest <= ZERO_TOLERANCE) trough = offset;
  }
  let maxDrawdownPeriod: DrawdownRun | null = null;
  if (trough !== -1) {
    let runLast = trough;
    while (runLast + 1 < length && underWater(series[runLast + 1] ?? 0)) runLast += 1;
    const start = runStart(trough);
    maxDrawdownPeriod = {
      start: first + start,
      trough: first + trough,
      end: runLast + 1 < length ? first + runLast + 1 : -1,
      days: dayOf(runLast) - dayOf(start) + 1,
    };
  }

  const now = series[length - 1] ?? 0;
  if (length === 0 || !underWater(now)) return { currentDrawdown: 0, drawdownStart: -1, daysUnderWater: 0, maxDrawdownPeriod };
  const start = runStart(length - 1);
  return { currentDrawdown: now, drawdownStart: first + start, daysUnderWater: dayOf(length - 1) - dayOf(start) + 1, maxDrawdownPeriod };
}
