/**
 * SPEC 9, 11 and 14: when a rebalance happens (calendar triggers, absolute and relative bands,
 * which accounts move), what it costs (costBps on |T - E|, a closing sleeve paid from cash,
 * costConservation), 4_rebalance_log.csv cell by cell, and the exposure scaling k_s of the
 * master CSV, all by hand through the command line.
 */
import { describe, expect, it } from 'vitest';
import { calendarTriggers } from '#shared/calc/calendarTriggers.ts';
import type { RebalanceFrequency } from '#shared/config/partBSchema.ts';
import { days } from '#test/support/series.ts';
import {
  expectAllNear,
  expectNear,
  expectRebalanceLog,
  logDates,
  numericColumn,
  readJsonOut,
  readOut,
  strat,
  track,
  type Row,
} from '#test/support/partB.ts';
import { expectWritten, run, type Json } from '#test/support/writeCase.ts';

const MASTER = '1_master_aligned_data.csv';
const ACCOUNTS = '2_account_performance.csv';
const PORTFOLIO = '3_total_portfolio_performance.csv';

// ---------------------------------------------------------------------------------------
// Calendar triggers
// ---------------------------------------------------------------------------------------

/**
 * Fri 2024-01-05, Sun 01-07, Mon 01-08 (a new ISO week), Wed 01-31, Thu 02-01 (same ISO week as
 * 01-31, a new month), Fri 03-29, Mon 04-01 (new week, month, quarter), Tue 12-31, Wed 2025-01-01
 * (the same ISO week 2025-W01 as 12-31, but a new month, quarter and year), Mon 2025-01-06.
 */
const TRIGGER_DATES = [
  '2024-01-05',
  '2024-01-07',
  '2024-01-08',
  '2024-01-31',
  '2024-02-01',
  '2024-03-29',
  '2024-04-01',
  '2024-12-31',
  '2025-01-01',
  '2025-01-06',
];

const EXPECTED_FIRES: Record<Exclude<RebalanceFrequency, 'none'>, string[]> = {
  // ISO weeks: 01-05/01-07 W01, 01-08 W02, 01-31/02-01 W05, 03-29 W13, 04-01 W14, 12-31/2025-01-01 2025-W01, 01-06 W02.
  weekly: ['2024-01-08', '2024-01-31', '2024-03-29', '2024-04-01', '2024-12-31', '2025-01-06'],
  monthly: ['2024-02-01', '2024-03-29', '2024-04-01', '2024-12-31', '2025-01-01'],
  quarterly: ['2024-04-01', '2024-12-31', '2025-01-01'],
  annually: ['2025-01-01'],
};

describe('calendar triggers (SPEC 11)', () => {
  it.each(Object.entries(EXPECTED_FIRES))('%s fires when the period of t differs from that of the previous calendar date', (frequency, expected) => {
    const fires = calendarTriggers(days(...TRIGGER_DATES), frequency as RebalanceFrequency);
    expect(TRIGGER_DATES.filter((_, i) => fires[i] === 1)).toEqual(expected);
  });

  it('none never fires', () => {
    expect(Array.from(calendarTriggers(days(...TRIGGER_DATES), 'none'))).toEqual(TRIGGER_DATES.map(() => 0));
  });

  it.each(Object.entries(EXPECTED_FIRES))('%s: the rebalance dates listed in 4_rebalance_log.csv', async (frequency, expected) => {
    const rows: Row[] = TRIGGER_DATES.map((date, i) => [date, i % 2 === 0 ? 0.01 : -0.005, 1000, 10000]);
    const result = await run({ 'A.csv': track(...rows) }, {
      accounts: [{ name: 'Main', startingCapital: 100000 }],
      strategies: [strat('A', { allocatedCapital: 60000 })],
      rebalance: { frequency },
    });
    expectWritten(result);
    expect(logDates(result, 'A', 'initial')).toEqual(['2024-01-05']);
    expect(logDates(result, 'A', 'calendar')).toEqual(expected);
    expect(logDates(result, 'A')).toEqual(['2024-01-05', ...expected]);
    const summary = readJsonOut<Json>(result, 'summary.json');
    expect(summary['rebalances']).toMatchObject({ count: expected.length, byTrigger: { calendar: expected.length, band: 0 } });
  });
});

