/**
 * The part-B sections of the config (SPEC 14): how capital is allocated, when it is moved and
 * at what cost, which portfolio rules must hold, the strategy-subset optimizer and scenarios.
 */
import { z } from 'zod';
import { parseDate } from '#shared/dates.ts';

export const ALLOCATION_METHODS = ['fixed', 'equal', 'inverseVolatility', 'riskParity', 'kelly'] as const;
export const REBALANCE_FREQUENCIES = ['none', 'weekly', 'monthly', 'quarterly', 'annually'] as const;

const positive = z.number().gt(0);
const positiveOrNull = positive.nullable().default(null);

export const allocationSchema = z.object({
  method: z.enum(ALLOCATION_METHODS).default('fixed'),
  lookbackDays: z.number().int().min(2).default(63),
  kellyFraction: positive.default(0.5),
  minWeight: z.number().min(0).max(1).default(0),
  maxWeight: z.number().gt(0).max(1).default(1),
  cashBufferPct: z.number().min(0).lt(100).default(0),
});

export const bandSchema = z.union([z.strictObject({ absolute: positive }), z.strictObject({ relative: positive })]);

export const rebalanceSchema = z.object({
  frequency: z.enum(REBALANCE_FREQUENCIES).default('none'),
  band: bandSchema.nullable().default(null),
  costBps: z.number().min(0).lt(10_000).default(0),
});

export const limitsSchema = z.object({
  maxLeverage: positiveOrNull,
  maxConcurrentPositions: z.number().int().min(1).nullable().default(null),
  dailyStopLossUsd: positiveOrNull,
  drawdownBreachUsd: positiveOrNull,
  maxConcentrationPct: positiveOrNull,
});

/** An ISO date that exists, whatever `dateFormat` says (the optimizer's split is not read from a CSV). */
export const isoDateText = z.string().refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && parseDate(text, 'YYYY-MM-DD').ok, {
  message: 'must be a date written YYYY-MM-DD that exists',
});

export const optimizerSchema = z.object({
  objective: z.enum(['sharpe']).default('sharpe'),
  maxDrawdownUsd: positiveOrNull,
  maxBreachEvents: z.number().int().min(0).nullable().default(null),
  /** null: as many as there are strategies. */
  maxStrategies: z.number().int().min(1).nullable().default(null),
  inSampleEnd: isoDateText.nullable().default(null),
});

export const SCENARIO_OVERRIDE_KEYS = ['allocation', 'rebalance', 'limits'] as const;

export const scenarioSchema = z.object({
  name: z.string().min(1),
  overrides: z.record(z.string(), z.unknown()).default({}),
});

export type AllocationConfig = z.output<typeof allocationSchema>;
export type RebalanceConfig = z.output<typeof rebalanceSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
export type OptimizerConfig = z.output<typeof optimizerSchema>;
export type ScenarioConfig = z.output<typeof scenarioSchema>;
export type AllocationMethod = AllocationConfig['method'];
export type RebalanceFrequency = RebalanceConfig['frequency'];

export const DEFAULT_ALLOCATION: AllocationConfig = allocationSchema.parse({});
export const DEFAULT_REBALANCE: RebalanceConfig = rebalanceSchema.parse({});

/** The part-B sections of a config that has none: part A exactly. */
export const PART_B_DEFAULTS = {
  allocation: DEFAULT_ALLOCATION,
  rebalance: DEFAULT_REBALANCE,
  limits: limitsSchema.parse({}),
  scenarios: [] as ScenarioConfig[],
};
