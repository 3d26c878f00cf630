/** CSV text as SPEC 6 writes it: shortest round-trip numbers, no formula injection, RFC 4180 quoting. */
import { at } from '../collections.js';
import { formatNumber, isNumberText } from '../numbers.js';

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
 * streamed, never built as one string.
 */
export function* csvChunks(isoDates: readonly string[], columns: readonly CsvColumn[]): Generator<string> {
  yield `${['Date', ...columns.map((column) => column.header)].map(textCell).join(',')}\n`;
  const values = columns.map((column) => column.values);
  const optional = columns.map((column) => column.optional === true);
  let rows: string[] = [];
  let characters = 0;
  for (let start = 0; start < isoDates.length; start += ROWS_PER_BLOCK) {
    for (const row of formattedRows(isoDates, values, optional, start, Math.min(start + ROWS_PER_BLOCK, isoDates.length))) {
      rows.push(row);
      characters += row.length + 1;
      if (characters >= CHUNK_CHARACTERS) {
        yield `${rows.join('\n')}\n`;
        rows = [];
        characters = 0;
      }
    }
  }
  if (rows.length > 0) yield `${rows.join('\n')}\n`;
}

/** Rows `start` to `end` (excluded) as text, their cells formatted column by column. */
function formattedRows(
  isoDates: readonly string[],
  values: readonly Float64Array[],
  optional: readonly boolean[],
  start: number,
  end: number,
): string[] {
  const cells: string[][] = [];
  for (let day = start; day < end; day += 1) {
    const row = new Array<string>(values.length + 1);
    row[0] = isoDates[day] ?? '';
    cells.push(row);
  }
  for (let c = 0; c < values.length; c += 1) {
    const column = at(values, c);
    // One call site for every number keeps formatNumber inlined; an optional column's NaN is an empty cell.
    const blankNaN = optional[c] === true;
    for (let r = 0; r < cells.length; r += 1) {
      const value = column[start + r] ?? 0;
      at(cells, r)[c + 1] = blankNaN && Number.isNaN(value) ? '' : formatNumber(value);
    }
  }
  return cells.map((row) => row.join(','));
}
