/**
 * A level's returns against the benchmark's (SPEC 17): beta, alpha, correlation, tracking error,
 * information ratio and capture ratios over the pairs `(R, R_b)` of the calendar dates on which
 * the benchmark has a row, and the portfolio's rolling beta. Dates without a benchmark row are
 * left out, never taken as a flat day. The 1e-12 noise rule of SPEC 7 decides what is constant.
 */
import { ZERO_TOLERANCE } from '#shared/numbers.ts';
import { dailyRiskFreeRate, type MetricsSettings } from './metrics.ts';
import { sampleCovariance, windowMean, windowRange } from './moments.ts';

/** The window of the portfolio's rolling beta, in calendar dates. */
export const BENCHMARK_BETA_WINDOW = 63;

/** The benchmark's returns laid on the calendar. */
export interface BenchmarkOnCalendar {
  /** Its return on each calendar date; 0 where it has no row. */
  returns: Float64Array;
  /** 1 on the calendar dates where it has a row. */
  present: Uint8Array;
}

export interface BenchmarkFigures {
  /** The number of pairs. */
  days: number;
  beta: number | null;
  alpha: number | null;
  correlation: number | null;
  trackingError: number | null;
  informationRatio: number | null;
  upCapture: number | null;
  downCapture: number | null;
}

/** Both date lists ascending and unique: one merge walk. */
export function benchmarkOnCalendar(dates: Int32Array, returns: Float64Array, calendar: Int32Array): BenchmarkOnCalendar {
  const onCalendar: BenchmarkOnCalendar = { returns: new Float64Array(calendar.length), present: new Uint8Array(calendar.length) };
  let row = 0;
  for (let day = 0; day < calendar.length; day += 1) {
    const date = calendar[day] ?? 0;
    while (row < dates.length && (dates[row] ?? 0) < date) row += 1;
    if (dates[row] === date) {
      onCalendar.returns[day] = returns[row] ?? 0;
      onCalendar.present[day] = 1;
    }
  }
  return onCalendar;
}

interface Pairs {
  level: Float64Array;
  benchmark: Float64Array;
  /** The calendar index of each pair. */
  days: Int32Array;
}

/** The pairs of the calendar dates `first..last` (inclusive) on which the benchmark has a row. */
function pairsOf(returns: Float64Array, benchmark: BenchmarkOnCalendar, first: number, last: number): Pairs {
  let count = 0;
  for (let day = first; day <= last; day += 1) count += benchmark.present[day] ?? 0;
  const pairs: Pairs = { level: new Float64Array(count), benchmark: new Float64Array(count), days: new Int32Array(count) };
  let pair = 0;
  for (let day = first; day <= last; day += 1) {
    if (benchmark.present[day] !== 1) continue;
    pairs.level[pair] = returns[day] ?? 0;
    pairs.benchmark[pair] = benchmark.returns[day] ?? 0;
    pairs.days[pair] = day;
    pair += 1;
  }
  return pairs;
}

