/**
 * Issue 15 beside SPEC 19.2: the return that moved most between two copies of a track record,
 * and the morning's lines a manager reads about it: one per restated or stale strategy (which,
 * how many past days, the date range, the largest return change), the new ones named, and at 200
 * strategies still the first few and "and N more", never a line each.
 */
import { describe, expect, it } from 'vitest';
import { largestReturnChange, type RestatedStrategy, type Restatement } from '#shared/calc/restatements.ts';
import { dayNumber } from '#shared/dates.ts';
import { morningFacts, restatedLine, type MorningInput } from '#shared/report/morningFacts.ts';
import { BREACHES_SHOWN, morningLines } from '#shared/report/morningText.ts';

const day = (iso: string): number => dayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

describe('largestReturnChange', () => {
  const rows: Restatement[] = [
    { date: day('2024-01-01'), kind: 'removed', column: null, previous: 0.09, current: null },
    { date: day('2024-01-02'), kind: 'changed', column: 'Return', previous: 0.01, current: 0.012 },
    { date: day('2024-01-02'), kind: 'changed', column: 'Notional_Value', previous: 10_000, current: 90_000 },
    { date: day('2024-01-03'), kind: 'changed', column: 'Return', previous: -0.004, current: -0.007 },
    { date: day('2024-01-04'), kind: 'inserted', column: null, previous: null, current: -0.2 },
    { date: day('2024-01-05'), kind: 'changed', column: 'Return', previous: 0.003, current: 0 },
  ];

  it('is the changed Return furthest from its previous value, whatever its sign; removed and inserted dates and other columns are not changes of the return', () => {
    const largest = largestReturnChange(rows);
    expect(largest?.date).toBe(day('2024-01-03'));
    expect(largest?.previous).toBe(-0.004);
    expect(largest?.current).toBe(-0.007);
    expect(largest?.difference).toBeCloseTo(-0.003, 15);
  });

  it('keeps the earliest of equal changes, and is null when no return changed', () => {
    const tie: Restatement[] = [
      { date: day('2024-01-02'), kind: 'changed', column: 'Return', previous: 0.5, current: 0.25 },
      { date: day('2024-01-03'), kind: 'changed', column: 'Return', previous: 0.25, current: 0.5 },
    ];
    expect(largestReturnChange(tie)?.date).toBe(day('2024-01-02'));
    expect(largestReturnChange(rows.filter((row) => row.column !== 'Return'))).toBeNull();
  });
});

const restated = (overrides: Partial<RestatedStrategy> = {}): RestatedStrategy => ({
  changed: 2,
  removed: 1,
  inserted: 0,
  appended: 4,
  firstDate: '2024-01-01',
  lastDate: '2024-01-03',
  largestReturnChange: { date: day('2024-01-03'), previous: -0.004, current: -0.007, difference: -0.003 },
  ...overrides,
});

describe('restatedLine', () => {
  it('says which strategy, how many past days, the date range, the kinds and the largest return change', () => {
    expect(restatedLine('Forex_Trend', restated())).toBe(
      'Forex_Trend re-sent 3 past days, 2024-01-01 to 2024-01-03 (2 changed, 1 removed); largest return change -0.30 % on 2024-01-03 (-0.40 % before, -0.70 % now)',
    );
  });

  it('one date reads "on"; a strategy whose returns did not change says so', () => {
    expect(restatedLine('A', restated({ changed: 0, removed: 0, inserted: 1, firstDate: '2024-01-02', lastDate: '2024-01-02', largestReturnChange: null }))).toBe(
      'A re-sent 1 past day, on 2024-01-02 (1 inserted); no return changed',
    );
  });
});

describe('the morning lines at 200 restated, stale and new strategies', () => {
  const names = Array.from({ length: 200 }, (_, s) => `Strategy_${String(s).padStart(3, '0')}`);
  const periods = Object.fromEntries(['day', 'wtd', 'mtd', 'qtd', 'ytd', '1y', 'inception'].map((period) => [period, null]));
  const input = {
    asOf: { date: '2025-12-31', portfolio: { periods, currentDrawdown: 0, currentDrawdownUsd: 0, drawdownStart: null, daysUnderWater: 0 } },
    attribution: { periods: { day: null, mtd: null } },
    checks: {
      // Part A's checks, passing: only the data checks fail here.
      accountReconciliation: { status: 'pass', toleranceUsd: 1, accounts: {} },
      portfolioReconciliation: { status: 'pass', toleranceUsd: 1, maxAbsDiff: 0, maxAbsDiffDate: '2025-12-31', failingDays: 0 },
      roundingDrift: { status: 'pass', tolerance: 0.05, strategies: {} },
      invariants: { status: 'pass', violations: 0, firstViolations: [] },
      marginUtilization: { status: 'pass', accounts: {}, portfolio: { worstPct: 10, worstDate: '2025-12-31', thresholdPct: 80, days: 0, firstDate: null } },
      freshness: {
        status: 'fail',
        staleAfterWeekdays: 5,
        asOf: '2025-12-31',
        strategies: Object.fromEntries(names.slice(0, 100).map((name) => [name, { lastDate: '2025-12-19', weekdaysBehind: 8, stale: true }])),
      },
      restatements: { status: 'fail', strategies: 100, dates: 300 },
    },
    wipeouts: {},
    previousCopy: { newStrategies: names.slice(100), restated: Object.fromEntries(names.slice(0, 100).map((name) => [name, restated()])) },
  } as unknown as MorningInput;
  const facts = morningFacts(input);

  it('one breach per stale and per restated strategy, stale first, counted by kind', () => {
    expect(facts.counts).toMatchObject({ stale: 100, restated: 100 });
    expect(facts.breaches).toHaveLength(200);
    expect(facts.breaches[0]?.line).toBe('Strategy_000: last row 2025-12-19, 8 weekdays behind');
    expect(facts.breaches[100]?.line).toBe(restatedLine('Strategy_000', restated()));
    expect(facts.newStrategies).toEqual(names.slice(100));
  });

  it('names the first breaches and the first new strategies, then how many more', () => {
    const lines = morningLines(facts, null, 1_000_000).join('\n').replaceAll('\n  ', ' ');
    expect(lines).toContain('100 stale, 100 restated:\n- Strategy_000: last row 2025-12-19, 8 weekdays behind\n');
    expect(lines).toContain(`- and ${200 - BREACHES_SHOWN} more in the report`);
    expect(lines).toContain('New since the previous copy of the inputs: Strategy_100, Strategy_101, Strategy_102, Strategy_103, Strategy_104 and 95 more');
    expect(morningLines(facts, null, 1_000_000).length).toBeLessThan(25);
  });
});
