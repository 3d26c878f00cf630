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
      const eligible = candidates.flatMap((candidate, i) =>
        !candidate.wipedOut && spanCovers(candidate, day - lookback, day) ? [i] : [],
      );
      const stats = eligible.map((i) => windowStats((candidates[i] as WeightCandidate).rho, day - lookback, day));
      const withVolatility = eligible.filter((_, k) => (stats[k]?.sigma ?? 0) > ZERO_TOLERANCE);
      const sigmaOf = (i: number): number => stats[eligible.indexOf(i)]?.sigma ?? 0;
      if (allocation.method === 'inverseVolatility') {
        for (const i of withVolatility) raws[i] = 1 / sigmaOf(i);
      } else if (allocation.method === 'riskParity') {
        const solved = withVolatility.length === 0 ? null : equalRiskContribution(covariance(candidates, withVolatility, day - lookback, day), withVolatility.length);
        if (solved === null || solved.ok) {
          withVolatility.forEach((i, k) => {
            raws[i] = solved?.ok === true ? (solved.weights[k] ?? 0) : 0;
          });
        } else {
          riskParityFallback = { candidates: withVolatility, maxContributionDeviation: solved.maxContributionDeviation };
          for (const i of withVolatility) raws[i] = 1 / sigmaOf(i);
        }
      } else {
        for (const i of withVolatility) {
          const { mean, sigma } = stats[eligible.indexOf(i)] ?? { mean: 0, sigma: 1 };
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

/** The sample covariance matrix (ddof 1) of the chosen candidates over `[from, to)`, row-major. */
function covariance(candidates: readonly WeightCandidate[], chosen: readonly number[], from: number, to: number): Float64Array {
  const n = chosen.length;
  const length = to - from;
  const centered = chosen.map((i) => {
    const rho = (candidates[i] as WeightCandidate).rho;
    const { mean } = windowStats(rho, from, to);
    const deviations = new Float64Array(length);
    for (let k = 0; k < length; k += 1) deviations[k] = (rho[from + k] ?? 0) - mean;
    return deviations;
  });
  const matrix = new Float64Array(n * n);
  for (let a = 0; a < n; a += 1) {
    const x = centered[a] as Float64Array;
    for (let b = a; b < n; b += 1) {
      const y = centered[b] as Float64Array;
      let sum = 0;
      for (let k = 0; k < length; k += 1) sum += (x[k] as number) * (y[k] as number);
      matrix[a * n + b] = sum / (length - 1);
      matrix[b * n + a] = sum / (length - 1);
    }
  }
  return matrix;
}
