/**
 * SPEC 12 and 14, the risk rules by hand through the command line: maxLeverage, the enforced
 * maxConcurrentPositions (four positions allowed, a fifth entry blocked until its own position
 * closes), dailyStopLossUsd, drawdownBreachUsd, maxConcentrationPct, and limits.json.
 */
import { describe, expect, it } from 'vitest';
import { expectAllNear, expectNear, numericColumn, readJsonOut, strat, track, type Row } from '#test/support/partB.ts';
import { expectWritten, run, type Json, type Run } from '#test/support/writeCase.ts';

const MASTER = '1_master_aligned_data.csv';

function checksOf(result: Run): Record<string, Json> {
  return readJsonOut<Json>(result, 'summary.json')['checks'] as Record<string, Json>;
}

// ---------------------------------------------------------------------------------------
// A portfolio with exact binary returns (every figure below is exact in floating point)
// ---------------------------------------------------------------------------------------

/**
 * Acc1 100000: S1 allocated 100000. Acc2 50000: S2 allocated 50000. fixed, no rebalance; 1 unit per 1000
 * of margin, so rho = Return and k = 1. E_p(t0-1) = 150000 (the sum of starting capitals).
 *
 * date        S1 ret   S1 equity          S2 ret  S2 equity  E_p               change          peak     DD
 * 2024-01-02  -0.125   87500              0       50000      137500            -12500          150000   -12500
 * 2024-01-03  +0.25    109375             +0.5    75000      184375            +46875          184375   0
 * 2024-01-04  -0.5     54687.5            0       75000      129687.5          -54687.5        184375   -54687.5
 * 2024-01-05  +0.5     82031.25           +0.25   93750      175781.25         +46093.75       184375   -8593.75
 * 2024-01-08  -0.25    61523.4375         0       93750      155273.4375       -20507.8125     184375   -29101.5625
 * 2024-01-09  -0.0625  57678.22265625     0       93750      151428.22265625   -3845.21484375  184375   -32946.77734375
 *
 * Notional (ratio 1): S1 200000, 300000, 150000, 400000, 100000, 300000; S2 100000, 150000, 75000, 50000, 50000, 75000.
 * Leverage_Ratio = total / 150000 allocated: 2, 3, 1.5, 3, 1, 2.5.
 * Shares E_s / E_p * 100: S1 63.64, 59.32, 42.17, 46.67, 39.62, 38.09; S2 36.36, 40.68, 57.83, 53.33, 60.38, 61.91.
 */
const DATES = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09'];
const S1_RETURNS = [-0.125, 0.25, -0.5, 0.5, -0.25, -0.0625];
const S2_RETURNS = [0, 0.5, 0, 0.25, 0, 0];
const S1_NOTIONAL = [200000, 300000, 150000, 400000, 100000, 300000];
const S2_NOTIONAL = [100000, 150000, 75000, 50000, 50000, 75000];

const rowsOf = (returns: number[], notionals: number[]): Row[] => DATES.map((date, i) => [date, returns[i] ?? 0, 1000, notionals[i] ?? 0]);
const RULE_FILES = { 'S1.csv': track(...rowsOf(S1_RETURNS, S1_NOTIONAL)), 'S2.csv': track(...rowsOf(S2_RETURNS, S2_NOTIONAL)) };

function ruleConfig(limits: Json): Json {
  return {
    accounts: [
      { name: 'Acc1', startingCapital: 100000 },
      { name: 'Acc2', startingCapital: 50000 },
    ],
    strategies: [strat('S1', { account: 'Acc1', allocatedCapital: 100000 }), strat('S2', { account: 'Acc2', allocatedCapital: 50000 })],
    limits,
  };
}

describe('the exact-binary portfolio itself', () => {
  it('has the equity the tables above derive (the hand figures the rule checks rest on)', async () => {
    const result = await run(RULE_FILES, ruleConfig({ maxLeverage: 10 }));
    expectWritten(result);
    expectAllNear(
      numericColumn(result, '3_total_portfolio_performance.csv', 'Portfolio_Equity_Value'),
      [137500, 184375, 129687.5, 175781.25, 155273.4375, 151428.22265625],
      'Portfolio_Equity_Value',
      true,
    );
    expectAllNear(numericColumn(result, '3_total_portfolio_performance.csv', 'Leverage_Ratio'), [2, 3, 1.5, 3, 1, 2.5], 'Leverage_Ratio');
  });
});