// ---------------------------------------------------------------------------------------
// Bands
// ---------------------------------------------------------------------------------------

/**
 * Main 100000: A 20000 (w* 0.2), B 80000 (w* 0.8), fixed, no calendar trigger.
 * 01-02: A +30 % -> 26000, B 80000, E_a 106000.
 * 01-03: w_A(t-1) = 26000 / 106000 = 0.245283 (|w - w*| = 0.045283; relative 0.226 of 0.2). A +10 % -> 28600, E_a 108600.
 * 01-04: w_A = 28600 / 108600 = 0.263352 (|w - w*| = 0.063352; relative 0.317 of 0.2);
 *        w_B = 0.736648 (|w - w*| = 0.063352; relative 0.079 of 0.8).
 * 01-05: after any rebalance on 01-04 A and B return 0.
 */
const BAND_FILES = {
  'A.csv': track(['2024-01-02', 0.3, 1000, 10000], ['2024-01-03', 0.1, 1000, 10000], ['2024-01-04', 0, 1000, 10000], ['2024-01-05', 0, 1000, 10000]),
  'B.csv': track(['2024-01-02', 0, 1000, 10000], ['2024-01-03', 0, 1000, 10000], ['2024-01-04', 0, 1000, 10000], ['2024-01-05', 0, 1000, 10000]),
};

function bandConfig(band: Json | null): Json {
  return {
    accounts: [{ name: 'Main', startingCapital: 100000 }],
    strategies: [strat('A', { allocatedCapital: 20000 }), strat('B', { allocatedCapital: 80000 })],
    rebalance: { frequency: 'none', band },
  };
}

