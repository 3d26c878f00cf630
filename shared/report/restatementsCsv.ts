/**
 * `restatements.csv` (SPEC 19.2): a row per changed column of a date, per removed and per
 * inserted date, by strategy in config order, then date, then column; header only when nothing
 * differs. Number text and formula guard as SPEC 6.
 */
import type { TrackRecordRestatements } from '#shared/calc/restatements.ts';
import { isoDate } from '#shared/dates.ts';
import { formatNumber } from '#shared/numbers.ts';
import { textCell } from './csvText.ts';

const HEADER = ['Strategy', 'Date', 'Kind', 'Column', 'Previous', 'Current'];

export function restatementsCsv(compared: readonly { strategy: string; restatements: TrackRecordRestatements }[]): string {
  const lines = [HEADER.join(',')];
  const number = (value: number | null): string => (value === null ? '' : formatNumber(value));
  for (const { strategy, restatements } of compared) {
    const name = textCell(strategy);
    for (const row of restatements.rows) {
      lines.push([name, isoDate(row.date), row.kind, row.column ?? '', number(row.previous), number(row.current)].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