describe('maxLeverage (SPEC 12.1)', () => {
  it('days strictly above the limit, the first date, the worst (earliest on ties) and its date', async () => {
    // Limit 2.5: 3 on 01-03 and 01-05 are above; 2.5 on 01-09 is not (strictly above). Worst 3, first on 01-03.
    const result = await run(RULE_FILES, ruleConfig({ maxLeverage: 2.5 }));
    expectWritten(result);
    expect(checksOf(result)['maxLeverage']).toEqual({ status: 'fail', limit: 2.5, days: 2, firstDate: '2024-01-03', worst: 3, worstDate: '2024-01-03' });
  });

  it('passing: days 0, firstDate null, worst and worstDate still reported', async () => {
    const result = await run(RULE_FILES, ruleConfig({ maxLeverage: 5 }));
    expectWritten(result);
    expect(checksOf(result)['maxLeverage']).toEqual({ status: 'pass', limit: 5, days: 0, firstDate: null, worst: 3, worstDate: '2024-01-03' });
  });

  it('limits.json: maxExposure = maxLeverage * sum of allocatedCapital, currentExposure the last Total_Notional_Exposure', async () => {
    // Last date 01-09: maxExposure = 2.5 * 150000 = 375000; currentExposure = 300000 + 75000 = 375000;
    // available 0; utilization 100 %. Budgets: no rebalance, so E'_s(last date) = E_s(01-08):
    // S1 61523.4375 (used 1000, available 60523.4375, 1000 / 61523.4375 * 100 %), S2 93750 (used 1000).
    const result = await run(RULE_FILES, ruleConfig({ maxLeverage: 2.5, drawdownBreachUsd: 30000 }));
    expectWritten(result);
    const limits = readJsonOut<Json>(result, 'limits.json');
    expect(limits['date']).toBe('2024-01-09');
    expectNear(limits['equity'], 151428.22265625, 'equity', true);
    expectNear(limits['maxExposure'], 375000, 'maxExposure', true);
    expectNear(limits['currentExposure'], 375000, 'currentExposure', true);
    expectNear(limits['availableExposure'], 0, 'availableExposure', true);
    expectNear(limits['exposureUtilizationPct'], 100, 'exposureUtilizationPct');
    const perStrategy = limits['perStrategy'] as Record<string, Json>;
    const s1 = perStrategy['S1'] ?? {};
    const s2 = perStrategy['S2'] ?? {};
    expectNear(s1['budget'], 61523.4375, 'S1 budget', true);
    expectNear(s1['used'], 1000, 'S1 used', true);
    expectNear(s1['available'], 60523.4375, 'S1 available', true);
    expectNear(s1['utilizationPct'], (1000 / 61523.4375) * 100, 'S1 utilizationPct');
    expectNear(s2['budget'], 93750, 'S2 budget', true);
    expectNear(s2['used'], 1000, 'S2 used', true);
    expectNear(s2['available'], 92750, 'S2 available', true);
    expectNear(s2['utilizationPct'], (1000 / 93750) * 100, 'S2 utilizationPct');
    expect(limits['config'], 'config: the resolved limits, all five keys').toEqual({
      maxLeverage: 2.5,
      maxConcurrentPositions: null,
      dailyStopLossUsd: null,
      drawdownBreachUsd: 30000,
      maxConcentrationPct: null,
    });
  });

  it('limits.json without maxLeverage: maxExposure, availableExposure and exposureUtilizationPct are null', async () => {
    const result = await run(RULE_FILES, ruleConfig({ dailyStopLossUsd: 1 }));
    expectWritten(result);
    const limits = readJsonOut<Json>(result, 'limits.json');
    expect(limits).toMatchObject({ maxExposure: null, availableExposure: null, exposureUtilizationPct: null });
    expectNear(limits['currentExposure'], 375000, 'currentExposure', true);
  });
});