describe('bands (SPEC 11)', () => {
  it('absolute 0.06: breached on 01-04 (0.0634 > 0.06), not on 01-03 (0.0453); the sleeves go back to w* E_a(t-1)', async () => {
    const result = await run(BAND_FILES, bandConfig({ absolute: 0.06 }));
    expectWritten(result);
    // 01-04: T_A = 0.2 * 108600 = 21720, T_B = 0.8 * 108600 = 86880, no cost.
    expectRebalanceLog(result, [
      ['2024-01-02', 'Main', 'A', 0, 0.2, 0, 20000, 0, 'initial'],
      ['2024-01-02', 'Main', 'B', 0, 0.8, 0, 80000, 0, 'initial'],
      ['2024-01-04', 'Main', 'A', 28600 / 108600, 0.2, 28600, 21720, 0, 'band'],
      ['2024-01-04', 'Main', 'B', 80000 / 108600, 0.8, 80000, 86880, 0, 'band'],
    ]);
    expectAllNear(numericColumn(result, MASTER, 'A_Equity_Value'), [26000, 28600, 21720, 21720], 'A_Equity_Value', true);
    expect(readJsonOut<Json>(result, 'summary.json')['rebalances']).toMatchObject({ count: 1, byTrigger: { calendar: 0, band: 1 } });
  });

  it('absolute 0.1: never breached (0.0634 <= 0.1): only the initial allocation', async () => {
    const result = await run(BAND_FILES, bandConfig({ absolute: 0.1 }));
    expectWritten(result);
    expect(logDates(result, 'A')).toEqual(['2024-01-02']);
  });

  it('relative 0.25: |w - w*| > 0.25 w* breaches for A on 01-04 (0.0634 > 0.05) though absolute 0.1 does not', async () => {
    // 01-03: A 0.045283 <= 0.05; B 0.045283 <= 0.2. 01-04: A 0.063352 > 0.05 -> band.
    const result = await run(BAND_FILES, bandConfig({ relative: 0.25 }));
    expectWritten(result);
    expect(logDates(result, 'A', 'band')).toEqual(['2024-01-04']);
    expect(logDates(result, 'B', 'band')).toEqual(['2024-01-04']);
  });

  it('relative 0.35: A at 0.317 of w* is inside, B at 0.079 inside: no rebalance', async () => {
    const result = await run(BAND_FILES, bandConfig({ relative: 0.35 }));
    expectWritten(result);
    expect(logDates(result, 'A')).toEqual(['2024-01-02']);
  });

  it('a band breach rebalances only its own account, a calendar trigger every account (calendar when both fire); accounts without strategies never rebalance', async () => {
    // X: X1 50000 and X2 50000 of 100000 (w* 0.5 each). Y: Y1 50000 of 100000 (w* 0.5, cash 0.5). Empty: no strategies.
    // Wed 01-03: X1 +30 % -> 65000, E_X 115000, w_X1 = 0.5652 (0.0652 > 0.05 off) -> band on Thu 01-04, X only:
    //   T = 57500 each. Y: w = 0.5, no breach.
    // Fri 01-05: X1 +30 % -> 74750, E_X 132250 -> w_X1 = 0.5652 -> breach on Mon 01-08, which is also a new
    //   ISO week: trigger calendar for X, and Y rebalances (calendar) too.
    const zeros = (dates: string[]): Row[] => dates.map((date) => [date, 0, 1000, 10000]);
    const files = {
      'X1.csv': track(['2024-01-03', 0.3, 1000, 10000], ['2024-01-04', 0, 1000, 10000], ['2024-01-05', 0.3, 1000, 10000], ['2024-01-08', 0, 1000, 10000]),
      'X2.csv': track(...zeros(['2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'])),
      'Y1.csv': track(...zeros(['2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'])),
    };
    const result = await run(files, {
      accounts: [
        { name: 'X', startingCapital: 100000 },
        { name: 'Y', startingCapital: 100000 },
        { name: 'Empty', startingCapital: 25000 },
      ],
      strategies: [strat('X1', { account: 'X' }), strat('X2', { account: 'X' }), strat('Y1', { account: 'Y' })],
      rebalance: { frequency: 'weekly', band: { absolute: 0.05 } },
    });
    expectWritten(result);
    // 01-08: E_X(t-1) = 74750 + 57500 = 132250 -> T = 66125 each.
    expectRebalanceLog(result, [
      ['2024-01-03', 'X', 'X1', 0, 0.5, 0, 50000, 0, 'initial'],
      ['2024-01-03', 'X', 'X2', 0, 0.5, 0, 50000, 0, 'initial'],
      ['2024-01-03', 'Y', 'Y1', 0, 0.5, 0, 50000, 0, 'initial'],
      ['2024-01-04', 'X', 'X1', 65000 / 115000, 0.5, 65000, 57500, 0, 'band'],
      ['2024-01-04', 'X', 'X2', 50000 / 115000, 0.5, 50000, 57500, 0, 'band'],
      ['2024-01-08', 'X', 'X1', 74750 / 132250, 0.5, 74750, 66125, 0, 'calendar'],
      ['2024-01-08', 'X', 'X2', 57500 / 132250, 0.5, 57500, 66125, 0, 'calendar'],
      ['2024-01-08', 'Y', 'Y1', 0.5, 0.5, 50000, 50000, 0, 'calendar'],
    ]);
    const summary = readJsonOut<Json>(result, 'summary.json');
    expect(summary['rebalances']).toEqual({
      count: 3,
      totalCost: 0,
      byTrigger: { calendar: 2, band: 1 },
      accounts: { X: { count: 2, totalCost: 0 }, Y: { count: 1, totalCost: 0 }, Empty: { count: 0, totalCost: 0 } },
    });
    expectAllNear(numericColumn(result, ACCOUNTS, 'Empty_Equity_Value'), [25000, 25000, 25000, 25000], 'Empty_Equity_Value', true);
    // costConservation counts every account rebalance, the initial allocations included: 2 initial + 3.
    expect(summary['checks']).toMatchObject({ costConservation: { status: 'pass', rebalances: 5, failingRebalances: 0 } });
  });

  it('no band check while the account equity is 0; a wiped-out sleeve under fixed goes to cash at the next rebalance', async () => {
    // Z: Z1 allocated all of 100000 (cash 0). W: W1 50000 of 100000 (cash 50000).
    // Both have maxPositionScale 2 on 1 implied unit -> 2 units, ratio 2; Return -0.5 on 01-02 -> rho = -1: wiped out.
    // 01-03: E_Z = 0: no band check (w = 0/0) -> no rebalance for Z.
    //        E_W = 50000: w_W1 = 0 vs w* 0.5 -> band; the wiped-out W1 is ineligible: target 0, nothing refunded.
    // 01-04: W's targets are now 0: no breach.
    const wipe = track(['2024-01-02', -0.5, 1000, 10000], ['2024-01-03', 0.1, 1000, 10000], ['2024-01-04', 0.1, 1000, 10000]);
    const result = await run({ 'Z1.csv': wipe, 'W1.csv': wipe }, {
      accounts: [
        { name: 'Z', startingCapital: 100000 },
        { name: 'W', startingCapital: 100000 },
      ],
      strategies: [
        strat('Z1', { account: 'Z', allocatedCapital: 100000, maxPositionScale: 2 }),
        strat('W1', { account: 'W', allocatedCapital: 50000, maxPositionScale: 2 }),
      ],
      rebalance: { frequency: 'none', band: { absolute: 0.05 } },
    });
    expectWritten(result);
    expectRebalanceLog(result, [
      ['2024-01-02', 'Z', 'Z1', 0, 1, 0, 100000, 0, 'initial'],
      ['2024-01-02', 'W', 'W1', 0, 0.5, 0, 50000, 0, 'initial'],
      ['2024-01-03', 'W', 'W1', 0, 0, 0, 0, 0, 'band'],
    ]);
    const summary = readJsonOut<Json>(result, 'summary.json');
    expect(summary['wipeouts']).toEqual({ Z1: '2024-01-02', W1: '2024-01-02' });
    expectAllNear(numericColumn(result, ACCOUNTS, 'Z_Equity_Value'), [0, 0, 0], 'Z_Equity_Value', true);
    expectAllNear(numericColumn(result, ACCOUNTS, 'W_Equity_Value'), [50000, 50000, 50000], 'W_Equity_Value', true);
  });
});

