/**
 * The calendar rebalancing trigger (SPEC 11): it fires on a date whose ISO week, month, quarter
 * or year differs from that of the previous calendar date.
 */
import type { RebalanceFrequency } from '#shared/config/partBSchema.ts';
import { civilDate, isoWeekday } from '#shared/dates.ts';

/** A number naming the period a date falls in: equal for two dates of one period. */
function periodOf(day: number, frequency: Exclude<RebalanceFrequency, 'none'>): number {
  if (frequency === 'weekly') {
    // ISO weeks run Monday to Sunday: a week is named by its Monday.
    return day - isoWeekday(day);
  }
  const { year, month } = civilDate(day);
  if (frequency === 'monthly') return year * 12 + month;
  if (frequency === 'quarterly') return year * 4 + Math.floor((month - 1) / 3);
  return year;
}

/** 1 on every date (after the first) where the calendar trigger fires. */
export function calendarTriggers(calendar: Int32Array, frequency: RebalanceFrequency): Uint8Array {
  const fires = new Uint8Array(calendar.length);
  if (frequency === 'none') return fires;
  for (let day = 1; day < calendar.length; day += 1) {
    fires[day] = periodOf(calendar[day] ?? 0, frequency) !== periodOf(calendar[day - 1] ?? 0, frequency) ? 1 : 0;
  }
  return fires;
}
