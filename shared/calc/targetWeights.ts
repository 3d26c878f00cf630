/**
 * Target weights of an account's sleeves on a rebalance date (SPEC 10), from data strictly before
 * that date: fixed, equal, inverse volatility, risk parity (equal risk contribution, falling back
 * to inverse volatility where it cannot be solved) or fractional Kelly, then the min/max clamp
 * with one lambda. Whatever is not given to sleeves stays as cash.
 */
import type { AllocationConfig } from '#shared/config/partBSchema.ts';
import { ZERO_TOLERANCE } from '#shared/numbers.ts';
import { constrainedWeights } from './constrainedWeights.ts';
import { equalRiskContribution } from './riskParity.ts';

export interface WeightCandidate {
  /** The strategy's own return stream (part A's scaled return; blocking does not change it). */
  rho: Float64Array;
  /** Calendar indexes of its own span (first to last date of its file). */
  spanStart: number;
  spanEnd: number;
  /**
   * When the span is a set of days rather than an interval (a bootstrap path, SPEC 20): on each
   * day in the span, the first day of the unbroken run of span days that reaches it; on a day
   * outside, that day + 1. Replaces `spanStart` and `spanEnd` when set.
   */
  spanRunStart?: Int32Array | undefined;
  wipedOut: boolean;
  /** In the optimizer, a strategy left out of the set: weighed as usual, its weight kept as cash. */
  excluded: boolean;
  allocatedCapital: number;
}

export interface TargetWeights {
  /** One per candidate, in their order. */
  weights: Float64Array;
  /** Set when risk parity could not equalize contributions and inverse volatility was used. */
  riskParityFallback: { candidates: number[]; maxContributionDeviation: number | null } | null;
}

export function targetWeights(
  allocation: AllocationConfig,
  day: number,
  candidates: readonly WeightCandidate[],
  startingCapital: number,
): TargetWeights {
  const weights = new Float64Array(candidates.length);
  let riskParityFallback: TargetWeights['riskParityFallback'] = null;
  if (allocation.method === 'fixed') {
    candidates.forEach((candidate, i) => {
      weights[i] = candidate.wipedOut ? 0 : candidate.allocatedCapital / startingCapital;
    });
  } else {
    const lookback = allocation.lookbackDays;
    /** Whether every day of `from..to` is in the candidate's span. */
    const spanCovers = (candidate: WeightCandidate, from: number, to: number): boolean =>
      candidate.spanRunStart === undefined ? candidate.spanStart <= from && to <= candidate.spanEnd : (candidate.spanRunStart[to] ?? to + 1) <= from;
    const startOfHistory = day < lookback;
    const raws = new Float64Array(candidates.length);
    let total = 1 - allocation.cashBufferPct / 100;
    if (startOfHistory || allocation.method === 'equal') {
      candidates.forEach((candidate, i) => {
        raws[i] = !candidate.wipedOut && spanCovers(candidate, day, day) ? 1 : 0;
      });
    } else {
      // Each eligible candidate's window mean and volatility, by candidate index.
      const means = new Float64Array(candidates.length);
      const sigmas = new Float64Array(candidates.length);
      const withVolatility: number[] = [];
      for (let i = 0; i < candidates.length; i += 1) {
        const candidate = candidates[i] as WeightCandidate;
        if (candidate.wipedOut || !spanCovers(candidate, day - lookback, day)) continue;
        const { mean, sigma } = windowStats(candidate.rho, day - lookback, day);
        means[i] = mean;
        sigmas[i] = sigma;
        if (sigma > ZERO_TOLERANCE) withVolatility.push(i);
      }
      if (allocation.method === 'inverseVolatility') {
        for (const i of withVolatility) raws[i] = 1 / (sigmas[i] ?? 0);
      } else if (allocation.method === 'riskParity') {
        const solved =
          withVolatility.length === 0
            ? null
            : equalRiskContribution(covariance(candidates, withVolatility, means, day - lookback, day), withVolatility.length);
        if (solved === null || solved.ok) {
          withVolatility.forEach((i, k) => {
            raws[i] = solved?.ok === true ? (solved.weights[k] ?? 0) : 0;
          });
        } else {
          riskParityFallback = { candidates: withVolatility, maxContributionDeviation: solved.maxContributionDeviation };
          for (const i of withVolatility) raws[i] = 1 / (sigmas[i] ?? 0);
        }
      } else {
        for (const i of withVolatility) {
          const mean = means[i] ?? 0;
          const sigma = sigmas[i] ?? 1;
          raws[i] = (allocation.kellyFraction * (mean > ZERO_TOLERANCE ? mean : 0)) / (sigma * sigma);
        }
        total = Math.min(total, raws.reduce((sum, raw) => sum + raw, 0));
      }
    }
    const positive = Array.from(raws.keys()).filter((i) => (raws[i] ?? 0) > 0);
    const constrained = constrainedWeights(
      positive.map((i) => raws[i] ?? 0),
      { minWeight: allocation.minWeight, maxWeight: allocation.maxWeight, total },
    );
    positive.forEach((i, k) => {
      weights[i] = constrained[k] ?? 0;
    });
  }
  candidates.forEach((candidate, i) => {
    if (candidate.excluded) weights[i] = 0;
  });
  return { weights, riskParityFallback };
}