// ---------------------------------------------------------------------------------------
// Costs, the rebalance log, exposure scaling, limits.json budgets
// ---------------------------------------------------------------------------------------

/**
 * Main 100000: A (1 unit per 1000 of margin, ratio 1) and B (marginPerUnit 500, margin 1500 -> implied 3,
 * maxPositionScale 0.5 -> target 1.5 -> half-even 2 units, part-A margin 1000, ratio 2/3), each allocated 50000.
 * equal, cashBufferPct 10 (S = 0.9), weekly, costBps 100, maxLeverage 0.2. B's file ends on Fri 01-05.
 *
 * Thu 01-04 (t0): start of history, both span t0 -> w* 0.45 each: E' = 45000, 45000, cash 10000; k = 0.9 each.
 *   A +10 % -> 49500; B 0 -> 45000; E_a = 104500.
 *   A margin 1000 * 0.9 = 900, notional 10000 * 1 * 0.9 = 9000; B margin 1000 * 0.9 = 900, notional 6000 * 2/3 * 0.9 = 3600.
 * Fri 01-05: same week, no rebalance; returns 0.
 * Mon 01-08: calendar. A eligible (span contains t), B not (its span ended): w* = 0.9, 0.
 *   T_A = 0.9 * 104500 = 94050, cost_A = 0.01 * |94050 - 49500| = 445.5, E'_A = 93604.5.
 *   T_B = 0, cost_B = 0.01 * 45000 = 450, E'_B = max(0, 0 - 450) = 0: the 450 it cannot pay is taken from cash.
 *   cash = (1 - 0.9) * 104500 - 450 = 10000.  Sum E' + cash = 103604.5 = 104500 - 895.5.
 *   A +2 % -> 93604.5 * 1.02 = 95476.59; E_a = 105476.59.
 *   k_A = 93604.5 / 50000 = 1.87209: margin 1872.09, notional 18720.9. B trades nothing.
 */
