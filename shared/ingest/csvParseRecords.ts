/**
 * The records of a CSV as csv-parse cuts them (SPEC 1.1; the path of a file with a `"` byte), with
 * recovery: csv-parse stops at a syntax error, so the rows after it are read too, parsing again
 * from the line after the bad one, and the error is told on the line where the bad cell starts.
 * An unclosed quote swallows the rest of the file: nothing follows. Blank lines are skipped; a
 * record written `""` is an empty cell, not a blank line.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { isBlankRecord } from './quoteFreeRecords.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** Calls `onRecord` with the fields and the 1-based first line of every record that is not a blank line, and `onSyntaxError` at each syntax error, in file order. */
export function forEachCsvParseRecord(
  bytes: Uint8Array,
  onRecord: (fields: string[], line: number) => void,
  onSyntaxError: (line: number, message: string) => void,
): void {
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
          if (!isBlankLine(fields, bytes, start, recordStart)) onRecord(fields, line);
          return null;
        },
      });
      return;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const bad = locateBadQuotedCell(bytes, recordStart, lines.lineAt(recordStart));
      onSyntaxError(bad.line, describeCsvError(error));
      const lineEnd = bytes.indexOf(LF, bad.offset);
      if (error.code === 'CSV_QUOTE_NOT_CLOSED' || lineEnd === -1) return;
      base = lineEnd + 1;
      recordStart = base;
    }
  }
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
