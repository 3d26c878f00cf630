/**
 * SPEC 17, the benchmark: its figures by hand on series small enough to follow (expected values
 * computed apart from this code, from the SPEC's formulas), the edge cases the SPEC names (fewer
 * than 2 pairs, a constant benchmark, a constant difference, calendar dates without a benchmark
 * row, benchmark dates outside the calendar), the rolling beta's empty cells, and through the
 * command line what a user sees: the config errors naming `benchmark.file`, a malformed file by
 * file, line and column, the warnings, `inputs`, the summary keys and the CSV column.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkFigures, benchmarkOnCalendar, rollingBeta } from '#shared/calc/benchmark.ts';
import { near } from '#test/support/partB.ts';
import {
  csv,
  expectRejected,
  expectWritten,
  GOOD_CSV,
  HEADER,
  portfolio,
  readReportCsv,
  readSummary,
  run,
  warningsOf,
  type Json,
} from '#test/support/writeCase.ts';

const SETTINGS = { periodsPerYear: 252, riskFreeRate: 0 };

/** The benchmark laid on calendar indexes 0..n-1: `null` where it has no row. */
function benchmarkOf(values: readonly (number | null)[]) {
  const days = values.flatMap((value, day) => (value === null ? [] : [day]));
  return benchmarkOnCalendar(
    Int32Array.from(days),
    Float64Array.from(days.map((day) => values[day] ?? 0)),
    Int32Array.from(values, (_, day) => day),
  );
}

function figures(returns: readonly number[], benchmark: readonly (number | null)[], settings = SETTINGS) {
  return benchmarkFigures(Float64Array.from(returns), benchmarkOf(benchmark), 0, returns.length - 1, settings);
}

describe('a level against the benchmark, by hand', () => {
  // Day 3 has no benchmark row: it is left out, not taken as a flat benchmark day.
  const returns = [0.01, -0.02, 0.03, 0.5, 0.015, -0.005];
  const benchmark = [0.005, -0.01, 0.02, null, 0.01, -0.004];

  it('beta, alpha, correlation, tracking error, information ratio and capture ratios over the 5 pairs', () => {
    const result = figures(returns, benchmark);
    const expected = {
      days: 5,
      beta: 1.6172214182344427,
      alpha: -0.19966714905933455,
      correlation: 0.9917331588872366,
      trackingError: 0.12162401078734414,
      informationRatio: 3.7295267362388307,
      upCapture: 1.5714285714285714,
      downCapture: 1.7857142857142858,
    };
    for (const [key, value] of Object.entries(expected)) expect(near(result[key as keyof typeof result] ?? Number.NaN, value), key).toBe(true);
  });

  it('alpha takes the risk-free rate off both sides; the other figures do not move', () => {
    const result = figures(returns, benchmark, { periodsPerYear: 252, riskFreeRate: 0.02 });
    expect(near(result.alpha ?? Number.NaN, -0.18744406310473802)).toBe(true);
    expect(near(result.informationRatio ?? Number.NaN, 3.7295267362388307)).toBe(true);
  });

  it('only the span of the level counts: a strategy that starts later is compared from its first date', () => {
    const later = benchmarkFigures(Float64Array.from(returns), benchmarkOf(benchmark), 2, 5, SETTINGS);
    expect(later.days).toBe(3);
  });
});