const COST_FILES = {
  'A.csv': track(['2024-01-04', 0.1, 1000, 10000], ['2024-01-05', 0, 1000, 10000], ['2024-01-08', 0.02, 1000, 10000]),
  'B.csv': track(['2024-01-04', 0, 1500, 6000], ['2024-01-05', 0, 1500, 6000]),
};
const COST_CONFIG: Json = {
  accounts: [{ name: 'Main', startingCapital: 100000 }],
  strategies: [strat('A'), strat('B', { marginPerUnit: 500, maxPositionScale: 0.5 })],
  allocation: { method: 'equal', cashBufferPct: 10 },
  rebalance: { frequency: 'weekly', costBps: 100 },
  limits: { maxLeverage: 0.2 },
};

describe('costs and the rebalance log (SPEC 11, 14)', () => {
  it('4_rebalance_log.csv cell by cell: costBps on |T - E|, a sleeve closing to 0 paid from cash', async () => {
    const result = await run(COST_FILES, COST_CONFIG);
    expectWritten(result);
    expectRebalanceLog(result, [
      ['2024-01-04', 'Main', 'A', 0, 0.45, 0, 45000, 0, 'initial'],
      ['2024-01-04', 'Main', 'B', 0, 0.45, 0, 45000, 0, 'initial'],
      ['2024-01-08', 'Main', 'A', 49500 / 104500, 0.9, 49500, 93604.5, 445.5, 'calendar'],
      ['2024-01-08', 'Main', 'B', 45000 / 104500, 0, 45000, 0, 450, 'calendar'],
    ]);
  });

  it('equity after the rebalance: sleeves, cash and account (costs are the only leak)', async () => {
    const result = await run(COST_FILES, COST_CONFIG);
    expectWritten(result);
    expectAllNear(numericColumn(result, MASTER, 'A_Equity_Value'), [49500, 49500, 95476.59], 'A_Equity_Value', true);
    expectAllNear(numericColumn(result, MASTER, 'B_Equity_Value'), [45000, 45000, 0], 'B_Equity_Value', true);
    // E_a = sleeves + cash: 49500 + 45000 + 10000; then 95476.59 + 0 + 10000.
    expectAllNear(numericColumn(result, ACCOUNTS, 'Main_Equity_Value'), [104500, 104500, 105476.59], 'Main_Equity_Value', true);
    expectAllNear(numericColumn(result, ACCOUNTS, 'Main_Return_%'), [0.045, 0, 105476.59 / 104500 - 1], 'Main_Return_%');
    const summary = readJsonOut<Json>(result, 'summary.json');
    expect(summary['rebalances']).toMatchObject({ count: 1, byTrigger: { calendar: 1, band: 0 } });
    const rebalances = summary['rebalances'] as { totalCost: number; accounts: Record<string, { count: number; totalCost: number }> };
    expectNear(rebalances.totalCost, 895.5, 'rebalances.totalCost', true);
    expect(rebalances.accounts['Main']?.count).toBe(1);
    expectNear(rebalances.accounts['Main']?.totalCost, 895.5, 'rebalances.accounts.Main.totalCost', true);
    const conservation = (summary['checks'] as Record<string, Json>)['costConservation'] ?? {};
    expect(conservation).toMatchObject({ status: 'pass', toleranceUsd: 1, rebalances: 2, failingRebalances: 0 });
    expect(conservation['maxAbsDiff'] as number).toBeLessThanOrEqual(1e-6);
    expect(typeof conservation['maxAbsDiffDate']).toBe('string');
  });

  it('exposure: Scaled_Margin and Scaled_Notional are part A values times k_s = E\'_s(last rebalance) / allocatedCapital_s; units and utilization stay part A', async () => {
    const result = await run(COST_FILES, COST_CONFIG);
    expectWritten(result);
    // k_A = 0.9 on 01-04 and 01-05 (not E_A(t) / 50000 = 0.99 on 01-05: the last rebalance's capital), 1.87209 on 01-08.
    expectAllNear(numericColumn(result, MASTER, 'A_Scaled_Units'), [1, 1, 1], 'A_Scaled_Units');
    expectAllNear(numericColumn(result, MASTER, 'A_Scaled_Margin'), [900, 900, 1872.09], 'A_Scaled_Margin', true);
    expectAllNear(numericColumn(result, MASTER, 'A_Scaled_Notional'), [9000, 9000, 18720.9], 'A_Scaled_Notional', true);
    expectAllNear(numericColumn(result, MASTER, 'A_Margin_Utilization_%'), [2, 2, 2], 'A_Margin_Utilization_% (1000 / 50000 * 100)');
    expectAllNear(numericColumn(result, MASTER, 'A_Scaled_Return_%'), [0.1, 0, 0.02], 'A_Scaled_Return_%');
    expectAllNear(numericColumn(result, MASTER, 'B_Scaled_Units'), [2, 2, 0], 'B_Scaled_Units');
    expectAllNear(numericColumn(result, MASTER, 'B_Scaled_Margin'), [900, 900, 0], 'B_Scaled_Margin', true);
    expectAllNear(numericColumn(result, MASTER, 'B_Scaled_Notional'), [3600, 3600, 0], 'B_Scaled_Notional (6000 * 2/3 * 0.9)', true);
    expectAllNear(numericColumn(result, MASTER, 'B_Margin_Utilization_%'), [2, 2, 0], 'B_Margin_Utilization_%');
    // Account and portfolio figures follow section 4 with the scaled values.
    expectAllNear(numericColumn(result, ACCOUNTS, 'Main_Margin_Used'), [1800, 1800, 1872.09], 'Main_Margin_Used', true);
    expectAllNear(numericColumn(result, ACCOUNTS, 'Main_Notional_Exposure'), [12600, 12600, 18720.9], 'Main_Notional_Exposure', true);
    expectAllNear(numericColumn(result, ACCOUNTS, 'Main_Margin_Utilization_%'), [1.8, 1.8, 1.87209], 'Main_Margin_Utilization_% (/ 100000)');
    expectAllNear(numericColumn(result, PORTFOLIO, 'Margin_Utilization_%'), [1.8, 1.8, 1.87209], 'portfolio Margin_Utilization_% (/ 100000 allocated)');
    expectAllNear(numericColumn(result, PORTFOLIO, 'Leverage_Ratio'), [0.126, 0.126, 0.187209], 'Leverage_Ratio (/ 100000 allocated)');
  });

  it('limits.json: budget = E\'_s on the last date, used = Scaled_Margin, null utilization for a 0 budget', async () => {
    const result = await run(COST_FILES, COST_CONFIG);
    expectWritten(result);
    const limits = readJsonOut<Json>(result, 'limits.json');
    expect(limits['date']).toBe('2024-01-08');
    expectNear(limits['equity'], 105476.59, 'equity', true);
    // maxExposure = 0.2 * (sum of allocatedCapital 100000) = 20000; currentExposure = Total_Notional_Exposure 18720.9.
    expectNear(limits['maxExposure'], 20000, 'maxExposure', true);
    expectNear(limits['currentExposure'], 18720.9, 'currentExposure', true);
    expectNear(limits['availableExposure'], 1279.1, 'availableExposure', true);
    expectNear(limits['exposureUtilizationPct'], 93.6045, 'exposureUtilizationPct');
    const perStrategy = limits['perStrategy'] as Record<string, Json>;
    expect(Object.keys(perStrategy)).toEqual(['A', 'B']);
    const a = perStrategy['A'] ?? {};
    expectNear(a['budget'], 93604.5, 'A budget (after the 01-08 rebalance)', true);
    expectNear(a['used'], 1872.09, 'A used', true);
    expectNear(a['available'], 91732.41, 'A available', true);
    expectNear(a['utilizationPct'], 2, 'A utilizationPct (1872.09 / 93604.5 * 100)');
    const b = perStrategy['B'] ?? {};
    expectNear(b['budget'], 0, 'B budget', true);
    expectNear(b['used'], 0, 'B used', true);
    expectNear(b['available'], 0, 'B available', true);
    expect(b['utilizationPct'], 'B utilizationPct with a 0 budget').toBeNull();
    expect(limits['config']).toEqual({ maxLeverage: 0.2, maxConcurrentPositions: null, dailyStopLossUsd: null, drawdownBreachUsd: null, maxConcentrationPct: null });
  });

  it('maxLeverage is reported, not enforced: worst / worstDate even when passing', async () => {
    const result = await run(COST_FILES, COST_CONFIG);
    expectWritten(result);
    const check = ((readJsonOut<Json>(result, 'summary.json')['checks'] as Record<string, Json>)['maxLeverage'] ?? {}) as Json;
    expect(check).toMatchObject({ status: 'pass', limit: 0.2, days: 0, firstDate: null, worstDate: '2024-01-08' });
    expectNear(check['worst'], 0.187209, 'maxLeverage.worst');
  });
});

