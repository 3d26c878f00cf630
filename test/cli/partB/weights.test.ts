/**
 * SPEC 10, target weights, computed by hand: fixed, equal, inverse volatility, risk parity
 * (equal risk contribution) with its fallback, kelly; the min/max clamp with one lambda and
 * its two edge rules; the cash buffer; the start-of-history rule and eligibility.
 * Unit checks call targetWeights / constrainedWeights; the user-level checks read the
 * Target_Weight column of 4_rebalance_log.csv and summary.json after a command-line run.
 */
import { describe, expect, it } from 'vitest';
import { constrainedWeights } from '#shared/calc/constrainedWeights.ts';
import { equalRiskContribution } from '#shared/calc/riskParity.ts';
import { targetWeights } from '#shared/calc/targetWeights.ts';
import { allocation, candidate, csvRows, expectAllNear, expectNear, logDates, readJsonOut, readOut, sampleCovariance, strat, track } from '#test/support/partB.ts';
import { expectWritten, run, type Json } from '#test/support/writeCase.ts';

/** u1, u2, u3: mean-zero, mutually orthogonal patterns over four dates (each |u|^2 = 4). */
const U1 = [1, -1, 1, -1];
const U2 = [1, 1, -1, -1];
const U3 = [1, -1, -1, 1];
const times = (k: number, u: readonly number[]): number[] => u.map((x) => k * x);
/** Values on and after t (index 4 here) must not matter: SPEC 10 uses data strictly before t. */
const FUTURE = [0.45, -0.3];

const weightsOf = (result: { weights: Float64Array }): number[] => Array.from(result.weights);

describe('fixed (SPEC 10)', () => {
  it('w_s = allocatedCapital_s / startingCapital_a, constant; the other settings do not apply', () => {
    // 30000 / 100000 = 0.3 and 50000 / 100000 = 0.5; cash 0.2.
    const candidates = [candidate([0.1, 0.2], { allocatedCapital: 30000 }), candidate([0.3, -0.2], { allocatedCapital: 50000 })];
    expectAllNear(weightsOf(targetWeights(allocation('fixed'), 1, candidates, 100000)), [0.3, 0.5], 'fixed');
    // cashBufferPct, min/max weight, lookbackDays do not apply under fixed: the same weights.
    const ignored = allocation('fixed', { cashBufferPct: 50, maxWeight: 0.1, minWeight: 0.05, lookbackDays: 2 });
    expectAllNear(weightsOf(targetWeights(ignored, 5, candidates, 100000)), [0.3, 0.5], 'fixed with settings that do not apply');
  });

  it('a wiped-out strategy gets 0 (its weight goes to cash)', () => {
    const candidates = [candidate([0.1], { allocatedCapital: 30000 }), candidate([0.3], { allocatedCapital: 50000, wipedOut: true })];
    expectAllNear(weightsOf(targetWeights(allocation('fixed'), 1, candidates, 100000)), [0.3, 0], 'fixed, second wiped out');
  });
});

describe('equal (SPEC 10)', () => {
  it('raw 1 for every strategy whose span contains t; S = 1 - cashBufferPct / 100 shared equally', () => {
    // t = 4. A spans 0..5, B starts on t itself (4..5), C ended at 3, D starts at 5: A and B eligible.
    // S = 1 - 10/100 = 0.9, two eligible: 0.45 each; cash 0.1.
    const rho = [0.01, 0.02, -0.01, 0.03, 0.0, 0.01];
    const candidates = [
      candidate(rho),
      candidate(rho, { spanStart: 4 }),
      candidate(rho, { spanEnd: 3 }),
      candidate(rho, { spanStart: 5 }),
    ];
    expectAllNear(weightsOf(targetWeights(allocation('equal', { cashBufferPct: 10 }), 4, candidates, 1)), [0.45, 0.45, 0, 0], 'equal');
  });

  it('cashBufferPct is a percentage: 4 strategies, cashBufferPct 20 -> 0.8 / 4 = 0.2 each', () => {
    const candidates = [0, 1, 2, 3].map(() => candidate([0.01, 0.02, 0.03]));
    expectAllNear(weightsOf(targetWeights(allocation('equal', { cashBufferPct: 20 }), 2, candidates, 1)), [0.2, 0.2, 0.2, 0.2], 'equal 20% cash');
  });

  it('a wiped-out strategy is ineligible: the others share S', () => {
    const candidates = [candidate([0.01, 0.02]), candidate([0.01, 0.02], { wipedOut: true }), candidate([0.01, 0.02])];
    expectAllNear(weightsOf(targetWeights(allocation('equal'), 1, candidates, 1)), [0.5, 0, 0.5], 'equal with a wipe-out');
  });

  it('no eligible strategy: all cash', () => {
    const candidates = [candidate([0.01, 0.02], { spanEnd: 0 }), candidate([0.01, 0.02], { wipedOut: true })];
    expectAllNear(weightsOf(targetWeights(allocation('equal'), 1, candidates, 1)), [0, 0], 'nothing eligible');
  });
});

