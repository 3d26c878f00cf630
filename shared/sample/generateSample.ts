/**
 * The sample data set: three strategies from a seeded generator, as the original plan's
 * sample-data maker described them, and the portfolio.json that combines them.
 *
 * - Calendar: weekdays (Monday to Friday) of the last `calendarDays` calendar days up to
 *   2025-12-31, so every strategy ends on the same date and starts on its own.
 * - Returns: `mean + volatility * z * m`, z standard normal (Box-Muller on two uniforms),
 *   m = `fatTailMultiplier` with probability `fatTailProbability`, else 1; rounded to 6 decimals.
 * - Positions: `typicalUnits * (0.5 + u)`, u uniform in [0, 1), rounded to the increment and
 *   at least the minimum; margin = units * marginPerUnit; notional = margin * baseNotional / baseMargin.
 * - Randomness: pure-rand's xoroshiro128+ seeded with `seed`; strategy i draws from the
 *   generator jumped i + 1 times (2^64 steps each), so the strategies are independent streams.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { dayNumber, isoDate } from '#shared/dates.ts';
import { roundTo10Decimals } from '#shared/numbers.ts';

export interface SampleStrategy {
  name: string;
  calendarDays: number;
  meanReturn: number;
  volatility: number;
  fatTailProbability: number;
  fatTailMultiplier: number;
  baseNotional: number;
  baseMargin: number;
  marginPerUnit: number;
  minPosition: number;
  increment: number;
  typicalUnits: number;
  account: string;
  allocatedCapital: number;
  maxPositionScale: number;
}

export interface SampleAccount {
  name: string;
  startingCapital: number;
}

export const SAMPLE_END_DATE = '2025-12-31';
export const DEFAULT_SEED = 42;

export const SAMPLE_ACCOUNTS: readonly SampleAccount[] = [
  { name: 'IBKR Main', startingCapital: 600_000 },
  { name: 'Futures Account', startingCapital: 400_000 },
];

export const SAMPLE_STRATEGIES: readonly SampleStrategy[] = [
  {
    name: 'SPX_Condors',
    calendarDays: 3650,
    meanReturn: 0.00035,
    volatility: 0.011,
    fatTailProbability: 0.03,
    fatTailMultiplier: 2.2,
    baseNotional: 5_500_000,
    baseMargin: 50_000,
    marginPerUnit: 5_000,
    minPosition: 1,
    increment: 1,
    typicalUnits: 10,
    account: 'IBKR Main',
    allocatedCapital: 200_000,
    maxPositionScale: 1.0,
  },
  {
    name: 'Forex_Trend',
    calendarDays: 1460,
    meanReturn: 0.00045,
    volatility: 0.018,
    fatTailProbability: 0.04,
    fatTailMultiplier: 2.1,
    baseNotional: 850_000,
    baseMargin: 17_000,
    marginPerUnit: 2_000,
    minPosition: 0.1,
    increment: 0.1,
    typicalUnits: 8.5,
    account: 'Futures Account',
    allocatedCapital: 300_000,
    maxPositionScale: 0.75,
  },
  {
    name: 'Gold_Breakout',
    calendarDays: 2555,
    meanReturn: 0.0004,
    volatility: 0.016,
    fatTailProbability: 0.03,
    fatTailMultiplier: 2.0,
    baseNotional: 425_000,
    baseMargin: 41_000,
    marginPerUnit: 8_200,
    minPosition: 1,
    increment: 1,
    typicalUnits: 5,
    account: 'IBKR Main',
    allocatedCapital: 150_000,
    maxPositionScale: 0.8,
  },
];

export interface SampleFiles {
  /** File name to text: one CSV per strategy and `portfolio.json`. */
  files: Map<string, string>;
}

export function generateSample(
  seed: number = DEFAULT_SEED,
  strategies: readonly SampleStrategy[] = SAMPLE_STRATEGIES,
): SampleFiles {
  const files = new Map<string, string>();
  const generator = xoroshiro128plus(seed);
  for (const strategy of strategies) {
    generator.jump();
    files.set(`${strategy.name}.csv`, trackRecordCsv(strategy, generator.clone()));
  }
  files.set('portfolio.json', `${JSON.stringify(sampleConfig(SAMPLE_ACCOUNTS, strategies), null, 2)}\n`);
  return { files };
}

function trackRecordCsv(strategy: SampleStrategy, random: RandomGenerator): string {
  const end = dayNumber(...endDateParts());
  const leverage = strategy.baseNotional / strategy.baseMargin;
  const lines = ['Date,Return,Margin_Used,Notional_Value'];
  for (let day = end - strategy.calendarDays + 1; day <= end; day += 1) {
    if (!isWeekday(day)) continue;
    const shock = standardNormal(random) * (uniformFloat64(random) < strategy.fatTailProbability ? strategy.fatTailMultiplier : 1);
    const dailyReturn = roundTo(strategy.meanReturn + strategy.volatility * shock, 6);
    const units = Math.max(
      strategy.minPosition,
      roundTo10Decimals(Math.round((strategy.typicalUnits * (0.5 + uniformFloat64(random))) / strategy.increment) * strategy.increment),
    );
    const margin = roundTo(units * strategy.marginPerUnit, 2);
    lines.push(`${isoDate(day)},${dailyReturn},${margin},${roundTo(margin * leverage, 2)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** portfolio.json for these accounts and strategies, with the sample's thresholds, union alignment and ISO dates. */
export function sampleConfig(accounts: readonly SampleAccount[], strategies: readonly SampleStrategy[]): Record<string, unknown> {
  return {
    accounts,
    strategies: strategies.map(({ name, account, marginPerUnit, minPosition, increment, allocatedCapital, maxPositionScale }) => ({
      name,
      account,
      marginPerUnit,
      minPosition,
      increment,
      allocatedCapital,
      maxPositionScale,
    })),
    thresholds: { driftTolerance: 0.05, reconciliationToleranceUsd: 1, marginUtilizationAlertPct: { account: 80, portfolio: 80 } },
    alignment: 'union',
    dateFormat: 'YYYY-MM-DD',
  };
}

function endDateParts(): [number, number, number] {
  const [year, month, day] = SAMPLE_END_DATE.split('-').map(Number);
  return [year ?? 0, month ?? 0, day ?? 0];
}

function isWeekday(day: number): boolean {
  // 1970-01-01 was a Thursday.
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
  return weekday < 5;
}

/** Box-Muller: two uniforms make one standard normal draw. */
function standardNormal(random: RandomGenerator): number {
  const u1 = 1 - uniformFloat64(random); // (0, 1]: the logarithm stays finite
  const u2 = uniformFloat64(random);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function roundTo(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}