describe('the rebalance log: order, names, a zero account (SPEC 14 Files)', () => {
  it('rows in date order, then account and strategy config order; names get the formula guard and RFC 4180 quoting', async () => {
    // Accounts in the order "=Desk, Inc" then Y; strategies X1 (=Desk, Inc), Y1 (Y), -X2 (=Desk, Inc).
    const flat = track(['2024-01-05', 0, 1000, 10000], ['2024-01-08', 0, 1000, 10000]);
    const result = await run({ 'X1.csv': flat, 'Y1.csv': flat, '-X2.csv': flat }, {
      accounts: [
        { name: '=Desk, Inc', startingCapital: 100000 },
        { name: 'Y', startingCapital: 100000 },
      ],
      strategies: [strat('X1', { account: '=Desk, Inc' }), strat('Y1', { account: 'Y' }), strat('-X2', { account: '=Desk, Inc' })],
      rebalance: { frequency: 'weekly' },
    });
    expectWritten(result);
    const lines = readOut(result, '4_rebalance_log.csv').split('\n');
    expect(lines[0]).toBe('Date,Account,Strategy,Weight_Before,Target_Weight,Equity_Before,Equity_After,Cost,Trigger');
    expect(lines.slice(1)).toEqual([
      `2024-01-05,"'=Desk, Inc",X1,0,0.5,0,50000,0,initial`,
      `2024-01-05,"'=Desk, Inc",'-X2,0,0.5,0,50000,0,initial`,
      '2024-01-05,Y,Y1,0,0.5,0,50000,0,initial',
      `2024-01-08,"'=Desk, Inc",X1,0.5,0.5,50000,50000,0,calendar`,
      `2024-01-08,"'=Desk, Inc",'-X2,0.5,0.5,50000,50000,0,calendar`,
      '2024-01-08,Y,Y1,0.5,0.5,50000,50000,0,calendar',
      '',
    ]);
  });

  it('a calendar rebalance of an account whose equity is 0: Weight_Before 0, nothing moves', async () => {
    // Z1 holds all of Z's 100000 at ratio 2 and loses 50 % on Thu 01-04: rho -1, wiped out, E_Z = 0.
    // Mon 01-08 (new week): Z rebalances; E_Z(t-1) = 0 -> Weight_Before 0, target 0 (wiped out), equity 0.
    const wipe = track(['2024-01-04', -0.5, 1000, 10000], ['2024-01-05', 0.1, 1000, 10000], ['2024-01-08', 0.1, 1000, 10000]);
    const result = await run({ 'Z1.csv': wipe }, {
      accounts: [{ name: 'Z', startingCapital: 100000 }],
      strategies: [strat('Z1', { account: 'Z', allocatedCapital: 100000, maxPositionScale: 2 })],
      rebalance: { frequency: 'weekly', costBps: 50 },
    });
    expectWritten(result);
    expectRebalanceLog(result, [
      ['2024-01-04', 'Z', 'Z1', 0, 1, 0, 100000, 0, 'initial'],
      ['2024-01-08', 'Z', 'Z1', 0, 0, 0, 0, 0, 'calendar'],
    ]);
  });
});

