/**
 * Calendar dates as whole days since 1970-01-01 (an `Int32Array` holds a calendar), parsed
 * in the one format the config names and printed as ISO `YYYY-MM-DD`.
 */

export const DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const isoPattern = /^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$/s;
const slashPattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(.*)$/s;
const timePattern = /^[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2})(?::(\d{2}))?)?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The inverse of `dayNumber` (H. Hinnant's civil_from_days). */
export function civilDate(dayNumberValue: number): CivilDate {
  const z = dayNumberValue + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  return dayNumber(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayNumber(year, month, 1);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD`. */
export function isoDate(dayNumberValue: number): string {
  const { year, month, day } = civilDate(dayNumberValue);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** `YYYY-MM`. */
export function isoMonth(dayNumberValue: number): string {
  const { year, month } = civilDate(dayNumberValue);
  return `${year}-${pad2(month)}`;
}

export type ParsedDate = { ok: true; day: number } | { ok: false; reason: string };

/**
 * Parses one date cell (already trimmed). A time after `T` or a space must be well formed
 * and is then ignored: no time-zone conversion.
 */
export function parseDate(text: string, format: DateFormat): ParsedDate {
  const match = format === 'YYYY-MM-DD' ? isoPattern.exec(text) : slashPattern.exec(text);
  if (match === null) return { ok: false, reason: `${JSON.stringify(text)} is not a date in the format ${format}` };
  const [first, second, third, rest] = [Number(match[1]), Number(match[2]), Number(match[3]), match[4] ?? ''];
  const [year, month, day] =
    format === 'YYYY-MM-DD' ? [first, second, third] : format === 'MM/DD/YYYY' ? [third, first, second] : [third, second, first];
  if (rest !== '' && !isWellFormedTime(rest)) {
    return { ok: false, reason: `${JSON.stringify(text)} has a malformed time after the date (expected HH:MM[:SS[.f]] with an optional Z or ±hh[:mm])` };
  }
  if (month < 1 || month > 12) return { ok: false, reason: `${JSON.stringify(text)} has month ${month}, which does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: `${JSON.stringify(text)} does not exist: ${year}-${pad2(month)} has ${daysInMonth(year, month)} days` };
  }
  return { ok: true, day: dayNumber(year, month, day) };
}

function isWellFormedTime(rest: string): boolean {
  const time = timePattern.exec(rest);
  if (time === null) return false;
  const [hours, minutes, seconds, offsetHours, offsetMinutes] = time.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  return (hours ?? 0) <= 23 && (minutes ?? 0) <= 59 && (seconds ?? 0) <= 59 && (offsetHours ?? 0) <= 23 && (offsetMinutes ?? 0) <= 59;
}

/** `YYYY-MM` of every date of a calendar, computed once. */
export function calendarMonths(calendar: Int32Array): string[] {
  return Array.from(calendar, isoMonth);
}
