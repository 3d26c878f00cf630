/** Small builders for hand-computed cases: a strategy's aligned series and its sizing. */
import type { AlignedSeries } from '#shared/calc/align.ts';
import type { LoopStrategy } from '#shared/calc/compound.ts';
import { scalePositions, type ScaledSeries } from '#shared/calc/scale.ts';
import type { StrategyConfig } from '#shared/config/schema.ts';
import { dayNumber } from '#shared/dates.ts';

export function aligned(returns: number[], marginUsed: number[], notional: number[] = marginUsed.map((m) => m * 10)): AlignedSeries {
  return {
    returns: Float64Array.from(returns),
    marginUsed: Float64Array.from(marginUsed),
    notional: Float64Array.from(notional),
    spanStart: 0,
    spanEnd: returns.length - 1,
  };
}

export function strategy(overrides: Partial<StrategyConfig> = {}): StrategyConfig {
  return {
    name: 'S',
    account: 'Main',
    marginPerUnit: 1000,
    minPosition: 1,
    increment: 1,
    allocatedCapital: 50_000,
    maxPositionScale: 1,
    ...overrides,
  };
}

export function scaled(config: StrategyConfig, series: AlignedSeries): ScaledSeries {
  return scalePositions(series, config);
}

/** Day numbers of ISO dates. */
export function days(...isoDates: string[]): Int32Array {
  return Int32Array.from(isoDates, (iso) => {
    const [year, month, day] = iso.split('-').map(Number);
    return dayNumber(year ?? 0, month ?? 0, day ?? 0);
  });
}

/** A strategy as the day loop takes it: its sizing, scaled series and span. */
export function sleeve(config: StrategyConfig, series: AlignedSeries): LoopStrategy {
  return { allocatedCapital: config.allocatedCapital, scaled: scaled(config, series), spanStart: series.spanStart, spanEnd: series.spanEnd };
}

/** `count` consecutive dates from 2024-01-01. */
export function consecutiveDays(count: number): Int32Array {
  const first = dayNumber(2024, 1, 1);
  return Int32Array.from({ length: count }, (_, i) => first + i);
}
