/**
 * The state a run carries from stage to stage: the run's prefixes and each stage's small figures
 * (keys and counts, never the data). Each handler validates the part it reads.
 */
import { z } from 'zod';

export const runRequestSchema = z.object({
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  trigger: z.enum(['upload', 'schedule', 'manual']),
  command: z.enum(['run', 'optimize', 'unchanged']).default('run'),
  dataPrefix: z.string().min(1),
  workPrefix: z.string().min(1),
  /** Where the stages write the report; only a finished run copies it to `reportPrefix`. */
  stagingPrefix: z.string().min(1),
  reportPrefix: z.string().min(1),
  /** When the upload it reads was seen complete: `latest/` only moves to a later one. */
  uploadCompletedAt: z.iso.datetime({ offset: true }),
});

export const alignedSchema = z.object({ dates: z.number().int(), firstDate: z.number().int(), lastDate: z.number().int() });

/** What the publish step hands the notifier: whether this run moved `latest/`, and what it shows. */
export const publishedSchema = z.object({
  published: z.boolean(),
  latest: z.object({ runId: z.string(), report: z.string(), uploadCompletedAt: z.string(), publishedAt: z.string() }).nullable(),
});

/** The nightly notice's view of `incoming/`: still arriving since when, and the run of the last upload. */
export const incomingNoteSchema = z.object({ arrivingSince: z.string().nullable(), lastRunId: z.string().nullable() });

/** What the optimizer's last stage hands the notifier. */
export const optimizerFinishedSchema = z.object({ chosen: z.array(z.string()), keys: z.array(z.string()).min(1) });

/** What Step Functions' Catch puts at `$.error`. */
export const caughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });

/** One Map item of the Charts and Pages states: which chunk of levels, on which run's work folder. */
export const chunkItemSchema = z.object({ workPrefix: z.string().min(1), stagingPrefix: z.string().min(1), chunk: z.number().int().nonnegative() });

/** One Map item of the Scenarios state: which scenario, on which run's work folder. */
export const scenarioItemSchema = z.object({ workPrefix: z.string().min(1), index: z.number().int().nonnegative() });

/** The optimizer's loop state: start the search, or choose among the figures of a step's candidates. */
export const optimizerStepEventSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), workPrefix: z.string().min(1) }),
  z.object({
    action: z.literal('choose'),
    workPrefix: z.string().min(1),
    step: z.number().int().positive(),
    /** The step's candidates, as the S3 JSON list of items its Map read. */
    itemsKey: z.string().min(1),
  }),
]);

/** One Map item of an optimizer step: the chosen set plus this strategy. */
export const candidateItemSchema = z.object({
  workPrefix: z.string().min(1),
  step: z.number().int().positive(),
  strategy: z.number().int().nonnegative(),
});