describe('inverseVolatility (SPEC 10)', () => {
  it('raw = 1 / sigma over the lookbackDays dates before t (ddof 1)', () => {
    // W = indexes 0..3 (lookbackDays 4, t = 4). A = 0.01 u1: mean 0, sigma_A = sqrt(4 * 0.0001 / 3);
    // B = 0.02 u1: sigma_B = 2 sigma_A. raw = (1/sigma_A, 1/(2 sigma_A)) -> weights 2/3, 1/3.
    const candidates = [candidate([...times(0.01, U1), ...FUTURE]), candidate([...times(0.02, U1), ...FUTURE.map((x) => -2 * x)])];
    expectAllNear(weightsOf(targetWeights(allocation('inverseVolatility', { lookbackDays: 4 }), 4, candidates, 1)), [2 / 3, 1 / 3], 'inverse volatility');
    // With cashBufferPct 10: S = 0.9 -> 0.6 and 0.3.
    const buffered = allocation('inverseVolatility', { lookbackDays: 4, cashBufferPct: 10 });
    expectAllNear(weightsOf(targetWeights(buffered, 4, candidates, 1)), [0.6, 0.3], 'inverse volatility, 10% cash');
  });

  it('maxWeight binds: clamp(lambda raw) with one lambda (raws 2:1, maxWeight 0.6 -> 0.6, 0.4)', () => {
    // lambda * 2 > 0.6 is capped at 0.6; the rest 0.4 = lambda * 1 -> lambda = 0.4, within bounds.
    const candidates = [candidate([...times(0.01, U1), ...FUTURE]), candidate([...times(0.02, U1), ...FUTURE])];
    const settings = allocation('inverseVolatility', { lookbackDays: 4, maxWeight: 0.6 });
    expectAllNear(weightsOf(targetWeights(settings, 4, candidates, 1)), [0.6, 0.4], 'inverse volatility, maxWeight 0.6');
  });
});

