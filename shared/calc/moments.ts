/**
 * Sums and sample moments of a window of a series, the building blocks of SPEC 15, 16 and 18: the sum, the mean,
 * the biased central moments m2, m3, m4, the sample (ddof = 1) covariance and the range. Each
 * takes the mean first and then the deviations from it (two passes), so that a large level
 * does not swamp a small spread. Windows are calendar indexes `first..last`, inclusive.
 */

/** The sum of `values[first..last]`, in date order. */
export function windowSum(values: Float64Array, first: number, last: number): number {
  let sum = 0;
  for (let day = first; day <= last; day += 1) sum += values[day] ?? 0;
  return sum;
}

export function windowMean(values: Float64Array, first: number, last: number): number {
  return windowSum(values, first, last) / (last - first + 1);
}

/** `max - min` over the window: at most the noise tolerance means every value is the same. */
export function windowRange(values: Float64Array, first: number, last: number): number {
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (let day = first; day <= last; day += 1) {
    const value = values[day] ?? 0;
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
  }
  return highest - lowest;
}

/** `sum((x - meanX)(y - meanY)) / (n - 1)`; with `y` the same series, the sample variance. */
export function sampleCovariance(x: Float64Array, y: Float64Array, first: number, last: number, meanX: number, meanY: number): number {
  let sum = 0;
  for (let day = first; day <= last; day += 1) sum += ((x[day] ?? 0) - meanX) * ((y[day] ?? 0) - meanY);
  return sum / (last - first);
}

export interface CentralMoments {
  n: number;
  mean: number;
  /** `mean((v - mean)^k)`: the biased moments (divided by n). */
  m2: number;
  m3: number;
  m4: number;
}

/** The moments of `values - shift` over the window (a shift such as the daily risk-free rate). */
export function centralMoments(values: Float64Array, first: number, last: number, shift = 0): CentralMoments {
  const n = last - first + 1;
  const mean = windowMean(values, first, last) - shift;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let day = first; day <= last; day += 1) {
    const deviation = (values[day] ?? 0) - shift - mean;
    const square = deviation * deviation;
    s2 += square;
    s3 += square * deviation;
    s4 += square * square;
  }
  return { n, mean, m2: s2 / n, m3: s3 / n, m4: s4 / n };
}
