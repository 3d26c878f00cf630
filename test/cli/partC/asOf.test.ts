/**
 * Part C's always-on figures as a user reads them after `run` (SPEC 15, 18.2, 19.1), on cases
 * small enough to check by hand: which dates each period of T holds (a Sunday T, a Monday T,
 * 29 February), drawdown now in fractions and dollars, the freshness check, and the rolling
 * figures of 6_rolling_metrics.csv with their empty cells.
 */
import { describe, expect, it } from 'vitest';
import { weekdaysBetween, type FreshnessCheck } from '#shared/calc/freshness.ts';
import type { PeriodName } from '#shared/calc/asOfPeriods.ts';
import type { AsOf, LevelAsOf } from '#shared/calc/partCResults.ts';
import { isoWeekday } from '#shared/dates.ts';
import { expectNear, sampleStd, strat, track, type Row } from '#test/support/partB.ts';
import { expectWritten, readReportCsv, readSummary, reportColumn, run, type Json, type Run } from '#test/support/writeCase.ts';

interface PartCSummary {
  asOf: AsOf;
  checks: { freshness: FreshnessCheck };
}

const partC = (result: Run): PartCSummary => readSummary(result) as unknown as PartCSummary;

function level(levels: Record<string, LevelAsOf>, name: string): LevelAsOf {
  const found = levels[name];
  expect(found, `the as-of figures of ${name}`).toBeDefined();
  return found as LevelAsOf;
}

/** Dates and returns, each date with 5 units of margin (ratio 1 at 1000 a unit). */
const rows = (...days: [string, number][]): Row[] => days.map(([date, ret]) => [date, ret, 5000, 50000]);

/** One account holding one strategy with all its capital, so the portfolio's return is the strategy's. */
function oneSleeve(extra: Json = {}): Json {
  return { accounts: [{ name: 'Main', startingCapital: 100_000 }], strategies: [strat('A', { allocatedCapital: 100_000 })], ...extra };
}

describe('the periods of T (SPEC 15.2)', () => {
  it('a Sunday T belongs to the week that began on the Monday before; a strategy that ended counts only its own dates', async () => {
    const result = await run(
      {
        'A.csv': track(...rows(['2024-03-22', 0.01], ['2024-03-25', -0.02], ['2024-03-29', 0.03], ['2024-03-31', 0.01])),
        'B.csv': track(...rows(['2024-03-22', 0.02], ['2024-03-25', 0.01])),
      },
      { accounts: [{ name: 'Main', startingCapital: 200_000 }], strategies: [strat('A'), strat('B')] },
    );
    expectWritten(result);
    const { asOf } = partC(result);
    expect(asOf.date).toBe('2024-03-31');
    const a = level(asOf.strategies, 'A').periods;
    expect(a.day).toMatchObject({ first: '2024-03-31', last: '2024-03-31', days: 1 });
    expect(a.wtd).toMatchObject({ first: '2024-03-25', last: '2024-03-31', days: 3 });
    expectNear(a.wtd?.return, 0.98 * 1.03 * 1.01 - 1, 'A wtd return');
    // The first allocation is A's transfer at t0, inside every period that holds t0.
    expect(a.qtd).toMatchObject({ first: '2024-03-22', days: 4, transfersUsd: 50_000 });
    expect(a.wtd?.transfersUsd).toBe(0);
    expect(a['1y']).toBeNull();
    const b = level(asOf.strategies, 'B').periods;
    expect(b.day).toBeNull();
    expect(b.wtd).toMatchObject({ first: '2024-03-25', last: '2024-03-25', days: 1 });
    expectNear(b.wtd?.pnlUsd, 50_000 * 1.02 * 0.01, 'B wtd P&L', true);
    expectNear(b.ytd?.return, 1.02 * 1.01 - 1, 'B ytd return');
  });

  it('a Monday T opens a new week, and here a new month and quarter: each holds T alone', async () => {
    const result = await run(
      { 'A.csv': track(...rows(['2024-03-28', 0.01], ['2024-03-29', 0.02], ['2024-04-01', -0.01])) },
      oneSleeve(),
    );
    expectWritten(result);
    const periods = partC(result).asOf.portfolio.periods;
    for (const name of ['day', 'wtd', 'mtd', 'qtd'] as PeriodName[]) expect(periods[name], name).toMatchObject({ first: '2024-04-01', last: '2024-04-01', days: 1 });
    expect(periods.ytd).toMatchObject({ first: '2024-03-28', days: 3 });
    expectNear(periods.day?.pnlUsd, 100_000 * 1.01 * 1.02 * -0.01, 'the day\'s P&L', true);
  });

  it('on 29 February the trailing year starts after 28 February a year before, and a level younger than that has no 1y', async () => {
    const result = await run(
      {
        'A.csv': track(...rows(['2023-02-27', 0.01], ['2023-02-28', 0.02], ['2023-03-01', 0.03], ['2024-02-29', 0.04])),
        'B.csv': track(...rows(['2023-03-01', 0.01], ['2024-02-29', 0.01])),
      },
      { accounts: [{ name: 'Main', startingCapital: 200_000 }], strategies: [strat('A'), strat('B')] },
    );
    expectWritten(result);
    const { asOf } = partC(result);
    expect(asOf.portfolio.periods['1y']).toMatchObject({ first: '2023-03-01', last: '2024-02-29', days: 2 });
    expectNear(level(asOf.strategies, 'A').periods['1y']?.return, 1.03 * 1.04 - 1, 'A 1y return');
    expect(level(asOf.strategies, 'B').periods['1y']).toBeNull();
    expect(level(asOf.strategies, 'B').periods.inception).toMatchObject({ first: '2023-03-01', days: 2 });
  });
});

