/** Figures as a person reads them in a terminal or an email. */

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const wholeDollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export function formatUsd(value: number): string {
  return dollars.format(value);
}

export function formatCount(value: number): string {
  return grouped.format(value);
}

/** A count with its noun: "1 day", "2,608 days". */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : plural}`;
}

/** A percentage with fixed digits ("20.70%"); one that rounds to zero reads "0.00%", never "-0.00%". */
export function formatPercent(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : `${formatFixed(value, digits)}%`;
}

/** A fraction (0.0123) as a percentage (1.23%). */
export function formatFractionAsPercent(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : formatPercent(value * 100, digits);
}

/** Fixed digits with no "-0.0": a figure that rounds to zero reads as zero, without a sign. */
export function formatFixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? text.replace('-', '') : text;
}

/** Whole dollars with their sign, as a morning figure reads: "+$12,345", "-$980", "$0". */
export function formatSignedUsd(value: number): string {
  // Half a dollar away from zero, as a loss reads the same as a gain of the same size.
  const dollarsAway = Math.round(Math.abs(value));
  if (dollarsAway === 0) return '$0';
  return `${value > 0 ? '+' : '-'}${wholeDollars.format(dollarsAway)}`;
}

/** A fraction as a signed percentage with one decimal: "+1.1 %", "-0.3 %", "0.0 %" (`unit` '' where a heading says "%"). */
export function formatSignedPercent(fraction: number, digits = 1, unit = ' %'): string {
  const text = formatFixed(fraction * 100, digits);
  return `${Number(text) > 0 ? '+' : ''}${text}${unit}`;
}

/** SPEC 18.1's probabilistic Sharpe beside a Sharpe: "PSR 97%" (the probability the true Sharpe is above 0), "PSR n/a" when undefined. */
export function formatProbabilisticSharpe(value: number | null): string {
  return `PSR ${formatFractionAsPercent(value, 0)}`;
}
