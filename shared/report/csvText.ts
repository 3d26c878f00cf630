/** CSV text as SPEC 6 writes it: shortest round-trip numbers, no formula injection, RFC 4180 quoting. */
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
}

const ROWS_PER_CHUNK = 512;

/**
 * The rows of a CSV with a `Date` column and numeric columns, as text chunks: a large file is
 * streamed, never built as one string.
 */
export function* csvChunks(isoDates: readonly string[], columns: readonly CsvColumn[]): Generator<string> {
  yield `${['Date', ...columns.map((column) => column.header)].map(textCell).join(',')}\n`;
  const cells = new Array<string>(columns.length + 1);
  let chunk: string[] = [];
  for (let day = 0; day < isoDates.length; day += 1) {
    cells[0] = isoDates[day] ?? '';
    for (let c = 0; c < columns.length; c += 1) cells[c + 1] = formatNumber(columns[c]?.values[day] ?? 0);
    chunk.push(cells.join(','));
    if (chunk.length === ROWS_PER_CHUNK) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
}