describe('the edge cases SPEC 17 names', () => {
  it('below 2 pairs: beta, alpha, correlation, tracking error and information ratio are null; the captures are not', () => {
    expect(figures([0.01, 0.02], [0.005, null])).toEqual({
      days: 1,
      beta: null,
      alpha: null,
      correlation: null,
      trackingError: null,
      informationRatio: null,
      upCapture: 2,
      downCapture: null,
    });
    expect(figures([0.01], [null])).toMatchObject({ days: 0, upCapture: null, downCapture: null, beta: null });
  });

  it('a constant benchmark (within 1e-12) has no beta, alpha nor correlation, and no capture on the side it never moves to', () => {
    const result = figures([0.01, 0.02, -0.01], [0.005, 0.005 + 1e-13, 0.005]);
    expect([result.beta, result.alpha, result.correlation, result.downCapture]).toEqual([null, null, null, null]);
    expect(near(result.upCapture ?? Number.NaN, 1.333333333333333)).toBe(true);
    expect(near(result.trackingError ?? Number.NaN, 0.24248711305964282)).toBe(true);
  });

  it('a constant difference tracks the benchmark exactly: tracking error 0, information ratio null', () => {
    const result = figures([0.011, 0.021, -0.009], [0.01, 0.02, -0.01]);
    expect(result.trackingError).toBe(0);
    expect(result.informationRatio).toBeNull();
    expect(near(result.beta ?? Number.NaN, 1)).toBe(true);
    expect(near(result.alpha ?? Number.NaN, 0.252)).toBe(true);
  });

  it('a benchmark day within 1e-12 of zero is neither up nor down', () => {
    const result = figures([0.05, 0.02, -0.01], [1e-13, 0.01, -1e-13]);
    expect(result.upCapture).toBe(2);
    expect(result.downCapture).toBeNull();
  });

  it('a level that never moves has a beta of 0 and no correlation', () => {
    const result = figures([0, 0, 0], [0.01, -0.02, 0.005]);
    expect(result.beta).toBe(0);
    expect(result.correlation).toBeNull();
  });
});

