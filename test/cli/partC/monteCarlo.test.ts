/**
 * SPEC 20, forward risk by block bootstrap, as a user checks it: SplitMix64's published first
 * draws and the jump-ahead a chunk of paths relies on, a two-path bootstrap worked out by hand
 * (montecarlo.json and 7_monte_carlo_fan.csv), the keys of montecarlo.json, chunks computed
 * apart and merged equal to one run, a strategy's span on a path as a set of days (SPEC 10's
 * eligibility reads it), and every config error naming its key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { alignTrackRecords } from '#shared/calc/align.ts';
import { drawsPerPath, pathCalendar, pathSourceDates } from '#shared/calc/blockBootstrap.ts';
import { pathContext, pathFigures, pathStrategies } from '#shared/calc/bootstrapPaths.ts';
import { linearQuantile } from '#shared/calc/monteCarloSummary.ts';
import { scalePositions } from '#shared/calc/scale.ts';
import { SPLITMIX64_GAMMA, splitMix64Draw, splitMix64Draws, splitMix64StateBefore, uniformIndex } from '#shared/calc/splitMix64.ts';
import { targetWeights } from '#shared/calc/targetWeights.ts';
import { validateConfig } from '#shared/config/validateConfig.ts';
import { dayNumber, isoDate } from '#shared/dates.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { bootstrapSource, rowsOnCalendar } from '#shared/model/bootstrapSource.ts';
import { InputErrors } from '#shared/problems.ts';
import { allocation, candidate, expectNear, strat, track, type Row } from '#test/support/partB.ts';
import { expectRejected, expectWritten, GOOD_CSV, portfolio, readSummary, run, warningsOf, type Json } from '#test/support/writeCase.ts';

describe('SplitMix64 (SPEC 20)', () => {
  it('the published first draws of seed 0 and seed 1', () => {
    expect(splitMix64Draws(0, 0, 3)).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
    expect(splitMix64Draws(1, 0, 2)).toEqual([10451216379200822465n, 13757245211066428519n]);
    // The largest seed: arithmetic wraps mod 2^64 (value from an independent Python implementation).
    expect(splitMix64Draws(2 ** 53 - 1, 0, 1)).toEqual([2646233860231550367n]);
  });

  it('jumping ahead to draw k gives the k-th draw of the stream: state before k = seed + k * gamma mod 2^64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 60 }), (seed, k) => {
        expect(splitMix64Draws(seed, k, 1)[0]).toBe(splitMix64Draws(seed, 0, k + 1)[k]);
        let state = BigInt(seed);
        for (let step = 0; step < k; step += 1) state = BigInt.asUintN(64, state + SPLITMIX64_GAMMA);
        expect(splitMix64StateBefore(seed, k)).toBe(state);
      }),
      { numRuns: 200 },
    );
    expect(splitMix64Draw(splitMix64StateBefore(1, 10 ** 9))).toBe(2135237286405269267n);
  });

  it('an index is floor((draw >> 11) * 2^-53 * n), always below n', () => {
    // 10451216379200822465 >> 11 = 5103132997656651; * 2^-53 = 0.5665615751722809.
    expect(uniformIndex(10451216379200822465n, 3)).toBe(1);
    expect(uniformIndex(2n ** 64n - 1n, 7)).toBe(6);
    expect(uniformIndex(0n, 7)).toBe(0);
  });
});

describe('paths laid from blocks (SPEC 20)', () => {
  it('B = ceil(horizon / block) draws a path; blocks wrap from the last source date to the first and are cut at the horizon', () => {
    expect(drawsPerPath({ horizonDays: 3, blockDays: 2 })).toBe(2);
    expect(drawsPerPath({ horizonDays: 252, blockDays: 21 })).toBe(12);
    // Seed 1, n = 3: draws 0..3 give indexes 1, 2, 2, 1. Path 0: blocks at 1 and 2 -> 1, 2 | 2; path 1: at 2 and 1 -> 2, 0 | 1.
    const shape = { horizonDays: 3, blockDays: 2, seed: 1, sourceDates: 3 };
    expect(Array.from(pathSourceDates(shape, 0))).toEqual([1, 2, 2]);
    expect(Array.from(pathSourceDates(shape, 1))).toEqual([2, 0, 1]);
  });

  it('path day j is the j-th Monday-to-Friday date after T', () => {
    const friday = dayNumber(2024, 3, 29);
    expect(Array.from(pathCalendar(friday, 4), isoDate)).toEqual(['2024-04-01', '2024-04-02', '2024-04-03', '2024-04-04']);
    expect(Array.from(pathCalendar(dayNumber(2024, 3, 31), 2), isoDate)).toEqual(['2024-04-01', '2024-04-02']);
  });

  it('quantiles interpolate linearly with h = (m - 1) q, as numpy does', () => {
    const values = Float64Array.from([1, 2, 4, 8]);
    expect(linearQuantile(values, 0.5)).toBe(3);
    expect(linearQuantile(values, 0.05)).toBeCloseTo(1.15, 14);
    expect(linearQuantile(values, 0.95)).toBeCloseTo(7.4, 14);
    expect(linearQuantile(Float64Array.from([5]), 0.25)).toBe(5);
  });
});

const q = 1 / 128;
/** One unit on every row (margin = marginPerUnit): the sleeve's return is the CSV's. */
const rows = (dates: readonly string[], returns: readonly number[]): string => track(...dates.map((date, t): Row => [date, returns[t] ?? 0, 1000, 10000]));