describe('dailyStopLossUsd (SPEC 12.3)', () => {
  it('days with E_p(t) - E_p(t-1) <= -limit (equality counts); worstChangeUsd signed', async () => {
    // Limit 20507.8125: 01-04 (-54687.5) and 01-08 (-20507.8125, exactly the limit). Worst -54687.5 on 01-04.
    const result = await run(RULE_FILES, ruleConfig({ dailyStopLossUsd: 20507.8125 }));
    expectWritten(result);
    expect(checksOf(result)['dailyStopLoss']).toEqual({
      status: 'fail',
      limitUsd: 20507.8125,
      days: 2,
      dates: ['2024-01-04', '2024-01-08'],
      worstChangeUsd: -54687.5,
      worstDate: '2024-01-04',
    });
  });

  it('the first date is measured from the sum of starting capitals (150000 -> 137500 = -12500)', async () => {
    const result = await run(RULE_FILES, ruleConfig({ dailyStopLossUsd: 12500 }));
    expectWritten(result);
    expect(checksOf(result)['dailyStopLoss']).toMatchObject({ days: 3, dates: ['2024-01-02', '2024-01-04', '2024-01-08'] });
  });

  it('passing: no day at or below -limit', async () => {
    const result = await run(RULE_FILES, ruleConfig({ dailyStopLossUsd: 60000 }));
    expectWritten(result);
    expect(checksOf(result)['dailyStopLoss']).toEqual({
      status: 'pass',
      limitUsd: 60000,
      days: 0,
      dates: [],
      worstChangeUsd: -54687.5,
      worstDate: '2024-01-04',
    });
  });
});

describe('drawdownBreachUsd (SPEC 12.4)', () => {
  it('an event only when DD crosses to <= -limit from above (the start counts as above)', async () => {
    // Limit 12500: 01-02 (-12500, from the start), 01-04 (after 0 on 01-03), 01-08 (after -8593.75 on 01-05);
    // 01-09 is still below: no new event. Deepest: 54687.5 on 01-04.
    const result = await run(RULE_FILES, ruleConfig({ drawdownBreachUsd: 12500 }));
    expectWritten(result);
    expect(checksOf(result)['drawdownBreaches']).toEqual({
      status: 'fail',
      limitUsd: 12500,
      events: 3,
      dates: ['2024-01-02', '2024-01-04', '2024-01-08'],
      maxDrawdownUsd: 54687.5,
      maxDrawdownDate: '2024-01-04',
    });
  });

  it('limit 30000: 01-04 (-54687.5), then 01-09 (-32946.78) after -8593.75 and -29101.56 above the limit', async () => {
    const result = await run(RULE_FILES, ruleConfig({ drawdownBreachUsd: 30000 }));
    expectWritten(result);
    expect(checksOf(result)['drawdownBreaches']).toMatchObject({ status: 'fail', events: 2, dates: ['2024-01-04', '2024-01-09'] });
  });

  it('passing: no event; the deepest drawdown is still reported', async () => {
    const result = await run(RULE_FILES, ruleConfig({ drawdownBreachUsd: 60000 }));
    expectWritten(result);
    expect(checksOf(result)['drawdownBreaches']).toEqual({
      status: 'pass',
      limitUsd: 60000,
      events: 0,
      dates: [],
      maxDrawdownUsd: 54687.5,
      maxDrawdownDate: '2024-01-04',
    });
  });

  it('never under water: maxDrawdownUsd 0 and maxDrawdownDate null', async () => {
    const up = track(['2024-01-02', 0.01, 1000, 10000], ['2024-01-03', 0, 1000, 10000], ['2024-01-04', 0.02, 1000, 10000]);
    const result = await run({ 'S1.csv': up }, {
      accounts: [{ name: 'Acc1', startingCapital: 100000 }],
      strategies: [strat('S1', { account: 'Acc1' })],
      limits: { drawdownBreachUsd: 1 },
    });
    expectWritten(result);
    expect(checksOf(result)['drawdownBreaches']).toEqual({ status: 'pass', limitUsd: 1, events: 0, dates: [], maxDrawdownUsd: 0, maxDrawdownDate: null });
  });
});

