/**
 * Scales a strategy's daily position to whole increments within its capital (SPEC 3), and
 * its return and notional by the ratio of the scaled position to the developer's.
 */
import { floorWithTolerance, roundHalfEven } from '#shared/numbers.ts';
import type { StrategyConfig } from '#shared/config/schema.ts';
import { at } from '#shared/collections.ts';
import type { AlignedSeries } from './align.ts';
import { float64Columns, uint8Columns } from './columnSlab.ts';

export interface ScaledSeries {
  impliedUnits: Float64Array;
  /** Exact multiples of the increment as the arithmetic makes them (`3 * 0.1`); the CSV prints them to 10 decimals. */
  units: Float64Array;
  scaledMargin: Float64Array;
  scaledNotional: Float64Array;
  scaledReturn: Float64Array;
  /** 1 on a day with a return but no margin: sized at maxPositionScale and reported. */
  unsizedReturn: Uint8Array;
}

type Sizing = Pick<StrategyConfig, 'marginPerUnit' | 'minPosition' | 'increment' | 'allocatedCapital' | 'maxPositionScale'>;

/** Units to trade for one day's implied position. */
export function scaledUnits(implied: number, sizing: Sizing): number {
  const { marginPerUnit, minPosition, increment, allocatedCapital, maxPositionScale } = sizing;
  const target = implied * maxPositionScale;
  if (target === 0 || 2 * target < minPosition) return 0;
  let units = Math.max(minPosition, roundHalfEven(target / increment) * increment);
  if (units * marginPerUnit > allocatedCapital) {
    const affordable = allocatedCapital / marginPerUnit;
    units = affordable >= minPosition ? Math.max(minPosition, floorWithTolerance(affordable / increment) * increment) : 0;
  }
  return units;
}

/** Columns of `length` values for `count` strategies, one slab per kind (see `columnSlab.ts`). */
export function newScaledSeries(count: number, length: number): ScaledSeries[] {
  const impliedUnits = float64Columns(count, length);
  const units = float64Columns(count, length);
  const scaledMargin = float64Columns(count, length);
  const scaledNotional = float64Columns(count, length);
  const scaledReturn = float64Columns(count, length);
  const unsizedReturn = uint8Columns(count, length);
  return Array.from({ length: count }, (_, s) => ({
    impliedUnits: at(impliedUnits, s),
    units: at(units, s),
    scaledMargin: at(scaledMargin, s),
    scaledNotional: at(scaledNotional, s),
    scaledReturn: at(scaledReturn, s),
    unsizedReturn: at(unsizedReturn, s),
  }));
}

/** `scaled`: columns of the aligned series' length to write every day of. */
export function scalePositions(aligned: AlignedSeries, sizing: Sizing, scaled: ScaledSeries = at(newScaledSeries(1, aligned.returns.length), 0)): ScaledSeries {
  const length = aligned.returns.length;
  for (let day = 0; day < length; day += 1) {
    const dailyReturn = aligned.returns[day] ?? 0;
    const implied = (aligned.marginUsed[day] ?? 0) / sizing.marginPerUnit;
    const units = scaledUnits(implied, sizing);
    const unsized = implied === 0 && dailyReturn !== 0;
    const ratio = implied > 0 ? units / implied : unsized ? sizing.maxPositionScale : 0;
    scaled.impliedUnits[day] = implied;
    scaled.units[day] = units;
    scaled.scaledMargin[day] = units * sizing.marginPerUnit;
    scaled.scaledNotional[day] = (aligned.notional[day] ?? 0) * ratio;
    scaled.scaledReturn[day] = dailyReturn * ratio;
    scaled.unsizedReturn[day] = unsized ? 1 : 0;
  }
  return scaled;
}