/** The figures of a level's returns over its span `first..last` (calendar indexes, inclusive). */
export function benchmarkFigures(
  returns: Float64Array,
  benchmark: BenchmarkOnCalendar,
  first: number,
  last: number,
  settings: MetricsSettings,
): BenchmarkFigures {
  const pairs = pairsOf(returns, benchmark, first, last);
  const days = pairs.level.length;
  const captures = { upCapture: captureRatio(pairs, 1), downCapture: captureRatio(pairs, -1) };
  if (days < 2) return { days, beta: null, alpha: null, correlation: null, trackingError: null, informationRatio: null, ...captures };

  const end = days - 1;
  const { level } = pairs;
  const meanLevel = windowMean(level, 0, end);
  const meanBenchmark = windowMean(pairs.benchmark, 0, end);
  const varianceLevel = sampleCovariance(level, level, 0, end, meanLevel, meanLevel);
  const varianceBenchmark = sampleCovariance(pairs.benchmark, pairs.benchmark, 0, end, meanBenchmark, meanBenchmark);
  const covariance = sampleCovariance(level, pairs.benchmark, 0, end, meanLevel, meanBenchmark);
  const benchmarkMoves = windowRange(pairs.benchmark, 0, end) > ZERO_TOLERANCE;
  const levelMoves = windowRange(level, 0, end) > ZERO_TOLERANCE;
  const beta = benchmarkMoves ? covariance / varianceBenchmark : null;
  const riskFree = dailyRiskFreeRate(settings);

  const differences = level.map((value, pair) => value - (pairs.benchmark[pair] ?? 0));
  const meanDifference = windowMean(differences, 0, end);
  const stdDifference = Math.sqrt(sampleCovariance(differences, differences, 0, end, meanDifference, meanDifference));
  // A constant difference (the level is the benchmark plus a fixed spread) tracks it exactly.
  const differenceMoves = windowRange(differences, 0, end) > ZERO_TOLERANCE;
  const annualizer = Math.sqrt(settings.periodsPerYear);
  return {
    days,
    beta,
    alpha: beta === null ? null : (meanLevel - riskFree - beta * (meanBenchmark - riskFree)) * settings.periodsPerYear,
    correlation: benchmarkMoves && levelMoves ? covariance / (Math.sqrt(varianceLevel) * Math.sqrt(varianceBenchmark)) : null,
    trackingError: differenceMoves ? stdDifference * annualizer : 0,
    informationRatio: differenceMoves ? (meanDifference / stdDifference) * annualizer : null,
    ...captures,
  };
}

/** `mean(R | sign * R_b > 0) / mean(R_b | sign * R_b > 0)`; null when no pair qualifies. */
function captureRatio(pairs: Pairs, sign: 1 | -1): number | null {
  let levelSum = 0;
  let benchmarkSum = 0;
  let count = 0;
  for (let pair = 0; pair < pairs.level.length; pair += 1) {
    const benchmarkReturn = pairs.benchmark[pair] ?? 0;
    if (sign * benchmarkReturn <= ZERO_TOLERANCE) continue;
    levelSum += pairs.level[pair] ?? 0;
    benchmarkSum += benchmarkReturn;
    count += 1;
  }
  // Every qualifying R_b is beyond the noise and of one sign, so their mean is not 0.
  return count === 0 ? null : levelSum / count / (benchmarkSum / count);
}

/**
 * The beta over the pairs among the `window` calendar dates ending at each date; NaN (an empty
 * cell) before `window` dates exist, below 2 pairs, or when the benchmark is constant there.
 */
export function rollingBeta(returns: Float64Array, benchmark: BenchmarkOnCalendar, window: number): Float64Array {
  const beta = new Float64Array(returns.length).fill(Number.NaN);
  const pairs = pairsOf(returns, benchmark, 0, returns.length - 1);
  let firstPair = 0;
  let endPair = 0;
  for (let last = window - 1; last < returns.length; last += 1) {
    while (firstPair < pairs.days.length && (pairs.days[firstPair] ?? 0) < last - window + 1) firstPair += 1;
    while (endPair < pairs.days.length && (pairs.days[endPair] ?? 0) <= last) endPair += 1;
    const lastPair = endPair - 1;
    if (lastPair - firstPair + 1 < 2 || windowRange(pairs.benchmark, firstPair, lastPair) <= ZERO_TOLERANCE) continue;
    const meanLevel = windowMean(pairs.level, firstPair, lastPair);
    const meanBenchmark = windowMean(pairs.benchmark, firstPair, lastPair);
    beta[last] =
      sampleCovariance(pairs.level, pairs.benchmark, firstPair, lastPair, meanLevel, meanBenchmark) /
      sampleCovariance(pairs.benchmark, pairs.benchmark, firstPair, lastPair, meanBenchmark, meanBenchmark);
  }
  return beta;
}
