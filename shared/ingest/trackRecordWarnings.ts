/**
 * What may be wrong with a track record that reads (SPEC 6 `warnings`): returns that look like
 * percentages written as fractions, and gaps of more than ten calendar days between dates.
 */
import { isoDate } from '#shared/dates.ts';
import type { InputWarning } from '#shared/problems.ts';
import type { SortedRows } from './sortedRows.ts';

const PERCENT_LIKE_RETURN = 0.5;
const GAP_WARNING_DAYS = 10;

export function trackRecordWarnings(file: string, rows: SortedRows): InputWarning[] {
  return [...percentLikeWarnings(file, rows), ...gapWarnings(file, rows)];
}

function percentLikeWarnings(file: string, rows: SortedRows): InputWarning[] {
  const days: number[] = [];
  for (let row = 0; row < rows.returns.length; row += 1) if (Math.abs(rows.returns[row] ?? 0) > PERCENT_LIKE_RETURN) days.push(row);
  const first = days[0];
  if (first === undefined) return [];
  const dates = days.map((row) => isoDate(rows.dates[row] ?? 0));
  return [
    {
      kind: 'looksLikePercent',
      file,
      line: rows.lines[first] ?? null,
      column: 'Return',
      message: `${days.length} day(s) with |Return| > ${PERCENT_LIKE_RETURN}: are these percent, not fractions? ${dates.join(', ')}`,
    },
  ];
}

function gapWarnings(file: string, rows: SortedRows): InputWarning[] {
  const warnings: InputWarning[] = [];
  for (let row = 1; row < rows.dates.length; row += 1) {
    const gap = (rows.dates[row] ?? 0) - (rows.dates[row - 1] ?? 0);
    if (gap > GAP_WARNING_DAYS) {
      warnings.push({
        kind: 'dateGap',
        file,
        line: rows.lines[row] ?? null,
        column: 'Date',
        message: `${gap} calendar days between ${isoDate(rows.dates[row - 1] ?? 0)} and ${isoDate(rows.dates[row] ?? 0)}`,
      });
    }
  }
  return warnings;
}
