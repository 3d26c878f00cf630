/**
 * fast-check arbitraries for the property tests of SPEC 2-5 and 7: random valid portfolios
 * (1-3 accounts, 1-5 strategies with valid sizing, allocations within each account's
 * capital) with random aligned daily series, plus the small helpers the properties share
 * (tolerances, an independent reference of the day loop, the core pipeline run in memory).
 *
 * Everything here is independent of the code under test except the functions driven by
 * `runCore`; the reference models are written from the SPEC's text, not from the code.
 */
import { PART_B_DEFAULTS } from '#shared/config/partBSchema.ts';
import { fc } from '@fast-check/vitest';
import { alignTrackRecords, type AlignedData } from '#shared/calc/align.ts';
import { scalePositions, type ScaledSeries } from '#shared/calc/scale.ts';
import type { PortfolioConfig, StrategyConfig } from '#shared/config/schema.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { computeResults, type Results } from '#shared/model/results.ts';
import type { RunSeries } from '#shared/model/runSeries.ts';

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

/** Index access that throws instead of yielding undefined (noUncheckedIndexedAccess). */
export function nth<T>(items: ArrayLike<T>, index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} outside a list of ${items.length}`);
  return item;
}

/** SPEC preamble: a dollar cell agrees within 1e-6 absolute or 1e-9 relative. */
export function closeDollars(actual: number, expected: number): boolean {
  const difference = Math.abs(actual - expected);
  return difference <= 1e-6 || difference <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected));
}

/** SPEC preamble: any other cell agrees within 1e-12 absolute or 1e-9 relative. */
export function closeFigure(actual: number, expected: number): boolean {
  const difference = Math.abs(actual - expected);
  return difference <= 1e-12 || difference <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected));
}

/** Throws a readable message (fast-check prints it with the counterexample and the seed). */
export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}

const STEPS = 2 ** 31 - 1;

/**
 * A number spread evenly over [min, max]. (`fc.double` leans hard on edge values such as
 * subnormals, so most draws would be ~0; the edge cases are added explicitly instead.)
 */
export function uniform(min: number, max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.integer({ min: 0, max: STEPS })).map((k) => Math.min(max, Math.max(min, min + ((max - min) * k) / STEPS)));
}

/** A positive number spread evenly over the orders of magnitude of [min, max]. */
export function logUniform(min: number, max: number): fc.Arbitrary<number> {
  return uniform(Math.log10(min), Math.log10(max)).map((exponent) => Math.min(max, Math.max(min, 10 ** exponent)));
}

/** A decimal written the way a person writes it in the config: `units * 10^-places`. */
export interface Decimal {
  units: number;
  places: number;
}

export function decimalValue({ units, places }: Decimal): number {
  return Number(`${units}e-${places}`);
}

/** `k * d` as the decimal it stands for (`7 * 0.1` is `0.7`, not `0.7000000000000001`). */
export function decimalTimes(k: number, d: Decimal): number {
  return decimalValue({ units: k * d.units, places: d.places });
}

// ---------------------------------------------------------------------------------------
// Sizing (SPEC 1.2, 3)
// ---------------------------------------------------------------------------------------

export type Sizing = Pick<StrategyConfig, 'marginPerUnit' | 'minPosition' | 'increment' | 'allocatedCapital' | 'maxPositionScale'>;

/** Increments as a developer writes them: the usual ones, and random decimals with up to 3 places. */
export const incrementArb: fc.Arbitrary<Decimal> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Decimal>(
    { units: 1, places: 0 },
    { units: 1, places: 1 },
    { units: 5, places: 1 },
    { units: 25, places: 2 },
    { units: 1, places: 2 },
    { units: 5, places: 2 },
    { units: 2, places: 0 },
    { units: 10, places: 0 },
    { units: 3, places: 1 },
    { units: 7, places: 1 },
  ) },
  { weight: 1, arbitrary: fc.record({ units: fc.noBias(fc.integer({ min: 1, max: 999 })), places: fc.noBias(fc.integer({ min: 0, max: 3 })) }) },
);

export const marginPerUnitArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(1, 10, 250, 1000, 5000, 12500),
  logUniform(0.01, 20000),
);

/** maxPositionScale in (0, 3]. */
export const maxPositionScaleArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0.25, 0.5, 0.75, 1, 1.5, 2, 3),
  uniform(0.001, 3),
  logUniform(0.001, 3),
);

/** The developer's part of the sizing: marginPerUnit, increment, minPosition a whole multiple of it. */
export interface DeveloperSizing {
  marginPerUnit: number;
  increment: Decimal;
  minMultiple: number;
}

export const developerSizingArb: fc.Arbitrary<DeveloperSizing> = fc.record({
  marginPerUnit: marginPerUnitArb,
  increment: incrementArb,
  minMultiple: fc.noBias(fc.integer({ min: 1, max: 5 })),
});

/**
 * A complete sizing on its own (for the scale properties): the capital affords between 0
 * and ~300 units, so the affordability rule binds on some draws and not on others.
 */
export const sizingArb: fc.Arbitrary<Sizing & { incrementDecimal: Decimal }> = fc
  .record({
    developer: developerSizingArb,
    maxPositionScale: maxPositionScaleArb,
    affordableUnits: fc.oneof(uniform(0.01, 12), logUniform(0.01, 300)),
  })
  .map(({ developer, maxPositionScale, affordableUnits }) => ({
    marginPerUnit: developer.marginPerUnit,
    increment: decimalValue(developer.increment),
    incrementDecimal: developer.increment,
    minPosition: decimalTimes(developer.minMultiple, developer.increment),
    allocatedCapital: affordableUnits * developer.marginPerUnit,
    maxPositionScale,
  }));

/** Implied units for a sizing: zeros, tiny values, values around half the minimum, and up to ~3x the affordable position. */
export function impliedArb(sizing: Sizing): fc.Arbitrary<number> {
  const affordable = sizing.allocatedCapital / sizing.marginPerUnit;
  const scale = sizing.maxPositionScale;
  const most = (3 * Math.max(affordable, sizing.minPosition)) / scale;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.constantFrom(5e-324, 1e-300, 1e-12, 1e-9) },
    { weight: 1, arbitrary: logUniform(1e-12, 1e-4) },
    // Around half the minimum position, where "too small to trade" starts.
    { weight: 3, arbitrary: uniform(0, (1.2 * sizing.minPosition) / scale) },
    { weight: 4, arbitrary: uniform(0, most) },
    { weight: 4, arbitrary: logUniform(Math.min(most, sizing.minPosition / scale / 4), most) },
  );
}

// ---------------------------------------------------------------------------------------
// Portfolios with daily series (SPEC 1, 2)
// ---------------------------------------------------------------------------------------

export interface GeneratedPortfolio {
  config: PortfolioConfig;
  /** The raw config a user would write (for validateConfig). */
  raw: unknown;
  /** Per strategy, in config order; dates ascending and unique. */
  records: TrackRecord[];
}

/** A daily return > -1: zeros, ordinary days, and now and then an extreme loss or gain. */
export const dailyReturnArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: uniform(-0.03, 0.03) },
  { weight: 1, arbitrary: fc.constantFrom(1e-13, -1e-13, 5e-324) },
  { weight: 1, arbitrary: uniform(-0.999999, -0.4) },
  { weight: 1, arbitrary: fc.constantFrom(-0.5, -0.9, -0.99, -0.999999999) },
  { weight: 1, arbitrary: uniform(0.3, 2) },
);

export const notionalArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: logUniform(1e-12, 1e-6) },
  { weight: 3, arbitrary: uniform(0, 5e6) },
);

/** Margin_Used: zeros, tiny values, and a spread around what the sizing trades. */
export function marginArb(sizing: Sizing): fc.Arbitrary<number> {
  return impliedArb(sizing).chain((implied) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(implied * sizing.marginPerUnit) },
      { weight: 1, arbitrary: logUniform(1e-15, 1e-9) },
    ),
  );
}

/** A sorted calendar universe: a first day (before and after 1970) and 1-45 dates 1-4 days apart. */
export const universeArb: fc.Arbitrary<number[]> = fc
  .record({
    first: fc.noBias(fc.integer({ min: -800, max: 22000 })),
    gaps: fc.array(fc.noBias(fc.integer({ min: 1, max: 4 })), { minLength: 0, maxLength: 44 }),
  })
  .map(({ first, gaps }) => {
    const days = [first];
    for (const gap of gaps) days.push(nth(days, days.length - 1) + gap);
    return days;
  });

interface StrategyShape {
  accountPick: number;
  weight: number;
  developer: DeveloperSizing;
  maxPositionScale: number;
}

interface PortfolioShape {
  capitals: number[];
  /** Per account: 1 means fully allocated (idle cash 0), otherwise the fraction allocated. */
  fills: number[];
  strategies: StrategyShape[];
  universe: number[];
  commonIndex: number;
  alignment: 'union' | 'intersection';
  reconciliationToleranceUsd: number;
  driftTolerance: number;
  alert: { account: number; portfolio: number };
  riskFreeRate: number;
  staleAfterWeekdays: number | null;
  riskWindowDays: number;
}

const portfolioShapeArb: fc.Arbitrary<PortfolioShape> = fc
  .record({
    capitals: fc.array(logUniform(1000, 3_000_000).map(Math.round), { minLength: 1, maxLength: 3 }),
    fills: fc.array(fc.oneof(fc.constant(1), uniform(0.05, 0.99)), { minLength: 3, maxLength: 3 }),
    strategies: fc.array(
      fc.record({
        accountPick: fc.nat(),
        weight: fc.noBias(fc.integer({ min: 1, max: 20 })),
        developer: developerSizingArb,
        maxPositionScale: maxPositionScaleArb,
      }),
      { minLength: 1, maxLength: 5 },
    ),
    universe: universeArb,
    commonIndex: fc.nat(),
    alignment: fc.constantFrom<'union' | 'intersection'>('union', 'intersection'),
    reconciliationToleranceUsd: fc.constantFrom(0, 0.01, 1),
    driftTolerance: fc.constantFrom(0, 0.05, 0.5),
    alert: fc.record({ account: uniform(0, 150), portfolio: uniform(0, 150) }),
    riskFreeRate: fc.constantFrom(0, 0.03, -0.2),
    staleAfterWeekdays: fc.constantFrom(null, 1, 5),
    riskWindowDays: fc.integer({ min: 2, max: 50 }),
  })
  .map((shape) => ({ ...shape, commonIndex: shape.commonIndex % shape.universe.length }));

/** Allocations in whole dollars, so the sum never exceeds the account's capital by a rounding. */
function allocate(shape: PortfolioShape): { accountOf: number[]; allocations: number[] } {
  const accountOf = shape.strategies.map((strategy) => strategy.accountPick % shape.capitals.length);
  const allocations = shape.strategies.map(() => 0);
  shape.capitals.forEach((capital, a) => {
    const members = accountOf.flatMap((owner, s) => (owner === a ? [s] : []));
    if (members.length === 0) return;
    const fill = nth(shape.fills, a);
    const totalWeight = members.reduce((sum, s) => sum + nth(shape.strategies, s).weight, 0);
    let used = 0;
    members.forEach((s, position) => {
      const share = Math.max(1, Math.floor((capital * Math.min(fill, 0.99) * nth(shape.strategies, s).weight) / totalWeight));
      const amount = fill === 1 && position === members.length - 1 ? capital - used : share;
      allocations[s] = amount;
      used += amount;
    });
  });
  return { accountOf, allocations };
}

interface DayValues {
  include: boolean;
  ret: number;
  margin: number;
  notional: number;
}

function strategySeriesArb(sizing: Sizing, days: number): fc.Arbitrary<DayValues[]> {
  return fc.array(
    fc.record({
      include: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      ret: dailyReturnArb,
      margin: marginArb(sizing),
      notional: notionalArb,
    }),
    { minLength: days, maxLength: days },
  );
}

/** See `portfolioArb`: the most increments a sleeve's capital affords. */
export const MAX_AFFORDABLE_INCREMENTS = 1e6;

/** A random valid portfolio with aligned-able track records (SPEC 1.1, 1.2). */
export const portfolioArb: fc.Arbitrary<GeneratedPortfolio> = portfolioShapeArb.chain((shape) => {
  const { accountOf, allocations } = allocate(shape);
  const sizings: Sizing[] = shape.strategies.map((strategy, s) => ({
    // At most a million increments affordable: beyond that, `units / increment` of a whole
    // number of increments is no longer within SPEC 5.4's absolute 1e-9 of an integer in
    // double arithmetic (n * 0.082 / 0.082 for n ~ 2.7e7 is off by 4e-9), whatever the code.
    marginPerUnit: Math.max(strategy.developer.marginPerUnit, nth(allocations, s) / (decimalValue(strategy.developer.increment) * MAX_AFFORDABLE_INCREMENTS)),
    increment: decimalValue(strategy.developer.increment),
    minPosition: decimalTimes(strategy.developer.minMultiple, strategy.developer.increment),
    allocatedCapital: nth(allocations, s),
    maxPositionScale: strategy.maxPositionScale,
  }));
  return fc
    .tuple(...sizings.map((sizing) => strategySeriesArb(sizing, shape.universe.length)))
    .map((series) => buildPortfolio(shape, accountOf, sizings, series));
});

function buildPortfolio(shape: PortfolioShape, accountOf: number[], sizings: Sizing[], series: DayValues[][]): GeneratedPortfolio {
  const accountNames = shape.capitals.map((_, a) => `Account ${a + 1}`);
  const raw = {
    accounts: shape.capitals.map((startingCapital, a) => ({ name: nth(accountNames, a), startingCapital })),
    strategies: sizings.map((sizing, s) => ({
      name: `S${s + 1}`,
      account: nth(accountNames, nth(accountOf, s)),
      marginPerUnit: sizing.marginPerUnit,
      minPosition: sizing.minPosition,
      increment: sizing.increment,
      allocatedCapital: sizing.allocatedCapital,
      maxPositionScale: sizing.maxPositionScale,
    })),
    thresholds: {
      driftTolerance: shape.driftTolerance,
      reconciliationToleranceUsd: shape.reconciliationToleranceUsd,
      marginUtilizationAlertPct: shape.alert,
      staleAfterWeekdays: shape.staleAfterWeekdays,
    },
    alignment: shape.alignment,
    dateFormat: 'YYYY-MM-DD' as const,
    maxFileSizeBytes: 104857600,
    metrics: { periodsPerYear: 252, riskFreeRate: shape.riskFreeRate },
    ...PART_B_DEFAULTS,
    attribution: { riskWindowDays: shape.riskWindowDays },
  };
  const config: PortfolioConfig = {
    ...raw,
    thresholds: { ...raw.thresholds, marginUtilizationAlertPct: { ...shape.alert } },
  };
  const records = series.map((days, s): TrackRecord => {
    // Every strategy has the common date, so `intersection` always has a calendar.
    const kept = days.flatMap((day, index) => (day.include || index === shape.commonIndex ? [{ ...day, date: nth(shape.universe, index) }] : []));
    const name = `S${s + 1}`;
    return {
      strategy: name,
      file: `${name}.csv`,
      rows: kept.length,
      sha256: '',
      dates: Int32Array.from(kept, (day) => day.date),
      returns: Float64Array.from(kept, (day) => day.ret),
      marginUsed: Float64Array.from(kept, (day) => day.margin),
      notional: Float64Array.from(kept, (day) => day.notional),
    };
  });
  return { config, raw, records };
}

// ---------------------------------------------------------------------------------------
// The core, run in memory, and an independent reference of the day loop
// ---------------------------------------------------------------------------------------

export interface CoreRun {
  aligned: AlignedData;
  scaled: ScaledSeries[];
  series: RunSeries;
  results: Results;
}

/** Align (SPEC 2), scale (3), then compound, derive, reconcile and measure (4, 5, 7), as the pipeline does. */
export function runCore(portfolio: GeneratedPortfolio): CoreRun {
  const aligned = alignTrackRecords(portfolio.records, portfolio.config.alignment);
  const scaled = portfolio.config.strategies.map((strategy, s) => scalePositions(nth(aligned.series, s), strategy));
  const { series, results } = computeResults(portfolio.config, { aligned, scaled });
  return { aligned, scaled, series, results };
}

/** Per account, the strategy indexes in config order. */
export function membersOf(config: PortfolioConfig): number[][] {
  return config.accounts.map((account) => config.strategies.flatMap((strategy, s) => (strategy.account === account.name ? [s] : [])));
}

/** `startingCapital - sum of allocatedCapital` of the account's strategies (SPEC 4). */
export function idleCashOf(config: PortfolioConfig): number[] {
  return membersOf(config).map(
    (members, a) => nth(config.accounts, a).startingCapital - members.reduce((sum, s) => sum + nth(config.strategies, s).allocatedCapital, 0),
  );
}

export interface ReferenceSleeve {
  equity: number[];
  /** Calendar index of the wipe-out, -1 when none. */
  wipeoutDay: number;
  /** Whether the sleeve trades that day (every day up to and including its wipe-out). */
  trades: boolean[];
}

/** SPEC 4, sleeve by sleeve, from the scaled returns alone. */
export function referenceSleeve(allocatedCapital: number, scaledReturn: Float64Array): ReferenceSleeve {
  const equity: number[] = [];
  const trades: boolean[] = [];
  let previous = allocatedCapital;
  let wipeoutDay = -1;
  for (let day = 0; day < scaledReturn.length; day += 1) {
    if (wipeoutDay !== -1) {
      equity.push(0);
      trades.push(false);
      continue;
    }
    const current = Math.max(0, previous * (1 + nth(scaledReturn, day)));
    if (previous > 0 && current === 0) wipeoutDay = day;
    equity.push(current);
    trades.push(true);
    previous = current;
  }
  return { equity, wipeoutDay, trades };
}
