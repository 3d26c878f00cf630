/**
 * Performance metrics of a daily return series (SPEC 7, with the distribution and tail figures
 * of 18.1). Calendar time for years, as bt and ffn count it; a magnitude of at most 1e-12 counts
 * as zero wherever a rule tests for zero, sign or equality, so floating-point noise cannot flip
 * a figure.
 */
import { ZERO_TOLERANCE } from '#shared/numbers.ts';
import { excessKurtosis, skewness } from './distribution.ts';
import { deepestDrawdown, drawdownSeries, longestDrawdownDays, underWaterSpells } from './drawdowns.ts';
import { centralMoments } from './moments.ts';
import { probabilisticSharpe } from './probabilisticSharpe.ts';
import { tailRisk } from './valueAtRisk.ts';

export interface Metrics {
  totalReturn: number;
  years: number;
  cagr: number | null;
  volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number;
  calmar: number | null;
  winRate: number | null;
  bestDay: number;
  worstDay: number;
  longestDrawdownDays: number;
  monthlyReturns: Record<string, number>;
  skew: number | null;
  kurtosis: number | null;
  var95: number | null;
  cvar95: number | null;
  var99: number | null;
  cvar99: number | null;
  probabilisticSharpe: number | null;
}

export interface MetricsSettings {
  periodsPerYear: number;
  riskFreeRate: number;
}

const DAYS_PER_YEAR = 365.25;

/** `rf_d = (1 + riskFreeRate)^(1/P) - 1`: the risk-free rate of one period. */
export function dailyRiskFreeRate(settings: MetricsSettings): number {
  return (1 + settings.riskFreeRate) ** (1 / settings.periodsPerYear) - 1;
}

export interface MetricsWindow {
  /** Day numbers of the calendar. */
  calendar: Int32Array;
  /** `YYYY-MM` of each calendar date. */
  months: readonly string[];
  /** Calendar indexes, inclusive. */
  first: number;
  last: number;
}

/** Metrics of the returns inside the window. */
export function computeMetrics(returns: Float64Array, window: MetricsWindow, settings: MetricsSettings): Metrics {
  const { first, last } = window;
  const series = returns.subarray(first, last + 1);
  const dates = window.calendar.subarray(first, last + 1);
  const n = series.length;
  const annualizer = Math.sqrt(settings.periodsPerYear);
  const riskFreeDaily = dailyRiskFreeRate(settings);

  let growth = 1;
  let bestDay = -Infinity;
  let worstDay = Infinity;
  let wins = 0;
  let nonZeroDays = 0;
  let sum = 0;
  let downsideSquares = 0;
  let downsideDays = 0;
  const monthlyGrowth = new Map<string, number>();

  for (let day = 0; day < n; day += 1) {
    const value = series[day] ?? 0;
    growth *= 1 + value;
    bestDay = Math.max(bestDay, value);
    worstDay = Math.min(worstDay, value);
    if (Math.abs(value) > ZERO_TOLERANCE) nonZeroDays += 1;
    if (value > ZERO_TOLERANCE) wins += 1;
    sum += value;
    const excess = value - riskFreeDaily;
    if (excess < -ZERO_TOLERANCE) {
      downsideSquares += excess * excess;
      downsideDays += 1;
    }
    const month = window.months[first + day] ?? '';
    monthlyGrowth.set(month, (monthlyGrowth.get(month) ?? 1) * (1 + value));
  }

  const totalReturn = growth - 1;
  const years = n === 0 ? 0 : ((dates[n - 1] ?? 0) - (dates[0] ?? 0)) / DAYS_PER_YEAR;
  // A sleeve that holds no capital still shows its strategy's return (SPEC 15.1), which minimum
  // positions can scale below -100 %: its compounded growth can turn negative, and a negative
  // number has no real root. Such a growth rate does not exist: null, as where years is 0.
  const cagr = years === 0 || 1 + totalReturn < 0 ? null : (1 + totalReturn) ** (1 / years) - 1;
  const mean = sum / n;
  const excessMean = mean - riskFreeDaily;
  // The standard deviation does not move when every return is shifted by the risk-free rate.
  const std = sampleStd(series, mean);
  const allEqual = n === 0 || bestDay - worstDay <= ZERO_TOLERANCE;
  const moments = centralMoments(returns, first, last);
  const drawdowns = drawdownSeries(returns, first, last);
  const maxDrawdown = deepestDrawdown(drawdowns);
  return {
    totalReturn,
    years,
    cagr,
    volatility: std === null ? null : std * annualizer,
    sharpe: allEqual || std === null ? null : (excessMean / std) * annualizer,
    sortino: downsideDays === 0 ? null : (excessMean / Math.sqrt(downsideSquares / n)) * annualizer,
    maxDrawdown,
    calmar: cagr === null || Math.abs(maxDrawdown) <= ZERO_TOLERANCE ? null : cagr / Math.abs(maxDrawdown),
    winRate: nonZeroDays === 0 ? null : wins / nonZeroDays,
    bestDay,
    worstDay,
    longestDrawdownDays: longestDrawdownDays(underWaterSpells(drawdowns, window.calendar, first)),
    monthlyReturns: Object.fromEntries([...monthlyGrowth].map(([month, value]) => [month, value - 1])),
    skew: skewness(moments, allEqual),
    kurtosis: excessKurtosis(moments, allEqual),
    ...tailRisk(returns, first, last),
    // The excess returns `R - rf_d` have the moments of `R` about a mean lower by `rf_d`.
    probabilisticSharpe: probabilisticSharpe({ ...moments, mean: moments.mean - riskFreeDaily }),
  };
}

/** Standard deviation (ddof = 1); null below two values. */
function sampleStd(series: Float64Array, mean: number): number | null {
  if (series.length < 2) return null;
  let squares = 0;
  for (const value of series) {
    const deviation = value - mean;
    squares += deviation * deviation;
  }
  return Math.sqrt(squares / (series.length - 1));
}
