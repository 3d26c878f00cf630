/**
 * Aligns every strategy on one calendar (SPEC 2): the sorted union of their dates, or with
 * `intersection` only the dates they all have. A strategy with no row on a date has 0 there.
 */
import { at } from '#shared/collections.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { float64Columns } from './columnSlab.ts';

export type Alignment = 'union' | 'intersection';

export interface AlignedSeries {
  returns: Float64Array;
  marginUsed: Float64Array;
  notional: Float64Array;
  /** Calendar indexes of the strategy's own span (first to last date of its file), inclusive; spanEnd < spanStart when it has none. */
  spanStart: number;
  spanEnd: number;
}

export interface AlignedData {
  /** Day numbers, ascending. */
  calendar: Int32Array;
  /** In config order. */
  series: AlignedSeries[];
}

export function alignTrackRecords(records: readonly TrackRecord[], alignment: Alignment): AlignedData {
  const calendar = alignedCalendar(records, alignment);
  const returns = float64Columns(records.length, calendar.length);
  const marginUsed = float64Columns(records.length, calendar.length);
  const notional = float64Columns(records.length, calendar.length);
  return {
    calendar,
    series: records.map((record, s) => alignSeries(record, calendar, { returns: at(returns, s), marginUsed: at(marginUsed, s), notional: at(notional, s) })),
  };
}

/** The calendar's dates: the union of the records' dates, or those in every record. */
export function alignedCalendar(records: readonly TrackRecord[], alignment: Alignment): Int32Array {
  return alignment === 'union' ? unionOfDates(records) : intersectionOfDates(records);
}

function unionOfDates(records: readonly TrackRecord[]): Int32Array {
  const all = new Set<number>();
  for (const record of records) for (const date of record.dates) all.add(date);
  return Int32Array.from(all).sort();
}

function intersectionOfDates(records: readonly TrackRecord[]): Int32Array {
  const counts = new Map<number, number>();
  for (const record of records) for (const date of record.dates) counts.set(date, (counts.get(date) ?? 0) + 1);
  const common = [...counts].filter(([, count]) => count === records.length).map(([date]) => date);
  return Int32Array.from(common).sort();
}

/** `columns`: the calendar's length each, zero. */
function alignSeries(record: TrackRecord, calendar: Int32Array, columns: Pick<AlignedSeries, 'returns' | 'marginUsed' | 'notional'>): AlignedSeries {
  const length = calendar.length;
  const series: AlignedSeries = {
    ...columns,
    spanStart: length,
    spanEnd: -1,
  };
  const first = record.dates[0] ?? 0;
  const last = record.dates[record.dates.length - 1] ?? -1;
  let row = 0;
  for (let day = 0; day < length; day += 1) {
    const date = calendar[day] ?? 0;
    if (date >= first && date <= last) {
      series.spanStart = Math.min(series.spanStart, day);
      series.spanEnd = day;
    }
    while (row < record.dates.length && (record.dates[row] ?? 0) < date) row += 1;
    if (record.dates[row] === date) {
      series.returns[day] = record.returns[row] ?? 0;
      series.marginUsed[day] = record.marginUsed[row] ?? 0;
      series.notional[day] = record.notional[row] ?? 0;
    }
  }
  return series;
}

/** Whether some date is in every record: `intersection` needs one. */
export function hasCommonDate(records: readonly TrackRecord[]): boolean {
  return intersectionOfDates(records).length > 0;
}

/** The first and last date of the calendar the records align on; null when there is none. */
export function calendarBounds(records: readonly TrackRecord[], alignment: Alignment): { first: number; last: number } | null {
  if (alignment === 'intersection') {
    const common = intersectionOfDates(records);
    return common.length === 0 ? null : { first: common[0] ?? 0, last: common[common.length - 1] ?? 0 };
  }
  const firsts = records.map((record) => record.dates[0] ?? Number.POSITIVE_INFINITY);
  const lasts = records.map((record) => record.dates[record.dates.length - 1] ?? Number.NEGATIVE_INFINITY);
  return records.length === 0 ? null : { first: Math.min(...firsts), last: Math.max(...lasts) };
}
