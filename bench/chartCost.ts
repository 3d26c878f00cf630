/**
 * What a strategy's chart costs as its track record grows (issue 14: one strategy of 1,000,000
 * rows charts at most 2x what one of 2,600 does): the equity-over-utilization figure a strategy
 * gets, drawn in this process from a seeded random walk of each length, alternating, and the
 * process CPU (user + sys, every thread) of each. A benchmark prints figures; it asserts nothing.
 */
import { PERIOD_NAMES } from '#shared/calc/asOfPeriods.ts';
import type { LevelAsOf } from '#shared/calc/partCResults.ts';
import { dayNumber, isoWeekday } from '#shared/dates.ts';
import { equityFigure } from '#shared/report/charts/figures.ts';

export const CHART_COST_ROWS = { small: 2_600, large: 1_000_000 } as const;

export interface ChartCost {
  smallRows: number;
  largeRows: number;
  /** Median CPU milliseconds of one chart of each. */
  smallMs: number;
  largeMs: number;
  /** largeMs / smallMs: the target is at most 2. */
  ratio: number;
}

const NO_FIGURES: LevelAsOf = { periods: Object.fromEntries(PERIOD_NAMES.map((name) => [name, null])) as LevelAsOf['periods'], currentDrawdown: 0, drawdownStart: null, daysUnderWater: 0, maxDrawdownPeriod: null };

/**
 * Weekdays from 1990-01-01 on, an equity of the same shape at any length (three swings of 30 %
 * around $1M with daily noise, so both charts have a linear axis of a few ticks) and a margin
 * utilization; the noise is a linear congruential sequence, the same every run.
 */
function strategySeries(rows: number): { calendar: Int32Array; equity: Float64Array; utilization: Float64Array } {
  const calendar = new Int32Array(rows);
  const equity = new Float64Array(rows);
  const utilization = new Float64Array(rows);
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  let day = dayNumber(1990, 1, 1);
  for (let row = 0; row < rows; row += 1) {
    while (isoWeekday(day) >= 5) day += 1;
    calendar[row] = day;
    equity[row] = 1_000_000 * (1 + 0.3 * Math.sin((6 * Math.PI * row) / rows) + 0.02 * (next() - 0.5));
    utilization[row] = 20 + next() * 40;
    day += 1;
  }
  return { calendar, equity, utilization };
}

function chartOf(series: ReturnType<typeof strategySeries>): Uint8Array {
  const { calendar, equity, utilization } = series;
  return equityFigure({
    title: 'Strategy bench',
    window: { calendar, first: 0, last: calendar.length - 1 },
    equity,
    utilization,
    alertPct: null,
    startingCapital: 1_000_000,
    maxDrawdown: 0,
    asOf: NO_FIGURES,
  });
}

function cpuMs(draw: () => void): number {
  const before = process.cpuUsage();
  draw();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const medianOf = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** `repeats` charts of each size, alternating after one warm-up of each, so both see the same machine. */
export function chartCost(repeats = 5): ChartCost {
  const small = strategySeries(CHART_COST_ROWS.small);
  const large = strategySeries(CHART_COST_ROWS.large);
  chartOf(small);
  chartOf(large);
  const smallSamples: number[] = [];
  const largeSamples: number[] = [];
  for (let r = 0; r < repeats; r += 1) {
    smallSamples.push(cpuMs(() => chartOf(small)));
    largeSamples.push(cpuMs(() => chartOf(large)));
  }
  const smallMs = medianOf(smallSamples);
  const largeMs = medianOf(largeSamples);
  return { smallRows: CHART_COST_ROWS.small, largeRows: CHART_COST_ROWS.large, smallMs, largeMs, ratio: largeMs / smallMs };
}

/** The figure as the benchmark prints it. */
export function chartCostLine(cost: ChartCost): string {
  const rows = (value: number): string => value.toLocaleString('en-US');
  return `Chart of one strategy, CPU per chart (same run): ${rows(cost.largeRows)} rows ${cost.largeMs.toFixed(1)} ms, ${rows(cost.smallRows)} rows ${cost.smallMs.toFixed(1)} ms; ratio ${cost.ratio.toFixed(2)}x (target <= 2x)`;
}
