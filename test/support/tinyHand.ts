/** SPEC 5's tiny-hand ledger (two strategies, one account, four dates), sound, for tests to break. */
import { compoundEquity } from '#shared/calc/compound.ts';
import { percentOf } from '#shared/calc/performance.ts';
import type { ReconcileInput } from '#shared/calc/reconcile.ts';
import { configSchema } from '#shared/config/schema.ts';
import { aligned, days, scaled, strategy } from './series.ts';

const calendar = days('2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05');

export function tinyHand(alertPct = 80): ReconcileInput {
  const a = strategy({ name: 'A', allocatedCapital: 50_000, maxPositionScale: 0.5 });
  const b = strategy({ name: 'B', marginPerUnit: 500, minPosition: 0.5, increment: 0.5, allocatedCapital: 30_000 });
  const config = configSchema.parse({
    accounts: [{ name: 'Main', startingCapital: 100_000 }],
    strategies: [a, b],
    thresholds: { marginUtilizationAlertPct: alertPct },
  });
  const series = [scaled(a, aligned([0.01, -0.02, 0, 0.005], [5000, 7000, 0, 0])), scaled(b, aligned([0.02, 0, -0.01, 0], [1000, 0, 750, 0]))];
  const ledger = compoundEquity(
    [
      { allocatedCapital: a.allocatedCapital, scaled: series[0]!, spanStart: 0, spanEnd: 3 },
      { allocatedCapital: b.allocatedCapital, scaled: series[1]!, spanStart: 0, spanEnd: 3 },
    ],
    [{ startingCapital: 100_000, strategies: [0, 1] }],
    calendar,
  );
  return {
    config,
    calendar,
    accountStrategies: [[0, 1]],
    scaled: series,
    ledger,
    accountUtilization: [percentOf(ledger.accounts[0]!.marginUsed, 100_000)],
    portfolioUtilization: percentOf(ledger.portfolio.marginUsed, 80_000),
  };
}

