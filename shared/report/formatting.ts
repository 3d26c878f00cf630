/** Figures as a person reads them in a terminal or an email. */

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatUsd(value: number): string {
  return dollars.format(value);
}

export function formatCount(value: number): string {
  return grouped.format(value);
}

export function formatPercent(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : `${value.toFixed(digits)}%`;
}

/** A fraction (0.0123) as a percentage (1.23%). */
export function formatFractionAsPercent(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : formatPercent(value * 100, digits);
}