/** Mean and sample standard deviation (ddof 1) of `series[from..to)`. */
function windowStats(series: Float64Array, from: number, to: number): { mean: number; sigma: number } {
  const n = to - from;
  let sum = 0;
  for (let day = from; day < to; day += 1) sum += series[day] ?? 0;
  const mean = sum / n;
  let squares = 0;
  for (let day = from; day < to; day += 1) squares += ((series[day] ?? 0) - mean) ** 2;
  return { mean, sigma: Math.sqrt(squares / (n - 1)) };
}

/**
 * The sample covariance matrix (ddof 1) of the chosen candidates over `[from, to)`, row-major,
 * given their means over it (by candidate index). Each entry is one sum in day order; four entries of a row are summed
 * side by side, so that each deviation is read once for four products, not once for each.
 */
function covariance(candidates: readonly WeightCandidate[], chosen: readonly number[], means: Float64Array, from: number, to: number): Float64Array {
  const n = chosen.length;
  const length = to - from;
  // Row a of `centered` holds candidate a's deviations from its mean, day by day.
  const centered = new Float64Array(n * length);
  for (let a = 0; a < n; a += 1) {
    const i = chosen[a] as number;
    const rho = (candidates[i] as WeightCandidate).rho;
    const mean = means[i] as number;
    for (let k = 0; k < length; k += 1) centered[a * length + k] = (rho[from + k] ?? 0) - mean;
  }
  const matrix = new Float64Array(n * n);
  const put = (a: number, b: number, sum: number): void => {
    matrix[a * n + b] = sum / (length - 1);
    matrix[b * n + a] = sum / (length - 1);
  };
  for (let a = 0; a < n; a += 1) {
    const x = a * length;
    let b = a;
    for (; b + 3 < n; b += 4) {
      const y0 = b * length;
      const y1 = y0 + length;
      const y2 = y1 + length;
      const y3 = y2 + length;
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      for (let k = 0; k < length; k += 1) {
        const deviation = centered[x + k] as number;
        sum0 += deviation * (centered[y0 + k] as number);
        sum1 += deviation * (centered[y1 + k] as number);
        sum2 += deviation * (centered[y2 + k] as number);
        sum3 += deviation * (centered[y3 + k] as number);
      }
      put(a, b, sum0);
      put(a, b + 1, sum1);
      put(a, b + 2, sum2);
      put(a, b + 3, sum3);
    }
    for (; b < n; b += 1) {
      const y = b * length;
      let sum = 0;
      for (let k = 0; k < length; k += 1) sum += (centered[x + k] as number) * (centered[y + k] as number);
      put(a, b, sum);
    }
  }
  return matrix;
}