describe('weights use the strategy\'s own rho, whatever blocking did (SPEC 10)', () => {
  it('a strategy blocked through the whole window still has its volatility: inverse volatility 2/3, 1/3', async () => {
    // Limit 1: P and Q both hold from t0 (Mon 01-01); P is allowed (config order), Q blocked and stays blocked.
    // 01-08 (weekly), lookbackDays 4, W = 01-02 .. 01-05: P = 0.01 u1, Q = 0.02 u1 (its part-A returns, not the 0 it
    // earned while blocked) -> 1/sigma 2 : 1 -> 2/3, 1/3.
    const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
    const fileOf = (values: number[]): string => track(...dates.map((date, i): Row => [date, values[i] ?? 0, 1000, 10000]));
    const result = await run({ 'P.csv': fileOf([0, 0.01, -0.01, 0.01, -0.01, 0]), 'Q.csv': fileOf([0, 0.02, -0.02, 0.02, -0.02, 0]) }, {
      accounts: [{ name: 'Main', startingCapital: 100000 }],
      strategies: [strat('P'), strat('Q')],
      allocation: { method: 'inverseVolatility', lookbackDays: 4 },
      rebalance: { frequency: 'weekly' },
      limits: { maxConcurrentPositions: 1 },
    });
    expectWritten(result);
    expect(readJsonOut<Json>(result, 'summary.json')['blockedEntries']).toEqual({ Q: { count: 1, dates: ['2024-01-01'] } });
    const [, ...rows] = readOut(result, '4_rebalance_log.csv').trimEnd().split('\n').map((line) => line.split(','));
    const targets = rows.filter((row) => row[0] === '2024-01-08').map((row) => Number(row[4]));
    expectAllNear(targets, [2 / 3, 1 / 3], 'targets on 2024-01-08');
  });
});