describe('maxConcentrationPct (SPEC 12.5)', () => {
  it('days on which some sleeve holds strictly more than the limit of E_p; worst share, date and strategy', async () => {
    // Limit 60: 01-02 (S1 63.64), 01-08 (S2 60.38), 01-09 (S2 61.91). Worst: S1 87500 / 137500 * 100 on 01-02.
    const result = await run(RULE_FILES, ruleConfig({ maxConcentrationPct: 60 }));
    expectWritten(result);
    const check = checksOf(result)['maxConcentration'] ?? {};
    expect(check).toMatchObject({ status: 'fail', limitPct: 60, days: 3, firstDate: '2024-01-02', worstDate: '2024-01-02', worstStrategy: 'S1' });
    expectNear(check['worstPct'], (87500 / 137500) * 100, 'worstPct');
  });

  it('passing: days 0, firstDate null, the worst still reported', async () => {
    const result = await run(RULE_FILES, ruleConfig({ maxConcentrationPct: 70 }));
    expectWritten(result);
    const check = checksOf(result)['maxConcentration'] ?? {};
    expect(check).toMatchObject({ status: 'pass', limitPct: 70, days: 0, firstDate: null, worstDate: '2024-01-02', worstStrategy: 'S1' });
    expectNear(check['worstPct'], (87500 / 137500) * 100, 'worstPct');
  });

  it('ties: the earliest date, then config order, for the worst share', async () => {
    // Acc1 100000: S1 and S2 allocated 50000 each, every return 0: both at 50 % on every date.
    const flat = track(['2024-01-02', 0, 1000, 10000], ['2024-01-03', 0, 1000, 10000], ['2024-01-04', 0, 1000, 10000]);
    const result = await run({ 'S1.csv': flat, 'S2.csv': flat }, {
      accounts: [{ name: 'Acc1', startingCapital: 100000 }],
      strategies: [strat('S1', { account: 'Acc1' }), strat('S2', { account: 'Acc1' })],
      limits: { maxConcentrationPct: 40 },
    });
    expectWritten(result);
    expect(checksOf(result)['maxConcentration']).toEqual({
      status: 'fail',
      limitPct: 40,
      days: 3,
      firstDate: '2024-01-02',
      worstPct: 50,
      worstDate: '2024-01-02',
      worstStrategy: 'S1',
    });
    // Limit 50: a share of exactly 50 is not strictly above it.
    const atLimit = await run({ 'S1.csv': flat, 'S2.csv': flat }, {
      accounts: [{ name: 'Acc1', startingCapital: 100000 }],
      strategies: [strat('S1', { account: 'Acc1' }), strat('S2', { account: 'Acc1' })],
      limits: { maxConcentrationPct: 50 },
    });
    expectWritten(atLimit);
    expect(checksOf(atLimit)['maxConcentration']).toMatchObject({ status: 'pass', days: 0, firstDate: null, worstPct: 50, worstStrategy: 'S1' });
  });

  it('days with E_p <= 0 are skipped (the whole portfolio wiped out)', async () => {
    // S allocated all 100000, maxPositionScale 2 (ratio 2): 01-02 Return 0.1 -> rho 0.2 -> 120000 (100 % of E_p);
    // 01-03 Return -0.5 -> rho -1 -> 0: E_p = 0 on 01-03 and 01-04, skipped.
    const wiped = track(['2024-01-02', 0.1, 1000, 10000], ['2024-01-03', -0.5, 1000, 10000], ['2024-01-04', 0.1, 1000, 10000]);
    const result = await run({ 'S.csv': wiped }, {
      accounts: [{ name: 'Acc1', startingCapital: 100000 }],
      strategies: [strat('S', { account: 'Acc1', allocatedCapital: 100000, maxPositionScale: 2 })],
      limits: { maxConcentrationPct: 50 },
    });
    expectWritten(result);
    const check = checksOf(result)['maxConcentration'] ?? {};
    expect(check).toMatchObject({ status: 'fail', days: 1, firstDate: '2024-01-02', worstDate: '2024-01-02', worstStrategy: 'S' });
    expectNear(check['worstPct'], 100, 'worstPct');
  });
});

// ---------------------------------------------------------------------------------------
// maxConcurrentPositions: four allowed, a fifth blocked until its own position closes
// ---------------------------------------------------------------------------------------

