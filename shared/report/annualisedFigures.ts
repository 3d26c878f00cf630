/**
 * Annualised figures over less than a year (issue 13, SPEC 7's `years < 1`): CAGR, volatility,
 * Sharpe, Sortino and Calmar of a level with less than a year of history are shown as "n/m"
 * (not meaningful) with this note, never as a number. A display rule only: summary.json keeps
 * SPEC 7's values.
 */

export const NOT_MEANINGFUL = 'n/m';

export const NOT_MEANINGFUL_NOTE =
  'n/m: not meaningful. CAGR, volatility, Sharpe, Sortino and Calmar scale a history to a year; over less than a year (SPEC 7 years < 1) a few good or bad days would read as a yearly rate, so they are not shown (summary.json keeps the values).';

/** True when SPEC 7's years of a level make its annualised figures not meaningful. */
export function tooShortToAnnualise(years: number): boolean {
  return years < 1;
}

/** An annualised figure as shown: "n/m" under a year of history, else the figure formatted. */
export function annualisedFigure(years: number, value: number | null, format: (value: number | null) => string): string {
  return tooShortToAnnualise(years) ? NOT_MEANINGFUL : format(value);
}
