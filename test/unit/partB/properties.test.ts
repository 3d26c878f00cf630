/**
 * Property tests of part B (SPEC 9-12) with fast-check, on random valid portfolios with random
 * part-B settings:
 *  (a) no look-ahead: the targets chosen on t do not change when data on or after t changes;
 *  (b) equal-risk-contribution weights have equal contributions within 1e-10 relative on a
 *      positive-definite covariance (or the fallback is reported);
 *  (c) costs are the only leak on every rebalance: sum E'_s + cash = E_a(t-1) - sum cost_s;
 *  (d) blocked strategies hold nothing on blocked days, the rule blocks exactly as SPEC 12.2 says,
 *      and the number holding and not blocked never exceeds the limit;
 *  (e) constrainedWeights sums to S within 1e-12 and respects the bounds when feasible.
 *
 * Reproduce a failure: FC_SEED=<seed> npx vitest run test/partB/properties.test.ts -t '<name>'.
 */
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Ledger } from '#shared/calc/compound.ts';
import { constrainedWeights } from '#shared/calc/constrainedWeights.ts';
import { equalRiskContribution } from '#shared/calc/riskParity.ts';
import { targetWeights, type WeightCandidate } from '#shared/calc/targetWeights.ts';
import type { AllocationConfig } from '#shared/config/partBSchema.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { check, closeDollars, dailyReturnArb, membersOf, nth, runCore, uniform } from '#test/support/arbitraries.ts';
import { allocationArb, describeCase, partBCaseArb, runPartB } from '#test/support/partBArbitraries.ts';

const seedText = process.env['FC_SEED'];
const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 150);
const seed = seedText === undefined || seedText === '' ? {} : { seed: Number(seedText) };
const params = (runs = numRuns): fc.Parameters<unknown> => ({ numRuns: runs, ...seed });

// ---------------------------------------------------------------------------------------
// (a) No look-ahead
// ---------------------------------------------------------------------------------------

const returnArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: uniform(-0.05, 0.05) });

interface WeightsCase {
  allocation: AllocationConfig;
  rho: number[][];
  spans: [number, number][];
  wiped: boolean[];
  day: number;
  future: number[][];
}

const weightsCaseArb: fc.Arbitrary<WeightsCase> = fc
  .record({ allocation: allocationArb, n: fc.integer({ min: 1, max: 5 }), length: fc.integer({ min: 3, max: 30 }) })
  .chain(({ allocation, n, length }) =>
    fc.record({
      allocation: fc.constant(allocation),
      rho: fc.array(fc.array(returnArb, { minLength: length, maxLength: length }), { minLength: n, maxLength: n }),
      spans: fc.array(
        fc.tuple(fc.integer({ min: 0, max: length - 1 }), fc.integer({ min: 0, max: length - 1 })).map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
        { minLength: n, maxLength: n },
      ),
      wiped: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      day: fc.integer({ min: 0, max: length - 1 }),
      future: fc.array(fc.array(returnArb, { minLength: length, maxLength: length }), { minLength: n, maxLength: n }),
    }),
  );

function candidatesOf(rho: number[][], spans: [number, number][], wiped: boolean[]): WeightCandidate[] {
  return rho.map((series, i) => ({
    rho: Float64Array.from(series),
    spanStart: nth(spans, i)[0],
    spanEnd: nth(spans, i)[1],
    wipedOut: nth(wiped, i),
    excluded: false,
    allocatedCapital: 1,
  }));
}

/** Rebalances on or before `day`, as comparable values. */
function rebalancesUpTo(ledger: Ledger, day: number): unknown[] {
  return ledger.rebalances.filter((rebalance) => rebalance.day <= day);
}

