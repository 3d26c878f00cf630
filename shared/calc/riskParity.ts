/**
 * Equal risk contribution (SPEC 10, riskParity): weights x > 0, sum 1, with x_i (Cov x)_i the same
 * for every i. Solved by Newton's method on the convex function
 * f(y) = y'Cov y / 2 - sum(log y_i) / n, whose minimum has y_i (Cov y)_i = 1/n; x = y / sum(y).
 * The Hessian Cov + diag(1 / (n y_i^2)) is positive definite even when Cov is singular, so each
 * step is a Cholesky solve; when the contributions cannot be made equal within 1e-10 (a singular
 * covariance can leave no solution) the caller falls back to inverse volatility.
 */

export const CONTRIBUTION_TOLERANCE = 1e-10;
const MAX_ITERATIONS = 100;
/** Stop when every y_i (Cov y)_i is within this of 1/n, relative: far inside the tolerance above. */
const TARGET_PRECISION = 1e-14;
/** Within this relative deviation Newton is in its quadratic phase: full steps, no line search. */
const NEAR = 1e-4;
/** In that phase each step at least halves the deviation; steps that stop doing so have reached what doubles can hold. */
const STALLED_ITERATIONS = 3;

export type RiskParityResult = { ok: true; weights: Float64Array } | { ok: false; maxContributionDeviation: number | null };

/** `covariance` is n x n, row-major. */
export function equalRiskContribution(covariance: Float64Array, n: number): RiskParityResult {
  const target = 1 / n;
  // Start from inverse volatility, scaled so that the mean contribution is 1/n.
  let y = new Float64Array(n);
  for (let i = 0; i < n; i += 1) y[i] = 1 / Math.sqrt(covariance[i * n + i] ?? 1);
  const start = sumOf(contributions(covariance, y, n)) / n;
  y = y.map((value) => value * Math.sqrt(target / start));

  let best = Number.POSITIVE_INFINITY;
  let stalled = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    const covY = multiply(covariance, y, n);
    let worst = 0;
    for (let i = 0; i < n; i += 1) worst = Math.max(worst, Math.abs((y[i] ?? 0) * (covY[i] ?? 0) - target) / target);
    if (worst <= TARGET_PRECISION) break;
    const near = worst < NEAR;
    if (near) {
      stalled = worst < 0.5 * best ? 0 : stalled + 1;
      best = Math.min(best, worst);
      if (stalled >= STALLED_ITERATIONS) break;
    }
    const gradient = new Float64Array(n);
    const hessian = covariance.slice();
    for (let i = 0; i < n; i += 1) {
      const yi = y[i] ?? 1;
      gradient[i] = (covY[i] ?? 0) - target / yi;
      hessian[i * n + i] = (hessian[i * n + i] ?? 0) + target / (yi * yi);
    }
    const step = solvePositiveDefinite(hessian, gradient, n);
    if (step === null) break;
    // Far from the solution: backtrack until y stays positive and f decreases (Armijo). Near it,
    // f's decrease is below what doubles resolve, so full Newton steps (kept positive) converge.
    const slope = -dot(gradient, step);
    const before = near ? 0 : objective(covariance, y, n);
    let scale = 1;
    let next = y;
    for (; scale > 1e-12; scale /= 2) {
      next = y.map((value, i) => value - scale * (step[i] ?? 0));
      if (next.every((value) => value > 0) && (near || objective(covariance, next, n) <= before - 1e-4 * scale * slope)) break;
    }
    if (scale <= 1e-12) break;
    y = next;
  }

  const total = sumOf(y);
  const weights = y.map((value) => value / total);
  const deviation = maxContributionDeviation(covariance, weights, n);
  return weights.every((value) => value > 0 && Number.isFinite(value)) && deviation !== null && deviation <= CONTRIBUTION_TOLERANCE
    ? { ok: true, weights }
    : { ok: false, maxContributionDeviation: deviation };
}

/** max |c_i - mean(c)| / mean(c) with c_i = x_i (Cov x)_i; null when the contributions have no positive mean to compare with. */
export function maxContributionDeviation(covariance: Float64Array, weights: Float64Array, n: number): number | null {
  const contribution = contributions(covariance, weights, n);
  const mean = sumOf(contribution) / n;
  if (!(mean > 0)) return null;
  let worst = 0;
  for (const value of contribution) worst = Math.max(worst, Math.abs(value - mean) / mean);
  return worst;
}

function contributions(covariance: Float64Array, x: Float64Array, n: number): Float64Array {
  const covX = multiply(covariance, x, n);
  return x.map((value, i) => value * (covX[i] ?? 0));
}

function objective(covariance: Float64Array, y: Float64Array, n: number): number {
  const covY = multiply(covariance, y, n);
  let value = dot(y, covY) / 2;
  for (const item of y) value -= Math.log(item) / n;
  return value;
}

function multiply(matrix: Float64Array, vector: Float64Array, n: number): Float64Array {
  const result = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let sum = 0;
    const row = i * n;
    for (let j = 0; j < n; j += 1) sum += (matrix[row + j] ?? 0) * (vector[j] ?? 0);
    result[i] = sum;
  }
  return result;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

function sumOf(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

/** Solves A x = b for a symmetric positive-definite A (row-major) by Cholesky; null if A is not. */
function solvePositiveDefinite(matrix: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = matrix[i * n + j] ?? 0;
      for (let k = 0; k < j; k += 1) sum -= (lower[i * n + k] ?? 0) * (lower[j * n + k] ?? 0);
      if (i === j) {
        if (!(sum > 0)) return null;
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / (lower[j * n + j] ?? 1);
      }
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k += 1) sum -= (lower[i * n + k] ?? 0) * (z[k] ?? 0);
    z[i] = sum / (lower[i * n + i] ?? 1);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = z[i] ?? 0;
    for (let k = i + 1; k < n; k += 1) sum -= (lower[k * n + i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (lower[i * n + i] ?? 1);
  }
  return x;
}
