/**
 * The state a run carries from stage to stage: the run's prefixes and each stage's small figures
 * (keys and counts, never the data). Each handler validates the part it reads.
 */
import { z } from 'zod';

export const runRequestSchema = z.object({
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  trigger: z.enum(['upload', 'schedule', 'manual']),
  dataPrefix: z.string().min(1),
  workPrefix: z.string().min(1),
  reportPrefix: z.string().min(1),
});

export const alignedSchema = z.object({ dates: z.number().int(), firstDate: z.number().int(), lastDate: z.number().int() });

export const compoundedSchema = z.object({
  finalEquity: z.object({
    strategies: z.record(z.string(), z.number()),
    accounts: z.record(z.string(), z.number()),
    portfolio: z.number(),
  }),
  failedChecks: z.array(z.string()),
  wipeouts: z.number().int(),
});

/** What Step Functions' Catch puts at `$.error`. */
export const caughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });
