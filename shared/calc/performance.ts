/**
 * The derived columns of accounts and the portfolio (SPEC 4): returns from equity, never
 * from summed returns; margin utilization against the account's capital, or for the
 * portfolio against the capital actually allocated; leverage on the same base.
 */

/** `R(t) = E(t) / E(t-1) - 1` with `E(t0-1)` the starting value; 0 when `E(t-1) = 0`. */
export function returnsFromEquity(equity: Float64Array, startingValue: number): Float64Array {
  const returns = new Float64Array(equity.length);
  let previous = startingValue;
  for (let day = 0; day < equity.length; day += 1) {
    const current = equity[day] ?? 0;
    returns[day] = previous === 0 ? 0 : current / previous - 1;
    previous = current;
  }
  return returns;
}

/** `value / base * 100` day by day. */
export function percentOf(values: Float64Array, base: number): Float64Array {
  return values.map((value) => (value / base) * 100);
}

/** `value / base` day by day. */
export function ratioTo(values: Float64Array, base: number): Float64Array {
  return values.map((value) => value / base);
}