describe('riskParity (SPEC 10)', () => {
  it('two uncorrelated strategies: weights proportional to 1 / sigma', () => {
    // A = 0.01 u1, B = 0.02 u2: u1 . u2 = 0 so Cov is diagonal; equal contributions
    // w_A^2 s_A^2 = w_B^2 s_B^2 -> w proportional to 1/sigma: 2/3, 1/3.
    const candidates = [candidate([...times(0.01, U1), ...FUTURE]), candidate([...times(0.02, U2), ...FUTURE])];
    const result = targetWeights(allocation('riskParity', { lookbackDays: 4 }), 4, candidates, 1);
    expect(result.riskParityFallback).toBeNull();
    expectAllNear(weightsOf(result), [2 / 3, 1 / 3], 'risk parity, uncorrelated');
  });

  it('three strategies with a known covariance: (0.4, 0.4, 0.2), not inverse volatility', () => {
    // a = 0.01. S1 = a u1, S2 = a (0.96 u1 + 0.28 u2) = [0.0124, -0.0068, 0.0068, -0.0124], S3 = 2.8 a u3.
    // Cov = (4 a^2 / 3) * [[1, 0.96, 0], [0.96, 1, 0], [0, 0, 7.84]].
    // By symmetry w1 = w2 = x, w3 = y: contribution_1 = x (x + 0.96 x) = 1.96 x^2, contribution_3 = 7.84 y^2,
    // equal -> 1.4 x = 2.8 y -> y = x / 2; 2x + y = 1 -> x = 0.4, y = 0.2.
    // (Inverse volatility would give 1 : 1 : 1/2.8 = 0.4242, 0.4242, 0.1515.)
    const s2 = [0.0124, -0.0068, 0.0068, -0.0124];
    const candidates = [candidate([...times(0.01, U1), ...FUTURE]), candidate([...s2, ...FUTURE]), candidate([...times(0.028, U3), ...FUTURE])];
    const result = targetWeights(allocation('riskParity', { lookbackDays: 4 }), 4, candidates, 1);
    expect(result.riskParityFallback).toBeNull();
    expectAllNear(weightsOf(result), [0.4, 0.4, 0.2], 'risk parity, three strategies');
  });

  it('falls back to inverse volatility when no equal-contribution solution exists (more strategies than look-back dates)', () => {
    // lookbackDays 2: W = indexes 0, 1. A = [0.01, -0.01], B = [0.02, -0.02], C = [-0.01, 0.01].
    // Cov = v v' with v = sqrt(2) * (0.01, 0.02, -0.01): x_i (Cov x)_i = x_i v_i (v . x) cannot be equal
    // with every x_i > 0 (C's sign differs), so the account falls back to 1/sigma:
    // sigma = sqrt(2) * (0.01, 0.02, 0.01) -> raw 1 : 0.5 : 1 -> 0.4, 0.2, 0.4.
    const candidates = [candidate([0.01, -0.01, 0.3]), candidate([0.02, -0.02, 0.1]), candidate([-0.01, 0.01, -0.2])];
    const result = targetWeights(allocation('riskParity', { lookbackDays: 2 }), 2, candidates, 1);
    expectAllNear(weightsOf(result), [0.4, 0.2, 0.4], 'risk parity fallback');
    expect(result.riskParityFallback?.candidates).toEqual([0, 1, 2]);
    // The deviation of the attempt is above the tolerance; with C anti-correlated the mean contribution of
    // the attempt can be <= 0, so the relative deviation may be undefined: null (never NaN, nor within 1e-10).
    const fallback = result.riskParityFallback;
    expect(fallback).not.toBeNull();
    const deviation = fallback?.maxContributionDeviation;
    expect(deviation === null || (deviation !== undefined && deviation > 1e-10), `maxContributionDeviation ${deviation}`).toBe(true);
  });

  it('a singular covariance that still has a solution is solved, not a fallback (all positively correlated)', () => {
    // lookbackDays 2, A = [0.01, -0.01], B = [0.02, -0.02], C = [0.005, -0.005]: v = sqrt(2) (0.01, 0.02, 0.005) > 0,
    // x_i v_i equal makes every contribution equal: x proportional to 1/v = 1 : 0.5 : 2 -> 2/7, 1/7, 4/7.
    // The SPEC falls back only "when the contributions cannot be made equal within that tolerance".
    const candidates = [candidate([0.01, -0.01, 0.3]), candidate([0.02, -0.02, 0.1]), candidate([0.005, -0.005, -0.2])];
    const result = targetWeights(allocation('riskParity', { lookbackDays: 2 }), 2, candidates, 1);
    expect(result.riskParityFallback).toBeNull();
    expectAllNear(weightsOf(result), [2 / 7, 1 / 7, 4 / 7], 'risk parity, singular but solvable');
  });
});

describe('kelly (SPEC 10)', () => {
  // Over W (4 dates) each stream is mean + 0.1 u1: sigma^2 = 4 * 0.01 / 3 = 0.04 / 3.
  const withMean = (mu: number): number[] => [...U1.map((x) => mu + 0.1 * x), ...FUTURE];

  it('raw = kellyFraction * max(0, mu) / sigma^2; S = min(S, sum raw); a zero raw gets weight 0', () => {
    // K1 mu 0.001: raw = 0.5 * 0.001 / (0.04/3) = 0.0375; K2 mu 0.002: 0.075; K3 mu -0.001: raw 0.
    // sum raw = 0.1125 < 1 -> S = 0.1125 -> lambda = 1: weights 0.0375, 0.075, 0; cash 0.8875.
    const candidates = [candidate(withMean(0.001)), candidate(withMean(0.002)), candidate(withMean(-0.001))];
    const result = targetWeights(allocation('kelly', { lookbackDays: 4 }), 4, candidates, 1);
    expectAllNear(weightsOf(result), [0.0375, 0.075, 0], 'kelly');
  });

  it('minWeight clamps the positive raws only; the zero raw stays out of the constraints', () => {
    // S = 0.1125, minWeight 0.05: K1 at the minimum 0.05, K2 = 0.075 lambda = 0.1125 - 0.05 = 0.0625
    // (lambda = 0.8333: K1 free would be 0.03125 < 0.05, so it stays at the minimum). K3 (raw 0) stays 0.
    const candidates = [candidate(withMean(0.001)), candidate(withMean(0.002)), candidate(withMean(-0.001))];
    const result = targetWeights(allocation('kelly', { lookbackDays: 4, minWeight: 0.05 }), 4, candidates, 1);
    expectAllNear(weightsOf(result), [0.05, 0.0625, 0], 'kelly with minWeight');
  });

  it('sum raw above S: normalized to S; kellyFraction scales the raws', () => {
    // mu 0.01 -> raw 0.5 * 0.01 * 75 = 0.375; mu 0.02 -> 0.75; sum 1.125 > S = 0.9 -> 0.3, 0.6.
    const candidates = [candidate(withMean(0.01)), candidate(withMean(0.02))];
    expectAllNear(weightsOf(targetWeights(allocation('kelly', { lookbackDays: 4, cashBufferPct: 10 }), 4, candidates, 1)), [0.3, 0.6], 'kelly, sum raw > S');
    // kellyFraction 0.25: raws 0.1875, 0.375, sum 0.5625 < 0.9 -> the raws themselves.
    const quarter = allocation('kelly', { lookbackDays: 4, cashBufferPct: 10, kellyFraction: 0.25 });
    expectAllNear(weightsOf(targetWeights(quarter, 4, candidates, 1)), [0.1875, 0.375], 'kelly, fraction 0.25');
  });
});