describe('a tiny bootstrap by hand (SPEC 20)', () => {
  // Source: Mon 01-01 +2q, Tue 01-02 -q, Wed 01-03 +4q; T = Wed, so path days are Thu, Fri, Mon.
  // Path 0 resamples source dates 1, 2, 2 (returns -q, 4q, 4q); path 1 dates 2, 0, 1 (4q, 2q, -q).
  const files = { 'A.csv': rows(['2024-01-01', '2024-01-02', '2024-01-03'], [2 * q, -q, 4 * q]) };
  const config = {
    accounts: [{ name: 'Main', startingCapital: 100000 }],
    strategies: [strat('A', { allocatedCapital: 100000 })],
    limits: { drawdownBreachUsd: 800 },
    thresholds: { marginUtilizationAlertPct: { account: 80, portfolio: 0.5 } },
    monteCarlo: { paths: 2, horizonDays: 3, blockDays: 2, seed: 1 },
  };
  const path0 = [100000 * (1 - q), 100000 * (1 - q) * (1 + 4 * q), 100000 * (1 - q) * (1 + 4 * q) * (1 + 4 * q)];
  const path1 = [100000 * (1 + 4 * q), 100000 * (1 + 4 * q) * (1 + 2 * q), 100000 * (1 + 4 * q) * (1 + 2 * q) * (1 - q)];

  it('montecarlo.json and the fan, figure by figure', async () => {
    const result = await run(files, config);
    expectWritten(result);
    const report = JSON.parse(readFileSync(join(result.case.out, 'montecarlo.json'), 'utf8'));
    expect(Object.keys(report)).toEqual(['settings', 'source', 'stats', 'probabilities']);
    expect(report.settings).toEqual({ paths: 2, horizonDays: 3, blockDays: 2, seed: 1, from: null });
    expect(report.source).toEqual({ first: '2024-01-01', last: '2024-01-03', dates: 3 });
    expect(Object.keys(report.stats)).toEqual(['endEquityUsd', 'totalReturn', 'maxDrawdown', 'sharpe', 'maxDrawdownUsd', 'worstMarginUtilizationPct', 'stopLossDays', 'breachEvents']);
    for (const figure of Object.values(report.stats)) expect(Object.keys(figure as object)).toEqual(['mean', 'p5', 'p25', 'p50', 'p75', 'p95']);
    // Ends: path 1 103,918.08 < path 0 105,516.82; with two paths p_q = low + q (high - low).
    const [low, high] = [path1[2] ?? 0, path0[2] ?? 0];
    expect(report.stats.endEquityUsd.mean).toBe((low + high) / 2);
    expectNear(report.stats.endEquityUsd.p5, low + 0.05 * (high - low), 'p5', true);
    expectNear(report.stats.endEquityUsd.p95, high - 0.05 * (high - low), 'p95', true);
    expectNear(report.stats.totalReturn.p50, ((low + high) / 2) / 100000 - 1, 'median total return');
    // Path 0 dips 781.25 below its start on day 1; path 1 falls 818.25 from its peak of day 2 on day 3 (a breach of 800).
    const [dip0, dip1] = [100000 * q, (path1[1] ?? 0) - (path1[2] ?? 0)];
    expect(dip1).toBe(818.2525634765625);
    expectNear(report.stats.maxDrawdownUsd.p5, dip0 + 0.05 * (dip1 - dip0), 'drawdown p5', true);
    expectNear(report.stats.maxDrawdownUsd.p95, dip1 - 0.05 * (dip1 - dip0), 'drawdown p95', true);
    expect(report.stats.breachEvents.mean).toBe(0.5);
    // No stop-loss limit: the figure does not exist on any path.
    expect(report.stats.stopLossDays).toEqual({ mean: null, p5: null, p25: null, p50: null, p75: null, p95: null });
    // One unit of 1,000 margin on 100,000 allocated: 1 % utilization every day, above the 0.5 % alert on both paths.
    expect(report.stats.worstMarginUtilizationPct.p50).toBe(1);
    expect(report.probabilities).toEqual({ loss: 0, drawdownBreach: 0.5, stopLossDay: null, marginAlert: 1 });
    const fan = readFileSync(join(result.case.out, '7_monte_carlo_fan.csv'), 'utf8');
    const fanRow = (day: number, date: string, a: number, b: number): string => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      return [day, date, ...[0.05, 0.25, 0.5, 0.75, 0.95].map((p) => String(p < 0.5 ? lo + (hi - lo) * p : hi - (hi - lo) * (1 - p)))].join(',');
    };
    expect(fan).toBe(
      ['Day,Date,P5,P25,P50,P75,P95', ...['2024-01-04', '2024-01-05', '2024-01-08'].map((date, j) => fanRow(j + 1, date, path0[j] ?? 0, path1[j] ?? 0)), ''].join('\n'),
    );
    expect(readSummary(result).config['monteCarlo']).toEqual({ paths: 2, horizonDays: 3, blockDays: 2, seed: 1, from: null });
  });

  it('without monteCarlo no bootstrap file is written and the config has no monteCarlo key', async () => {
    const { monteCarlo: _, ...withoutMonteCarlo } = config;
    const result = await run(files, withoutMonteCarlo);
    expectWritten(result);
    expect(() => readFileSync(join(result.case.out, 'montecarlo.json'))).toThrow();
    expect(() => readFileSync(join(result.case.out, '7_monte_carlo_fan.csv'))).toThrow();
    expect(readSummary(result).config).not.toHaveProperty('monteCarlo');
  });
});

