/**
 * Restatements (SPEC 19.2): a strategy's track record compared date by date with the copy sent
 * before. A date in both whose `Return`, `Margin_Used` or `Notional_Value` moved by more than
 * 1e-12 of the larger magnitude is `changed` (so `0.7%` and `0.007` are the same value); a date
 * only in the previous copy is `removed`; a new date on or before the previous copy's last date
 * is `inserted`, after it `appended` (the normal case, only counted).
 */
import { isoDate } from '#shared/dates.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import type { TrackRecordColumn } from '#shared/ingest/trackRecordColumns.ts';

export type DatedValues = Pick<TrackRecord, 'dates' | 'returns' | 'marginUsed' | 'notional'>;

export type RestatementKind = 'changed' | 'removed' | 'inserted';

/** One row of `restatements.csv`: a changed column of a date, or a removed or inserted date (its `Return`). */
export interface Restatement {
  date: number;
  kind: RestatementKind;
  /** The changed column; null for a removed or inserted date. */
  column: TrackRecordColumn | null;
  previous: number | null;
  current: number | null;
}

export interface TrackRecordRestatements {
  /** Counts of dates. */
  changed: number;
  removed: number;
  inserted: number;
  appended: number;
  /** Date order, then `Return`, `Margin_Used`, `Notional_Value`. */
  rows: Restatement[];
}

const RELATIVE_TOLERANCE = 1e-12;

/** Whether two readings of one cell differ beyond rounding: `|p - c| > 1e-12 * max(|p|, |c|)`. */
export function differs(previous: number, current: number): boolean {
  return Math.abs(previous - current) > RELATIVE_TOLERANCE * Math.max(Math.abs(previous), Math.abs(current));
}

/** Both records hold ascending, unique dates: one merge walk. */
export function compareTrackRecords(previous: DatedValues, current: DatedValues): TrackRecordRestatements {
  const result: TrackRecordRestatements = { changed: 0, removed: 0, inserted: 0, appended: 0, rows: [] };
  const previousLast = previous.dates[previous.dates.length - 1] ?? Number.NEGATIVE_INFINITY;
  let p = 0;
  let c = 0;
  while (p < previous.dates.length || c < current.dates.length) {
    const previousDate = previous.dates[p] ?? Number.POSITIVE_INFINITY;
    const currentDate = current.dates[c] ?? Number.POSITIVE_INFINITY;
    if (previousDate < currentDate) {
      result.removed += 1;
      result.rows.push({ date: previousDate, kind: 'removed', column: null, previous: previous.returns[p] ?? 0, current: null });
      p += 1;
    } else if (currentDate < previousDate) {
      if (currentDate > previousLast) {
        result.appended += 1;
      } else {
        result.inserted += 1;
        result.rows.push({ date: currentDate, kind: 'inserted', column: null, previous: null, current: current.returns[c] ?? 0 });
      }
      c += 1;
    } else {
      const changedColumns = changedCells(previous, p, current, c, currentDate);
      if (changedColumns.length > 0) {
        result.changed += 1;
        result.rows.push(...changedColumns);
      }
      p += 1;
      c += 1;
    }
  }
  return result;
}

function changedCells(previous: DatedValues, p: number, current: DatedValues, c: number, date: number): Restatement[] {
  const cells: [TrackRecordColumn, number, number][] = [
    ['Return', previous.returns[p] ?? 0, current.returns[c] ?? 0],
    ['Margin_Used', previous.marginUsed[p] ?? 0, current.marginUsed[c] ?? 0],
    ['Notional_Value', previous.notional[p] ?? 0, current.notional[c] ?? 0],
  ];
  return cells
    .filter(([, before, now]) => differs(before, now))
    .map(([column, before, now]) => ({ date, kind: 'changed' as const, column, previous: before, current: now }));
}

/** A date's `Return` as sent before and as sent now. */
export interface ReturnChange {
  date: number;
  previous: number;
  current: number;
  /** current - previous. */
  difference: number;
}

/**
 * The date whose `Return` moved most between the two copies (by |current - previous|; the
 * earliest on a tie); null when no date in both changed its return. A removed or inserted date
 * has no return on one side: it is listed, never compared.
 */
export function largestReturnChange(rows: readonly Restatement[]): ReturnChange | null {
  let largest: ReturnChange | null = null;
  for (const row of rows) {
    if (row.kind !== 'changed' || row.column !== 'Return' || row.previous === null || row.current === null) continue;
    const difference = row.current - row.previous;
    if (largest === null || Math.abs(difference) > Math.abs(largest.difference)) largest = { date: row.date, previous: row.previous, current: row.current, difference };
  }
  return largest;
}

export interface StrategyRestatementSummary {
  changed: number;
  removed: number;
  inserted: number;
  appended: number;
  firstDate: string;
  lastDate: string;
}

/** summary.json `restatements`: the strategies with a changed, removed or inserted date. */
export interface RestatementsSummary {
  previous: string;
  strategies: Record<string, StrategyRestatementSummary>;
}

export interface RestatementsCheck {
  status: 'pass' | 'fail';
  /** How many strategies were restated, and their changed, removed and inserted dates in all. */
  strategies: number;
  dates: number;
}

/** From each compared strategy's restatements, in config order; `label` names the previous copy. */
export function restatementsSummary(label: string, compared: readonly { strategy: string; restatements: TrackRecordRestatements }[]): RestatementsSummary {
  const strategies: Record<string, StrategyRestatementSummary> = {};
  for (const { strategy, restatements } of compared) {
    const { changed, removed, inserted, appended, rows } = restatements;
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first === undefined || last === undefined) continue;
    strategies[strategy] = { changed, removed, inserted, appended, firstDate: isoDate(first.date), lastDate: isoDate(last.date) };
  }
  return { previous: label, strategies };
}

/** A restated strategy as the morning's lines name it: summary.json's counts and dates, and the return that moved most. */
export interface RestatedStrategy extends StrategyRestatementSummary {
  largestReturnChange: ReturnChange | null;
}

/** The strategies summary.json lists as restated, in its order, each with its largest return change from its rows. */
export function restatedStrategies(summary: RestatementsSummary, rows: Readonly<Record<string, { rows: readonly Restatement[] }>>): Record<string, RestatedStrategy> {
  return Object.fromEntries(
    Object.entries(summary.strategies).map(([name, strategy]) => [name, { ...strategy, largestReturnChange: largestReturnChange(rows[name]?.rows ?? []) }]),
  );
}

export function restatementsCheck(summary: RestatementsSummary): RestatementsCheck {
  const listed = Object.values(summary.strategies);
  return {
    status: listed.length > 0 ? 'fail' : 'pass',
    strategies: listed.length,
    dates: listed.reduce((sum, strategy) => sum + strategy.changed + strategy.removed + strategy.inserted, 0),
  };
}
