/**
 * A figure of the report that is not a finite number, as bad input (issue 10): inputs inside
 * SPEC 1.2's ranges can still overflow a double, and such a figure must end the run naming the
 * strategy (or account), the date and the column where it first appears, never be published.
 */
import { firstNonFiniteCell } from '#shared/calc/nonFinite.ts';
import { isoDates } from '#shared/dates.ts';
import type { RunSeries } from '#shared/model/runSeries.ts';
import type { InputData } from '#shared/model/scaledData.ts';
import type { Validation } from '#shared/model/validation.ts';
import type { InputError } from '#shared/problems.ts';
import { levelColumns, type LevelColumns } from './reportFiles.ts';

/** The first date on which a column of some level is NaN or infinite (ties: the first column in file order). */
function nonFiniteColumnError(levels: readonly LevelColumns[], dates: readonly string[]): InputError | null {
  const columns = levels.flatMap((level) => level.columns.map((column) => ({ level, column })));
  const cell = firstNonFiniteCell(columns.map(({ column }) => column.values));
  if (cell === null) return null;
  const found = columns[cell.column];
  if (found === undefined) return null;
  const { level, column } = found;
  return {
    kind: 'nonFiniteFigure',
    file: level.file,
    line: null,
    column: column.header,
    message:
      `on ${dates[cell.row] ?? '?'} ${level.label}'s figure is ${String(column.values[cell.row])}, not a finite number: ` +
      `the values are too large or too small for the arithmetic (check ${level.sources})`,
  };
}

/** The first figure of the run's data files that is not finite: every strategy's, account's and the portfolio's columns. */
export function nonFiniteReportFigure(validation: Validation, scaled: InputData, series: RunSeries): InputError | null {
  const levels = levelColumns(validation, scaled, series);
  return nonFiniteColumnError([...levels.strategies, ...levels.accounts, levels.portfolio], isoDates(scaled.aligned.calendar));
}