/**
 * 2024-01-01 .. 01-07 (D0..D6). A1 (200000): P1..P4 allocated 50000 each; A2 (50000): P5 allocated 50000,
 * maxPositionScale 2 (1 implied unit -> 2 units, ratio 2). Limit 4, across the whole portfolio. A strategy holds
 * when its part-A units are > 0 (margin 1000 here), not when its margin is 0.
 *
 *        D0  D1  D2  D3  D4  D5  D6
 * P1-P3  H   H   H   H   H   H   H
 * P4     H   H   .   .   .   H   H
 * P5     H   H   H   .   H   H   H
 *
 * D0: all five enter; P1..P4 allowed in config order (4), P5 blocked.
 * D1: P5 still holds -> blocked. D2: P4 closes; P5 still holds -> still blocked although a slot is free.
 * D3: P5's units are 0 -> released. D4: P5 enters with P1..P3 holding (3) -> allowed.
 * D5: P4 enters with P1, P2, P3, P5 holding (4) -> blocked; D6 still blocked.
 * Entries: P1..P3 1 each; P4 2 (1 allowed, 1 blocked); P5 2 (1 blocked, 1 allowed). Total 7 requested, 5 allowed, 2 blocked.
 * Blocked days: P5 D0, D1, D2 (3); P4 D5, D6 (2).
 * P5 Return: 0.1, -0.5, 0.2, 0, 0.1, -0.05, 0.02; rho on traded days = 2 * Return. Blocked D0..D2 (the -0.5 day
 * would be rho -1, a wipe-out, but a blocked day trades nothing): 50000, 50000, 50000; D3 0 -> 50000;
 * D4 rho 0.2 -> 60000; D5 rho -0.1 -> 54000; D6 rho 0.04 -> 56160.
 * P4 Return: 0.01, 0.02, 0, 0, 0, 0.3, -0.2: 50500, 51510, then 51510 (D5, D6 blocked).
 */
const WEEK = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07'];
function holdingTrack(holds: string, returns: readonly number[]): string {
  return track(...WEEK.map((date, i): Row => [date, returns[i] ?? 0, holds[i] === 'H' ? 1000 : 0, holds[i] === 'H' ? 10000 : 0]));
}
const CONCURRENCY_FILES = {
  'P1.csv': holdingTrack('HHHHHHH', [0, 0, 0, 0, 0, 0, 0]),
  'P2.csv': holdingTrack('HHHHHHH', [0, 0, 0, 0, 0, 0, 0]),
  'P3.csv': holdingTrack('HHHHHHH', [0, 0, 0, 0, 0, 0, 0]),
  'P4.csv': holdingTrack('HH...HH', [0.01, 0.02, 0, 0, 0, 0.3, -0.2]),
  'P5.csv': holdingTrack('HHH.HHH', [0.1, -0.5, 0.2, 0, 0.1, -0.05, 0.02]),
};
const CONCURRENCY_CONFIG: Json = {
  accounts: [
    { name: 'A1', startingCapital: 200000 },
    { name: 'A2', startingCapital: 50000 },
  ],
  strategies: [
    strat('P1', { account: 'A1' }),
    strat('P2', { account: 'A1' }),
    strat('P3', { account: 'A1' }),
    strat('P4', { account: 'A1' }),
    strat('P5', { account: 'A2', maxPositionScale: 2 }),
  ],
  limits: { maxConcurrentPositions: 4 },
};

