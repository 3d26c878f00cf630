/**
 * The block bootstrap of SPEC 20: which source dates each path is made of, and the dates the
 * path's days carry. Path `p` uses draws `p*B .. p*B + B - 1` of one SplitMix64 stream
 * (`B = ceil(horizonDays / blockDays)`); draw `i` starts a block of `blockDays` consecutive
 * source dates, wrapping from the last to the first; the blocks are laid end to end and cut at
 * `horizonDays`. Blocks keep the strategies' days together, so their correlation and volatility
 * clustering survive the resampling.
 */
import { isoWeekday } from '#shared/dates.ts';
import { splitMix64Draws, uniformIndex } from './splitMix64.ts';

export interface BootstrapShape {
  horizonDays: number;
  blockDays: number;
  seed: number;
  /** The number of source dates, `n`. */
  sourceDates: number;
}

/** `B`: the draws (blocks) of one path. */
export function drawsPerPath({ horizonDays, blockDays }: Pick<BootstrapShape, 'horizonDays' | 'blockDays'>): number {
  return Math.ceil(horizonDays / blockDays);
}

/** The source-date index (0-based, into the `n` source dates) of each day of path `path`. */
export function pathSourceDates(shape: BootstrapShape, path: number): Int32Array {
  const { horizonDays, blockDays, seed, sourceDates } = shape;
  const blocks = drawsPerPath(shape);
  const days = new Int32Array(horizonDays);
  splitMix64Draws(seed, path * blocks, blocks).forEach((draw, block) => {
    const start = uniformIndex(draw, sourceDates);
    const end = Math.min(horizonDays, (block + 1) * blockDays);
    for (let day = block * blockDays; day < end; day += 1) days[day] = (start + day - block * blockDays) % sourceDates;
  });
  return days;
}

/** Day numbers of the `horizonDays` Monday-to-Friday dates after `lastDate`: path day `j` is the `j`-th. */
export function pathCalendar(lastDate: number, horizonDays: number): Int32Array {
  const calendar = new Int32Array(horizonDays);
  let date = lastDate;
  for (let day = 0; day < horizonDays; day += 1) {
    do date += 1;
    while (isoWeekday(date) > 4);
    calendar[day] = date;
  }
  return calendar;
}
