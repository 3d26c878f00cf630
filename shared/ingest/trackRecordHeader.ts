/**
 * The header of a track record (SPEC 1.1): which field holds each canonical column, under the
 * name the file wrote; a column written twice or missing is an error, an unknown one a warning.
 */
import type { InputErrorKind, InputWarning } from '#shared/problems.ts';
import { quoted } from '#shared/quoted.ts';
import { canonicalColumn, type TrackRecordColumn } from './trackRecordColumns.ts';

export interface HeaderLayout {
  width: number;
  /** Field index of each canonical column; -1 when missing (already reported). */
  index: Record<TrackRecordColumn, number>;
  written: Record<TrackRecordColumn, string>;
}

export type Reporter = (kind: InputErrorKind, line: number | null, column: TrackRecordColumn | null, message: string) => void;

/** The layout of the header on line `line`, reading `columns`; errors go to `report`, the ignored columns' warning to `warnings`. */
export function readHeader(
  fields: readonly string[],
  line: number,
  file: string,
  columns: readonly TrackRecordColumn[],
  report: Reporter,
  warnings: InputWarning[],
): HeaderLayout {
  const index = { Date: -1, Return: -1, Margin_Used: -1, Notional_Value: -1 };
  const written = { Date: '', Return: '', Margin_Used: '', Notional_Value: '' };
  const ignored: string[] = [];
  fields.forEach((header, position) => {
    const column = canonicalColumn(header);
    if (column === undefined || !columns.includes(column)) {
      ignored.push(header);
    } else if (index[column] === -1) {
      index[column] = position;
      written[column] = header;
    } else {
      report('duplicateColumn', line, column, `headers ${quoted(written[column])} and ${quoted(header)} both mean ${column}`);
    }
  });
  for (const column of columns) {
    if (index[column] === -1) report('missingColumn', line, column, `the header has no ${column} column (header: ${quoted(fields.join(','))})`);
  }
  if (ignored.length > 0) {
    warnings.push({
      kind: 'ignoredColumns',
      file,
      line,
      column: ignored.join(', '),
      message: `columns ignored: ${ignored.map(quoted).join(', ')}`,
    });
  }
  return { width: fields.length, index, written };
}
