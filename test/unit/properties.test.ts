/**
 * Property-based tests of SPEC sections 2-5 and 7 on random valid portfolios: the real core
 * functions (align, scale, the day loop, computeResults with its reconcile and metrics) are
 * driven with random inputs and every figure is checked against the SPEC's rule, recomputed
 * independently here.
 *
 * Reproduce a failure: fast-check prints `seed` and `path` with the counterexample (the
 * test name also carries the seed). Run again with that seed:
 *   FC_SEED=<seed> npx vitest run test/properties.test.ts -t '<part of the test name>'
 * FC_NUM_RUNS overrides the number of runs (200 by default).
 */
import { PART_B_DEFAULTS } from '#shared/config/partBSchema.ts';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { alignTrackRecords } from '#shared/calc/align.ts';
import { compoundEquity } from '#shared/calc/compound.ts';
import { computeMetrics } from '#shared/calc/metrics.ts';
import { scalePositions, scaledUnits } from '#shared/calc/scale.ts';
import { validateConfig } from '#shared/config/validateConfig.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { calendarMonths, isoDate } from '#shared/dates.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import {
  check,
  closeDollars,
  closeFigure,
  decimalTimes,
  decimalValue,
  idleCashOf,
  impliedArb,
  incrementArb,
  logUniform,
  membersOf,
  nth,
  portfolioArb,
  referenceSleeve,
  runCore,
  sizingArb,
  universeArb,
  uniform,
  type GeneratedPortfolio,
  type Sizing,
} from '#test/support/arbitraries.ts';

const seedText = process.env['FC_SEED'];
const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);
fc.configureGlobal({ numRuns, ...(seedText === undefined || seedText === '' ? {} : { seed: Number(seedText) }) });

const INTEGER_TOLERANCE = 1e-9;
const ZERO = 1e-12;

/** Aligned series of one strategy from per-day margins, returns and notionals. */
function alignedOf(margins: number[], returns: number[], notionals: number[]) {
  return {
    returns: Float64Array.from(returns),
    marginUsed: Float64Array.from(margins),
    notional: Float64Array.from(notionals),
    spanStart: 0,
    spanEnd: margins.length - 1,
  };
}

/** SPEC 3 ratio: units / implied, maxPositionScale on an unsized return, else 0. */
function specRatio(units: number, implied: number, dailyReturn: number, maxPositionScale: number): number {
  if (implied > 0) return units / implied;
  return implied === 0 && dailyReturn !== 0 ? maxPositionScale : 0;
}

/** Moves the account's idle cash into the first strategy and makes it lose everything on its first date (an unsized -99.9999 % at a scale > 1). */
function withWipeout(portfolio: GeneratedPortfolio): GeneratedPortfolio {
  const first = nth(portfolio.config.strategies, 0);
  const account = portfolio.config.accounts.find((candidate) => candidate.name === first.account);
  if (account === undefined) throw new Error('generator: unknown account');
  const idle = nth(idleCashOf(portfolio.config), portfolio.config.accounts.indexOf(account));
  const strategies = portfolio.config.strategies.map((strategy, s) =>
    s === 0 ? { ...strategy, allocatedCapital: strategy.allocatedCapital + idle, maxPositionScale: Math.max(1.5, strategy.maxPositionScale) } : strategy,
  );
  const config: PortfolioConfig = { ...portfolio.config, strategies };
  const raw = { ...(portfolio.raw as Record<string, unknown>), strategies: strategies.map((strategy) => ({ ...strategy })) };
  const records = portfolio.records.map((record, s): TrackRecord => {
    if (s !== 0) return record;
    const returns = Float64Array.from(record.returns);
    const marginUsed = Float64Array.from(record.marginUsed);
    returns[0] = -0.999999;
    marginUsed[0] = 0;
    return { ...record, returns, marginUsed };
  });
  return { config, raw, records };
}

const portfolioWithWipeoutsArb = fc.oneof(portfolioArb, portfolioArb.map(withWipeout));