describe('eligibility and the start of history (SPEC 10)', () => {
  it('span must cover the whole window and contain t; wiped-out and sigma-0 strategies are ineligible', () => {
    // t = 4, lookbackDays 4: W = 0..3. A = 0.01 u1 and F = 0.02 u1 (F's span ends on t) are eligible:
    // 1/sigma -> 2/3 and 1/3. B starts at 1 (does not cover W), C ends at 3 (does not contain t),
    // D is wiped out, E is constant over W (sigma 0): all get 0.
    const a = [...times(0.01, U1), ...FUTURE];
    const candidates = [
      candidate(a),
      candidate([0, 0.02, -0.02, 0.02, 0.01, 0.3], { spanStart: 1 }),
      candidate(a, { spanEnd: 3 }),
      candidate(a, { wipedOut: true }),
      candidate([0.01, 0.01, 0.01, 0.01, 0.01, 0.01]),
      candidate([...times(0.02, U1), 0.01, 0], { spanEnd: 4 }),
    ];
    for (const method of ['inverseVolatility', 'riskParity'] as const) {
      expectAllNear(weightsOf(targetWeights(allocation(method, { lookbackDays: 4 }), 4, candidates, 1)), [2 / 3, 0, 0, 0, 0, 1 / 3], method);
    }
    // Under equal only "span contains t" and "not wiped out" count: A, B, E, F -> 0.25 each.
    expectAllNear(weightsOf(targetWeights(allocation('equal', { lookbackDays: 4 }), 4, candidates, 1)), [0.25, 0.25, 0, 0, 0.25, 0.25], 'equal');
  });

  it('kelly: a strategy with sigma 0 is ineligible (no infinite raw)', () => {
    // E has mu 0.01 and sigma 0 over W: ineligible. K (mu 0.01, sigma^2 0.04/3): raw 0.375 -> S = min(1, 0.375).
    const candidates = [candidate([0.01, 0.01, 0.01, 0.01, 0.5]), candidate([...U1.map((x) => 0.01 + 0.1 * x), 0.2])];
    expectAllNear(weightsOf(targetWeights(allocation('kelly', { lookbackDays: 4 }), 4, candidates, 1)), [0, 0.375], 'kelly with sigma 0');
  });

  it('W shorter than lookbackDays: raw 1 for every strategy whose span contains t (as equal, whatever the method)', () => {
    // lookbackDays 5, t = 4: only 4 dates before t. A, B (different volatilities, B with a negative mean)
    // and D (starts at 3, inside the short window) get raw 1; C starts after t; E is wiped out.
    // S = 1 - 10/100 = 0.9 over three -> 0.3 each.
    const candidates = [
      candidate([...times(0.01, U1), ...FUTURE]),
      candidate([...U1.map((x) => -0.01 + 0.05 * x), ...FUTURE]),
      candidate([0, 0, 0, 0, 0, 0.1], { spanStart: 5 }),
      candidate([0, 0, 0, 0.02, 0.01, 0.1], { spanStart: 3 }),
      candidate([...times(0.02, U1), ...FUTURE], { wipedOut: true }),
    ];
    for (const method of ['inverseVolatility', 'riskParity', 'kelly'] as const) {
      const result = targetWeights(allocation(method, { lookbackDays: 5, cashBufferPct: 10 }), 4, candidates, 1);
      expectAllNear(weightsOf(result), [0.3, 0.3, 0, 0.3, 0], `${method} at the start of history`);
      expect(result.riskParityFallback).toBeNull();
    }
  });

  it('W exactly lookbackDays long is not the start of history', () => {
    // lookbackDays 4 at t = 4 has the full window: inverse volatility 2/3, 1/3 (not 1/2, 1/2);
    // at t = 3 the window is short: 1/2, 1/2.
    const candidates = [candidate([...times(0.01, U1), ...FUTURE]), candidate([...times(0.02, U1), ...FUTURE])];
    const settings = allocation('inverseVolatility', { lookbackDays: 4 });
    expectAllNear(weightsOf(targetWeights(settings, 4, candidates, 1)), [2 / 3, 1 / 3], 't = lookbackDays');
    expectAllNear(weightsOf(targetWeights(settings, 3, candidates, 1)), [0.5, 0.5], 't = lookbackDays - 1');
  });
});

