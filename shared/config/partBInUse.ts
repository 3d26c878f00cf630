/**
 * Part B is in use (SPEC 14) when a resolved allocation or rebalance setting differs from its
 * default, a limit is set, or there are scenarios. Otherwise a run writes exactly part A's files.
 * The optimizer section alone does not put part B in use.
 */
import { DEFAULT_ALLOCATION, DEFAULT_REBALANCE } from './partBSchema.ts';
import type { PortfolioConfig } from './schema.ts';

export function partBInUse(config: PortfolioConfig): boolean {
  const differs = (value: object, defaults: object): boolean => JSON.stringify(value) !== JSON.stringify(defaults);
  return (
    differs(config.allocation, DEFAULT_ALLOCATION) ||
    differs(config.rebalance, DEFAULT_REBALANCE) ||
    Object.values(config.limits).some((value) => value !== null) ||
    config.scenarios.length > 0
  );
}
