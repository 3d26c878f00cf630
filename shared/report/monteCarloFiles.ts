/**
 * The bootstrap's files (SPEC 20): montecarlo.json and `7_monte_carlo_fan.csv`, the quantiles
 * of portfolio equity across paths on each path day (`Day`, `Date`, `P5` .. `P95`; number text
 * as SPEC 6).
 */
import { parse } from 'csv-parse/sync';
import { FAN_QUANTILES } from '#shared/calc/monteCarloSummary.ts';
import { nonFiniteJsonError } from '#shared/calc/nonFinite.ts';
import { at } from '#shared/collections.ts';
import { isoDate, parseDate } from '#shared/dates.ts';
import { formatNumber } from '#shared/numbers.ts';
import type { InputError } from '#shared/problems.ts';

export const MONTE_CARLO_FILES = {
  json: 'montecarlo.json',
  fan: '7_monte_carlo_fan.csv',
} as const;

/** `P5` .. `P95`: the fan's quantile columns. */
const FAN_COLUMNS = FAN_QUANTILES.map((q) => `P${Math.round(q * 100)}`);
const FAN_HEADER = ['Day', 'Date', ...FAN_COLUMNS];

/** The fan CSV: path day `j` (1-based), its date, then one column per quantile. */
export function fanCsvText(dates: Int32Array, fan: readonly Float64Array[]): string {
  const rows = [FAN_HEADER.join(',')];
  dates.forEach((date, day) => {
    rows.push([String(day + 1), isoDate(date), ...fan.map((column) => formatNumber(column[day] ?? 0))].join(','));
  });
  return `${rows.join('\n')}\n`;
}

/** A quantile of the fan that is not finite, as bad input naming the fan CSV and its column. */
export function nonFiniteFanError(fan: readonly Float64Array[]): InputError | null {
  return nonFiniteJsonError(MONTE_CARLO_FILES.fan, Object.fromEntries(FAN_COLUMNS.map((column, i) => [column, Array.from(at(fan, i))])));
}

/** The fan as the chart reads it back from the report's own CSV (written above, so well formed): path dates and one column per quantile. */
export function parseFanCsv(text: string): { dates: Int32Array; fan: Float64Array[] } {
  const rows = parse(text, { from_line: 2, skip_empty_lines: true }) as string[][];
  const dates = Int32Array.from(rows, (row) => {
    const parsed = parseDate(row[1] ?? '', 'YYYY-MM-DD');
    if (!parsed.ok) throw new Error(`${MONTE_CARLO_FILES.fan} holds the date ${row[1] ?? ''}`);
    return parsed.day;
  });
  const fan = FAN_COLUMNS.map((_, column) => Float64Array.from(rows, (row) => Number(row[column + 2])));
  return { dates, fan };
}