describe('the min/max clamp with one lambda (SPEC 10)', () => {
  it('maxWeight binds: raws 1, 2, 7 in [0.1, 0.5], S = 1 -> 1/6, 1/3, 1/2', () => {
    // 7 lambda > 0.5 -> 0.5; 1 - 0.5 = lambda (1 + 2) -> lambda = 1/6: 1/6 >= 0.1 and 2/6 <= 0.5.
    expectAllNear(constrainedWeights([1, 2, 7], { minWeight: 0.1, maxWeight: 0.5, total: 1 }), [1 / 6, 1 / 3, 1 / 2], 'max binds');
  });

  it('minWeight binds: raws 1, 10, 10 in [0.2, 1], S = 1 -> 0.2, 0.4, 0.4', () => {
    // lambda 1 < 0.2 -> 0.2; 0.8 = 20 lambda -> lambda = 0.04: 0.4 each.
    expectAllNear(constrainedWeights([1, 10, 10], { minWeight: 0.2, maxWeight: 1, total: 1 }), [0.2, 0.4, 0.4], 'min binds');
  });

  it('both bounds bind: raws 1, 4, 20 in [0.15, 0.5], S = 0.9 -> 0.15, 0.25, 0.5', () => {
    // 20 lambda capped at 0.5, 1 lambda raised to 0.15, 4 lambda = 0.9 - 0.65 = 0.25 -> lambda = 0.0625
    // (then 1 lambda = 0.0625 < 0.15 and 20 lambda = 1.25 > 0.5, consistent).
    expectAllNear(constrainedWeights([1, 4, 20], { minWeight: 0.15, maxWeight: 0.5, total: 0.9 }), [0.15, 0.25, 0.5], 'both bind');
  });

  it('no bound binds: raws 1, 3, S = 0.8 -> 0.2, 0.6', () => {
    expectAllNear(constrainedWeights([1, 3], { minWeight: 0, maxWeight: 1, total: 0.8 }), [0.2, 0.6], 'free');
  });

  it('edge rule: even all at maxWeight is below S -> every weight is maxWeight', () => {
    // 2 * 0.4 = 0.8 < 1: 0.4 each, cash 0.2.
    expectAllNear(constrainedWeights([1, 3], { minWeight: 0, maxWeight: 0.4, total: 1 }), [0.4, 0.4], 'all at max');
    // Through targetWeights: equal, two eligible, maxWeight 0.3 -> 0.3 each.
    const candidates = [candidate([0.01, 0.02]), candidate([0.03, -0.01])];
    expectAllNear(weightsOf(targetWeights(allocation('equal', { maxWeight: 0.3 }), 1, candidates, 1)), [0.3, 0.3], 'equal, all at max');
  });

  it('edge rule: all at minWeight exceeds S -> each S / n', () => {
    // 3 * 0.4 = 1.2 > 1 -> 1/3 each; with S = 0.9 and minWeight 0.35 (1.05 > 0.9) -> 0.3 each.
    expectAllNear(constrainedWeights([1, 2, 3], { minWeight: 0.4, maxWeight: 1, total: 1 }), [1 / 3, 1 / 3, 1 / 3], 'all at min, S 1');
    expectAllNear(constrainedWeights([1, 2, 3], { minWeight: 0.35, maxWeight: 1, total: 0.9 }), [0.3, 0.3, 0.3], 'all at min, S 0.9');
    // Through targetWeights: equal, four eligible, minWeight 0.3 (1.2 > 1) -> 0.25 each, not 0.3.
    const candidates = [0, 1, 2, 3].map(() => candidate([0.01, 0.02]));
    expectAllNear(weightsOf(targetWeights(allocation('equal', { minWeight: 0.3 }), 1, candidates, 1)), [0.25, 0.25, 0.25, 0.25], 'equal, all at min');
  });
});