describe('(a) no look-ahead (SPEC 9.1: targets from data strictly before t)', () => {
  it('targetWeights on t ignores every rho on or after t', () => {
    fc.assert(
      fc.property(weightsCaseArb, ({ allocation, rho, spans, wiped, day, future }) => {
        const before = targetWeights(allocation, day, candidatesOf(rho, spans, wiped), 1);
        const changed = rho.map((series, i) => series.map((value, k) => (k >= day ? nth(nth(future, i), k) : value)));
        const after = targetWeights(allocation, day, candidatesOf(changed, spans, wiped), 1);
        expect(Array.from(after.weights)).toEqual(Array.from(before.weights));
        expect(after.riskParityFallback).toEqual(before.riskParityFallback);
      }),
      params(300),
    );
  });

  it('the day loop: rebalances on or before t (targets, equity moved, costs) do not change when returns and margins on or after t change', () => {
    const arb = partBCaseArb.chain((c) => {
      const length = c.portfolio.records.reduce((most, record) => Math.max(most, record.dates.length), 0);
      return fc.record({
        c: fc.constant(c),
        cut: fc.nat(),
        newReturns: fc.array(fc.array(dailyReturnArb, { minLength: length, maxLength: length }), {
          minLength: c.portfolio.records.length,
          maxLength: c.portfolio.records.length,
        }),
        marginScale: fc.constantFrom(1, 0, 3),
      });
    });
    fc.assert(
      fc.property(arb, ({ c, cut, newReturns, marginScale }) => {
        const base = runPartB(c);
        const calendar = base.aligned.calendar;
        const t = cut % calendar.length;
        const tDate = nth(calendar, t);
        const records = c.portfolio.records.map((record, s): TrackRecord => ({
          ...record,
          returns: record.returns.map((value, row) => ((record.dates[row] ?? 0) >= tDate ? nth(nth(newReturns, s), row) : value)),
          marginUsed: record.marginUsed.map((value, row) => ((record.dates[row] ?? 0) >= tDate ? value * marginScale : value)),
        }));
        const changed = runCore({ ...c.portfolio, records, config: c.config });
        check(
          JSON.stringify(rebalancesUpTo(changed.series.ledger, t)) === JSON.stringify(rebalancesUpTo(base.series.ledger, t)),
          () => `rebalances up to index ${t} changed with later data; settings ${describeCase(c)}`,
        );
        // Nothing before t moves either.
        base.series.ledger.portfolio.equity.slice(0, t).forEach((value, day) => {
          check(Object.is(value, changed.series.ledger.portfolio.equity[day]), () => `E_p on index ${day} < ${t} changed`);
        });
      }),
      params(120),
    );
  });
});

// ---------------------------------------------------------------------------------------
// (b) Equal risk contribution
// ---------------------------------------------------------------------------------------

/** c_i = x_i (Cov x)_i, written out here. */
function contributions(covariance: Float64Array, x: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < n; j += 1) sum += (covariance[i * n + j] ?? 0) * (x[j] ?? 0);
    return (x[i] ?? 0) * sum;
  });
}

function maxRelativeDeviation(values: readonly number[]): number {
  const average = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.max(...values.map((value) => Math.abs(value - average) / average));
}

/** A random positive-definite covariance: scale^2 (A A' + ridge I), A with entries in [-1, 1]. */
const pdArb = fc
  .record({ n: fc.integer({ min: 2, max: 8 }), ridge: fc.oneof(uniform(0.05, 1), uniform(1e-4, 0.05)), scale: fc.constantFrom(1e-3, 1e-2, 0.1, 1) })
  .chain(({ n, ridge, scale }) =>
    fc.array(uniform(-1, 1), { minLength: n * n, maxLength: n * n }).map((a) => {
      const covariance = new Float64Array(n * n);
      for (let i = 0; i < n; i += 1) {
        for (let j = 0; j < n; j += 1) {
          let sum = i === j ? ridge : 0;
          for (let k = 0; k < n; k += 1) sum += nth(a, i * n + k) * nth(a, j * n + k);
          covariance[i * n + j] = scale * scale * sum;
        }
      }
      return { n, covariance, ridge };
    }),
  );

/** A reported deviation above 1e-10, or null: contributions with no positive mean to compare with. */
function isOutsideTolerance(deviation: number | null): boolean {
  return deviation === null || deviation > 1e-10;
}

