/**
 * Drawdown now (SPEC 15.3): how far a level is under water on its last date `L` and since when,
 * and the dates of its deepest drawdown (start, trough, recovery, length). Read from the
 * section-7 curve over the level's span, so a strategy's "now" is the last date of its file.
 */
import { ZERO_TOLERANCE } from '#shared/numbers.ts';
import { deepestDrawdown, drawdownSeries, underWater, underWaterSpells } from './drawdowns.ts';

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
  const spells = underWaterSpells(series, calendar, first);
  const offset = troughOffset(series);
  const trough = first + offset;
  const deepestSpell = offset === -1 ? undefined : spells.find((spell) => spell.start <= trough && trough <= spell.end);
  const maxDrawdownPeriod =
    deepestSpell === undefined ? null : { start: deepestSpell.start, trough, end: deepestSpell.recovered ? deepestSpell.end + 1 : -1, days: deepestSpell.days };
  // The last spell reaches `L` unless the curve recovered after it.
  const now = spells.at(-1);
  if (now === undefined || now.recovered) return { currentDrawdown: 0, drawdownStart: -1, daysUnderWater: 0, maxDrawdownPeriod };
  return { currentDrawdown: series[series.length - 1] ?? 0, drawdownStart: now.start, daysUnderWater: now.days, maxDrawdownPeriod };
}

/** The deepest point: the first date under water within the noise tolerance of the minimum; -1 when never under water. */
function troughOffset(series: Float64Array): number {
  const deepest = deepestDrawdown(series);
  for (let offset = 0; offset < series.length; offset += 1) {
    const drawdown = series[offset] ?? 0;
    if (underWater(drawdown) && drawdown - deepest <= ZERO_TOLERANCE) return offset;
  }
  return -1;
}
