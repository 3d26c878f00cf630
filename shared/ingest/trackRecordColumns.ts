/** The four columns of a strategy track record and the header names accepted for each (SPEC 1.1, 17). */

export const TRACK_RECORD_COLUMNS = ['Date', 'Return', 'Margin_Used', 'Notional_Value'] as const;
export type TrackRecordColumn = (typeof TRACK_RECORD_COLUMNS)[number];
/** What a benchmark's file is read for (SPEC 17): every other column is ignored. */
export const RETURN_SERIES_COLUMNS = ['Date', 'Return'] as const satisfies readonly TrackRecordColumn[];

const aliases: Record<TrackRecordColumn, readonly string[]> = {
  Date: ['date', 'day', 'timestamp'],
  Return: ['return', 'return_%', 'daily_return', 'daily_returns', 'returns', 'ret'],
  Margin_Used: ['margin_used', 'margin'],
  Notional_Value: ['notional_value', 'notional', 'notional_exposure'],
};

const columnByAlias = new Map<string, TrackRecordColumn>(
  TRACK_RECORD_COLUMNS.flatMap((column) => aliases[column].map((alias) => [alias, column] as const)),
);

/** A header cell as matched: BOM removed, trimmed, lower-cased, `-` and space read as `_`. */
export function normalizeHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[- ]/g, '_');
}

/** The canonical column a header names, or undefined for a column that is ignored. */
export function canonicalColumn(header: string): TrackRecordColumn | undefined {
  return columnByAlias.get(normalizeHeader(header));
}