describe('(b) equal risk contribution (SPEC 10, riskParity)', () => {
  it('positive-definite covariance: x > 0, sum 1, contributions equal within 1e-10 relative; or the fallback is reported', () => {
    fc.assert(
      fc.property(pdArb, ({ n, covariance }) => {
        const result = equalRiskContribution(covariance, n);
        if (!result.ok) {
          check(isOutsideTolerance(result.maxContributionDeviation), () => `not ok but reported deviation ${result.maxContributionDeviation}`);
          return;
        }
        const x = Array.from(result.weights);
        check(x.every((value) => value > 0), () => `weights ${x}`);
        check(Math.abs(x.reduce((sum, value) => sum + value, 0) - 1) <= 1e-12, () => `sum ${x.reduce((s, v) => s + v, 0)}`);
        const deviation = maxRelativeDeviation(contributions(covariance, x, n));
        check(deviation <= 1e-10, () => `contributions deviate by ${deviation}`);
      }),
      params(400),
    );
  });

  it('a well-conditioned positive-definite covariance always has a solution: it is found, not a fallback', () => {
    // SPEC 10: the solution is unique when Cov is non-singular, "any solver"; a fallback is for no solution.
    fc.assert(
      fc.property(
        pdArb.filter(({ ridge }) => ridge >= 0.05),
        ({ n, covariance }) => {
          const result = equalRiskContribution(covariance, n);
          check(result.ok, () => `fallback on a positive-definite covariance: ${JSON.stringify(result)}`);
        },
      ),
      params(300),
    );
  });

  it('through targetWeights: riskParity weights give equal contributions over the look-back window, or the fallback is reported as inverse volatility', () => {
    const arb = fc
      .record({ n: fc.integer({ min: 2, max: 5 }), lookback: fc.integer({ min: 2, max: 20 }) })
      .chain(({ n, lookback }) =>
        fc.record({
          n: fc.constant(n),
          lookback: fc.constant(lookback),
          rho: fc.array(fc.array(uniform(-0.05, 0.05), { minLength: lookback + 1, maxLength: lookback + 1 }), { minLength: n, maxLength: n }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ n, lookback, rho }) => {
        const settings: AllocationConfig = { method: 'riskParity', lookbackDays: lookback, kellyFraction: 0.5, minWeight: 0, maxWeight: 1, cashBufferPct: 0 };
        const candidates = candidatesOf(rho, rho.map((): [number, number] => [0, lookback]), rho.map(() => false));
        const result = targetWeights(settings, lookback, candidates, 1);
        // The sample covariance over W, computed here.
        const window = rho.map((series) => series.slice(0, lookback));
        const means = window.map((series) => series.reduce((sum, value) => sum + value, 0) / lookback);
        const covariance = new Float64Array(n * n);
        for (let i = 0; i < n; i += 1) {
          for (let j = 0; j < n; j += 1) {
            let sum = 0;
            for (let k = 0; k < lookback; k += 1) sum += (nth(nth(window, i), k) - nth(means, i)) * (nth(nth(window, j), k) - nth(means, j));
            covariance[i * n + j] = sum / (lookback - 1);
          }
        }
        const weights = Array.from(result.weights);
        if (result.riskParityFallback === null) {
          check(Math.abs(weights.reduce((sum, value) => sum + value, 0) - 1) <= 1e-12, () => `sum ${weights}`);
          const deviation = maxRelativeDeviation(contributions(covariance, weights, n));
          check(deviation <= 1e-10, () => `contributions deviate by ${deviation} (n ${n}, lookback ${lookback})`);
        } else {
          check(isOutsideTolerance(result.riskParityFallback.maxContributionDeviation), () => 'fallback with a deviation within tolerance');
          const inverse = Array.from({ length: n }, (_, i) => 1 / Math.sqrt(covariance[i * n + i] ?? 0));
          const total = inverse.reduce((sum, value) => sum + value, 0);
          inverse.forEach((value, i) => check(Math.abs(value / total - nth(weights, i)) <= 1e-9, () => `fallback weights ${weights} not 1/sigma`));
        }
      }),
      params(300),
    );
  });
});

// ---------------------------------------------------------------------------------------
// (c) Costs are the only leak
// ---------------------------------------------------------------------------------------

