/**
 * Historical value at risk and conditional value at risk (SPEC 18.1): the k-th worst day and
 * the mean of the k worst days, `k = max(1, ceil(a n))`, as losses (positive when they lose).
 * The same figures in fractions of a return series and in dollars of a P&L series. Only the
 * k worst days need ordering, so they are selected (quickselect, O(n)) rather than sorted.
 */
import quickselect from 'quickselect';

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

/** How many of the worst days a tail of `share` holds among `n`. */
function tailDays(share: number, n: number): number {
  return Math.max(1, Math.ceil(share * n));
}

/** The mean of `values[0..count-1]`. */
function meanOfFirst(values: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i += 1) sum += values[i] ?? 0;
  return sum / count;
}

/** VaR and CVaR at 95 % and 99 % of `values[first..last]`; null figures for an empty window. */
export function tailRisk(values: Float64Array, first: number, last: number): TailRisk {
  const n = last - first + 1;
  if (n <= 0) return { var95: null, cvar95: null, var99: null, cvar99: null };
  const worst = values.slice(first, last + 1);
  // quickselect reads and swaps by index, which a typed array does as an array does.
  const items = worst as unknown as number[];
  const k95 = tailDays(0.05, n);
  const k99 = tailDays(0.01, n);
  // The k95 worst days first, the k95-th worst at k95 - 1; then the k99 worst among them.
  quickselect(items, k95 - 1);
  const var95 = -(worst[k95 - 1] ?? 0);
  const cvar95 = -meanOfFirst(worst, k95);
  quickselect(items, k99 - 1, 0, k95 - 1);
  return { var95, cvar95, var99: -(worst[k99 - 1] ?? 0), cvar99: -meanOfFirst(worst, k99) };
}

/** The same over a series of daily P&L in dollars (accounts and the portfolio). */
export function dollarTailRisk(pnl: Float64Array, first: number, last: number): DollarTailRisk {
  const { var95, cvar95, var99, cvar99 } = tailRisk(pnl, first, last);
  return { var95Usd: var95, cvar95Usd: cvar95, var99Usd: var99, cvar99Usd: cvar99 };
}
