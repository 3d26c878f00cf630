/** The allocation, rebalancing and rules of a part-B run (SPEC 9-12, 14), as the index states them. */
import type { PartBFacts } from './html/indexPage.ts';
import { formatUsd } from './formatting.ts';
import type { ReportSource } from './reportLevels.ts';

export function partBFacts({ validation, results }: Pick<ReportSource, 'validation' | 'results'>): PartBFacts {
  const { allocation, rebalance, limits } = validation.config;
  const partB = results.partB;
  const settings = [
    { label: 'Allocation', value: allocation.method === 'fixed' ? 'fixed (allocatedCapital of each strategy)' : `${allocation.method}, look-back ${allocation.lookbackDays} dates, weights ${allocation.minWeight} to ${allocation.maxWeight}, cash buffer ${allocation.cashBufferPct}%` + (allocation.method === 'kelly' ? `, Kelly fraction ${allocation.kellyFraction}` : '') },
    { label: 'Rebalancing', value: `${rebalance.frequency}${rebalance.band === null ? '' : `, band ${'absolute' in rebalance.band ? `absolute ${rebalance.band.absolute}` : `relative ${rebalance.band.relative}`}`}, cost ${rebalance.costBps} bps` },
    { label: 'Rebalances', value: partB === null ? '' : `${partB.rebalances.count} (${partB.rebalances.byTrigger.calendar} calendar, ${partB.rebalances.byTrigger.band} band), total cost ${formatUsd(partB.rebalances.totalCost)}` },
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