// ---------------------------------------------------------------------------------------
// As a user sees them: Target_Weight in 4_rebalance_log.csv, riskParityFallbacks in summary.json
// ---------------------------------------------------------------------------------------

/** Mon 2024-01-01 .. Fri 01-05, then Mon 01-08: the weekly trigger fires on 01-08 only (index 5). */
const WEEK = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];

/** A track record over WEEK from returns (null: no row), 1 unit per 1000 of margin (rho = Return). */
function weekTrack(returns: readonly (number | null)[]): string {
  const rows = WEEK.flatMap((date, i) => {
    const value = returns[i];
    return value === null || value === undefined ? [] : [[date, value, 1000, 10000] as const];
  });
  return track(...rows);
}

function config(strategyNames: readonly string[], extra: Json): Json {
  return {
    accounts: [{ name: 'Main', startingCapital: 100000 }],
    strategies: strategyNames.map((name) => strat(name, { allocatedCapital: 100000 / strategyNames.length })),
    rebalance: { frequency: 'weekly' },
    ...extra,
  };
}

/** Target_Weight of each strategy on a date, from the rebalance log. */
function targetsOn(runResult: Awaited<ReturnType<typeof run>>, date: string): Record<string, number> {
  const [, ...rows] = csvRows(readOut(runResult, '4_rebalance_log.csv'));
  return Object.fromEntries(rows.filter((row) => row[0] === date).map((row) => [row[2] ?? '', Number(row[4])]));
}