describe('the portfolio\'s rolling beta (6_rolling_metrics.csv, last column)', () => {
  it('is empty before 63 dates, below 2 pairs and where the benchmark is constant; the beta of the window\'s pairs elsewhere', () => {
    const days = 70;
    const returns = Float64Array.from({ length: days }, (_, day) => Math.sin(day) / 100);
    // The benchmark: flat for 64 dates (constant), then moving; no rows at all on days 66-67.
    const values = Array.from({ length: days }, (_, day) => (day < 64 ? 0.001 : day === 66 || day === 67 ? null : Math.cos(day) / 100));
    const beta = rollingBeta(returns, benchmarkOf(values), 63);
    expect(Array.from(beta.subarray(0, 64), Number.isNaN)).toEqual(new Array(64).fill(true));
    // Day 64: the window 2..64 holds 62 flat values and one that moves: not constant, a beta exists.
    expect(Number.isNaN(beta[64] ?? Number.NaN)).toBe(false);
    const window = { first: 69 - 62, last: 69 };
    const pairs = values.flatMap((value, day) => (value === null || day < window.first ? [] : [[returns[day] ?? 0, value] as const]));
    const mean = (xs: readonly number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;
    const mr = mean(pairs.map(([r]) => r));
    const mb = mean(pairs.map(([, b]) => b));
    const covariance = pairs.reduce((sum, [r, b]) => sum + (r - mr) * (b - mb), 0);
    const variance = pairs.reduce((sum, [, b]) => sum + (b - mb) ** 2, 0);
    expect(near(beta[69] ?? Number.NaN, covariance / variance)).toBe(true);
    // A benchmark with a single row in the window: empty.
    expect(Number.isNaN(rollingBeta(returns, benchmarkOf(values.map((value, day) => (day === 69 ? value : null))), 63)[69] ?? 0)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// Through the command line
// ---------------------------------------------------------------------------------------

const ALPHA = GOOD_CSV; // 2024-01-02, -03, -04
const INDEX = csv('Date,Return,Close,Margin_Used', '2024-01-01,0.002,100,1', '2024-01-02,0.004,101,1', '2024-01-04,-0.001,100,1', '2024-01-06,0.003,101,1');
const withBenchmark = (benchmark: Json, extra: Json = {}): Json => portfolio(['Alpha'], { benchmark, ...extra });

describe('benchmark: {name, file} in the config (SPEC 17, 21)', () => {
  it('adds summary.json benchmark, lists the file last in inputs, warns of its other columns, and adds the rolling beta column', async () => {
    const written = await run({ 'Alpha.csv': ALPHA, 'Index.csv': INDEX }, withBenchmark({ name: 'Index', file: 'Index.csv' }));
    expectWritten(written);
    const summary = readSummary(written) as unknown as { benchmark: Json; inputs: { file: string; rows: number }[]; config: Json };
    // Its own dates within [2024-01-02, 2024-01-04]: two; 2024-01-01 and 2024-01-06 are outside the calendar.
    expect(summary.benchmark).toMatchObject({ name: 'Index', file: 'Index.csv', days: 2, portfolio: { days: 2 }, strategies: { Alpha: { days: 2 } } });
    expect((summary.benchmark['metrics'] as Json)['totalReturn']).toBeCloseTo(1.004 * 0.999 - 1, 15);
    expect(summary.inputs.map(({ file, rows }) => [file, rows])).toEqual([['Alpha.csv', 3], ['Index.csv', 4]]);
    expect(summary.config['benchmark']).toEqual({ name: 'Index', file: 'Index.csv' });
    expect(warningsOf(written, 'ignoredColumns').map(({ file, column }) => [file, column])).toEqual([['Index.csv', 'Close, Margin_Used']]);
    expect(warningsOf(written, 'unconfiguredFile')).toEqual([]);
    const rolling = readReportCsv(written, '6_rolling_metrics.csv');
    expect(rolling.header.at(-1)).toBe('Portfolio_Rolling_Beta_63');
    expect(rolling.rows.map((row) => row.at(-1))).toEqual(['', '', '']);
  });

  it('never adds a calendar date, and reads Return written as a percentage', async () => {
    const index = csv('Day,Return_%', '2024-01-03,0.5%', '2024-01-05,1%');
    const written = await run({ 'Alpha.csv': ALPHA, 'Index.csv': index }, withBenchmark({ name: 'Index', file: 'Index.csv' }));
    expectWritten(written);
    expect(readReportCsv(written, '1_master_aligned_data.csv').rows.map((row) => row[0])).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(readSummary(written) as unknown as { benchmark: { days: number; metrics: { bestDay: number } } }).toMatchObject({ benchmark: { days: 1, metrics: { bestDay: 0.005 } } });
  });

  it('may be a strategy\'s own file: read again for Date and Return, listed again last in inputs', async () => {
    const written = await run({ 'Alpha.csv': ALPHA }, withBenchmark({ name: 'Itself', file: 'Alpha.csv' }));
    expectWritten(written);
    const summary = readSummary(written) as unknown as { benchmark: { portfolio: { days: number; correlation: number } } };
    expect(summary.benchmark.portfolio.days).toBe(3);
    expect(readSummary(written).inputs.map(({ file }) => file)).toEqual(['Alpha.csv', 'Alpha.csv']);
    expect(warningsOf(written, 'ignoredColumns').map(({ file, column }) => [file, column])).toEqual([['Alpha.csv', 'Margin_Used, Notional_Value']]);
  });

  it.each<[string, Json]>([
    ['without a benchmark', portfolio(['Alpha'])],
    ['with benchmark: null', portfolio(['Alpha'], { benchmark: null })],
  ])('%s, no key, no column', async (_, config) => {
    const written = await run({ 'Alpha.csv': ALPHA }, config);
    expectWritten(written);
    expect(readSummary(written)).not.toHaveProperty('benchmark');
    expect(readSummary(written).config).not.toHaveProperty('benchmark');
    expect(readReportCsv(written, '6_rolling_metrics.csv').header).not.toContain('Portfolio_Rolling_Beta_63');
  });
});

describe('a benchmark the run cannot use is bad input (exit 1, nothing written)', () => {
  it.each<[string, Json, string]>([
    ['a missing file', { name: 'Index', file: 'Missing.csv' }, 'Missing.csv'],
    ['a file in a folder', { name: 'Index', file: 'old/Index.csv' }, 'file name'],
    ['a file that is not a .csv', { name: 'Index', file: 'Index.txt' }, '.csv'],
    ['an empty name', { name: '', file: 'Index.csv' }, 'empty'],
    ['a number for a file', { name: 'Index', file: 7 }, '7'],
  ])('%s is a config error naming its key', async (_, benchmark, mentioned) => {
    const key = benchmark['name'] === '' ? 'benchmark.name' : 'benchmark.file';
    expectRejected(await run({ 'Alpha.csv': ALPHA, 'Index.csv': INDEX }, withBenchmark(benchmark)), { file: 'portfolio.json', column: key, mentions: [mentioned] });
  });

  it('a missing file is reported with the other config errors, before any data is read', async () => {
    const broken = csv(HEADER, '2024-01-02,oops,1000,10000');
    const result = await run({ 'Alpha.csv': broken }, withBenchmark({ name: 'Index', file: 'Missing.csv' }, { alignment: 'sideways' }));
    expectRejected(result, { file: 'portfolio.json', column: 'benchmark.file' }, { file: 'portfolio.json', column: 'alignment' });
    expect(result.stderr.join('\n')).not.toContain('oops');
  });

  it('a benchmark sharing no date with the calendar (its dates on a weekend and outside) names benchmark.file', async () => {
    const index = csv('Date,Return', '2024-01-01,0.01', '2024-01-06,0.02');
    expectRejected(await run({ 'Alpha.csv': ALPHA, 'Index.csv': index }, withBenchmark({ name: 'Index', file: 'Index.csv' })), {
      file: 'portfolio.json',
      column: 'benchmark.file',
      mentions: ['Index.csv'],
    });
  });

  it('under intersection, a date of only one strategy is not shared', async () => {
    const beta = csv(HEADER, '2024-01-04,0.01,1000,10000', '2024-01-05,0.01,1000,10000');
    const index = csv('Date,Return', '2024-01-02,0.01', '2024-01-05,0.02');
    const config = portfolio(['Alpha', 'Beta'], { alignment: 'intersection', benchmark: { name: 'Index', file: 'Index.csv' } });
    expectRejected(await run({ 'Alpha.csv': ALPHA, 'Beta.csv': beta, 'Index.csv': index }, config), { file: 'portfolio.json', column: 'benchmark.file' });
  });

  it.each<[string, string, { line: number | null; column?: string }]>([
    ['a return that is not a number', csv('Date,Return', '2024-01-02,0.01', '2024-01-03,n/a'), { line: 3, column: 'Return' }],
    ['a loss of 100 %', csv('Date,Return', '2024-01-02,-1'), { line: 2, column: 'Return' }],
    ['an impossible date', csv('Date,Return', '2024-02-30,0.01'), { line: 2, column: 'Date' }],
    ['a date written twice', csv('Date,Return', '2024-01-02,0.01', '2024-01-02,0.02'), { line: 3, column: 'Date' }],
    ['no Return column', csv('Date,Close', '2024-01-02,100'), { line: 1, column: 'Return' }],
    ['two Return columns', csv('Date,Return,Ret', '2024-01-02,0.01,0.01'), { line: 1, column: 'Return' }],
    ['a header only', csv('Date,Return'), { line: null }],
  ])('a malformed benchmark file (%s) is named by file, line and column', async (_, text, where) => {
    expectRejected(await run({ 'Alpha.csv': ALPHA, 'Index.csv': text }, withBenchmark({ name: 'Index', file: 'Index.csv' })), { file: 'Index.csv', ...where });
  });

  it('its size is checked against maxFileSizeBytes before it is read', async () => {
    const index = csv('Date,Return', ...Array.from({ length: 40 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}T0${i % 10}:00,0.001`));
    expectRejected(await run({ 'Alpha.csv': ALPHA, 'Index.csv': index }, withBenchmark({ name: 'Index', file: 'Index.csv' }, { maxFileSizeBytes: 400 })), {
      file: 'Index.csv',
      says: /maxFileSizeBytes/,
    });
  });
});

describe('a longer history through the command line', () => {
  it('the rolling beta is empty for the first 62 dates and a figure on every later one; a fifth of the calendar lacks a benchmark row', async () => {
    const dates = Array.from({ length: 80 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    const alpha = csv(HEADER, ...dates.map((date, i) => `${date},${(Math.sin(i) / 100).toFixed(6)},1000,10000`));
    const index = csv('Date,Return', ...dates.filter((_, i) => i % 5 !== 0).map((date, i) => `${date},${(Math.sin(i * 1.3) / 100 + 0.001).toFixed(6)}`));
    const written = await run({ 'Alpha.csv': alpha, 'Index.csv': index }, withBenchmark({ name: 'Index', file: 'Index.csv' }));
    expectWritten(written);
    const rolling = readReportCsv(written, '6_rolling_metrics.csv');
    const cells = rolling.rows.map((row) => row.at(-1) ?? '');
    expect(cells.slice(0, 62).every((cell) => cell === '')).toBe(true);
    expect(cells.slice(62).every((cell) => cell !== '' && Number.isFinite(Number(cell)))).toBe(true);
    const summary = JSON.parse(readFileSync(join(written.case.out, 'summary.json'), 'utf8')) as { benchmark: { portfolio: { days: number } } };
    expect(summary.benchmark.portfolio.days).toBe(64);
  });
});