describe('a sleeve with no capital is not wiped out (SPEC 4, 9)', () => {
  it('weight 0 by inverse volatility, then a scaled return of -100 %: no wipe-out, it keeps trading', async () => {
    // Daily Mon 01-01 .. Wed 01-10, inverseVolatility, lookbackDays 2, weekly (fires Mon 01-08 only).
    // Z: maxPositionScale 2 (ratio 2), Return 0 until 01-07 -> sigma 0 over W = 01-06, 01-07 -> weight 0 on 01-08, E'_Z = 0.
    // 01-09: Return -0.5 -> rho -1 on a sleeve holding no capital: not a wipe-out. 01-10: it still trades 2 units.
    // Y: +/- 1 % -> eligible, weight 1.
    const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07', '2024-01-08', '2024-01-09', '2024-01-10'];
    const zReturns = [0, 0, 0, 0, 0, 0, 0, 0, -0.5, 0.1];
    const z = track(...dates.map((date, i): Row => [date, zReturns[i] ?? 0, 1000, 10000]));
    const y = track(...dates.map((date, i): Row => [date, i % 2 === 0 ? 0.01 : -0.01, 1000, 10000]));
    const result = await run({ 'Z.csv': z, 'Y.csv': y }, {
      accounts: [{ name: 'Main', startingCapital: 100000 }],
      strategies: [strat('Z', { maxPositionScale: 2 }), strat('Y')],
      allocation: { method: 'inverseVolatility', lookbackDays: 2 },
      rebalance: { frequency: 'weekly' },
    });
    expectWritten(result);
    expect(logDates(result, 'Z')).toEqual(['2024-01-01', '2024-01-08']);
    expect(readJsonOut<Json>(result, 'summary.json')['wipeouts']).toEqual({});
    const units = numericColumn(result, MASTER, 'Z_Scaled_Units');
    expect(units.slice(7)).toEqual([2, 2, 2]);
    expectAllNear(numericColumn(result, MASTER, 'Z_Equity_Value').slice(7), [0, 0, 0], 'Z_Equity_Value from 01-08', true);
    // k_Z = 0 from 01-08: margin and notional 0 although it holds 2 units.
    expectAllNear(numericColumn(result, MASTER, 'Z_Scaled_Margin').slice(7), [0, 0, 0], 'Z_Scaled_Margin from 01-08', true);
    expectAllNear(numericColumn(result, MASTER, 'Z_Margin_Utilization_%').slice(7), [4, 4, 4], 'Z_Margin_Utilization_% (part A: 2000 / 50000)');
  });
});
