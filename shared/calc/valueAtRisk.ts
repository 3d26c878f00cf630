/**
 * Historical value at risk and conditional value at risk (SPEC 18.1): the k-th worst day and
 * the mean of the k worst days, `k = max(1, ceil(a n))`, as losses (positive when they lose).
 * The same figures in fractions of a return series and in dollars of a P&L series.
 */

export interface TailRisk {
  var95: number | null;
  cvar95: number | null;
  var99: number | null;
  cvar99: number | null;
}

export interface DollarTailRisk {
  var95Usd: number | null;
  cvar95Usd: number | null;
  var99Usd: number | null;
  cvar99Usd: number | null;
}

/** VaR and CVaR at 95 % and 99 % of `values[first..last]`; null figures for an empty window. */
export function tailRisk(values: Float64Array, first: number, last: number): TailRisk {
  const sorted = values.slice(first, last + 1).sort();
  const at = (level: number): { valueAtRisk: number | null; expectedShortfall: number | null } => {
    const n = sorted.length;
    if (n === 0) return { valueAtRisk: null, expectedShortfall: null };
    const k = Math.max(1, Math.ceil(level * n));
    let sum = 0;
    for (let i = 0; i < k; i += 1) sum += sorted[i] ?? 0;
    return { valueAtRisk: -(sorted[k - 1] ?? 0), expectedShortfall: -(sum / k) };
  };
  const at95 = at(0.05);
  const at99 = at(0.01);
  return { var95: at95.valueAtRisk, cvar95: at95.expectedShortfall, var99: at99.valueAtRisk, cvar99: at99.expectedShortfall };
}

/** The same over a series of daily P&L in dollars (accounts and the portfolio). */
export function dollarTailRisk(pnl: Float64Array, first: number, last: number): DollarTailRisk {
  const { var95, cvar95, var99, cvar99 } = tailRisk(pnl, first, last);
  return { var95Usd: var95, cvar95Usd: cvar95, var99Usd: var99, cvar99Usd: cvar99 };
}
