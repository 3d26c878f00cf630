/**
 * The allocation, rebalancing and rules of a part-B run (SPEC 9-12, 14), as the index states
 * them, and the capital a sleeve received and gave back, as its tearsheet states it (SPEC 15.1).
 */
import type { Rebalance } from '#shared/calc/compound.ts';
import type { PartBFacts } from './html/indexPage.ts';
import { countOf, formatCount, formatUsd } from './formatting.ts';
import type { ReportSource } from './reportLevels.ts';

/**
 * The rebalances in words, counted as costConservation counts its allocations less each
 * account's initial one, so the page, the terminal and the email agree with the check:
 * "238 after the 2 initial allocations (238 calendar, 0 band), total cost $1,234.56".
 */
export function rebalancesText({ partB, checks }: Pick<ReportSource['results'], 'partB' | 'checks'>): string {
  if (partB === null) return '';
  const { count, byTrigger, totalCost } = partB.rebalances;
  const initial = (checks.costConservation?.rebalances ?? count) - count;
  return `${formatCount(count)} after the ${countOf(initial, 'initial allocation')} (${byTrigger.calendar} calendar, ${byTrigger.band} band), total cost ${formatUsd(totalCost)}`;
}

export function partBFacts({ validation, results }: Pick<ReportSource, 'validation' | 'results'>): PartBFacts {
  const { allocation, rebalance, limits } = validation.config;
  const partB = results.partB;
  const settings = [
    { label: 'Allocation', value: allocation.method === 'fixed' ? 'fixed (allocatedCapital of each strategy)' : `${allocation.method}, look-back ${allocation.lookbackDays} dates, weights ${allocation.minWeight} to ${allocation.maxWeight}, cash buffer ${allocation.cashBufferPct}%` + (allocation.method === 'kelly' ? `, Kelly fraction ${allocation.kellyFraction}` : '') },
    { label: 'Rebalancing', value: `${rebalance.frequency}${rebalance.band === null ? '' : `, band ${'absolute' in rebalance.band ? `absolute ${rebalance.band.absolute}` : `relative ${rebalance.band.relative}`}`}, cost ${rebalance.costBps} bps` },
    { label: 'Rebalances', value: rebalancesText(results) },
    {
      label: 'Limits',
      value:
        Object.entries(limits)
          .filter(([, value]) => value !== null)
          .map(([key, value]) => `${key} ${String(value)}`)
          .join(', ') || 'none',
    },
  ];
  if (partB?.riskParityFallbacks !== undefined) settings.push({ label: 'Risk-parity fallbacks', value: `${partB.riskParityFallbacks.length} rebalance(s) fell back to inverse volatility` });
  if (partB?.blockedEntries !== undefined) {
    const blocked = Object.entries(partB.blockedEntries);
    settings.push({ label: 'Blocked entries', value: blocked.length === 0 ? 'none' : blocked.map(([name, { count }]) => `${name} ${count}`).join(', ') });
  }
  return { settings, limits: partB?.limits ?? null };
}

/**
 * The capital moved into and out of a sleeve over the run, from the rebalance log: each move's
 * `equityAfter - equityBefore` is SPEC 15.1's transfer on its date (the first allocation from 0),
 * so `in + out` is the sleeve's inception `transfersUsd`.
 */
export function sleeveTransfers(strategy: number, rebalances: readonly Rebalance[]): { inUsd: number; outUsd: number; moves: number } {
  let inUsd = 0;
  let outUsd = 0;
  let moves = 0;
  for (const rebalance of rebalances) {
    for (const move of rebalance.moves) {
      if (move.strategy !== strategy) continue;
      const transfer = move.equityAfter - move.equityBefore;
      if (transfer > 0) inUsd += transfer;
      else outUsd += transfer;
      if (transfer !== 0) moves += 1;
    }
  }
  return { inUsd, outUsd, moves };
}
