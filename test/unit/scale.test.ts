/** SPEC 3 by hand: whole increments within capital, the half-even tie rule, unsized returns. */
import { describe, expect, it } from 'vitest';
import { scaledUnits, scalePositions } from '#shared/calc/scale.ts';
import { roundTo10Decimals } from '#shared/numbers.ts';

/** Units as the Scaled_Units column prints them. */
const printed = (units: number): number => roundTo10Decimals(units);

const contract = { marginPerUnit: 1000, minPosition: 1, increment: 1, allocatedCapital: 50_000, maxPositionScale: 0.5 };

describe('scaledUnits', () => {
  it('sends a tie to the even multiple: 2.5 units -> 2, 3.5 units -> 4 (tiny-hand strategy A)', () => {
    expect(scaledUnits(5, contract)).toBe(2);
    expect(scaledUnits(7, contract)).toBe(4);
  });

  it('rounds a non-tie to the nearest multiple', () => {
    expect(scaledUnits(5.2, contract)).toBe(3); // target 2.6
    expect(scaledUnits(4.8, contract)).toBe(2); // target 2.4
  });

  it('does not trade a target below half the minimum position, and takes the minimum from half of it', () => {
    const lots = { ...contract, minPosition: 4, increment: 2, maxPositionScale: 1 };
    expect(scaledUnits(1.99, lots)).toBe(0);
    expect(scaledUnits(2, lots)).toBe(4);
    expect(scaledUnits(0, lots)).toBe(0);
  });

  it('does not let 0.7 / 0.1 flip below 7 increments, and prints 3 * 0.1 as 0.3', () => {
    const forex = { marginPerUnit: 2000, minPosition: 0.1, increment: 0.1, allocatedCapital: 300_000, maxPositionScale: 1 };
    expect(printed(scaledUnits(0.7, forex))).toBe(0.7);
    expect(scaledUnits(0.3, forex)).toBe(3 * 0.1);
    expect(printed(scaledUnits(0.3, forex))).toBe(0.3);
    expect(printed(scaledUnits(0.25, forex))).toBe(0.2); // 2.5 increments: a tie, to the even 2
    expect(printed(scaledUnits(0.35, forex))).toBe(0.4); // 3.5 increments: a tie, to the even 4
  });

  it('caps the position at what the allocated capital affords, in whole increments', () => {
    const small = { marginPerUnit: 1000, minPosition: 1, increment: 1, allocatedCapital: 4_500, maxPositionScale: 1 };
    expect(scaledUnits(10, small)).toBe(4); // 4.5 affordable -> floor 4
    const exact = { ...small, allocatedCapital: 0.7 * 1000, minPosition: 0.1, increment: 0.1 };
    expect(printed(scaledUnits(2, exact))).toBe(0.7); // 0.7 / 0.1 is taken as 7, not 6.999...
  });

  it('trades nothing when the capital cannot afford the minimum position', () => {
    const tiny = { marginPerUnit: 1000, minPosition: 2, increment: 1, allocatedCapital: 1_500, maxPositionScale: 1 };
    expect(scaledUnits(5, tiny)).toBe(0);
  });
});

describe('scalePositions', () => {
  it('scales return and notional by units / implied, and margin as units * marginPerUnit (tiny-hand A on 2024-01-03)', () => {
    const scaled = scalePositions(
      { returns: Float64Array.of(-0.02), marginUsed: Float64Array.of(7000), notional: Float64Array.of(70_000), spanStart: 0, spanEnd: 0 },
      contract,
    );
    expect(scaled.impliedUnits[0]).toBe(7);
    expect(scaled.units[0]).toBe(4);
    expect(scaled.scaledMargin[0]).toBe(4000);
    expect(scaled.scaledNotional[0]).toBeCloseTo(40_000, 9);
    expect(scaled.scaledReturn[0]).toBeCloseTo(-0.011428571428571429, 15);
    expect(scaled.unsizedReturn[0]).toBe(0);
  });

  it('sizes a return with no margin at maxPositionScale and flags it as unsized', () => {
    const scaled = scalePositions(
      { returns: Float64Array.of(0.005, 0), marginUsed: Float64Array.of(0, 0), notional: Float64Array.of(12_345.67, 0), spanStart: 0, spanEnd: 1 },
      contract,
    );
    expect(scaled.scaledReturn[0]).toBe(0.0025);
    expect(scaled.scaledNotional[0]).toBe(6172.835);
    expect(scaled.units[0]).toBe(0);
    expect(Array.from(scaled.unsizedReturn)).toEqual([1, 0]);
  });

  it('gives a 75 % scale about 0.75 of the implied units and margin = units * marginPerUnit', () => {
    const forex = { marginPerUnit: 2000, minPosition: 0.1, increment: 0.1, allocatedCapital: 300_000, maxPositionScale: 0.75 };
    const margins = Float64Array.of(17_000, 21_000, 9_800, 30_000);
    const scaled = scalePositions(
      { returns: new Float64Array(4), marginUsed: margins, notional: new Float64Array(4), spanStart: 0, spanEnd: 3 },
      forex,
    );
    scaled.units.forEach((units, day) => {
      expect(Math.abs(units - (scaled.impliedUnits[day] ?? 0) * 0.75)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(scaled.scaledMargin[day]).toBeCloseTo(units * 2000, 9);
    });
    expect(Array.from(scaled.units, printed)).toEqual([6.4, 7.9, 3.7, 11.2]);
  });
});
