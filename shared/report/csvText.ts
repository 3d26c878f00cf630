/** CSV text as SPEC 6 writes it: shortest round-trip numbers, no formula injection, RFC 4180 quoting. */
import { at } from '#shared/collections.ts';
import { firstNonFiniteCell } from '#shared/calc/nonFinite.ts';
import { formatNumber, isNumberText, roundTo10Decimals } from '#shared/numbers.ts';
import { InputErrors } from '#shared/problems.ts';

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

/** A text cell: a leading `'` when a spreadsheet would read it as a formula, then quoting where needed. */
export function textCell(text: string): string {
  const guarded = formulaStart.test(text) && !isNumberText(text) ? `'${text}` : text;
  return needsQuotes.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export interface CsvColumn {
  header: string;
  values: Float64Array;
  /** Printed rounded to 10 decimal places (units that are multiples of an increment: `3 * 0.1` as 0.3). */
  tenDecimals?: boolean;
  /** The figure does not exist on some dates (SPEC 18.2): NaN there, written as an empty cell. */
  optional?: boolean;
}

/**
 * Rows formatted together, a column at a time: V8 caches the text of recent numbers, and the
 * values of one column repeat far more often than the values across a row (margins, units),
 * so this order formats about twice as fast as row by row on thousands of columns.
 */
const ROWS_PER_BLOCK = 32;
/** Rows are gathered into chunks of about this many characters: few writes, little memory. */
const CHUNK_CHARACTERS = 1 << 20;

/**
 * The rows of a CSV with a `Date` column and numeric columns, as text chunks: a large file is
 * streamed, never built as one string. A cell that is not a finite number (but an optional
 * column's empty one) ends the run as bad input, naming `file`, the column and the date: the
 * checks before the writing name most such figures earlier; this is the last line.
 */
export function* csvChunks(isoDates: readonly string[], columns: readonly CsvColumn[], file = 'a data file'): Generator<string> {
  yield `${['Date', ...columns.map((column) => column.header)].map(textCell).join(',')}\n`;
  const values = columns.map((column) => column.values);
  const nanAllowed = columns.map(({ optional }) => optional === true);
  yield* inChunks(
    (function* rows(): Generator<string> {
      for (let start = 0; start < isoDates.length; start += ROWS_PER_BLOCK) {
        const end = Math.min(start + ROWS_PER_BLOCK, isoDates.length);
        const nonFinite = firstNonFiniteCell(values, nanAllowed, { start, end });
        if (nonFinite !== null) throw nonFiniteCellError(isoDates, at(columns, nonFinite.column), nonFinite.row, file);
        yield* formattedRows(isoDates, columns, start, end);
      }
    })(),
  );
}

/** Lines gathered into chunks of about `CHUNK_CHARACTERS`, each line ended by a newline. */
export function* inChunks(lines: Iterable<string>): Generator<string> {
  let rows: string[] = [];
  let characters = 0;
  for (const line of lines) {
    rows.push(line);
    characters += line.length + 1;
    if (characters >= CHUNK_CHARACTERS) {
      yield `${rows.join('\n')}\n`;
      rows = [];
      characters = 0;
    }
  }
  if (rows.length > 0) yield `${rows.join('\n')}\n`;
}

function nonFiniteCellError(isoDates: readonly string[], { header, values }: CsvColumn, row: number, file: string): InputErrors {
  return new InputErrors([
    {
      kind: 'nonFiniteFigure',
      file,
      line: null,
      column: header,
      message: `on ${isoDates[row] ?? '?'} the figure is ${String(values[row])}, not a finite number: the inputs hold values too large or too small for the arithmetic`,
    },
  ]);
}

/** Rows `start` to `end` (excluded) as text, their cells formatted column by column. */
function formattedRows(isoDates: readonly string[], columns: readonly CsvColumn[], start: number, end: number): string[] {
  const cells: string[][] = [];
  for (let day = start; day < end; day += 1) {
    const row = new Array<string>(columns.length + 1);
    row[0] = isoDates[day] ?? '';
    cells.push(row);
  }
  for (let c = 0; c < columns.length; c += 1) {
    const { values, tenDecimals, optional } = at(columns, c);
    const rounded = tenDecimals === true;
    const blankNaN = optional === true;
    // One call site for every number keeps formatNumber inlined; an optional column's NaN is an empty cell.
    for (let r = 0; r < cells.length; r += 1) {
      const value = rounded ? roundTo10Decimals(values[start + r] ?? 0) : (values[start + r] ?? 0);
      at(cells, r)[c + 1] = blankNaN && Number.isNaN(value) ? '' : formatNumber(value);
    }
  }
  return cells.map((row) => row.join(','));
}
