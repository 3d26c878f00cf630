/**
 * The shape of a return distribution (SPEC 18.1): sample skewness and excess kurtosis with
 * pandas' bias corrections (`Series.skew()`, `Series.kurt()`). Null when the series is too
 * short or does not move (every value within the noise tolerance of the others): a flat series
 * has no shape, and dividing rounding noise by rounding noise would print one.
 */
import type { CentralMoments } from './moments.ts';

/** `sqrt(n(n-1)) / (n-2) * m3 / m2^1.5`, from three values on. */
export function skewness({ n, m2, m3 }: CentralMoments, flat: boolean): number | null {
  if (n < 3 || flat) return null;
  return ((Math.sqrt(n * (n - 1)) / (n - 2)) * m3) / m2 ** 1.5;
}

/** `(n-1) / ((n-2)(n-3)) * ((n+1) m4 / m2^2 - 3(n-1))`, from four values on. */
export function excessKurtosis({ n, m2, m4 }: CentralMoments, flat: boolean): number | null {
  if (n < 4 || flat) return null;
  return ((n - 1) / ((n - 2) * (n - 3))) * (((n + 1) * m4) / (m2 * m2) - 3 * (n - 1));
}
