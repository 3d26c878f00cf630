/**
 * The portfolio config (SPEC 1.2, with part C's keys of section 21) as a zod schema: what each
 * key may hold and its default. Cross-key rules (unique names, known accounts, allocations
 * within capital) live in `validateConfig.ts`, because they must be reported even when other
 * keys are wrong.
 */
import { z } from 'zod';
import { DATE_FORMATS } from '#shared/dates.ts';
import { benchmarkSchema } from './benchmarkSchema.ts';
import { monteCarloFields, monteCarloSchema } from './monteCarloSchema.ts';
import { allocationSchema, limitsSchema, optimizerSchema, rebalanceSchema, scenarioSchema } from './partBSchema.ts';

const positive = z.number().gt(0);
const nonNegative = z.number().min(0);
const name = z.string().min(1);

export const accountSchema = z.object({
  name,
  startingCapital: positive,
});

export const strategySchema = z.object({
  name,
  account: name,
  marginPerUnit: positive,
  minPosition: positive,
  increment: positive,
  allocatedCapital: positive,
  maxPositionScale: positive,
});

const alertLevelsSchema = z.object({
  account: nonNegative.default(80),
  portfolio: nonNegative.default(80),
});

export const thresholdsSchema = z.object({
  driftTolerance: nonNegative.default(0.05),
  reconciliationToleranceUsd: nonNegative.default(1),
  marginUtilizationAlertPct: z
    .union([nonNegative, alertLevelsSchema])
    .default({ account: 80, portfolio: 80 })
    .transform((value) => (typeof value === 'number' ? { account: value, portfolio: value } : value)),
  /** SPEC 19.1: null turns the freshness check off. */
  staleAfterWeekdays: z.number().int().min(1).nullable().default(5),
});

export const metricsSchema = z.object({
  periodsPerYear: positive.default(252),
  riskFreeRate: z.number().gt(-1).default(0),
});

/** SPEC 16.2: the trailing window of the risk attribution, in calendar dates. */
export const attributionSchema = z.object({
  riskWindowDays: z.number().int().min(2).default(63),
});

export const configSchema = z.object({
  accounts: z.array(accountSchema).min(1),
  strategies: z.array(strategySchema).min(1),
  thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
  alignment: z.enum(['union', 'intersection']).default('union'),
  dateFormat: z.enum(DATE_FORMATS).default('YYYY-MM-DD'),
  maxFileSizeBytes: z.number().int().gt(0).default(100 * 1024 * 1024),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  allocation: allocationSchema.default(allocationSchema.parse({})),
  rebalance: rebalanceSchema.default(rebalanceSchema.parse({})),
  limits: limitsSchema.default(limitsSchema.parse({})),
  /** Only when the config has one: `optimize` uses the defaults otherwise. */
  optimizer: optimizerSchema.optional(),
  scenarios: z.array(scenarioSchema).default([]),
  attribution: attributionSchema.default(attributionSchema.parse({})),
  /** SPEC 17: only when the config has one (null is not set, as for the limits). */
  benchmark: benchmarkSchema
    .nullable()
    .transform((benchmark) => benchmark ?? undefined)
    .optional(),
  /** SPEC 20: the forward-risk bootstrap, only when set. */
  monteCarlo: monteCarloSchema.optional(),
});

export type PortfolioConfig = z.output<typeof configSchema>;
export type AccountConfig = PortfolioConfig['accounts'][number];
export type StrategyConfig = PortfolioConfig['strategies'][number];

/** The keys each object of the config may hold; anything else is an `unknownConfigKey` warning. */
export const knownKeys = {
  top: Object.keys(configSchema.shape),
  account: Object.keys(accountSchema.shape),
  strategy: Object.keys(strategySchema.shape),
  thresholds: Object.keys(thresholdsSchema.shape),
  alertLevels: Object.keys(alertLevelsSchema.shape),
  metrics: Object.keys(metricsSchema.shape),
  allocation: Object.keys(allocationSchema.shape),
  rebalance: Object.keys(rebalanceSchema.shape),
  limits: Object.keys(limitsSchema.shape),
  optimizer: Object.keys(optimizerSchema.shape),
  scenario: Object.keys(scenarioSchema.shape),
  attribution: Object.keys(attributionSchema.shape),
  benchmark: Object.keys(benchmarkSchema.shape),
  monteCarlo: Object.keys(monteCarloFields.shape),
} as const;
