/**
 * Helpers for the part-B tests (SPEC 9-14): small track records written by hand, runs through
 * the command line, and readers for the part-B outputs (4_rebalance_log.csv, limits.json,
 * summary.json) with the SPEC's tolerances.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEFAULT_ALLOCATION, type AllocationConfig } from '#shared/config/partBSchema.ts';
import type { WeightCandidate } from '#shared/calc/targetWeights.ts';
import { HEADER, csv, type Json, type Run } from './writeCase.ts';

/** One row of a track record: date, return, margin, notional. */
export type Row = readonly [string, number, number, number];

/** A track record CSV from rows. */
export function track(...rows: Row[]): string {
  return csv(HEADER, ...rows.map(([date, ret, margin, notional]) => `${date},${ret},${margin},${notional}`));
}

/** A strategy of the config with every required key (account `Main`, 1 unit per 1000 of margin). */
export function strat(name: string, overrides: Json = {}): Json {
  return { name, account: 'Main', marginPerUnit: 1000, minPosition: 1, increment: 1, allocatedCapital: 50000, maxPositionScale: 1, ...overrides };
}

/** SPEC preamble: dollars within 1e-6 absolute or 1e-9 relative, anything else 1e-12 / 1e-9. */
export function near(actual: number, expected: number, dollars = false): boolean {
  const difference = Math.abs(actual - expected);
  return difference <= (dollars ? 1e-6 : 1e-12) || difference <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected));
}

export function expectNear(actual: unknown, expected: number, label: string, dollars = false): void {
  expect(typeof actual, `${label}: a number, got ${JSON.stringify(actual)}`).toBe('number');
  expect(near(actual as number, expected, dollars), `${label}: got ${String(actual)}, expected ${expected}`).toBe(true);
}

/** Every number of `actual` near the matching one of `expected`. */
export function expectAllNear(actual: readonly unknown[], expected: readonly number[], label: string, dollars = false): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  expected.forEach((value, i) => expectNear(actual[i], value, `${label}[${i}]`, dollars));
}

export function readOut(run: Run, file: string): string {
  return readFileSync(join(run.case.out, file), 'utf8');
}

export function readJsonOut<T = Json>(run: Run, file: string): T {
  return JSON.parse(readOut(run, file)) as T;
}

/** A report CSV as rows of cells (the cells here hold no commas). */
export function csvRows(text: string): string[][] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.split(','));
}

/** A column of a report CSV as numbers. */
export function numericColumn(run: Run, file: string, header: string): number[] {
  const [head = [], ...rows] = csvRows(readOut(run, file));
  const index = head.indexOf(header);
  expect(index, `column ${header} in ${file}: ${head.join(',')}`).toBeGreaterThanOrEqual(0);
  return rows.map((row) => Number(row[index]));
}

export const LOG_HEADER = ['Date', 'Account', 'Strategy', 'Weight_Before', 'Target_Weight', 'Equity_Before', 'Equity_After', 'Cost', 'Trigger'];

/** An expected 4_rebalance_log.csv row: text cells exact, number cells within the SPEC's tolerance. */
export type LogRow = readonly [string, string, string, number, number, number, number, number, string];

/** Checks 4_rebalance_log.csv cell by cell: header, row count, text exact, weights 1e-12/1e-9, dollars 1e-6/1e-9. */
export function expectRebalanceLog(run: Run, expected: readonly LogRow[]): void {
  const [header, ...rows] = csvRows(readOut(run, '4_rebalance_log.csv'));
  expect(header).toEqual(LOG_HEADER);
  expect(
    rows.map((row) => `${row[0]} ${row[1]} ${row[2]} ${row[8]}`),
    'the rows of 4_rebalance_log.csv (date, account, strategy, trigger)',
  ).toEqual(expected.map((row) => `${row[0]} ${row[1]} ${row[2]} ${row[8]}`));
  expected.forEach((want, r) => {
    const got = rows[r] ?? [];
    for (let column = 3; column <= 7; column += 1) {
      const dollars = column >= 5;
      expectNear(Number(got[column]), want[column] as number, `4_rebalance_log.csv row ${r + 2} ${LOG_HEADER[column]}`, dollars);
    }
  });
}

/** The log's rows as `date trigger` for one strategy. */
export function logDates(run: Run, strategyName: string, trigger?: string): string[] {
  const [, ...rows] = csvRows(readOut(run, '4_rebalance_log.csv'));
  return rows.filter((row) => row[2] === strategyName && (trigger === undefined || row[8] === trigger)).map((row) => row[0] ?? '');
}

/** An allocation section with defaults filled in. */
export function allocation(method: AllocationConfig['method'], overrides: Partial<AllocationConfig> = {}): AllocationConfig {
  return { ...DEFAULT_ALLOCATION, method, ...overrides };
}

/** A weight candidate from a return stream; its span is the whole stream unless given. */
export function candidate(rho: readonly number[], overrides: Partial<WeightCandidate> = {}): WeightCandidate {
  return {
    rho: Float64Array.from(rho),
    spanStart: 0,
    spanEnd: rho.length - 1,
    wipedOut: false,
    excluded: false,
    allocatedCapital: 1,
    ...overrides,
  };
}

/** Sample mean, standard deviation (ddof 1) and covariance, written from their definitions. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function sampleCovariance(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sum = 0;
  for (let i = 0; i < x.length; i += 1) sum += ((x[i] ?? 0) - mx) * ((y[i] ?? 0) - my);
  return sum / (x.length - 1);
}

export function sampleStd(values: readonly number[]): number {
  return Math.sqrt(sampleCovariance(values, values));
}
