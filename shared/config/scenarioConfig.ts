/**
 * A scenario's config (SPEC 13): its overrides merged into the allocation, rebalance and limits
 * sections as a JSON Merge Patch and resolved again. Merging into the resolved sections gives what
 * merging into the written ones gives: a key removed by `null` comes back as its default either way.
 */
import { mergePatch } from './mergePatch.ts';
import { allocationSchema, limitsSchema, rebalanceSchema, type ScenarioConfig } from './partBSchema.ts';
import type { PortfolioConfig } from './schema.ts';

export function scenarioConfig(config: PortfolioConfig, scenario: ScenarioConfig): PortfolioConfig {
  const merged = mergePatch({ allocation: config.allocation, rebalance: config.rebalance, limits: config.limits }, scenario.overrides) as Record<string, unknown>;
  return {
    ...config,
    allocation: allocationSchema.parse(merged['allocation'] ?? {}),
    rebalance: rebalanceSchema.parse(merged['rebalance'] ?? {}),
    limits: limitsSchema.parse(merged['limits'] ?? {}),
  };
}