/** Track records as Load+Validate leaves them: one row per listed date. */
function record(strategy: string, dates: readonly string[], returns: readonly number[]): TrackRecord {
  return {
    strategy,
    file: `${strategy}.csv`,
    rows: dates.length,
    sha256: '',
    dates: Int32Array.from(dates, (date) => dayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)))),
    returns: Float64Array.from(returns),
    marginUsed: Float64Array.from(dates, () => 1000),
    notional: Float64Array.from(dates, () => 10000),
  };
}

function sourceOf(records: readonly TrackRecord[], extra: Json) {
  const { config, errors } = validateConfig(
    {
      accounts: [{ name: 'Main', startingCapital: 100000 * records.length }],
      strategies: records.map((r) => strat(r.strategy, { allocatedCapital: 100000 })),
      ...extra,
    },
    'portfolio.json',
  );
  if (config === null) throw new InputErrors(errors);
  const aligned = alignTrackRecords(records, config.alignment);
  const scaled = config.strategies.map((strategy, s) => scalePositions(aligned.series[s] as (typeof aligned.series)[number], strategy));
  if (config.monteCarlo === undefined) throw new Error('monteCarlo expected');
  return pathContext(bootstrapSource(config, config.monteCarlo, { aligned, scaled }, rowsOnCalendar(aligned.calendar, records)));
}