describe('(c) costs are the only leak on every rebalance (SPEC 11)', () => {
  it('sum E\'_s + cash = E_a(t-1) - sum cost_s within 1e-6; each move follows T = w* E_a(t-1), cost on |T - E|, E\' = max(0, T - cost)', () => {
    let rebalancesSeen = 0;
    let closingMoves = 0;
    fc.assert(
      fc.property(partBCaseArb, (c) => {
        const { series, results } = runPartB(c);
        const { ledger } = series;
        const members = membersOf(c.config);
        const rate = c.config.rebalance.costBps / 10000;
        for (const rebalance of ledger.rebalances) {
          rebalancesSeen += 1;
          const { day, account: a } = rebalance;
          const accountLedger = nth(ledger.accounts, a);
          const startingCapital = nth(c.config.accounts, a).startingCapital;
          const equityBefore = day === 0 ? startingCapital : nth(accountLedger.equity, day - 1);
          const cash = nth(accountLedger.cash, day);
          let after = 0;
          let costs = 0;
          rebalance.moves.forEach((move, m) => {
            check(move.strategy === nth(nth(members, a), m), () => 'moves in config order');
            const sleeveBefore = day === 0 ? 0 : nth(nth(ledger.sleeves, move.strategy).equity, day - 1);
            check(closeDollars(move.equityBefore, sleeveBefore), () => `Equity_Before ${move.equityBefore} vs E_s(t-1) ${sleeveBefore}`);
            const target = move.targetWeight * equityBefore;
            const cost = day === 0 ? 0 : rate * Math.abs(target - sleeveBefore);
            check(closeDollars(move.cost, cost), () => `cost ${move.cost} vs ${cost}`);
            check(move.equityAfter >= 0 && closeDollars(move.equityAfter, Math.max(0, target - cost)), () => `E' ${move.equityAfter} vs ${Math.max(0, target - cost)}`);
            if (target - cost < 0) closingMoves += 1;
            after += move.equityAfter;
            costs += move.cost;
          });
          check(
            closeDollars(after + cash, equityBefore - costs),
            () => `${describeCase(c)}: day ${day} account ${a}: sum E' ${after} + cash ${cash} = ${after + cash} vs E_a(t-1) - costs ${equityBefore - costs}`,
          );
        }
        // The check itself: within the SPEC's dollar tolerance; fails exactly when above the configured tolerance
        // (reconciliationToleranceUsd may be 0 here, where rounding noise alone is above it).
        const conservation = results.checks['costConservation' as keyof typeof results.checks] as unknown as
          | { status: string; maxAbsDiff: number; toleranceUsd: number; rebalances: number }
          | undefined;
        check(conservation !== undefined, () => 'no costConservation check');
        check(conservation.rebalances === ledger.rebalances.length, () => 'costConservation.rebalances');
        check((conservation.status === 'fail') === conservation.maxAbsDiff > conservation.toleranceUsd, () => `costConservation status ${conservation.status}`);
      }),
      params(200),
    );
    expect(rebalancesSeen).toBeGreaterThan(0);
    // The generator reaches sleeves that close to 0 and cannot pay their cost (paid from cash).
    expect(closingMoves).toBeGreaterThan(0);
  });

  it('the day after a rebalance each sleeve compounds on E\'_s (or keeps it when it does not trade); cash stays constant between rebalances', () => {
    fc.assert(
      fc.property(partBCaseArb, (c) => {
        const { series, scaled } = runPartB(c);
        const { ledger } = series;
        const capital = new Map<string, number>();
        for (const rebalance of ledger.rebalances) for (const move of rebalance.moves) capital.set(`${rebalance.day}/${move.strategy}`, move.equityAfter);
        ledger.sleeves.forEach((sleeve, s) => {
          for (let day = 0; day < sleeve.equity.length; day += 1) {
            const start = capital.get(`${day}/${s}`) ?? (day === 0 ? Number.NaN : nth(sleeve.equity, day - 1));
            const rho = nth(nth(scaled, s).scaledReturn, day);
            const expected = nth(sleeve.traded, day) === 1 ? Math.max(0, start * (1 + rho)) : start;
            check(closeDollars(nth(sleeve.equity, day), expected), () => `sleeve ${s} day ${day}: ${nth(sleeve.equity, day)} vs ${expected}`);
          }
        });
        const rebalanced = new Set(ledger.rebalances.map((rebalance) => `${rebalance.day}/${rebalance.account}`));
        ledger.accounts.forEach((account, a) => {
          for (let day = 1; day < account.cash.length; day += 1) {
            if (rebalanced.has(`${day}/${a}`)) continue;
            check(Object.is(nth(account.cash, day), nth(account.cash, day - 1)), () => `cash of account ${a} moved on day ${day} without a rebalance`);
          }
        });
      }),
      params(150),
    );
  });
});

// ---------------------------------------------------------------------------------------
// (d) Concurrent positions
// ---------------------------------------------------------------------------------------