describe('target weights in 4_rebalance_log.csv (command line)', () => {
  it('inverseVolatility with a cash buffer; a strategy whose file starts inside the window is ineligible', async () => {
    // t0 = 01-01 (start of history): A and B span it, C starts 01-03 -> 0.45, 0.45, 0 (S = 0.9).
    // 01-08: W = 01-02..01-05 (lookbackDays 4). A = 0.01 u1, B = 0.02 u1 -> 1/sigma 2 : 1 -> 0.6, 0.3;
    // C's span (from 01-03) does not cover W -> 0.
    const files = {
      'A.csv': weekTrack([0.005, 0.01, -0.01, 0.01, -0.01, 0.3]),
      'B.csv': weekTrack([0, 0.02, -0.02, 0.02, -0.02, -0.2]),
      'C.csv': weekTrack([null, null, 0.01, 0.03, -0.02, 0.01]),
    };
    const result = await run(files, config(['A', 'B', 'C'], { allocation: { method: 'inverseVolatility', lookbackDays: 4, cashBufferPct: 10 } }));
    expectWritten(result);
    expect(logDates(result, 'A')).toEqual(['2024-01-01', '2024-01-08']);
    const initial = targetsOn(result, '2024-01-01');
    const weekly = targetsOn(result, '2024-01-08');
    expectAllNear([initial['A'], initial['B'], initial['C']], [0.45, 0.45, 0], 'targets on 2024-01-01');
    expectAllNear([weekly['A'], weekly['B'], weekly['C']], [0.6, 0.3, 0], 'targets on 2024-01-08');
    expect(readJsonOut<Json>(result, 'summary.json')['riskParityFallbacks'], 'no riskParityFallbacks key without a fallback').toBeUndefined();
  });

  it('riskParity with three known-covariance strategies, no fallback reported', async () => {
    // W = 01-02..01-05: S1 = 0.01 u1, S2 = 0.01 (0.96 u1 + 0.28 u2), S3 = 0.028 u3 -> 0.4, 0.4, 0.2 (see above).
    const files = {
      'S1.csv': weekTrack([0, 0.01, -0.01, 0.01, -0.01, 0.02]),
      'S2.csv': weekTrack([0, 0.0124, -0.0068, 0.0068, -0.0124, 0.01]),
      'S3.csv': weekTrack([0, 0.028, -0.028, -0.028, 0.028, -0.01]),
    };
    const result = await run(files, config(['S1', 'S2', 'S3'], { allocation: { method: 'riskParity', lookbackDays: 4 } }));
    expectWritten(result);
    const weekly = targetsOn(result, '2024-01-08');
    expectAllNear([weekly['S1'], weekly['S2'], weekly['S3']], [0.4, 0.4, 0.2], 'risk parity targets on 2024-01-08');
    expect(readJsonOut<Json>(result, 'summary.json')['riskParityFallbacks']).toBeUndefined();
  });

  it('riskParity on a singular covariance falls back to 1/sigma and summary.json reports riskParityFallbacks', async () => {
    // lookbackDays 2: W = 01-04, 01-05. A = (0.01, -0.01), B = (0.02, -0.02), C = (-0.01, 0.01): three strategies,
    // two look-back dates, C anti-correlated: no equal-contribution solution -> 1/sigma = 1 : 0.5 : 1 -> 0.4, 0.2, 0.4.
    const files = {
      'A.csv': weekTrack([0.01, 0, 0.02, 0.01, -0.01, 0.1]),
      'B.csv': weekTrack([0.01, 0.01, -0.03, 0.02, -0.02, 0.1]),
      'C.csv': weekTrack([0.01, 0.02, 0.01, -0.01, 0.01, 0.1]),
    };
    const result = await run(files, config(['A', 'B', 'C'], { allocation: { method: 'riskParity', lookbackDays: 2 } }));
    expectWritten(result);
    const weekly = targetsOn(result, '2024-01-08');
    expectAllNear([weekly['A'], weekly['B'], weekly['C']], [0.4, 0.2, 0.4], 'fallback targets on 2024-01-08');
    const fallbacks = readJsonOut<Json>(result, 'summary.json')['riskParityFallbacks'] as Json[] | undefined;
    expect(fallbacks?.map(({ date, account, strategies }) => ({ date, account, strategies }))).toEqual([
      { date: '2024-01-08', account: 'Main', strategies: ['A', 'B', 'C'] },
    ]);
    // A number above the tolerance, or null where the relative deviation is undefined (mean contribution <= 0).
    const fallback = fallbacks?.[0] ?? {};
    expect('maxContributionDeviation' in fallback, 'riskParityFallbacks[0] has maxContributionDeviation').toBe(true);
    const deviation = fallback['maxContributionDeviation'];
    expect(deviation === null || (typeof deviation === 'number' && deviation > 1e-10), `maxContributionDeviation: ${JSON.stringify(deviation)}`).toBe(true);
  });

  it('kelly: zero raws get 0, minWeight clamps the others, S = min(S, sum raw)', async () => {
    // W = 01-02..01-05 with mu + 0.1 u1: K1 mu 0.001 (raw 0.0375), K2 mu 0.002 (raw 0.075), K3 mu -0.001 (raw 0).
    // minWeight 0.05, S = 0.1125 -> 0.05, 0.0625, 0.
    const stream = (mu: number): (number | null)[] => [0, ...U1.map((x) => Number((mu + 0.1 * x).toFixed(4))), 0.01];
    const files = { 'K1.csv': weekTrack(stream(0.001)), 'K2.csv': weekTrack(stream(0.002)), 'K3.csv': weekTrack(stream(-0.001)) };
    const result = await run(files, config(['K1', 'K2', 'K3'], { allocation: { method: 'kelly', lookbackDays: 4, minWeight: 0.05 } }));
    expectWritten(result);
    const weekly = targetsOn(result, '2024-01-08');
    expectAllNear([weekly['K1'], weekly['K2'], weekly['K3']], [0.05, 0.0625, 0], 'kelly targets on 2024-01-08');
    expectNear(targetsOn(result, '2024-01-01')['K1'], 1 / 3, 'kelly at t0 (start of history: equal)');
  });
});

// ---------------------------------------------------------------------------------------
// Risk parity on a positive-definite covariance must be solved (SPEC 10: unique when Cov is
// non-singular; the fallback is for "when the contributions cannot be made equal")
// ---------------------------------------------------------------------------------------