describe('maxConcurrentPositions (SPEC 12.2)', () => {
  it('four positions allowed, the fifth entry blocked until its own position closes: the counts in summary.json', async () => {
    const result = await run(CONCURRENCY_FILES, CONCURRENCY_CONFIG);
    expectWritten(result);
    const check = checksOf(result)['maxConcurrentPositions'] ?? {};
    const once = { requested: 1, allowed: 1, blocked: 0, blockRate: 0, blockedDays: 0 };
    expect(check).toMatchObject({
      status: 'fail',
      limit: 4,
      requested: 7,
      allowed: 5,
      blocked: 2,
      maxConcurrent: 4,
      maxConcurrentDate: '2024-01-01',
      strategies: {
        P1: once,
        P2: once,
        P3: once,
        P4: { requested: 2, allowed: 1, blocked: 1, blockRate: 0.5, blockedDays: 2 },
        P5: { requested: 2, allowed: 1, blocked: 1, blockRate: 0.5, blockedDays: 3 },
      },
    });
    expectNear(check['blockRate'], 2 / 7, 'blockRate');
    const summary = readJsonOut<Json>(result, 'summary.json');
    expect(summary['blockedEntries']).toEqual({ P4: { count: 1, dates: ['2024-01-06'] }, P5: { count: 1, dates: ['2024-01-01'] } });
  });

  it('blocked days hold nothing in the master CSV (units, margin, notional, Scaled_Return_%, utilization 0; equity unchanged)', async () => {
    const result = await run(CONCURRENCY_FILES, CONCURRENCY_CONFIG);
    expectWritten(result);
    // P5: blocked D0..D2, not holding D3, trades D4..D6 at 2 units (margin 2000, notional 10000 * 2, utilization 2000 / 50000 * 100).
    expectAllNear(numericColumn(result, MASTER, 'P5_Scaled_Units'), [0, 0, 0, 0, 2, 2, 2], 'P5_Scaled_Units');
    expectAllNear(numericColumn(result, MASTER, 'P5_Scaled_Margin'), [0, 0, 0, 0, 2000, 2000, 2000], 'P5_Scaled_Margin', true);
    expectAllNear(numericColumn(result, MASTER, 'P5_Scaled_Notional'), [0, 0, 0, 0, 20000, 20000, 20000], 'P5_Scaled_Notional', true);
    expectAllNear(numericColumn(result, MASTER, 'P5_Scaled_Return_%'), [0, 0, 0, 0, 0.2, -0.1, 0.04], 'P5_Scaled_Return_%');
    expectAllNear(numericColumn(result, MASTER, 'P5_Margin_Utilization_%'), [0, 0, 0, 0, 4, 4, 4], 'P5_Margin_Utilization_%');
    expectAllNear(numericColumn(result, MASTER, 'P5_Equity_Value'), [50000, 50000, 50000, 50000, 60000, 54000, 56160], 'P5_Equity_Value', true);
    // Input columns and Implied_Units stay as read.
    expectAllNear(numericColumn(result, MASTER, 'P5_Return_%'), [0.1, -0.5, 0.2, 0, 0.1, -0.05, 0.02], 'P5_Return_%');
    expectAllNear(numericColumn(result, MASTER, 'P5_Margin_Used'), [1000, 1000, 1000, 0, 1000, 1000, 1000], 'P5_Margin_Used', true);
    expectAllNear(numericColumn(result, MASTER, 'P5_Implied_Units'), [1, 1, 1, 0, 1, 1, 1], 'P5_Implied_Units');
    // P4: blocked D5, D6.
    expectAllNear(numericColumn(result, MASTER, 'P4_Scaled_Units'), [1, 1, 0, 0, 0, 0, 0], 'P4_Scaled_Units');
    expectAllNear(numericColumn(result, MASTER, 'P4_Scaled_Margin'), [1000, 1000, 0, 0, 0, 0, 0], 'P4_Scaled_Margin', true);
    expectAllNear(numericColumn(result, MASTER, 'P4_Scaled_Notional'), [10000, 10000, 0, 0, 0, 0, 0], 'P4_Scaled_Notional', true);
    expectAllNear(numericColumn(result, MASTER, 'P4_Scaled_Return_%'), [0.01, 0.02, 0, 0, 0, 0, 0], 'P4_Scaled_Return_%');
    expectAllNear(numericColumn(result, MASTER, 'P4_Margin_Utilization_%'), [2, 2, 0, 0, 0, 0, 0], 'P4_Margin_Utilization_%');
    expectAllNear(numericColumn(result, MASTER, 'P4_Equity_Value'), [50500, 51510, 51510, 51510, 51510, 51510, 51510], 'P4_Equity_Value', true);
    // Never more than four strategies holding and not blocked on one date.
    const traded = ['P1', 'P2', 'P3', 'P4', 'P5'].map((name) => numericColumn(result, MASTER, `${name}_Scaled_Units`));
    const perDay = WEEK.map((_, day) => traded.filter((units) => (units[day] ?? 0) > 0).length);
    expect(perDay).toEqual([4, 4, 3, 3, 4, 4, 4]);
    // The account and the portfolio see only what trades.
    expectAllNear(numericColumn(result, '2_account_performance.csv', 'A2_Margin_Used'), [0, 0, 0, 0, 2000, 2000, 2000], 'A2_Margin_Used', true);
  });

  it('under the limit: a blocked day cannot wipe a sleeve out; drift and strategy metrics leave blocked days out', async () => {
    const result = await run(CONCURRENCY_FILES, CONCURRENCY_CONFIG);
    expectWritten(result);
    const summary = readJsonOut<Json>(result, 'summary.json');
    expect(summary['wipeouts']).toEqual({});
    const drift = (checksOf(result)['roundingDrift'] as { strategies: Record<string, Json> }).strategies;
    // P5 trades with implied > 0 on D4, D5, D6 only; P4 on D0, D1.
    expect(drift['P5']).toMatchObject({ days: 3 });
    expect(drift['P4']).toMatchObject({ days: 2 });
    // P5's rho: 0 on blocked days: 1.2 * 0.9 * 1.04 - 1.
    const metrics = (summary['metrics'] as { strategies: Record<string, Json> }).strategies;
    expectNear(metrics['P5']?.['totalReturn'], 1.2 * 0.9 * 1.04 - 1, 'P5 totalReturn');
    // The invariants look at the units traded (0 when blocked): no violation.
    expect(checksOf(result)['invariants']).toMatchObject({ status: 'pass', violations: 0 });
  });

  it('no entry blocked: status pass, blockRate 0, blockedEntries {}', async () => {
    // Limit 5: nothing is blocked, so P5 trades on D1 (Return -0.5 at ratio 2: rho -1) and is wiped out there;
    // a wiped-out strategy never holds again, so P5 enters once. Entries: P1..P3 1, P4 2 (D0, D5), P5 1 = 6.
    const result = await run(CONCURRENCY_FILES, { ...CONCURRENCY_CONFIG, limits: { maxConcurrentPositions: 5 } });
    expectWritten(result);
    expect(checksOf(result)['maxConcurrentPositions']).toMatchObject({
      status: 'pass',
      requested: 6,
      allowed: 6,
      blocked: 0,
      blockRate: 0,
      maxConcurrent: 5,
      maxConcurrentDate: '2024-01-01',
    });
    const summary = readJsonOut<Json>(result, 'summary.json');
    expect(summary['blockedEntries']).toEqual({});
    expect(summary['wipeouts']).toEqual({ P5: '2024-01-02' });
  });

  it('a strategy with no capital still takes a slot when it holds', async () => {
    // inverseVolatility, lookbackDays 2, weekly. Z holds every day with Return 0; Y holds only on Tue 01-09.
    // t0 (Mon 01-01): start of history -> 0.5 each; Z enters (allowed, limit 1).
    // Mon 01-08: W = 01-06, 01-07: Z's sigma is 0 -> ineligible -> its capital goes to cash (E_Z = 0),
    // but its part-A units are still > 0: it holds. Tue 01-09: Y enters with Z holding -> blocked.
    const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07', '2024-01-08', '2024-01-09'];
    const z = track(...dates.map((date): Row => [date, 0, 1000, 10000]));
    const y = track(...dates.map((date, i): Row => (i === 8 ? [date, 0.05, 1000, 10000] : [date, 0, 0, 0])));
    const result = await run({ 'Z.csv': z, 'Y.csv': y }, {
      accounts: [{ name: 'Main', startingCapital: 100000 }],
      strategies: [strat('Z'), strat('Y')],
      allocation: { method: 'inverseVolatility', lookbackDays: 2 },
      rebalance: { frequency: 'weekly' },
      limits: { maxConcurrentPositions: 1 },
    });
    expectWritten(result);
    const zEquity = numericColumn(result, MASTER, 'Z_Equity_Value');
    expectNear(zEquity[7], 0, 'Z_Equity_Value on 01-08 (no capital)', true);
    expect(readJsonOut<Json>(result, 'summary.json')['blockedEntries']).toEqual({ Y: { count: 1, dates: ['2024-01-09'] } });
  });
});