describe('drawdown now (SPEC 15.3)', () => {
  it('dates the deepest drawdown and its recovery, and the one still open at T, in fractions and dollars', async () => {
    const result = await run(
      {
        'A.csv': track(...rows(['2024-01-01', 0.1], ['2024-01-02', -0.2], ['2024-01-04', 0.05], ['2024-01-05', 0.2], ['2024-01-08', -0.1])),
      },
      oneSleeve(),
    );
    expectWritten(result);
    const portfolio = partC(result).asOf.portfolio;
    // C: 1.1, 0.88, 0.924, 1.1088, 0.99792; the peak 1.1 until 1.1088.
    expectNear(portfolio.currentDrawdown, 0.99792 / 1.1088 - 1, 'currentDrawdown');
    expect(portfolio.drawdownStart).toBe('2024-01-08');
    expect(portfolio.daysUnderWater).toBe(1);
    expect(portfolio.maxDrawdownPeriod).toEqual({ start: '2024-01-02', trough: '2024-01-02', end: '2024-01-05', days: 3 });
    // E: 110,000, 88,000, 92,400, 110,880, 99,792.
    expectNear(portfolio.maxDrawdownUsd, 22_000, 'maxDrawdownUsd', true);
    expectNear(portfolio.currentDrawdownUsd, 110_880 - 99_792, 'currentDrawdownUsd', true);
    expect(level(partC(result).asOf.strategies, 'A')).not.toHaveProperty('maxDrawdownUsd');
  });
});

describe('freshness (SPEC 19.1)', () => {
  const files = {
    'A.csv': track(...rows(['2024-04-03', 0.01], ['2024-04-08', 0.01])),
    // Thursday: Friday and Monday are behind.
    'B.csv': track(...rows(['2024-04-03', 0.01], ['2024-04-04', 0.01])),
    // Friday: Saturday and Sunday are not weekdays, Monday is.
    'C.csv': track(...rows(['2024-04-03', 0.01], ['2024-04-05', 0.01])),
  };
  const config = (staleAfterWeekdays?: number | null): Json => ({
    accounts: [{ name: 'Main', startingCapital: 300_000 }],
    strategies: [strat('A'), strat('B'), strat('C')],
    ...(staleAfterWeekdays === undefined ? {} : { thresholds: { staleAfterWeekdays } }),
  });

  it('counts the weekdays each file is behind T and fails on one more behind than allowed', async () => {
    const result = await run(files, config(1));
    expectWritten(result);
    expect(partC(result).checks.freshness).toEqual({
      status: 'fail',
      staleAfterWeekdays: 1,
      asOf: '2024-04-08',
      strategies: {
        B: { lastDate: '2024-04-04', weekdaysBehind: 2, stale: true },
        C: { lastDate: '2024-04-05', weekdaysBehind: 1, stale: false },
      },
    });
    // The first lines (the terminal's, the email's) name the stale one, not the one within the limit.
    const lines = result.stdout.join('\n');
    expect(lines).toContain('1 stale:\n- B: last row 2024-04-04, 2 weekdays behind\n');
    expect(lines).not.toContain('- C: last row');
  });

  it('counts the Monday-to-Friday dates after the last date up to T, whatever weekday either falls on, before 1970 too', () => {
    for (let last = -30; last < 30; last += 1) {
      for (let asOf = last - 2; asOf < last + 30; asOf += 1) {
        let weekdays = 0;
        for (let day = last + 1; day <= asOf; day += 1) if (isoWeekday(day) < 5) weekdays += 1;
        expect(weekdaysBetween(last, asOf), `${last} -> ${asOf}`).toBe(weekdays);
      }
    }
  });

  it('passes by default (5 weekdays) and is off with null', async () => {
    expect(partC(await run(files, config())).checks.freshness).toMatchObject({ status: 'pass', staleAfterWeekdays: 5 });
    expect(partC(await run(files, config(null))).checks.freshness).toEqual({ status: 'pass', staleAfterWeekdays: null, asOf: '2024-04-08', strategies: {} });
  });
});

