/**
 * The weight constraints of SPEC 10: `w_s = clamp(lambda * raw_s, minWeight, maxWeight)` with the
 * one lambda > 0 that makes the weights sum to S. If even all at maxWeight is below S, every
 * weight is maxWeight; if all at minWeight exceed S, each is S / n.
 */

export interface WeightBounds {
  minWeight: number;
  maxWeight: number;
  /** What the weights should sum to: 1 - cashBufferPct / 100 (kelly: at most the sum of raws). */
  total: number;
}

/** Weights for positive raws (the caller leaves the others at 0). */
export function constrainedWeights(raws: readonly number[], { minWeight, maxWeight, total }: WeightBounds): number[] {
  const n = raws.length;
  if (n === 0) return [];
  if (n * maxWeight <= total) return raws.map(() => maxWeight);
  if (n * minWeight >= total) return raws.map(() => total / n);
  // sum(clamp(lambda * raw)) rises piecewise linearly in lambda; find the piece where it crosses
  // `total` and solve that linear piece exactly. Breakpoints: where each raw reaches min and max.
  const breakpoints = [...new Set(raws.flatMap((raw) => [minWeight / raw, maxWeight / raw]))].sort((a, b) => a - b);
  const sumAt = (lambda: number): number => raws.reduce((sum, raw) => sum + clamp(lambda * raw, minWeight, maxWeight), 0);
  let low = 0;
  for (const high of breakpoints) {
    if (sumAt(high) >= total) {
      // Inside (low, high] each weight is fixed at a bound or equal to lambda * raw.
      const middle = (low + high) / 2;
      let fixed = 0;
      let slope = 0;
      for (const raw of raws) {
        const free = middle * raw;
        if (free <= minWeight) fixed += minWeight;
        else if (free >= maxWeight) fixed += maxWeight;
        else slope += raw;
      }
      const lambda = slope === 0 ? high : (total - fixed) / slope;
      return raws.map((raw) => clamp(lambda * raw, minWeight, maxWeight));
    }
    low = high;
  }
  return raws.map(() => maxWeight);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