/** SPEC 12.2 written out: which strategy is blocked on which day, from part-A units and wipe-out days. */
function referenceBlocking(units: readonly Float64Array[], wipeoutDays: readonly number[], days: number, limit: number): boolean[][] {
  const n = units.length;
  const blocked: boolean[][] = units.map(() => []);
  const heldBefore = new Array<boolean>(n).fill(false);
  const stillBlocked = new Array<boolean>(n).fill(false);
  for (let day = 0; day < days; day += 1) {
    // A wiped-out strategy never holds: from the date after its wipe-out on.
    const holds = units.map((series, s) => nth(series, day) > 0 && (nth(wipeoutDays, s) === -1 || day <= nth(wipeoutDays, s)));
    for (let s = 0; s < n; s += 1) if (!nth(holds, s)) stillBlocked[s] = false;
    let holding = 0;
    for (let s = 0; s < n; s += 1) if (nth(holds, s) && nth(heldBefore, s) && !nth(stillBlocked, s)) holding += 1;
    for (let s = 0; s < n; s += 1) {
      const enters = nth(holds, s) && (day === 0 || !nth(heldBefore, s));
      if (!enters) continue;
      if (holding >= limit) stillBlocked[s] = true;
      else holding += 1;
    }
    for (let s = 0; s < n; s += 1) {
      nth(blocked, s).push(nth(stillBlocked, s));
      heldBefore[s] = nth(holds, s);
    }
  }
  return blocked;
}

