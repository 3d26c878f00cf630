/** A limits.json as a run writes it, for the limits endpoint's tests (pure and against S3). */
import type { LimitsReport } from '#shared/calc/partBResults.ts';

export const LIMITS: LimitsReport = {
  date: '2024-12-31',
  equity: 1_234_567.89,
  maxExposure: 3_000_000,
  currentExposure: 1_850_000.5,
  availableExposure: 1_149_999.5,
  exposureUtilizationPct: 61.66668333333333,
  perStrategy: {
    ES_Trend: { budget: 600_000, used: 84_000, available: 516_000, utilizationPct: 14 },
    NQ_MeanRev: { budget: 0, used: 0, available: 0, utilizationPct: null },
  },
  config: { maxLeverage: 3, maxConcurrentPositions: null, dailyStopLossUsd: 25_000, drawdownBreachUsd: null, maxConcentrationPct: null },
};
/** As writeReport writes it. */
export const LIMITS_TEXT = `${JSON.stringify(LIMITS, null, 2)}\n`;
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const bodyOf = (response: { body: string }): Record<string, unknown> => JSON.parse(response.body) as Record<string, unknown>;
