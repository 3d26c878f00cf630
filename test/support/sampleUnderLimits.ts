/**
 * The bundled sample under part-B limits it breaks (issue 13's part-B case): risk parity, monthly
 * rebalancing and five rules, so the banner and the email have failing rules to name.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_DATA } from './paths.ts';

export const SAMPLE_FOLDER = SAMPLE_DATA;

/** Copies the sample into `data` with its config under those limits. */
export function writeSampleUnderLimits(data: string): void {
  cpSync(SAMPLE_FOLDER, data, { recursive: true });
  const config = JSON.parse(readFileSync(join(SAMPLE_FOLDER, 'portfolio.json'), 'utf8')) as Record<string, unknown>;
  config.allocation = { method: 'riskParity', lookbackDays: 63 };
  config.rebalance = { frequency: 'monthly', costBps: 10 };
  config.limits = { maxLeverage: 3, dailyStopLossUsd: 5000, drawdownBreachUsd: 20000, maxConcentrationPct: 40, maxConcurrentPositions: 2 };
  writeFileSync(join(data, 'portfolio.json'), JSON.stringify(config));
}
