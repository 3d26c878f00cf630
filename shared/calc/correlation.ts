/**
 * Correlation of the strategies' daily returns: Pearson's r over the dates both strategies
 * cover with their own span (a strategy before its first or after its last date is absent, not
 * flat). Null with fewer than three common dates or a series that never moves.
 */
import { ZERO_TOLERANCE } from '#shared/numbers.ts';

export interface SpannedReturns {
  returns: Float64Array;
  spanStart: number;
  spanEnd: number;
}

const MIN_COMMON_DATES = 3;

export function correlation(a: SpannedReturns, b: SpannedReturns): number | null {
  const first = Math.max(a.spanStart, b.spanStart);
  const last = Math.min(a.spanEnd, b.spanEnd);
  const n = last - first + 1;
  if (n < MIN_COMMON_DATES) return null;
  let sumA = 0;
  let sumB = 0;
  for (let day = first; day <= last; day += 1) {
    sumA += a.returns[day] ?? 0;
    sumB += b.returns[day] ?? 0;
  }
  const meanA = sumA / n;
  const meanB = sumB / n;
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let day = first; day <= last; day += 1) {
    const da = (a.returns[day] ?? 0) - meanA;
    const db = (b.returns[day] ?? 0) - meanB;
    covariance += da * db;
    varianceA += da * da;
    varianceB += db * db;
  }
  if (varianceA <= ZERO_TOLERANCE ** 2 || varianceB <= ZERO_TOLERANCE ** 2) return null;
  return covariance / Math.sqrt(varianceA * varianceB);
}

/** The symmetric matrix of every pair, `matrix[i][j]`, with 1 on the diagonal of series that move. */
export function correlationMatrix(series: readonly SpannedReturns[]): (number | null)[][] {
  const matrix = series.map(() => new Array<number | null>(series.length).fill(null));
  series.forEach((a, i) => {
    const row = matrix[i] as (number | null)[];
    row[i] = correlation(a, a) === null ? null : 1;
    for (let j = i + 1; j < series.length; j += 1) {
      const r = correlation(a, series[j] as SpannedReturns);
      row[j] = r;
      (matrix[j] as (number | null)[])[i] = r;
    }
  });
  return matrix;
}
