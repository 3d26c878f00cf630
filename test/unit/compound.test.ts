/** SPEC 4 by hand: compounding, idle cash, wipe-outs, returns from equity, utilization and leverage. */
import { describe, expect, it } from 'vitest';
import { compoundEquity, newLedger } from '#shared/calc/compound.ts';
import { percentOf, ratioTo, returnsFromEquity } from '#shared/calc/performance.ts';
import { aligned, consecutiveDays, sleeve, strategy } from '#test/support/series.ts';

describe('compoundEquity', () => {
  it('compounds each sleeve on its own capital and adds idle cash to the account (tiny-hand)', () => {
    const a = strategy({ allocatedCapital: 50_000, maxPositionScale: 0.5 });
    const b = strategy({ marginPerUnit: 500, minPosition: 0.5, increment: 0.5, allocatedCapital: 30_000 });
    const ledger = compoundEquity(
      [
        sleeve(a, aligned([0.01, -0.02, 0, 0.005], [5000, 7000, 0, 0])),
        sleeve(b, aligned([0.02, 0, -0.01, 0], [1000, 0, 750, 0])),
      ],
      [{ startingCapital: 100_000, strategies: [0, 1] }],
      consecutiveDays(4),
    );
    expect(Array.from(ledger.sleeves[0]?.equity ?? [])).toEqual([50_200, 49_626.28571428571, 49_626.28571428571, 49_750.35142857142]);
    expect(Array.from(ledger.sleeves[1]?.equity ?? [])).toEqual([30_600, 30_600, 30_294, 30_294]);
    expect(Array.from(ledger.accounts[0]?.equity ?? [])).toEqual([100_800, 100_226.28571428571, 99_920.28571428571, 100_044.35142857142]);
    expect(Array.from(ledger.accounts[0]?.cash ?? [])).toEqual([20_000, 20_000, 20_000, 20_000]);
    expect(Array.from(ledger.portfolio.marginUsed)).toEqual([3000, 4000, 750, 0]);
  });

  it('wipes a sleeve out on the day it loses everything; from the next day it trades no more', () => {
    const leveraged = strategy({ allocatedCapital: 10_000, maxPositionScale: 3, minPosition: 1, increment: 1 });
    const ledger = compoundEquity(
      [sleeve(leveraged, aligned([0.1, -0.4, 0.2, 0.3], [1000, 1000, 1000, 1000]))],
      [{ startingCapital: 25_000, strategies: [0] }],
      consecutiveDays(4),
    );
    const wiped = ledger.sleeves[0];
    expect(wiped?.wipeoutDay).toBe(1);
    expect(Array.from(wiped?.equity ?? [])).toEqual([13_000, 0, 0, 0]);
    expect(Array.from(wiped?.scaledReturn ?? [])).toEqual([0.30000000000000004, -1.2000000000000002, 0, 0]);
    expect(Array.from(wiped?.sleeveReturn ?? [])).toEqual([0.30000000000000004, -1, 0, 0]);
    expect(Array.from(wiped?.units ?? [])).toEqual([3, 3, 0, 0]);
    expect(Array.from(wiped?.margin ?? [])).toEqual([3000, 3000, 0, 0]);
    expect(Array.from(wiped?.marginUtilization ?? [])).toEqual([30, 30, 0, 0]);
    expect(Array.from(ledger.accounts[0]?.equity ?? [])).toEqual([28_000, 15_000, 15_000, 15_000]);
  });

  it("gives each sleeve columns of its own, the calendar's length (the ledger's columns share one buffer per kind)", () => {
    const ledger = newLedger(3, 1, 4);
    ledger.sleeves[1]?.equity.fill(7);
    ledger.sleeves[1]?.traded.fill(1);
    expect(ledger.sleeves.map((own) => Array.from(own.equity))).toEqual([[0, 0, 0, 0], [7, 7, 7, 7], [0, 0, 0, 0]]);
    expect(ledger.sleeves.map((own) => Array.from(own.traded))).toEqual([[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]]);
    expect(newLedger(3, 1, 4, false).sleeves.map((own) => [own.margin.length, own.units.length])).toEqual([[4, 0], [4, 0], [4, 0]]);
  });

  it('keeps an account without strategies at its starting capital', () => {
    const ledger = compoundEquity([], [{ startingCapital: 50_000, strategies: [] }], consecutiveDays(3));
    expect(Array.from(ledger.accounts[0]?.equity ?? [])).toEqual([50_000, 50_000, 50_000]);
    expect(Array.from(ledger.portfolio.equity)).toEqual([50_000, 50_000, 50_000]);
  });
});

describe('account and portfolio columns', () => {
  it('takes returns from equity, starting from the starting capital, and 0 after an equity of 0', () => {
    expect(Array.from(returnsFromEquity(Float64Array.of(100_800, 100_226.28571428571), 100_000))).toEqual([
      0.008000000000000007, -0.005691609977324319,
    ]);
    expect(Array.from(returnsFromEquity(Float64Array.of(0, 0, 10), 5))).toEqual([-1, 0, 0]);
  });

  it('shows 100,000 of margin in a 600,000 account as 16.67 % utilization', () => {
    const utilization = percentOf(Float64Array.of(100_000), 600_000)[0] ?? 0;
    expect(utilization.toFixed(2)).toBe('16.67');
  });

  it('measures portfolio utilization and leverage against the capital actually allocated', () => {
    expect(Array.from(percentOf(Float64Array.of(3000), 80_000))).toEqual([3.75]);
    expect(Array.from(ratioTo(Float64Array.of(30_000), 80_000))).toEqual([0.375]);
  });
});