describe('the generators make valid inputs (SPEC 1.2)', () => {
  test.prop([portfolioWithWipeoutsArb], { numRuns: 50 })('every generated portfolio passes config validation', (portfolio) => {
    const { config, errors } = validateConfig(portfolio.raw, 'portfolio.json');
    expect(errors).toEqual([]);
    expect(config?.strategies.length).toBe(portfolio.config.strategies.length);
    for (const record of portfolio.records) {
      for (let row = 1; row < record.dates.length; row += 1) expect(nth(record.dates, row)).toBeGreaterThan(nth(record.dates, row - 1));
      for (const value of record.returns) expect(value).toBeGreaterThan(-1);
      for (const value of record.marginUsed) expect(value).toBeGreaterThanOrEqual(0);
      for (const value of record.notional) expect(value).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('SPEC 5.1-5.2: accounts and the portfolio add up on every date', () => {
  test.prop([portfolioWithWipeoutsArb])(
    'every date: sleeve equity + idle cash = account equity, and account equities sum to portfolio equity',
    (portfolio) => {
      const { config } = portfolio;
      const { scaled, series, results } = runCore(portfolio);
      const { ledger } = series;
      const tolerance = config.thresholds.reconciliationToleranceUsd;
      const idleCash = idleCashOf(config);
      const members = membersOf(config);
      const days = ledger.portfolio.equity.length;

      // Sleeve equity recomputed from the scaled returns alone (SPEC 4).
      config.strategies.forEach((strategy, s) => {
        const reference = referenceSleeve(strategy.allocatedCapital, nth(scaled, s).scaledReturn);
        const equity = nth(ledger.sleeves, s).equity;
        for (let day = 0; day < days; day += 1) {
          check(closeDollars(nth(equity, day), nth(reference.equity, day)), () => `${strategy.name} day ${day}: equity ${nth(equity, day)}, SPEC 4 gives ${nth(reference.equity, day)}`);
        }
      });

      for (let day = 0; day < days; day += 1) {
        let accountsSum = 0;
        config.accounts.forEach((account, a) => {
          const sleeves = nth(members, a).reduce((sum, s) => sum + nth(nth(ledger.sleeves, s).equity, day), 0);
          const accountEquity = nth(nth(ledger.accounts, a).equity, day);
          const expected = sleeves + nth(idleCash, a);
          check(
            Math.abs(expected - accountEquity) <= tolerance,
            () => `${account.name} day ${day}: sleeves ${sleeves} + idle cash ${nth(idleCash, a)} = ${expected}, account equity ${accountEquity}`,
          );
          check(closeDollars(nth(nth(ledger.accounts, a).cash, day), nth(idleCash, a)), () => `${account.name} day ${day}: cash is not the constant idle cash`);
          accountsSum += accountEquity;
        });
        const portfolioEquity = nth(ledger.portfolio.equity, day);
        check(Math.abs(accountsSum - portfolioEquity) <= tolerance, () => `day ${day}: accounts sum to ${accountsSum}, portfolio equity ${portfolioEquity}`);
      }

      const { accountReconciliation, portfolioReconciliation } = results.checks;
      expect(accountReconciliation.status).toBe('pass');
      expect(accountReconciliation.toleranceUsd).toBe(tolerance);
      for (const account of config.accounts) {
        const entry = accountReconciliation.accounts[account.name];
        expect(entry?.status).toBe('pass');
        expect(entry?.failingDays).toBe(0);
        expect(entry?.maxAbsDiff).toBeLessThanOrEqual(tolerance);
      }
      expect(portfolioReconciliation.status).toBe('pass');
      expect(portfolioReconciliation.failingDays).toBe(0);
      expect(portfolioReconciliation.maxAbsDiff).toBeLessThanOrEqual(tolerance);
    },
  );
});

describe('SPEC 5.4: position invariants on every date', () => {
  test.prop([portfolioWithWipeoutsArb])(
    'scaled margin within the allocation, units 0 or at least the minimum, whole increments; invariants check passes',
    (portfolio) => {
      const { config } = portfolio;
      const { scaled, series, results } = runCore(portfolio);
      config.strategies.forEach((strategy, s) => {
        const traded = nth(series.ledger.sleeves, s).units;
        const computed = nth(scaled, s).units;
        for (let day = 0; day < traded.length; day += 1) {
          for (const [label, units] of [['traded', nth(traded, day)], ['scaled', nth(computed, day)]] as const) {
            const where = `${strategy.name} day ${day} (${label} units ${units})`;
            check(units * strategy.marginPerUnit <= strategy.allocatedCapital * (1 + 1e-9), () => `${where}: margin ${units * strategy.marginPerUnit} > allocated ${strategy.allocatedCapital}`);
            check(units === 0 || units >= strategy.minPosition, () => `${where}: below minPosition ${strategy.minPosition}`);
            const increments = units / strategy.increment;
            check(Math.abs(increments - Math.round(increments)) <= INTEGER_TOLERANCE, () => `${where}: ${increments} increments of ${strategy.increment}`);
          }
        }
      });
      expect(results.checks.invariants).toEqual({ status: 'pass', violations: 0, firstViolations: [] });
    },
  );

  // minPosition computed in binary floating point (3 * 0.1 = 0.30000000000000004) is still
  // "a whole multiple of increment (within 1e-9)" per SPEC 1.2, so such a config is valid.
  test.prop([
    fc.record({
      increment: fc.constantFrom(0.1, 0.01, 0.3, 0.7, 0.05),
      multiple: fc.integer({ min: 1, max: 9 }),
      marginPerUnit: fc.constantFrom(1, 1000, 5000),
      maxPositionScale: fc.constantFrom(0.5, 1, 2),
    }),
  ])('invariants hold when minPosition is a binary-float multiple of increment (e.g. 3 * 0.1)', ({ increment, multiple, marginPerUnit, maxPositionScale }) => {
    const minPosition = multiple * increment;
    const sizing: Sizing = { marginPerUnit, minPosition, increment, allocatedCapital: marginPerUnit * 1000, maxPositionScale };
    // The developer trades exactly the minimum position, scaled back to it.
    const implied = minPosition / maxPositionScale;
    const units = scaledUnits(implied, sizing);
    // SPEC 3 lets the arithmetic use units rounded to 10 decimals, so allow 1e-9 relative here ...
    check(units >= minPosition * (1 - 1e-9), () => `units ${units} for minPosition ${minPosition} (= ${multiple} * ${increment}): SPEC 3 units = max(minPosition, n * increment)`);
    const strategy = { name: 'S1', account: 'A', ...sizing };
    const config: PortfolioConfig = {
      accounts: [{ name: 'A', startingCapital: sizing.allocatedCapital }],
      strategies: [strategy],
      thresholds: { driftTolerance: 0.05, reconciliationToleranceUsd: 1, marginUtilizationAlertPct: { account: 80, portfolio: 80 }, staleAfterWeekdays: 5 },
      alignment: 'union',
      dateFormat: 'YYYY-MM-DD',
      ...PART_B_DEFAULTS,
      attribution: { riskWindowDays: 63 },
      maxFileSizeBytes: 104857600,
      metrics: { periodsPerYear: 252, riskFreeRate: 0 },
    };
    expect(validateConfig(config, 'portfolio.json').errors).toEqual([]);
    const record: TrackRecord = {
      strategy: 'S1',
      file: 'S1.csv',
      rows: 1,
      sha256: '',
      dates: Int32Array.of(19000),
      returns: Float64Array.of(0.01),
      marginUsed: Float64Array.of(implied * marginPerUnit),
      notional: Float64Array.of(0),
    };
    // ... but the program's own invariants check (SPEC 5.4) must not report a defect on this valid input.
    const { results } = runCore({ config, raw: config, records: [record] });
    expect(
      results.checks.invariants.status,
      `units ${units}, minPosition ${minPosition}: ${JSON.stringify(results.checks.invariants.firstViolations)}`,
    ).toBe('pass');
  });
});

describe('SPEC 3: scaling a position', () => {
  test.prop([sizingArb.chain((sizing) => fc.tuple(fc.constant(sizing), fc.array(impliedArb(sizing), { minLength: 1, maxLength: 30 })))])(
    'units never exceed what the capital affords; a target below half the minimum trades 0; scaled margin = units * marginPerUnit',
    ([sizing, implieds]) => {
      const { marginPerUnit, minPosition, allocatedCapital, maxPositionScale } = sizing;
      const affordable = allocatedCapital / marginPerUnit;
      for (const implied of implieds) {
        const units = scaledUnits(implied, sizing);
        const target = implied * maxPositionScale;
        const where = `implied ${implied}, target ${target}, units ${units}`;
        check(units * marginPerUnit <= allocatedCapital * (1 + 1e-9), () => `${where}: margin ${units * marginPerUnit} > allocated ${allocatedCapital}`);
        if (2 * target < minPosition) check(units === 0, () => `${where}: target below half of minPosition ${minPosition} must trade 0`);
        if (affordable < minPosition) check(units === 0, () => `${where}: the capital affords ${affordable} < minPosition ${minPosition}, must trade 0`);
        if (target > 0 && 2 * target >= minPosition && affordable >= minPosition) {
          check(units >= minPosition, () => `${where}: a tradeable, affordable target must trade at least minPosition ${minPosition}`);
        }
      }
      // The same through scalePositions: its margin column is units * marginPerUnit.
      const margins = implieds.map((implied) => implied * marginPerUnit);
      const scaled = scalePositions(alignedOf(margins, margins.map(() => 0.01), margins.map(() => 1000)), sizing);
      for (let day = 0; day < margins.length; day += 1) {
        const units = nth(scaled.units, day);
        check(closeDollars(nth(scaled.scaledMargin, day), units * marginPerUnit), () => `day ${day}: scaledMargin ${nth(scaled.scaledMargin, day)} != ${units} * ${marginPerUnit}`);
        check(units * marginPerUnit <= allocatedCapital * (1 + 1e-9), () => `day ${day}: scaled margin above allocation`);
        check(closeFigure(nth(scaled.impliedUnits, day), nth(margins, day) / marginPerUnit), () => `day ${day}: implied units`);
      }
    },
  );

  test.prop([
    sizingArb.chain((sizing) =>
      fc.tuple(
        fc.constant(sizing),
        fc.array(fc.record({ implied: impliedArb(sizing), ret: fc.oneof(fc.constant(0), uniform(-0.5, 0.5)), notional: uniform(0, 1e6) }), {
          minLength: 1,
          maxLength: 30,
        }),
      ),
    ),
  ])('scaled return and notional are the input times units / implied (maxPositionScale on an unsized return, else 0)', ([sizing, days]) => {
    const margins = days.map((day) => day.implied * sizing.marginPerUnit);
    const scaled = scalePositions(alignedOf(margins, days.map((day) => day.ret), days.map((day) => day.notional)), sizing);
    days.forEach((day, index) => {
      const implied = nth(margins, index) / sizing.marginPerUnit;
      const ratio = specRatio(nth(scaled.units, index), implied, day.ret, sizing.maxPositionScale);
      check(closeFigure(nth(scaled.scaledReturn, index), day.ret * ratio), () => `day ${index}: scaledReturn ${nth(scaled.scaledReturn, index)}, expected ${day.ret} * ${ratio}`);
      check(closeDollars(nth(scaled.scaledNotional, index), day.notional * ratio), () => `day ${index}: scaledNotional ${nth(scaled.scaledNotional, index)}, expected ${day.notional} * ${ratio}`);
      check(nth(scaled.unsizedReturn, index) === (implied === 0 && day.ret !== 0 ? 1 : 0), () => `day ${index}: unsized flag`);
    });
  });

  test.prop([
    fc.record({
      increment: incrementArb,
      k: fc.integer({ min: 1, max: 400 }),
      maxPositionScale: fc.constantFrom(1, 0.5, 2, 0.25),
      marginPerUnit: fc.constantFrom(1, 2, 0.5, 1024, 4096),
      nearMiss: fc.constantFrom(-0.3, -1e-6, 1e-6, 0.3),
      affordableMultiple: fc.integer({ min: 1, max: 400 }),
    }),
  ])(
    'half-even ties: a target halfway between two increments goes to the even multiple; exact multiples (0.7 / 0.1) do not flip',
    ({ increment, k, maxPositionScale, marginPerUnit, nearMiss, affordableMultiple }) => {
      const step = decimalValue(increment);
      const roomy: Sizing = { marginPerUnit, minPosition: step, increment: step, allocatedCapital: decimalTimes(k + 2, increment) * marginPerUnit * 4, maxPositionScale };
      // Scales and margins per unit are powers of two, so target = implied * scale is the decimal tie exactly as written.
      const unitsFor = (target: number, sizing: Sizing): number => {
        const implied = target / maxPositionScale;
        const direct = scaledUnits(implied, sizing);
        const viaSeries = nth(scalePositions(alignedOf([implied * marginPerUnit], [0], [0]), sizing).units, 0);
        check(direct === viaSeries, () => `scaledUnits ${direct} and scalePositions ${viaSeries} disagree for target ${target}`);
        return direct;
      };
      const sameMultiple = (units: number, multiple: number): boolean => Math.abs(units - decimalTimes(multiple, increment)) <= 1e-9 * step;

      // (k + 0.5) increments, written as a decimal: the even neighbour wins.
      const tie = decimalValue({ units: (2 * k + 1) * increment.units * 5, places: increment.places + 1 });
      const even = k % 2 === 0 ? k : k + 1;
      const tieUnits = unitsFor(tie, roomy);
      check(sameMultiple(tieUnits, even), () => `target ${tie} = ${k}.5 increments of ${step}: units ${tieUnits}, expected the even multiple ${decimalTimes(even, increment)}`);

      // Exactly k increments (0.7 with 0.1): k increments, not k - 1 or k + 1.
      const exact = decimalTimes(k, increment);
      const exactUnits = unitsFor(exact, roomy);
      check(sameMultiple(exactUnits, k), () => `target ${exact} = ${k} increments of ${step}: units ${exactUnits}`);

      // Near a tie but not one: the nearest multiple.
      const near = (k + 0.5 + nearMiss) * step;
      const nearest = nearMiss < 0 ? k : k + 1;
      const nearUnits = unitsFor(near, roomy);
      check(sameMultiple(nearUnits, nearest), () => `target ${near} = ${k + 0.5 + nearMiss} increments of ${step}: units ${nearUnits}, expected ${decimalTimes(nearest, increment)}`);

      // The capital affords exactly m increments (0.7 / 0.1 = 6.999999999999999): m increments, not m - 1.
      const tight: Sizing = { ...roomy, allocatedCapital: decimalTimes(affordableMultiple, increment) * marginPerUnit };
      const tightUnits = unitsFor(decimalTimes(affordableMultiple + 3, increment), tight);
      check(sameMultiple(tightUnits, affordableMultiple), () => `capital affords exactly ${affordableMultiple} increments of ${step}: units ${tightUnits}`);
    },
  );

  test.prop([
    fc
      .record({
        marginPerUnit: fc.oneof(fc.constantFrom(1, 250, 5000), logUniform(0.01, 20000)),
        increment: incrementArb,
        minMultiple: fc.integer({ min: 1, max: 5 }),
        roomInIncrements: fc.integer({ min: 20, max: 5000 }),
      })
      .chain((shape) => {
        const increment = decimalValue(shape.increment);
        const minPosition = decimalTimes(shape.minMultiple, shape.increment);
        const sizing: Sizing = {
          marginPerUnit: shape.marginPerUnit,
          increment,
          minPosition,
          allocatedCapital: (minPosition + shape.roomInIncrements * increment) * shape.marginPerUnit,
          maxPositionScale: 0.75,
        };
        const affordable = sizing.allocatedCapital / sizing.marginPerUnit;
        // Targets from the minimum position up to one increment short of what the capital affords.
        const implied = fc.oneof(uniform(minPosition / 0.75, (affordable - increment) / 0.75), logUniform(minPosition / 0.75, (affordable - increment) / 0.75));
        return fc.tuple(fc.constant(sizing), fc.array(fc.record({ implied, ret: uniform(-0.2, 0.2) }), { minLength: 1, maxLength: 30 }));
      }),
  ])('a 75 % maxPositionScale trades implied * 0.75 to the nearest increment when affordable and above the minimum', ([sizing, days]) => {
    const margins = days.map((day) => day.implied * sizing.marginPerUnit);
    const scaled = scalePositions(alignedOf(margins, days.map((day) => day.ret), margins.map(() => 0)), sizing);
    days.forEach((day, index) => {
      const implied = nth(scaled.impliedUnits, index);
      const units = nth(scaled.units, index);
      const target = implied * 0.75;
      check(
        Math.abs(units - target) <= sizing.increment * (0.5 + 1e-8),
        () => `implied ${implied}: units ${units}, expected 0.75 * implied = ${target} within half an increment of ${sizing.increment}`,
      );
      check(Math.abs(units / implied - 0.75) <= (sizing.increment * (0.5 + 1e-8)) / implied, () => `implied ${implied}: ratio ${units / implied} too far from 0.75`);
      check(closeFigure(nth(scaled.scaledReturn, index), (day.ret * units) / implied), () => `implied ${implied}: scaled return`);
    });
  });
});

describe('SPEC 4: compounding and wipe-outs', () => {
  let runsWithWipeout = 0;
  test.prop([portfolioWithWipeoutsArb])(
    'equity is never negative; a wiped-out sleeve stays at 0, trades nothing afterwards, and its account keeps its idle cash',
    (portfolio) => {
      const { config } = portfolio;
      const { aligned, scaled, series, results } = runCore(portfolio);
      const { ledger } = series;
      const days = aligned.calendar.length;
      const idleCash = idleCashOf(config);
      const members = membersOf(config);
      const references = config.strategies.map((strategy, s) => referenceSleeve(strategy.allocatedCapital, nth(scaled, s).scaledReturn));
      if (references.some((reference) => reference.wipeoutDay !== -1)) runsWithWipeout += 1;

      config.strategies.forEach((strategy, s) => {
        const sleeve = nth(ledger.sleeves, s);
        const input = nth(scaled, s);
        const wipeoutDay = nth(references, s).wipeoutDay;
        expect(sleeve.wipeoutDay, `${strategy.name}: wipe-out day`).toBe(wipeoutDay);
        expect(results.wipeouts[strategy.name], `${strategy.name}: wipeouts entry`).toBe(wipeoutDay === -1 ? undefined : isoDate(nth(aligned.calendar, wipeoutDay)));
        for (let day = 0; day < days; day += 1) {
          const where = `${strategy.name} day ${day} (wiped out on day ${wipeoutDay})`;
          check(nth(sleeve.equity, day) >= 0, () => `${where}: equity ${nth(sleeve.equity, day)} < 0`);
          if (wipeoutDay !== -1 && day >= wipeoutDay) check(nth(sleeve.equity, day) === 0, () => `${where}: equity ${nth(sleeve.equity, day)} after the wipe-out`);
          if (wipeoutDay !== -1 && day > wipeoutDay) {
            const traded = {
              units: nth(sleeve.units, day),
              margin: nth(sleeve.margin, day),
              notional: nth(sleeve.notional, day),
              scaledReturn: nth(sleeve.scaledReturn, day),
              marginUtilization: nth(sleeve.marginUtilization, day),
              sleeveReturn: nth(sleeve.sleeveReturn, day),
            };
            check(Object.values(traded).every((value) => value === 0), () => `${where}: traded columns after the wipe-out ${JSON.stringify(traded)}`);
            check(nth(sleeve.traded, day) === 0, () => `${where}: still marked as traded`);
          } else {
            // A trading day: the traded columns are the scaled position as computed.
            check(nth(sleeve.units, day) === nth(input.units, day), () => `${where}: units`);
            check(nth(sleeve.margin, day) === nth(input.scaledMargin, day), () => `${where}: margin`);
            check(nth(sleeve.notional, day) === nth(input.scaledNotional, day), () => `${where}: notional`);
            check(nth(sleeve.scaledReturn, day) === nth(input.scaledReturn, day), () => `${where}: scaled return`);
            check(nth(sleeve.sleeveReturn, day) === (day === wipeoutDay ? -1 : nth(input.scaledReturn, day)), () => `${where}: sleeve return ${nth(sleeve.sleeveReturn, day)}`);
          }
        }
      });

      for (let day = 0; day < days; day += 1) {
        check(nth(ledger.portfolio.equity, day) >= 0, () => `day ${day}: portfolio equity ${nth(ledger.portfolio.equity, day)} < 0`);
        config.accounts.forEach((account, a) => {
          const equity = nth(nth(ledger.accounts, a).equity, day);
          const idle = nth(idleCash, a);
          check(equity >= 0, () => `${account.name} day ${day}: equity ${equity} < 0`);
          check(equity >= idle - 1e-6, () => `${account.name} day ${day}: equity ${equity} below its idle cash ${idle}`);
          const allWiped = nth(members, a).every((s) => {
            const w = nth(references, s).wipeoutDay;
            return w !== -1 && w <= day;
          });
          if (allWiped) check(closeDollars(equity, idle), () => `${account.name} day ${day}: every sleeve wiped out, equity ${equity}, idle cash ${idle}`);
        });
      }
    },
  );
  test('the wipe-out property saw wipe-outs', () => {
    expect(runsWithWipeout).toBeGreaterThan(numRuns / 10);
  });

  test.prop([portfolioWithWipeoutsArb])('account and portfolio returns come from equity: E(t) = E(t-1) * (1 + R(t)), R = 0 when E(t-1) = 0', (portfolio) => {
    const { config } = portfolio;
    const { series: run, results } = runCore(portfolio);
    const { ledger } = run;
    const series = [
      ...config.accounts.map((account, a) => ({
        name: account.name,
        start: account.startingCapital,
        equity: nth(ledger.accounts, a).equity,
        returns: nth(run.accountReturns, a),
        metrics: results.metrics.accounts[account.name],
      })),
      {
        name: 'portfolio',
        start: config.accounts.reduce((sum, account) => sum + account.startingCapital, 0),
        equity: ledger.portfolio.equity,
        returns: run.portfolioReturns,
        metrics: results.metrics.portfolio,
      },
    ];
    for (const { name, start, equity, returns, metrics } of series) {
      let previous = start;
      for (let day = 0; day < equity.length; day += 1) {
        const current = nth(equity, day);
        const value = nth(returns, day);
        if (previous === 0) check(value === 0, () => `${name} day ${day}: E(t-1) = 0 but R = ${value}`);
        else check(closeDollars(previous * (1 + value), current), () => `${name} day ${day}: E(t-1) ${previous} * (1 + ${value}) = ${previous * (1 + value)}, E(t) ${current}`);
        previous = current;
      }
      // The metrics' total return is the equity's growth over the whole calendar.
      const last = nth(equity, equity.length - 1);
      expect(metrics, `${name}: metrics`).toBeDefined();
      check(closeFigure(metrics?.totalReturn ?? NaN, last / start - 1), () => `${name}: totalReturn ${metrics?.totalReturn}, equity grew ${last / start - 1}`);
    }
  });

  test.prop([portfolioWithWipeoutsArb])(
    'margin utilization: account = margin / startingCapital * 100, portfolio = total margin / total allocated * 100; leverage = notional / total allocated',
    (portfolio) => {
      const { config } = portfolio;
      const { aligned, scaled, series, results } = runCore(portfolio);
      const { ledger } = series;
      const members = membersOf(config);
      const totalAllocated = config.strategies.reduce((sum, strategy) => sum + strategy.allocatedCapital, 0);
      const days = aligned.calendar.length;
      const trades = config.strategies.map((strategy, s) => referenceSleeve(strategy.allocatedCapital, nth(scaled, s).scaledReturn).trades);
      // Independent margins and notionals: units * marginPerUnit and Notional * ratio on the days a sleeve trades.
      const margin = (s: number, day: number): number => (nth(nth(trades, s), day) ? nth(nth(scaled, s).units, day) * nth(config.strategies, s).marginPerUnit : 0);
      const notional = (s: number, day: number): number => {
        if (!nth(nth(trades, s), day)) return 0;
        const series = nth(aligned.series, s);
        const implied = nth(series.marginUsed, day) / nth(config.strategies, s).marginPerUnit;
        return nth(series.notional, day) * specRatio(nth(nth(scaled, s).units, day), implied, nth(series.returns, day), nth(config.strategies, s).maxPositionScale);
      };
      const accountUtilization = config.accounts.map(() => [] as number[]);
      const portfolioUtilization: number[] = [];
      for (let day = 0; day < days; day += 1) {
        let totalMargin = 0;
        let totalNotional = 0;
        config.strategies.forEach((strategy, s) => {
          const expected = nth(nth(trades, s), day) ? (nth(nth(scaled, s).units, day) * strategy.marginPerUnit) / strategy.allocatedCapital * 100 : 0;
          const got = nth(nth(ledger.sleeves, s).marginUtilization, day);
          check(closeFigure(got, expected), () => `${strategy.name} day ${day}: utilization ${got}, expected ${expected}`);
        });
        config.accounts.forEach((account, a) => {
          const accountMargin = nth(members, a).reduce((sum, s) => sum + margin(s, day), 0);
          const accountNotional = nth(members, a).reduce((sum, s) => sum + notional(s, day), 0);
          check(closeDollars(nth(nth(ledger.accounts, a).marginUsed, day), accountMargin), () => `${account.name} day ${day}: margin used`);
          check(closeDollars(nth(nth(ledger.accounts, a).notional, day), accountNotional), () => `${account.name} day ${day}: notional exposure`);
          const expected = (accountMargin / account.startingCapital) * 100;
          const got = nth(nth(series.accountUtilization, a), day);
          check(closeFigure(got, expected), () => `${account.name} day ${day}: utilization ${got}, expected ${accountMargin} / ${account.startingCapital} * 100 = ${expected}`);
          nth(accountUtilization, a).push(got);
          totalMargin += accountMargin;
          totalNotional += accountNotional;
        });
        check(closeDollars(nth(ledger.portfolio.marginUsed, day), totalMargin), () => `day ${day}: total margin`);
        const expectedUtilization = (totalMargin / totalAllocated) * 100;
        const gotUtilization = nth(series.portfolioUtilization, day);
        check(closeFigure(gotUtilization, expectedUtilization), () => `day ${day}: portfolio utilization ${gotUtilization}, expected ${totalMargin} / ${totalAllocated} * 100`);
        portfolioUtilization.push(gotUtilization);
        const expectedLeverage = totalNotional / totalAllocated;
        check(closeFigure(nth(series.leverage, day), expectedLeverage), () => `day ${day}: leverage ${nth(series.leverage, day)}, expected ${expectedLeverage}`);
      }

      // SPEC 5.5 on the same columns.
      const expectAlert = (values: number[], threshold: number, got: unknown, label: string): void => {
        const above = values.flatMap((value, day) => (value > threshold ? [day] : []));
        const worst = values.reduce((best, value, day) => (value > nth(values, best) ? day : best), 0);
        expect(got, label).toMatchObject({
          status: above.length > 0 ? 'fail' : 'pass',
          days: above.length,
          firstDate: above.length === 0 ? null : isoDate(nth(aligned.calendar, nth(above, 0))),
          worstPct: nth(values, worst),
          worstDate: isoDate(nth(aligned.calendar, worst)),
        });
      };
      const alert = config.thresholds.marginUtilizationAlertPct;
      config.accounts.forEach((account, a) => expectAlert(nth(accountUtilization, a), alert.account, results.checks.marginUtilization.accounts[account.name], account.name));
      expectAlert(portfolioUtilization, alert.portfolio, results.checks.marginUtilization.portfolio, 'portfolio');
    },
  );
});

describe('SPEC 2: alignment', () => {
  const recordsArb = universeArb.chain((universe) =>
    fc.array(
      fc.record({
        dates: fc.subarray(universe, { minLength: 1 }),
        seed: fc.array(fc.tuple(uniform(-0.5, 0.5), uniform(0, 1e6), uniform(0, 1e6)), {
          minLength: universe.length,
          maxLength: universe.length,
        }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  );

  test.prop([recordsArb, fc.constantFrom<'union' | 'intersection'>('union', 'intersection')])(
    'union calendar is the sorted unique union, intersection only the common dates; a strategy is 0 on dates it lacks',
    (generated, alignment) => {
      const records: TrackRecord[] = generated.map(({ dates, seed }, s) => ({
        strategy: `S${s + 1}`,
        file: `S${s + 1}.csv`,
        rows: dates.length,
        sha256: '',
        dates: Int32Array.from(dates),
        returns: Float64Array.from(dates, (_, row) => nth(seed, row)[0]),
        marginUsed: Float64Array.from(dates, (_, row) => nth(seed, row)[1]),
        notional: Float64Array.from(dates, (_, row) => nth(seed, row)[2]),
      }));
      const aligned = alignTrackRecords(records, alignment);
      const all = records.flatMap((record) => [...record.dates]);
      const expectedCalendar =
        alignment === 'union'
          ? [...new Set(all)].sort((x, y) => x - y)
          : [...new Set(all)].filter((date) => records.every((record) => record.dates.includes(date))).sort((x, y) => x - y);
      expect([...aligned.calendar]).toEqual(expectedCalendar);
      expect(aligned.series.length).toBe(records.length);

      records.forEach((record, s) => {
        const series = nth(aligned.series, s);
        expect(series.returns.length).toBe(expectedCalendar.length);
        expectedCalendar.forEach((date, day) => {
          const row = record.dates.indexOf(date);
          const want = row === -1 ? [0, 0, 0] : [nth(record.returns, row), nth(record.marginUsed, row), nth(record.notional, row)];
          const got = [nth(series.returns, day), nth(series.marginUsed, day), nth(series.notional, day)];
          check(
            got.every((value, i) => value === nth(want, i)),
            () => `${record.strategy} on ${isoDate(date)}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}${row === -1 ? ' (no row that day)' : ''}`,
          );
        });
        // Its own span: the calendar dates from its first to its last date.
        const first = nth(record.dates, 0);
        const last = nth(record.dates, record.dates.length - 1);
        const inSpan = expectedCalendar.flatMap((date, day) => (date >= first && date <= last ? [day] : []));
        if (inSpan.length > 0) {
          expect(series.spanStart, `${record.strategy} span start`).toBe(nth(inSpan, 0));
          expect(series.spanEnd, `${record.strategy} span end`).toBe(nth(inSpan, inSpan.length - 1));
        } else {
          expect(series.spanEnd, `${record.strategy} has no span`).toBeLessThan(series.spanStart);
        }
      });
    },
  );
});

describe('SPEC 7: metrics', () => {
  /** A calendar over several months and daily returns > -1 (with zeros, noise, and a -100 % day followed by zeros, as after a wipe-out). */
  const returnsWindowArb = fc
    .record({
      first: fc.noBias(fc.integer({ min: -800, max: 22000 })),
      gaps: fc.array(fc.noBias(fc.integer({ min: 1, max: 20 })), { minLength: 0, maxLength: 60 }),
    })
    .chain(({ first, gaps }) => {
      const calendar = [first];
      for (const gap of gaps) calendar.push(nth(calendar, calendar.length - 1) + gap);
      const n = calendar.length;
      return fc.record({
        calendar: fc.constant(calendar),
        returns: fc.array(
          fc.oneof(
            { weight: 2, arbitrary: fc.constant(0) },
            { weight: 1, arbitrary: fc.double({ min: -1e-12, max: 1e-12, noNaN: true }) },
            { weight: 6, arbitrary: uniform(-0.1, 0.1) },
            { weight: 1, arbitrary: uniform(-0.999, 1.5) },
          ),
          { minLength: n, maxLength: n },
        ),
        wipeout: fc.option(fc.nat({ max: n - 1 }), { nil: undefined }),
        window: fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })),
      });
    });

  test.prop([returnsWindowArb])(
    'totalReturn = prod(1 + R) - 1, maxDrawdown in [-1, 0], winRate in [0, 1] or null, monthly returns compound to totalReturn',
    ({ calendar, returns, wipeout, window }) => {
      const values = returns.map((value, day) => (wipeout === undefined || day < wipeout ? value : day === wipeout ? -1 : 0));
      const [first, last] = [Math.min(...window), Math.max(...window)];
      const metrics = computeMetrics(
        Float64Array.from(values),
        { calendar: Int32Array.from(calendar), months: calendarMonths(Int32Array.from(calendar)), first, last },
        { periodsPerYear: 252, riskFreeRate: 0 },
      );
      const inWindow = values.slice(first, last + 1);
      const dates = calendar.slice(first, last + 1);

      const growth = inWindow.reduce((product, value) => product * (1 + value), 1);
      check(closeFigure(metrics.totalReturn, growth - 1), () => `totalReturn ${metrics.totalReturn}, prod(1 + R) - 1 = ${growth - 1}`);

      check(metrics.maxDrawdown >= -1 && metrics.maxDrawdown <= 0, () => `maxDrawdown ${metrics.maxDrawdown} outside [-1, 0]`);
      let curve = 1;
      let peak = 1;
      let deepest = 0;
      for (const value of inWindow) {
        curve *= 1 + value;
        peak = Math.max(peak, curve);
        deepest = Math.min(deepest, curve / peak - 1);
      }
      check(closeFigure(metrics.maxDrawdown, deepest), () => `maxDrawdown ${metrics.maxDrawdown}, the curve's deepest fall is ${deepest}`);
      if (inWindow.includes(-1)) check(metrics.maxDrawdown === -1, () => `a -100 % day in the window but maxDrawdown ${metrics.maxDrawdown}`);

      const nonZero = inWindow.filter((value) => Math.abs(value) > ZERO);
      if (nonZero.length === 0) {
        expect(metrics.winRate).toBeNull();
      } else {
        const winRate = metrics.winRate;
        check(winRate !== null && winRate >= 0 && winRate <= 1, () => `winRate ${winRate} outside [0, 1]`);
        check(winRate === nonZero.filter((value) => value > ZERO).length / nonZero.length, () => `winRate ${winRate}, expected ${nonZero.filter((value) => value > ZERO).length} / ${nonZero.length}`);
      }
      expect(metrics.bestDay).toBe(Math.max(...inWindow));
      expect(metrics.worstDay).toBe(Math.min(...inWindow));

      // Months, independently of the project's date code.
      const monthOf = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 7);
      const months = [...new Set(dates.map(monthOf))];
      expect(Object.keys(metrics.monthlyReturns)).toEqual(months);
      let compounded = 1;
      for (const month of months) {
        const monthly = metrics.monthlyReturns[month] ?? NaN;
        const expected = inWindow.reduce((product, value, i) => (monthOf(nth(dates, i)) === month ? product * (1 + value) : product), 1) - 1;
        check(closeFigure(monthly, expected), () => `${month}: monthly return ${monthly}, its days compound to ${expected}`);
        compounded *= 1 + monthly;
      }
      check(closeFigure(compounded, 1 + metrics.totalReturn), () => `monthly returns compound to ${compounded - 1}, totalReturn ${metrics.totalReturn}`);
    },
  );

  test.prop([portfolioWithWipeoutsArb])('a strategy\'s totalReturn over its own span is the growth of its sleeve equity (-100 % on a wipe-out)', (portfolio) => {
    const { config } = portfolio;
    const { aligned, series, results } = runCore(portfolio);
    config.strategies.forEach((strategy, s) => {
      const { spanStart, spanEnd } = nth(aligned.series, s);
      const equity = nth(series.ledger.sleeves, s).equity;
      // Before its first date the strategy has no rows: its equity is still its allocation.
      const before = spanStart === 0 ? strategy.allocatedCapital : nth(equity, spanStart - 1);
      const growth = nth(equity, spanEnd) / before - 1;
      const metrics = results.metrics.strategies[strategy.name];
      check(metrics !== undefined && closeFigure(metrics.totalReturn, growth), () => `${strategy.name}: totalReturn ${metrics?.totalReturn}, sleeve equity grew ${growth} over days ${spanStart}-${spanEnd}`);
      check(metrics.maxDrawdown >= -1 && metrics.maxDrawdown <= 0, () => `${strategy.name}: maxDrawdown ${metrics.maxDrawdown}`);
      check(metrics.winRate === null || (metrics.winRate >= 0 && metrics.winRate <= 1), () => `${strategy.name}: winRate ${metrics.winRate}`);
    });
  });
});

// The day loop on its own, fed scaled series directly: it is what computeResults runs.
describe('SPEC 4: the day loop on scaled series', () => {
  test.prop([
    fc.array(
      fc.record({
        allocatedCapital: fc.integer({ min: 1, max: 1_000_000 }),
        returns: fc.array(fc.oneof(fc.constant(0), uniform(-0.2, 0.2), uniform(-3, -0.9)), { minLength: 1, maxLength: 30 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    fc.integer({ min: 0, max: 1_000_000 }),
  ])('compoundEquity: E_s(t) = max(0, E_s(t-1) * (1 + r)), account = sleeves + idle cash', (sleeves, extraCash) => {
    const days = Math.min(...sleeves.map((sleeve) => sleeve.returns.length));
    const strategies = sleeves.map((sleeve) => {
      const scaledReturn = Float64Array.from(sleeve.returns.slice(0, days));
      const units = Float64Array.from(scaledReturn, () => 1);
      return {
        allocatedCapital: sleeve.allocatedCapital,
        scaled: { impliedUnits: units, units, scaledMargin: units, scaledNotional: units, scaledReturn, unsizedReturn: new Uint8Array(days) },
        spanStart: 0,
        spanEnd: days - 1,
      };
    });
    const startingCapital = strategies.reduce((sum, strategy) => sum + strategy.allocatedCapital, 0) + extraCash;
    const calendar = Int32Array.from({ length: days }, (_, day) => 19_000 + day);
    const ledger = compoundEquity(strategies, [{ startingCapital, strategies: strategies.map((_, s) => s) }], calendar);
    strategies.forEach((strategy, s) => {
      const reference = referenceSleeve(strategy.allocatedCapital, strategy.scaled.scaledReturn);
      const sleeve = nth(ledger.sleeves, s);
      expect(sleeve.wipeoutDay).toBe(reference.wipeoutDay);
      for (let day = 0; day < days; day += 1) {
        check(closeDollars(nth(sleeve.equity, day), nth(reference.equity, day)), () => `sleeve ${s} day ${day}: ${nth(sleeve.equity, day)} vs ${nth(reference.equity, day)}`);
        check(nth(sleeve.units, day) === (nth(reference.trades, day) ? 1 : 0), () => `sleeve ${s} day ${day}: units ${nth(sleeve.units, day)} (trades: ${nth(reference.trades, day)})`);
      }
    });
    for (let day = 0; day < days; day += 1) {
      const sleevesSum = ledger.sleeves.reduce((sum, sleeve) => sum + nth(sleeve.equity, day), 0);
      check(closeDollars(nth(nth(ledger.accounts, 0).equity, day), sleevesSum + extraCash), () => `day ${day}: account equity`);
      check(nth(nth(ledger.accounts, 0).equity, day) >= extraCash - 1e-6, () => `day ${day}: account below its idle cash`);
    }
  });
});
