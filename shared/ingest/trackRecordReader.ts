/**
 * The rows of one track record checked cell by cell (SPEC 1.1), record by record: the header
 * first, then each data row's date, return, margin and notional. Every error names the file, the
 * 1-based physical line on which the bad cell starts, and the canonical column.
 */
import { isoDate, parseDate, type DateFormat } from '#shared/dates.ts';
import { parseNumber, parseReturn, type ParsedNumber } from '#shared/numbers.ts';
import type { InputError, InputErrorKind, InputWarning } from '#shared/problems.ts';
import { quoted } from '#shared/quoted.ts';
import { plainDecimal } from './plainDecimal.ts';
import { RowCollector, type SortedRows } from './sortedRows.ts';
import type { TrackRecordColumn } from './trackRecordColumns.ts';
import { readHeader, type HeaderLayout } from './trackRecordHeader.ts';

/** Beyond this many errors in one file the rest of it is not checked: nobody reads a million lines. */
export const MAX_ERRORS_PER_FILE = 1000;

class TooManyErrors extends Error {}

/**
 * One file being read. Its methods do per row what closures would do; a closure made per row
 * would cost more than the row itself, all the more under tsx, whose esbuild transform names
 * every function it creates.
 */
export class TrackRecordReader {
  readonly errors: InputError[] = [];
  readonly warnings: InputWarning[] = [];
  readonly rows = new RowCollector();
  dataRows = 0;
  private layout: HeaderLayout | null = null;

  private readonly file: string;
  private readonly dateFormat: DateFormat;
  private readonly columns: readonly TrackRecordColumn[];

  constructor(file: string, dateFormat: DateFormat, columns: readonly TrackRecordColumn[]) {
    this.file = file;
    this.dateFormat = dateFormat;
    this.columns = columns;
  }

  /**
   * Runs `split`, which feeds every record to `readRecord`, then tells an empty file. Past
   * MAX_ERRORS_PER_FILE the rest is not checked, whether the file is empty included.
   */
  readRecords(split: () => void): void {
    try {
      split();
      this.checkNotEmpty();
    } catch (error) {
      if (!(error instanceof TooManyErrors)) throw error;
    }
  }

  /** Records an error; past MAX_ERRORS_PER_FILE it throws TooManyErrors, which ends the reading. */
  report(kind: InputErrorKind, line: number | null, column: TrackRecordColumn | null, message: string): void {
    const { errors, file } = this;
    if (errors.length >= MAX_ERRORS_PER_FILE) {
      errors.push({ kind, file, line, column, message: `${message} (more than ${MAX_ERRORS_PER_FILE} errors: the rest of the file was not checked)` });
      throw new TooManyErrors();
    }
    errors.push({ kind, file, line, column, message });
  }

  /** A record that is not a blank line, starting on physical line `line`. */
  readRecord(fields: readonly string[], line: number): void {
    const { layout } = this;
    if (layout === null) {
      this.layout = readHeader(fields, line, this.file, this.columns, (kind, at, column, message) => this.report(kind, at, column, message), this.warnings);
      return;
    }
    this.dataRows += 1;
    if (fields.length !== layout.width) {
      this.report('fieldCount', line, null, `the row has ${fields.length} fields, the header has ${layout.width}`);
      return;
    }
    this.readRow(fields, line, layout);
  }

  /** Each date written again, on the line of its later writing, up to MAX_ERRORS_PER_FILE errors in all. */
  reportDuplicateDates(duplicates: SortedRows['duplicates']): void {
    const { errors, file } = this;
    for (const { earlier, later } of duplicates) {
      if (errors.length >= MAX_ERRORS_PER_FILE) break;
      errors.push({ kind: 'duplicateDate', file, line: later.line, column: 'Date', message: `date ${isoDate(later.date)} appears again (first on line ${earlier.line})` });
    }
  }

  /** After the last record: no header, or a header and no data row, is an empty file. */
  private checkNotEmpty(): void {
    if (this.layout === null) {
      if (this.errors.length === 0) this.report('emptyFile', null, null, 'the file is empty: it has no header and no data row');
    } else if (this.dataRows === 0) {
      this.report('emptyFile', null, null, 'the file has a header but no data row');
    }
  }

  private readRow(fields: readonly string[], line: number, layout: HeaderLayout): void {
    const dateText = this.cellText(fields, line, layout, 'Date');
    const parsedDate = dateText === null ? null : parseDate(dateText, this.dateFormat);
    const date = parsedDate === null ? null : parsedDate.ok ? parsedDate.day : this.fail(fields, line, layout, 'Date', 'badDate', parsedDate.reason);
    const returnValue = this.numberIn(fields, line, layout, 'Return', parseReturn);
    const dailyReturn =
      returnValue !== null && returnValue <= -1
        ? this.fail(fields, line, layout, 'Return', 'returnAtOrBelowMinusOne', `a return of ${returnValue} is a loss of 100 % or more`)
        : returnValue;
    const margin = this.nonNegativeIn(fields, line, layout, 'Margin_Used');
    const notional = this.nonNegativeIn(fields, line, layout, 'Notional_Value');
    // Every dated row takes part in the duplicate-date check; a row with a bad cell never reaches the report.
    if (date !== null) this.rows.add(date, dailyReturn ?? Number.NaN, margin ?? Number.NaN, notional ?? Number.NaN, line);
  }

  /** Reports a bad cell on the line where it starts; null, the value of a cell that failed. */
  private fail(fields: readonly string[], line: number, layout: HeaderLayout, column: TrackRecordColumn, kind: InputErrorKind, message: string): null {
    this.report(kind, line + newlinesBefore(fields, layout.index[column]), column, message);
    return null;
  }

  /** The trimmed text of a cell; null when the column is missing or the cell is empty (reported). */
  private cellText(fields: readonly string[], line: number, layout: HeaderLayout, column: TrackRecordColumn): string | null {
    const position = layout.index[column];
    if (position === -1) return null;
    const text = (fields[position] ?? '').trim();
    return text === '' ? this.fail(fields, line, layout, column, 'emptyCell', `the ${column} cell is empty (header ${quoted(layout.written[column])})`) : text;
  }

  /** A number cell as `parser` reads it (a plain decimal by the fast path, to the same value); null when it fails (reported). */
  private numberIn(
    fields: readonly string[],
    line: number,
    layout: HeaderLayout,
    column: TrackRecordColumn,
    parser: (text: string) => ParsedNumber,
  ): number | null {
    const text = this.cellText(fields, line, layout, column);
    if (text === null) return null;
    const plain = plainDecimal(text);
    if (!Number.isNaN(plain)) return plain;
    const parsed = parser(text);
    return parsed.ok ? parsed.value : this.fail(fields, line, layout, column, 'notANumber', `${parsed.reason} (header ${quoted(layout.written[column])})`);
  }

  private nonNegativeIn(fields: readonly string[], line: number, layout: HeaderLayout, column: TrackRecordColumn): number | null {
    const value = this.numberIn(fields, line, layout, column, parseNumber);
    return value !== null && value < 0 ? this.fail(fields, line, layout, column, 'negativeValue', `${column} is negative (${value})`) : value;
  }
}

/** A quoted cell can span lines: the cell starts after the line breaks of the cells before it. */
function newlinesBefore(fields: readonly string[], position: number): number {
  let count = 0;
  for (let index = 0; index < position; index += 1) {
    const field = fields[index] ?? '';
    for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) count += 1;
  }
  return count;
}