/** Cyclical coordinate descent for y_i (Cov y)_i = 1/n (a reference solver written here), x = y / sum y. */
function referenceRiskParity(covariance: readonly (readonly number[])[]): number[] {
  const n = covariance.length;
  const y = covariance.map(() => 1);
  for (let sweep = 0; sweep < 5000; sweep += 1) {
    for (let i = 0; i < n; i += 1) {
      const row = covariance[i] ?? [];
      let b = 0;
      for (let j = 0; j < n; j += 1) if (j !== i) b += (row[j] ?? 0) * (y[j] ?? 0);
      const a = row[i] ?? 1;
      y[i] = (-b + Math.sqrt(b * b + (4 * a) / n)) / (2 * a);
    }
  }
  const total = y.reduce((sum, value) => sum + value, 0);
  return y.map((value) => value / total);
}

function contributionDeviation(covariance: readonly (readonly number[])[], x: readonly number[]): number {
  const contributions = x.map((xi, i) => xi * (covariance[i] ?? []).reduce((sum, c, j) => sum + c * (x[j] ?? 0), 0));
  const average = contributions.reduce((sum, value) => sum + value, 0) / contributions.length;
  return Math.max(...contributions.map((value) => Math.abs(value - average) / average));
}

describe('risk parity on a positive-definite covariance is solved, not a fallback (SPEC 10)', () => {
  it('Cov = [[1.16, -0.21, 0.17], [-0.21, 0.36, -0.10], [0.17, -0.10, 0.16]]', () => {
    // Positive definite: leading minors 1.16, 1.16 * 0.36 - 0.21^2 = 0.3735, det = 0.055216 - 0.003486 - 0.006834 = 0.044896 > 0.
    // A solution with contributions equal far within 1e-10 exists (x ~ 0.1533, 0.3973, 0.4494, found here by
    // coordinate descent), so the SPEC's "when the contributions cannot be made equal" does not apply.
    const covariance = [
      [1.16, -0.21, 0.17],
      [-0.21, 0.36, -0.1],
      [0.17, -0.1, 0.16],
    ];
    const reference = referenceRiskParity(covariance);
    expect(contributionDeviation(covariance, reference)).toBeLessThanOrEqual(1e-12);
    const result = equalRiskContribution(Float64Array.from(covariance.flat()), 3);
    expect(result, 'equalRiskContribution on a positive-definite covariance').toMatchObject({ ok: true });
    if (result.ok) expectAllNear(Array.from(result.weights), reference, 'risk parity weights');
  });

  it('a run with three strategies and five look-back dates reports no riskParityFallbacks', async () => {
    // Daily calendar Mon 01-01 .. Mon 01-08; lookbackDays 5, weekly: on 01-08 W = 01-03 .. 01-07.
    // The sample covariance of these three streams over W is positive definite (5 dates, 3 strategies, generic values),
    // so equal contributions exist: the targets must have them, and no fallback may be reported.
    const window = [
      [0.0128, 0.0056, 0.0104, -0.0109, 0.0042],
      [0.0018, 0.0071, -0.0109, 0.0198, -0.0049],
      [0.0067, 0.012, 0.0045, -0.0083, -0.0153],
    ];
    const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07', '2024-01-08'];
    const fileOf = (values: number[]): string => track(...dates.map((date, i): readonly [string, number, number, number] => [date, i < 2 ? 0.001 : i < 7 ? (values[i - 2] ?? 0) : 0.002, 1000, 10000]));
    const result = await run({ 'A.csv': fileOf(window[0] ?? []), 'B.csv': fileOf(window[1] ?? []), 'C.csv': fileOf(window[2] ?? []) }, {
      accounts: [{ name: 'Main', startingCapital: 90000 }],
      strategies: ['A', 'B', 'C'].map((name) => strat(name, { allocatedCapital: 30000 })),
      allocation: { method: 'riskParity', lookbackDays: 5 },
      rebalance: { frequency: 'weekly' },
    });
    expectWritten(result);
    const covariance = window.map((x) => window.map((y) => sampleCovariance(x, y)));
    const reference = referenceRiskParity(covariance);
    expect(contributionDeviation(covariance, reference)).toBeLessThanOrEqual(1e-12);
    expect(readJsonOut<Json>(result, 'summary.json')['riskParityFallbacks'], 'riskParityFallbacks on a positive-definite covariance').toBeUndefined();
    const weekly = targetsOn(result, '2024-01-08');
    const targets = [weekly['A'] ?? 0, weekly['B'] ?? 0, weekly['C'] ?? 0];
    expect(contributionDeviation(covariance, targets), `contributions of the targets ${targets}`).toBeLessThanOrEqual(1e-10);
  });
});
