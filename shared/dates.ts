/**
 * Calendar dates as whole days since 1970-01-01 (an `Int32Array` holds a calendar), parsed
 * in the one format the config names and printed as ISO `YYYY-MM-DD`.
 */
import { quoted } from './quoted.ts';

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
/** Four digits always (`0999`): the input's years have four, and the output must read back. */
const pad4 = (n: number): string => (n >= 1000 ? String(n) : String(n).padStart(4, '0'));

/** The ISO weekday of a day number: 0 Monday to 6 Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(dayNumberValue: number): number {
  return (((dayNumberValue + 3) % 7) + 7) % 7;
}

/** `YYYY-MM-DD`. */
export function isoDate(dayNumberValue: number): string {
  const { year, month, day } = civilDate(dayNumberValue);
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

/** `YYYY-MM`. */
export function isoMonth(dayNumberValue: number): string {
  const { year, month } = civilDate(dayNumberValue);
  return `${pad4(year)}-${pad2(month)}`;
}

export type ParsedDate = { ok: true; day: number } | { ok: false; reason: string };

/**
 * Parses one date cell (already trimmed). A time after `T` or a space must be well formed
 * and is then ignored: no time-zone conversion.
 */
export function parseDate(text: string, format: DateFormat): ParsedDate {
  const plain = plainDay(text, format);
  if (plain !== -1) return { ok: true, day: plain };
  const match = format === 'YYYY-MM-DD' ? isoPattern.exec(text) : slashPattern.exec(text);
  if (match === null) return { ok: false, reason: `${quoted(text)} is not a date in the format ${format}` };
  const [first, second, third, rest] = [Number(match[1]), Number(match[2]), Number(match[3]), match[4] ?? ''];
  const [year, month, day] =
    format === 'YYYY-MM-DD' ? [first, second, third] : format === 'MM/DD/YYYY' ? [third, first, second] : [third, second, first];
  if (rest !== '' && !isWellFormedTime(rest)) {
    return { ok: false, reason: `${quoted(text)} has a malformed time after the date (expected HH:MM[:SS[.f]] with an optional Z or ±hh[:mm])` };
  }
  if (month < 1 || month > 12) return { ok: false, reason: `${quoted(text)} has month ${month}, which does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: `${quoted(text)} does not exist: ${pad4(year)}-${pad2(month)} has ${daysInMonth(year, month)} days` };
  }
  return { ok: true, day: dayNumber(year, month, day) };
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const HYPHEN = 0x2d;
const SLASH = 0x2f;

/**
 * The fast path of `parseDate`, read from character codes: the day number of a date that
 * exists, written in `format` with no time after it; else -1, and `parseDate` reads the text
 * with its patterns (for a time, or to describe the error). Most cells take this path.
 */
function plainDay(text: string, format: DateFormat): number {
  const iso = format === 'YYYY-MM-DD';
  const separator = iso ? HYPHEN : SLASH;
  const firstEnd = digitsEnd(text, 0);
  const secondEnd = digitsEnd(text, firstEnd + 1);
  const thirdEnd = digitsEnd(text, secondEnd + 1);
  if (text.charCodeAt(firstEnd) !== separator || text.charCodeAt(secondEnd) !== separator || thirdEnd !== text.length) return -1;
  const firstLength = firstEnd;
  const secondLength = secondEnd - firstEnd - 1;
  const thirdLength = thirdEnd - secondEnd - 1;
  // ISO: a 4-digit year, then month and day of 1 or 2 digits; the slash formats end with the year.
  const lengthsFit = iso
    ? firstLength === 4 && isOneOrTwo(secondLength) && isOneOrTwo(thirdLength)
    : isOneOrTwo(firstLength) && isOneOrTwo(secondLength) && thirdLength === 4;
  if (!lengthsFit) return -1;
  const first = digitsValue(text, 0, firstEnd);
  const second = digitsValue(text, firstEnd + 1, secondEnd);
  const third = digitsValue(text, secondEnd + 1, thirdEnd);
  const year = iso ? first : third;
  const month = format === 'MM/DD/YYYY' ? first : second;
  const day = iso ? third : format === 'MM/DD/YYYY' ? second : first;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return -1;
  return dayNumber(year, month, day);
}

function isOneOrTwo(length: number): boolean {
  return length === 1 || length === 2;
}

/** Offset of the first character at or after `from` that is not an ASCII digit. */
function digitsEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length && isDigit(text.charCodeAt(at))) at += 1;
  return at;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function digitsValue(text: string, start: number, end: number): number {
  let value = 0;
  for (let at = start; at < end; at += 1) value = value * 10 + text.charCodeAt(at) - DIGIT_0;
  return value;
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

/** Every date of a calendar as ISO text, the first column of every data file. */
export function isoDates(calendar: Int32Array): string[] {
  return Array.from(calendar, isoDate);
}