describe('(d) concurrent positions (SPEC 12.2)', () => {
  const withLimitArb = fc
    .record({ c: partBCaseArb, limit: fc.integer({ min: 1, max: 3 }) })
    .map(({ c, limit }) => ({ ...c, config: { ...c.config, limits: { ...c.config.limits, maxConcurrentPositions: limit } } }));

  it('blocked strategies hold nothing on blocked days; never more than the limit holding and not blocked; blocking as the rule says', () => {
    let blockedDaysSeen = 0;
    fc.assert(
      fc.property(withLimitArb, (c) => {
        const limit = c.config.limits.maxConcurrentPositions ?? 0;
        const { series, scaled, results } = runPartB(c);
        const { ledger } = series;
        const days = ledger.portfolio.equity.length;
        const capital = new Map<string, number>();
        for (const rebalance of ledger.rebalances) for (const move of rebalance.moves) capital.set(`${rebalance.day}/${move.strategy}`, move.equityAfter);
        for (let day = 0; day < days; day += 1) {
          let holdingNotBlocked = 0;
          ledger.sleeves.forEach((sleeve, s) => {
            if (nth(sleeve.units, day) > 0) holdingNotBlocked += 1;
            if (nth(sleeve.blocked, day) !== 1) return;
            blockedDaysSeen += 1;
            // A blocked strategy holds (part-A units > 0) but trades nothing.
            check(nth(nth(scaled, s).units, day) > 0, () => `strategy ${s} blocked on day ${day} without a part-A position`);
            for (const [label, series] of [
              ['units', sleeve.units],
              ['margin', sleeve.margin],
              ['notional', sleeve.notional],
              ['scaledReturn', sleeve.scaledReturn],
              ['sleeveReturn', sleeve.sleeveReturn],
              ['marginUtilization', sleeve.marginUtilization],
            ] as const) {
              check(nth(series, day) === 0, () => `strategy ${s} blocked on day ${day} has ${label} ${nth(series, day)}`);
            }
            check(nth(sleeve.traded, day) === 0, () => `strategy ${s} blocked on day ${day} counted as trading`);
            const start = capital.get(`${day}/${s}`) ?? (day === 0 ? Number.NaN : nth(sleeve.equity, day - 1));
            check(Object.is(nth(sleeve.equity, day), start), () => `strategy ${s} blocked on day ${day}: equity ${nth(sleeve.equity, day)} vs E' ${start}`);
            check(sleeve.wipeoutDay !== day, () => `strategy ${s} wiped out on a blocked day ${day}`);
          });
          check(holdingNotBlocked <= limit, () => `${holdingNotBlocked} strategies trade on day ${day}, limit ${limit}`);
        }
        const expected = referenceBlocking(
          scaled.map((series) => series.units),
          ledger.sleeves.map((sleeve) => sleeve.wipeoutDay),
          days,
          limit,
        );
        ledger.sleeves.forEach((sleeve, s) => {
          const got = Array.from(sleeve.blocked, (flag) => flag === 1);
          check(JSON.stringify(got) === JSON.stringify(nth(expected, s)), () => `strategy ${s}: blocked ${JSON.stringify(got)}, the rule gives ${JSON.stringify(nth(expected, s))}`);
        });
        const concurrency = results.checks['maxConcurrentPositions' as keyof typeof results.checks] as unknown as
          | { maxConcurrent: number; blocked: number; requested: number; allowed: number; status: string }
          | undefined;
        check(concurrency !== undefined, () => 'no maxConcurrentPositions check');
        check(concurrency.maxConcurrent <= limit, () => `maxConcurrent ${concurrency.maxConcurrent} above ${limit}`);
        check(concurrency.requested === concurrency.allowed + concurrency.blocked, () => 'requested != allowed + blocked');
        check((concurrency.status === 'fail') === concurrency.blocked > 0, () => 'status vs blocked entries');
      }),
      params(200),
    );
    expect(blockedDaysSeen).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------
// (e) The clamp with one lambda
// ---------------------------------------------------------------------------------------

const boundsCaseArb = fc.record({
  raws: fc.array(fc.oneof(uniform(0.001, 1), uniform(1, 1000), fc.constantFrom(1, 2, 0.5)), { minLength: 1, maxLength: 8 }),
  a: uniform(0, 1),
  b: uniform(0, 1),
  total: fc.oneof(uniform(0.01, 1), fc.constant(1)),
});

describe('(e) constrainedWeights (SPEC 10 constraints)', () => {
  it('feasible bounds: sum S within 1e-12, every weight in [minWeight, maxWeight], one lambda for the free weights, order kept', () => {
    let feasibleSeen = 0;
    fc.assert(
      fc.property(boundsCaseArb, ({ raws, a, b, total }) => {
        const minWeight = Math.min(a, b);
        const maxWeight = Math.max(a, b, 1e-3);
        const n = raws.length;
        const weights = constrainedWeights(raws, { minWeight, maxWeight, total });
        check(weights.length === n, () => 'one weight per raw');
        if (n * maxWeight < total) {
          weights.forEach((w) => check(w === maxWeight, () => `all at max expected: ${weights}`));
          return;
        }
        if (n * minWeight > total) {
          weights.forEach((w) => check(Math.abs(w - total / n) <= 1e-15, () => `S / n expected: ${weights}`));
          return;
        }
        feasibleSeen += 1;
        const sum = weights.reduce((acc, w) => acc + w, 0);
        check(Math.abs(sum - total) <= 1e-12, () => `sum ${sum} vs S ${total} (${weights})`);
        weights.forEach((w) => check(w >= minWeight - 1e-15 && w <= maxWeight + 1e-15, () => `weight ${w} outside [${minWeight}, ${maxWeight}]`));
        // One lambda: every weight strictly inside the bounds has the same w / raw; a bound holds only where lambda raw passes it.
        const free = weights.flatMap((w, i) => (w > minWeight + 1e-12 && w < maxWeight - 1e-12 ? [w / nth(raws, i)] : []));
        const lambda = free[0];
        if (lambda !== undefined) {
          free.forEach((ratio) => check(Math.abs(ratio - lambda) <= 1e-9 * lambda, () => `two lambdas ${ratio} and ${lambda}`));
          weights.forEach((w, i) => {
            const raw = nth(raws, i);
            if (w >= maxWeight - 1e-12) check(lambda * raw >= maxWeight * (1 - 1e-9), () => `at max but lambda raw ${lambda * raw} < ${maxWeight}`);
            if (w <= minWeight + 1e-12) check(lambda * raw <= minWeight * (1 + 1e-9) + 1e-15, () => `at min but lambda raw ${lambda * raw} > ${minWeight}`);
          });
        }
        raws.forEach((ri, i) =>
          raws.forEach((rj, j) => {
            if (ri < rj) check(nth(weights, i) <= nth(weights, j) + 1e-15, () => `order: raw ${ri} < ${rj} but weight ${nth(weights, i)} > ${nth(weights, j)}`);
          }),
        );
      }),
      params(2000),
    );
    expect(feasibleSeen).toBeGreaterThan(100);
  });
});
