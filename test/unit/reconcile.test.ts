/** SPEC 5 by hand: each check passes on a sound ledger and fails, with its figures, on a broken one. */
import { describe, expect, it } from 'vitest';
import { reconcile } from '#shared/calc/reconcile.ts';
import { tinyHand } from '#test/support/tinyHand.ts';

describe('reconcile', () => {
  it('passes every check on tiny-hand, with the drift of strategy A = mean(0.4, 4/7) - 0.5', () => {
    const checks = reconcile(tinyHand());
    expect(checks.accountReconciliation.accounts['Main']).toEqual({ status: 'pass', maxAbsDiff: 0, maxAbsDiffDate: '2024-01-02', failingDays: 0 });
    expect(checks.roundingDrift.strategies['A']).toEqual({
      status: 'pass',
      days: 2,
      meanRatio: (0.4 + 4 / 7) / 2,
      target: 0.5,
      drift: (0.4 + 4 / 7) / 2 - 0.5,
    });
    expect(checks.roundingDrift.strategies['B']?.meanRatio).toBe(1);
    expect(checks.invariants).toEqual({ status: 'pass', violations: 0, firstViolations: [] });
  });

  it('fails the account and portfolio reconciliation on the dates where a level does not add up', () => {
    const input = tinyHand();
    input.ledger.accounts[0]!.equity[2] = (input.ledger.accounts[0]!.equity[2] ?? 0) + 5;
    const checks = reconcile(input);
    expect(checks.accountReconciliation.status).toBe('fail');
    expect(checks.accountReconciliation.accounts['Main']).toEqual({ status: 'fail', maxAbsDiff: 5, maxAbsDiffDate: '2024-01-04', failingDays: 1 });
    expect(checks.portfolioReconciliation).toMatchObject({ status: 'fail', maxAbsDiff: 5, maxAbsDiffDate: '2024-01-04', failingDays: 1 });
  });

  it('reports margin utilization days above the alert, the first of them and the worst day', () => {
    const checks = reconcile(tinyHand(3));
    expect(checks.marginUtilization.accounts['Main']).toEqual({
      status: 'fail',
      thresholdPct: 3,
      days: 1,
      firstDate: '2024-01-03',
      worstPct: 4,
      worstDate: '2024-01-03',
    });
    expect(checks.marginUtilization.portfolio).toMatchObject({ status: 'fail', days: 2, firstDate: '2024-01-02', worstPct: 5 });
    expect(checks.marginUtilization.status).toBe('fail');
  });

  it('lists invariant violations with date, strategy and rule', () => {
    const input = tinyHand();
    input.ledger.sleeves[1]!.units[0] = 0.25; // below the minimum 0.5 and not a whole number of 0.5 increments
    input.ledger.sleeves[0]!.units[1] = 60; // 60,000 of margin in a 50,000 sleeve
    const checks = reconcile(input);
    expect(checks.invariants).toEqual({
      status: 'fail',
      violations: 3,
      firstViolations: [
        { date: '2024-01-02', strategy: 'B', rule: 'minimumPosition' },
        { date: '2024-01-02', strategy: 'B', rule: 'wholeIncrements' },
        { date: '2024-01-03', strategy: 'A', rule: 'marginWithinCapital' },
      ],
    });
  });

  it('fails the drift check when the mean ratio strays beyond the tolerance, and passes with no sized day', () => {
    const input = tinyHand();
    input.config.thresholds.driftTolerance = 0.01;
    const checks = reconcile(input);
    expect(checks.roundingDrift.strategies['A']?.status).toBe('fail');
    expect(checks.roundingDrift.status).toBe('fail');
    input.scaled[1]!.impliedUnits.fill(0);
    expect(reconcile(input).roundingDrift.strategies['B']).toEqual({ status: 'pass', days: 0, meanRatio: null, target: 1, drift: null });
  });
});
