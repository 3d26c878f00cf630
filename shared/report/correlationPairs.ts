/**
 * The strategies' correlation as it reads at any number of strategies (issue 13): the pairs that
 * move most alike and most opposite, from the same matrix correlation.csv holds (SPEC 6). A full
 * matrix helps only while it fits on a screen.
 */

export interface CorrelatedPair {
  first: string;
  second: string;
  correlation: number;
}

export interface CorrelationExtremes {
  /** Highest correlation first. */
  highest: CorrelatedPair[];
  /** Lowest (most negative) first; no pair is in both lists. */
  lowest: CorrelatedPair[];
}

/** Every pair once (upper triangle), skipping pairs with no figure; ties keep config order. */
export function correlationExtremes(names: readonly string[], matrix: readonly (readonly (number | null)[])[], highest = 10, lowest = 5): CorrelationExtremes {
  const pairs: CorrelatedPair[] = [];
  for (let i = 0; i < names.length; i += 1) {
    for (let j = i + 1; j < names.length; j += 1) {
      const correlation = matrix[i]?.[j];
      if (correlation !== null && correlation !== undefined && Number.isFinite(correlation)) pairs.push({ first: names[i] ?? '', second: names[j] ?? '', correlation });
    }
  }
  const descending = [...pairs].sort((a, b) => b.correlation - a.correlation);
  const top = descending.slice(0, highest);
  const bottom = descending.slice(top.length).reverse().slice(0, lowest);
  return { highest: top, lowest: bottom };
}