describe('6_rolling_metrics.csv (SPEC 18.2)', () => {
  it('holds the volatility and Sharpe of the 63 dates ending on each date, empty before and for returns that never move', async () => {
    const dates = Array.from({ length: 66 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    const returns = dates.map((_, i) => Math.round(Math.sin(i * 1.7) * 200) / 10_000);
    const result = await run(
      { 'A.csv': track(...rows(...dates.map((date, i): [string, number] => [date, returns[i] ?? 0]))) },
      { accounts: [{ name: 'Main', startingCapital: 100_000 }, { name: 'Idle', startingCapital: 5_000 }], strategies: [strat('A', { allocatedCapital: 100_000 })] },
    );
    expectWritten(result);
    const { header } = readReportCsv(result, '6_rolling_metrics.csv');
    expect(header).toEqual([
      'Date',
      ...['Portfolio', 'Main', 'Idle'].flatMap((level) => [63, 252].flatMap((w) => [`${level}_Rolling_Volatility_${w}`, `${level}_Rolling_Sharpe_${w}`])),
    ]);
    const volatility = reportColumn(result, '6_rolling_metrics.csv', 'Main_Rolling_Volatility_63');
    const sharpe = reportColumn(result, '6_rolling_metrics.csv', 'Main_Rolling_Sharpe_63');
    expect(volatility.slice(0, 62).every((cell) => cell === '')).toBe(true);
    const accountReturns = reportColumn(result, '2_account_performance.csv', 'Main_Return_%').map(Number);
    for (const last of [62, 63, 65]) {
      const window = accountReturns.slice(last - 62, last + 1);
      const mean = window.reduce((sum, value) => sum + value, 0) / 63;
      expectNear(Number(volatility[last]), sampleStd(window) * Math.sqrt(252), `volatility on ${dates[last]}`);
      expectNear(Number(sharpe[last]), (mean / sampleStd(window)) * Math.sqrt(252), `Sharpe on ${dates[last]}`);
    }
    expect(reportColumn(result, '6_rolling_metrics.csv', 'Main_Rolling_Volatility_252').every((cell) => cell === '')).toBe(true);
    // An account without strategies never moves: volatility 0, no Sharpe.
    expect(reportColumn(result, '6_rolling_metrics.csv', 'Idle_Rolling_Volatility_63').slice(62)).toEqual(['0', '0', '0', '0']);
    expect(reportColumn(result, '6_rolling_metrics.csv', 'Idle_Rolling_Sharpe_63').every((cell) => cell === '')).toBe(true);
  });
});

describe('5_daily_pnl.csv (SPEC 16.3)', () => {
  it('names its columns after the strategies and accounts, with the formula guard of SPEC 6', async () => {
    const result = await run(
      { '+Hedge.csv': track(...rows(['2024-01-02', 0.01], ['2024-01-03', -0.01])) },
      { accounts: [{ name: '=Broker', startingCapital: 100_000 }], strategies: [strat('+Hedge', { account: '=Broker' })] },
    );
    expectWritten(result);
    expect(readReportCsv(result, '5_daily_pnl.csv').header).toEqual([
      'Date',
      "'+Hedge_PnL_USD",
      "'+Hedge_Transfer_USD",
      'Costs_USD',
      "'=Broker_PnL_USD",
      'Portfolio_PnL_USD',
    ]);
    expect(readReportCsv(result, '5_daily_pnl.csv').rows).toEqual([
      ['2024-01-02', '500', '50000', '0', '500', '500'],
      ['2024-01-03', '-505', '0', '0', '-505', '-505'],
    ]);
  });
});
