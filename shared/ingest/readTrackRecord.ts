/**
 * Reads one strategy CSV (SPEC 1.1) into date-sorted columns, collecting every error with its
 * file, the 1-based physical line on which the bad cell starts, and the canonical column. A
 * benchmark (SPEC 17) is read by the same rules for `Date` and `Return` only.
 */
import { createHash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { isoDate, parseDate, type DateFormat } from '#shared/dates.ts';
import { parseNumber, parseReturn, type ParsedNumber } from '#shared/numbers.ts';
import type { InputError, InputErrorKind, InputWarning } from '#shared/problems.ts';
import { quoted } from '#shared/quoted.ts';
import { plainDecimal } from './plainDecimal.ts';
import { forEachQuoteFreeRecord, isQuoteFree } from './quoteFreeRecords.ts';
import { unreadableText } from './textEncoding.ts';
import { canonicalColumn, TRACK_RECORD_COLUMNS, type TrackRecordColumn } from './trackRecordColumns.ts';

export interface TrackRecord {
  strategy: string;
  file: string;
  rows: number;
  sha256: string;
  /** Ascending, unique. */
  dates: Int32Array;
  returns: Float64Array;
  marginUsed: Float64Array;
  notional: Float64Array;
}

export interface TrackRecordReading {
  record: TrackRecord | null;
  errors: InputError[];
  warnings: InputWarning[];
}

/** Beyond this many errors in one file the rest of it is not checked: nobody reads a million lines. */
export const MAX_ERRORS_PER_FILE = 1000;
const PERCENT_LIKE_RETURN = 0.5;
const GAP_WARNING_DAYS = 10;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

class TooManyErrors extends Error {}

/**
 * How records are cut from the bytes: `auto` takes the quote-free fast path when it applies
 * (no `"` byte), `csvParse` always uses csv-parse. The result is the same; the choice exists
 * so that a test can hold the two paths to that.
 */
export type RecordSplitter = 'auto' | 'csvParse';

export function readTrackRecord(
  strategy: string,
  file: string,
  bytes: Uint8Array,
  dateFormat: DateFormat,
  splitter: RecordSplitter = 'auto',
  /** The columns read; every other one is ignored with a warning. A column not read holds NaN. */
  columns: readonly TrackRecordColumn[] = TRACK_RECORD_COLUMNS,
): TrackRecordReading {
  const notText = unreadableText(bytes);
  if (notText !== null) return { record: null, errors: [{ kind: 'notUtf8Text', file, line: null, column: null, message: notText }], warnings: [] };
  const reader = new TrackRecordReader(file, dateFormat, columns);
  try {
    if (splitter === 'auto' && isQuoteFree(bytes)) {
      forEachQuoteFreeRecord(bytes, (fields, line) => {
        if (!isBlankRecord(fields)) reader.readRecord(fields, line);
      });
    } else {
      readCsvParseRecords(bytes, reader);
    }
    reader.checkNotEmpty();
  } catch (error) {
    // Past MAX_ERRORS_PER_FILE the rest is not checked, whether the file is empty included.
    if (!(error instanceof TooManyErrors)) throw error;
  }

  const { errors, warnings } = reader;
  const sorted = reader.rows.sortedByDate();
  for (const { earlier, later } of sorted.duplicates) {
    if (errors.length >= MAX_ERRORS_PER_FILE) break;
    errors.push({ kind: 'duplicateDate', file, line: later.line, column: 'Date', message: `date ${isoDate(later.date)} appears again (first on line ${earlier.line})` });
  }
  if (errors.length > 0) return { record: null, errors, warnings };

  warnings.push(...percentLikeWarnings(file, sorted), ...gapWarnings(file, sorted));
  const record: TrackRecord = {
    strategy,
    file,
    rows: reader.dataRows,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    dates: sorted.dates,
    returns: sorted.returns,
    marginUsed: sorted.marginUsed,
    notional: sorted.notional,
  };
  return { record, errors, warnings };
}

/**
 * csv-parse stops at a syntax error; the rows after it are checked too, parsing again from
 * the line after the bad one. An unclosed quote swallows the rest of the file: nothing follows.
 */
function readCsvParseRecords(bytes: Uint8Array, reader: TrackRecordReader): void {
  const lines = new LineCounter(bytes);
  let recordStart = 0;
  for (let base = 0; base < bytes.length; ) {
    try {
      parse(bytes.subarray(base), {
        bom: base === 0,
        relax_column_count: true,
        record_delimiter: ['\r\n', '\n'],
        on_record: (fields, context) => {
          const start = recordStart;
          recordStart = base + context.bytes;
          const line = lines.lineAt(start);
          if (!isBlankLine(fields, bytes, start, recordStart)) reader.readRecord(fields, line);
          return null;
        },
      });
      return;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const bad = locateBadQuotedCell(bytes, recordStart, lines.lineAt(recordStart));
      reader.report('csvSyntax', bad.line, null, describeCsvError(error));
      const lineEnd = bytes.indexOf(LF, bad.offset);
      if (error.code === 'CSV_QUOTE_NOT_CLOSED' || lineEnd === -1) return;
      base = lineEnd + 1;
      recordStart = base;
    }
  }
}

interface HeaderLayout {
  width: number;
  /** Field index of each canonical column; -1 when missing (already reported). */
  index: Record<TrackRecordColumn, number>;
  written: Record<TrackRecordColumn, string>;
}

type Reporter = (kind: InputErrorKind, line: number | null, column: TrackRecordColumn | null, message: string) => void;

/**
 * One file being read, record by record: the header first, then the data rows. Its methods
 * do per row what closures would do; a closure made per row would cost more than the row
 * itself, all the more under tsx, whose esbuild transform names every function it creates.
 */
class TrackRecordReader {
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

  /** After the last record: no header, or a header and no data row, is an empty file. */
  checkNotEmpty(): void {
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

function readHeader(
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

/** A quoted cell can span lines: the cell starts after the line breaks of the cells before it. */
function newlinesBefore(fields: readonly string[], position: number): number {
  let count = 0;
  for (let index = 0; index < position; index += 1) {
    const field = fields[index] ?? '';
    for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) count += 1;
  }
  return count;
}

/** An empty or white-space line comes out of both splitters as one blank field. */
function isBlankRecord(fields: readonly string[]): boolean {
  return fields.length === 1 && (fields[0] ?? '').trim() === '';
}

/** A blank record of csv-parse is a blank line unless it was written quoted (`""`, an empty cell). */
function isBlankLine(fields: readonly string[], bytes: Uint8Array, start: number, end: number): boolean {
  return isBlankRecord(fields) && !bytes.subarray(start, end).includes(QUOTE);
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'CSV syntax: a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'CSV syntax: text after a closing quote';
    case 'INVALID_OPENING_QUOTE':
      return 'CSV syntax: a quote inside an unquoted field';
    default:
      return `CSV syntax: ${error.message}`;
  }
}

/**
 * csv-parse says only where it noticed a quoting error; the SPEC wants the line on which the
 * bad cell starts, so the record is walked again from its first byte. Returns that line and the
 * offset where the fault was found.
 */
function locateBadQuotedCell(bytes: Uint8Array, start: number, startLine: number): { line: number; offset: number } {
  let line = startLine;
  let at = start;
  const end = bytes.length;
  while (at < end) {
    const cellLine = line;
    if (bytes[at] === QUOTE) {
      at += 1;
      for (;;) {
        if (at >= end) return { line: cellLine, offset: end };
        if (bytes[at] === QUOTE) {
          if (bytes[at + 1] !== QUOTE) break;
          at += 1;
        } else if (bytes[at] === LF) {
          line += 1;
        }
        at += 1;
      }
      at += 1;
      const next = bytes[at];
      if (at < end && next !== COMMA && next !== LF && !(next === CR && bytes[at + 1] === LF)) return { line: cellLine, offset: at };
    } else {
      for (; at < end && bytes[at] !== COMMA && bytes[at] !== LF; at += 1) {
        if (bytes[at] === QUOTE) return { line: cellLine, offset: at };
      }
    }
    if (bytes[at] === CR) at += 1;
    if (bytes[at] === LF) line += 1;
    at += 1;
  }
  return { line, offset: end };
}

/** 1-based line of a byte offset, counted forward as offsets grow. */
class LineCounter {
  private offset = 0;
  private line = 1;

  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  lineAt(offset: number): number {
    for (let at = this.bytes.indexOf(LF, this.offset); at !== -1 && at < offset; at = this.bytes.indexOf(LF, at + 1)) {
      this.line += 1;
    }
    this.offset = Math.max(this.offset, offset);
    return this.line;
  }
}

interface SortedRows {
  dates: Int32Array;
  returns: Float64Array;
  marginUsed: Float64Array;
  notional: Float64Array;
  lines: Int32Array;
  duplicates: { earlier: { date: number; line: number }; later: { date: number; line: number } }[];
}

class RowCollector {
  private readonly dates: number[] = [];
  private readonly returns: number[] = [];
  private readonly marginUsed: number[] = [];
  private readonly notional: number[] = [];
  private readonly lines: number[] = [];

  add(date: number, dailyReturn: number, margin: number, notional: number, line: number): void {
    this.dates.push(date);
    this.returns.push(dailyReturn);
    this.marginUsed.push(margin);
    this.notional.push(notional);
    this.lines.push(line);
  }

  /** Rows sorted by date (then line); a repeated date is kept out and listed with the line it repeats. */
  sortedByDate(): SortedRows {
    const { dates, lines } = this;
    const order = Array.from(dates.keys());
    // Rows are added in line order, so rows already in date order (the usual file) are sorted as they are.
    if (!isNonDecreasing(dates)) order.sort((a, b) => (dates[a] ?? 0) - (dates[b] ?? 0) || (lines[a] ?? 0) - (lines[b] ?? 0));
    const kept: number[] = [];
    const duplicates: SortedRows['duplicates'] = [];
    for (const row of order) {
      const first = kept[kept.length - 1];
      if (first !== undefined && dates[first] === dates[row]) {
        duplicates.push({ earlier: this.at(first), later: this.at(row) });
      } else {
        kept.push(row);
      }
    }
    return {
      dates: picked(dates, kept, new Int32Array(kept.length)),
      returns: picked(this.returns, kept, new Float64Array(kept.length)),
      marginUsed: picked(this.marginUsed, kept, new Float64Array(kept.length)),
      notional: picked(this.notional, kept, new Float64Array(kept.length)),
      lines: picked(lines, kept, new Int32Array(kept.length)),
      duplicates,
    };
  }

  private at(row: number): { date: number; line: number } {
    return { date: this.dates[row] ?? 0, line: this.lines[row] ?? 0 };
  }
}

function isNonDecreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i += 1) if ((values[i] ?? 0) < (values[i - 1] ?? 0)) return false;
  return true;
}

/** `into[k] = values[rows[k]]`. */
function picked<T extends Int32Array | Float64Array>(values: readonly number[], rows: readonly number[], into: T): T {
  for (let k = 0; k < rows.length; k += 1) into[k] = values[rows[k] ?? 0] ?? 0;
  return into;
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
