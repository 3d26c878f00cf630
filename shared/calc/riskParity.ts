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
  // The iteration's vectors and matrices, made once per solve: a rebalance of every bootstrap path solves one.
  let y = new Float64Array(n);
  let next = new Float64Array(n);
  const covY = new Float64Array(n);
  const gradient = new Float64Array(n);
  const step = new Float64Array(n);
  const hessian = new Float64Array(n * n);
  const lower = new Float64Array(n * n);
  // Start from inverse volatility, scaled so that the mean contribution is 1/n.
  for (let i = 0; i < n; i += 1) y[i] = 1 / Math.sqrt(covariance[i * n + i] ?? 1);
  const start = sumOf(contributions(covariance, y, n)) / n;
  const startScale = Math.sqrt(target / start);
  for (let i = 0; i < n; i += 1) y[i] = (y[i] ?? 0) * startScale;

  let best = Number.POSITIVE_INFINITY;
  let stalled = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    multiplyInto(covY, covariance, y, n);
    let worst = 0;
    for (let i = 0; i < n; i += 1) worst = Math.max(worst, Math.abs((y[i] ?? 0) * (covY[i] ?? 0) - target) / target);
    if (worst <= TARGET_PRECISION) break;
    const near = worst < NEAR;
    if (near) {
      stalled = worst < 0.5 * best ? 0 : stalled + 1;
      best = Math.min(best, worst);
      if (stalled >= STALLED_ITERATIONS) break;
    }
    hessian.set(covariance);
    for (let i = 0; i < n; i += 1) {
      const yi = y[i] ?? 1;
      gradient[i] = (covY[i] ?? 0) - target / yi;
      hessian[i * n + i] = (hessian[i * n + i] ?? 0) + target / (yi * yi);
    }
    if (!solvePositiveDefinite(hessian, gradient, n, lower, step)) break;
    // Far from the solution: backtrack until y stays positive and f decreases (Armijo). Near it,
    // f's decrease is below what doubles resolve, so full Newton steps (kept positive) converge.
    const slope = -dot(gradient, step);
    const before = near ? 0 : objective(covariance, y, n, covY);
    let scale = 1;
    for (; scale > 1e-12; scale /= 2) {
      let positive = true;
      for (let i = 0; i < n; i += 1) {
        next[i] = (y[i] ?? 0) - scale * (step[i] ?? 0);
        if (!((next[i] ?? 0) > 0)) positive = false;
      }
      if (positive && (near || objective(covariance, next, n, covY) <= before - 1e-4 * scale * slope)) break;
    }
    if (scale <= 1e-12) break;
    const previous = y;
    y = next;
    next = previous;
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
  const covX = multiplyInto(new Float64Array(n), covariance, x, n);
  return x.map((value, i) => value * (covX[i] ?? 0));
}

/** f(y); `scratch` (n long) receives Cov y. */
function objective(covariance: Float64Array, y: Float64Array, n: number, scratch: Float64Array): number {
  const covY = multiplyInto(scratch, covariance, y, n);
  let value = dot(y, covY) / 2;
  for (let i = 0; i < n; i += 1) value -= Math.log(y[i] ?? 0) / n;
  return value;
}

/** `result` = matrix x vector; returns `result`. */
function multiplyInto(result: Float64Array, matrix: Float64Array, vector: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i += 1) {
    let sum = 0;
    const row = i * n;
    for (let j = 0; j < n; j += 1) sum += (matrix[row + j] as number) * (vector[j] as number);
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

/**
 * Solves A x = b for a symmetric positive-definite A (row-major) by Cholesky into `x`, with
 * `lower` (n x n) as the factor's room; false if A is not positive definite. Only the factor's
 * lower triangle is written and read, so the room needs no clearing between solves.
 */
function solvePositiveDefinite(matrix: Float64Array, b: Float64Array, n: number, lower: Float64Array, x: Float64Array): boolean {
  for (let i = 0; i < n; i += 1) {
    const rowI = i * n;
    for (let j = 0; j <= i; j += 1) {
      const rowJ = j * n;
      let sum = matrix[rowI + j] ?? 0;
      for (let k = 0; k < j; k += 1) sum -= (lower[rowI + k] as number) * (lower[rowJ + k] as number);
      if (i === j) {
        if (!(sum > 0)) return false;
        lower[rowI + i] = Math.sqrt(sum);
      } else {
        lower[rowI + j] = sum / (lower[rowJ + j] ?? 1);
      }
    }
  }
  // Forward substitution into x (z), then backward in place: x[i] reads only x[k > i], already final.
  for (let i = 0; i < n; i += 1) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k += 1) sum -= (lower[i * n + k] as number) * (x[k] as number);
    x[i] = sum / (lower[i * n + i] ?? 1);
  }
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = x[i] ?? 0;
    for (let k = i + 1; k < n; k += 1) sum -= (lower[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (lower[i * n + i] ?? 1);
  }
  return true;
}