const WEEK = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];

describe('spans on a path are sets of days (SPEC 20, 10)', () => {
  // A has every date; B starts on the 3rd source date and skips the 5th (a holiday of its own), C has a row only on the 2nd.
  const records = [
    record('A', WEEK, [q, -q, 2 * q, q, -q, q]),
    record('B', ['2024-01-03', '2024-01-04', '2024-01-08'], [q, q, -q]),
    record('C', ['2024-01-02'], [q]),
  ];
  const context = sourceOf(records, { monteCarlo: { paths: 1, horizonDays: 6 } });

  it('a path day is in the span when its source date lies within the strategy\'s own span; empty when the path holds none of its rows', () => {
    // Source dates 0, 3, 4, 1, 2, 5: B's span is source 2..5 (its holiday, source 4, inside it); C's span is source 1 only.
    const [a, b, c] = pathStrategies(context, Int32Array.from([0, 3, 4, 1, 2, 5]));
    // spanRunStart: on a day in the span the first day of its unbroken run of span days, else the day + 1.
    expect(Array.from(a?.spanRunStart ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(b?.spanRunStart ?? [])).toEqual([1, 1, 1, 4, 4, 4]);
    expect(Array.from(c?.spanRunStart ?? [])).toEqual([1, 2, 3, 3, 5, 6]);
    // The rows resampled: B's return on the path (0 where its file has no row).
    expect(Array.from(b?.scaled.scaledReturn ?? [])).toEqual([0, q, 0, 0, q, -q]);
    // A path without source 1 holds none of C's rows: C's span on it is empty.
    const [, , cWithout] = pathStrategies(context, Int32Array.from([0, 2, 3, 4, 5, 0]));
    expect(Array.from(cWithout?.spanRunStart ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('eligibility needs t and every day of the window in the set: a late starter gets no weight on days it did not exist', () => {
    const [, b] = pathStrategies(context, Int32Array.from([0, 3, 4, 1, 2, 5]));
    const rho = Array.from(b?.scaled.scaledReturn ?? []);
    const set = { spanRunStart: b?.spanRunStart };
    const weightOn = (day: number, method: 'equal' | 'inverseVolatility', lookbackDays = 2) =>
      targetWeights(allocation(method, { lookbackDays }), day, [candidate([q, -q, q, -q, q, -q]), candidate(rho, set)], 200000).weights[1];
    expect(weightOn(0, 'equal')).toBe(0);
    expect(weightOn(1, 'equal')).toBe(0.5);
    // Day 3 (source 1) is before B existed, though B holds rows on days before and after it.
    expect(weightOn(3, 'equal')).toBe(0);
    // Look-back 2: on day 5 the window is days 3-4 and day 3 is out of the span; on day 3 the day itself is out.
    expect(weightOn(5, 'inverseVolatility')).toBe(0);
    expect(weightOn(3, 'inverseVolatility')).toBe(0);
    // On day 3 with every day of an interval span the same window would count: B's rho there moves, so it would be weighted.
    expect(targetWeights(allocation('inverseVolatility', { lookbackDays: 2 }), 3, [candidate(rho)], 100000).weights[0]).toBe(1);
  });
});

describe('chunks are independent (SPEC 20)', () => {
  it('paths computed in chunks, in any order, equal the paths computed at once', () => {
    const records = [record('A', WEEK, [q, -q, 2 * q, q, -3 * q, q]), record('B', WEEK.slice(2), [2 * q, q, -q, q])];
    const context = sourceOf(records, {
      allocation: { method: 'inverseVolatility', lookbackDays: 2 },
      rebalance: { frequency: 'weekly' },
      limits: { maxConcurrentPositions: 1, dailyStopLossUsd: 100 },
      monteCarlo: { paths: 9, horizonDays: 7, blockDays: 3, seed: 12345 },
    });
    const whole = pathFigures(context, 0, 9);
    const parts = [pathFigures(context, 6, 3), pathFigures(context, 0, 4), pathFigures(context, 4, 2)];
    const byFirst = parts.sort((x, y) => x.firstPath - y.firstPath);
    expect(byFirst.flatMap((part) => part.figures)).toEqual(whole.figures);
    expect(Float64Array.from(byFirst.flatMap((part) => Array.from(part.equity)))).toEqual(whole.equity);
  });
});

const FILES = { 'Alpha.csv': GOOD_CSV, 'Beta.csv': GOOD_CSV };

describe('monteCarlo config errors name their key (SPEC 20, 21)', () => {
  it.each<[string, Json, string]>([
    ['paths 0', { paths: 0 }, 'monteCarlo.paths'],
    ['paths above 100000', { paths: 100001 }, 'monteCarlo.paths'],
    ['paths not whole', { paths: 2.5 }, 'monteCarlo.paths'],
    ['paths as text', { paths: '10' }, 'monteCarlo.paths'],
    ['horizonDays 0', { horizonDays: 0 }, 'monteCarlo.horizonDays'],
    ['horizonDays above 2520', { horizonDays: 2521 }, 'monteCarlo.horizonDays'],
    ['blockDays 0', { blockDays: 0 }, 'monteCarlo.blockDays'],
    ['blockDays above horizonDays', { horizonDays: 10, blockDays: 11 }, 'monteCarlo.blockDays'],
    ['blockDays above the default horizon', { blockDays: 253 }, 'monteCarlo.blockDays'],
    ['seed negative', { seed: -1 }, 'monteCarlo.seed'],
    ['seed above 2^53 - 1', { seed: 2 ** 53 }, 'monteCarlo.seed'],
    ['seed not whole', { seed: 1.5 }, 'monteCarlo.seed'],
    ['from not a date', { from: '2024-02-30' }, 'monteCarlo.from'],
    ['from as a number', { from: 20240102 }, 'monteCarlo.from'],
    ['from in another format', { from: '01/02/2024' }, 'monteCarlo.from'],
    ['from before the first date', { from: '2024-01-01' }, 'monteCarlo.from'],
    ['from on the last date', { from: '2024-01-04' }, 'monteCarlo.from'],
    ['from after the last date', { from: '2025-01-01' }, 'monteCarlo.from'],
  ])('%s', async (_, monteCarlo, key) => {
    expectRejected(await run(FILES, portfolio(['Alpha', 'Beta'], { monteCarlo })), { file: 'portfolio.json', column: key });
  });

  it('monteCarlo must be an object', async () => {
    expectRejected(await run(FILES, portfolio(['Alpha', 'Beta'], { monteCarlo: 1000 })), { file: 'portfolio.json', column: 'monteCarlo' });
  });

  it('defaults resolve into summary.json: 1000 paths, 252 days, blocks of 21, seed 1; a from between calendar dates is fine', async () => {
    const result = await run(FILES, portfolio(['Alpha', 'Beta'], { monteCarlo: { paths: 3, from: '2024-01-02', pathz: 1 } }));
    expectWritten(result);
    expect(readSummary(result).config['monteCarlo']).toEqual({ paths: 3, horizonDays: 252, blockDays: 21, seed: 1, from: '2024-01-02' });
    expect(warningsOf(result, 'unknownConfigKey').map((warning) => warning.column)).toEqual(['monteCarlo.pathz']);
    const short = await run(FILES, portfolio(['Alpha', 'Beta'], { monteCarlo: { paths: 1, horizonDays: 5 } }));
    expect(readSummary(short).config['monteCarlo']).toMatchObject({ horizonDays: 5, blockDays: 5 });
  });
});
