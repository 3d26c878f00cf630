/**
 * Reads one strategy CSV (SPEC 1.1) into date-sorted columns, collecting every error with its
 * file, the 1-based physical line on which the bad cell starts, and the canonical column. A
 * benchmark (SPEC 17) is read by the same rules for `Date` and `Return` only. The records come
 * from the quote-free fast path or csv-parse; `TrackRecordReader` checks them, `RowCollector`
 * sorts them, and a file that reads gets its warnings.
 */
import { createHash } from 'node:crypto';
import type { DateFormat } from '#shared/dates.ts';
import type { InputError, InputWarning } from '#shared/problems.ts';
import { forEachCsvParseRecord } from './csvParseRecords.ts';
import { forEachQuoteFreeRecord, isBlankRecord, isQuoteFree } from './quoteFreeRecords.ts';
import { unreadableText } from './textEncoding.ts';
import { TRACK_RECORD_COLUMNS, type TrackRecordColumn } from './trackRecordColumns.ts';
import { TrackRecordReader } from './trackRecordReader.ts';
import { trackRecordWarnings } from './trackRecordWarnings.ts';

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
  reader.readRecords(() => {
    if (splitter === 'auto' && isQuoteFree(bytes)) {
      forEachQuoteFreeRecord(bytes, (fields, line) => {
        if (!isBlankRecord(fields)) reader.readRecord(fields, line);
      });
    } else {
      forEachCsvParseRecord(
        bytes,
        (fields, line) => reader.readRecord(fields, line),
        (line, message) => reader.report('csvSyntax', line, null, message),
      );
    }
  });

  const sorted = reader.rows.sortedByDate();
  reader.reportDuplicateDates(sorted.duplicates);
  const { errors, warnings } = reader;
  if (errors.length > 0) return { record: null, errors, warnings };

  warnings.push(...trackRecordWarnings(file, sorted));
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
