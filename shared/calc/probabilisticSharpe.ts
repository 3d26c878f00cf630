/**
 * The probabilistic Sharpe ratio of Bailey and Lopez de Prado (SPEC 18.1): the probability
 * that the true Sharpe ratio is above a benchmark `SR*` (here 0), given how many days the
 * estimate rests on and how skewed and fat-tailed they are. The per-period Sharpe, not the
 * annualized one; the biased moments of the excess returns.
 */
import erfc from '@stdlib/math-base-special-erfc';
import { ZERO_TOLERANCE } from '#shared/numbers.ts';
import type { CentralMoments } from './moments.ts';

/** The standard normal distribution function, accurate in both tails. */
export function standardNormalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * `Phi((SR - SR*) sqrt(n-1) / sqrt(1 - g3 SR + (g4 - 1) / 4 SR^2))` over the moments of the
 * excess returns `x = R - rf_d`; null below three days, for a series that does not move, or
 * when the radicand is not positive.
 */
export function probabilisticSharpe(excess: CentralMoments, benchmarkSharpe = 0): number | null {
  const { n, mean, m2, m3, m4 } = excess;
  if (n < 3) return null;
  const std = Math.sqrt((m2 * n) / (n - 1));
  if (std <= ZERO_TOLERANCE) return null;
  const sharpe = mean / std;
  const skew = m3 / m2 ** 1.5;
  const kurtosis = m4 / (m2 * m2);
  const radicand = 1 - skew * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (radicand <= ZERO_TOLERANCE) return null;
  return standardNormalCdf(((sharpe - benchmarkSharpe) * Math.sqrt(n - 1)) / Math.sqrt(radicand));
}
