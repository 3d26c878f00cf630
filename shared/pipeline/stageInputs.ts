/**
 * The parts a stage's input is made of, as the state machine hands them over (keys and indexes,
 * never data): the run's work folder, where the report is staged, a Map item's index. Each stage
 * declares its input schema beside it from these; its handler validates the event with that
 * schema, and the stage's input type is the schema's.
 */
import { z } from 'zod';

/** A stage that reads and writes the run's work folder only. */
export const workInputSchema = z.object({ workPrefix: z.string().min(1) });

/** A stage that writes report files, under the staging prefix that only a finished run publishes. */
export const stagingInputSchema = workInputSchema.extend({
  /** Where the stages write the report: the cloud copies it to `runs/<runId>/report/`, the command to its output folder. */
  stagingPrefix: z.string().min(1),
});

/** A Map item's index: which scenario, chunk of levels, candidate. */
export const itemIndex = z.number().int().nonnegative();

/** One Map item of the Charts and Pages states: which chunk of levels, on which run's work folder. */
export const chunkInputSchema = stagingInputSchema.extend({ chunk: itemIndex });
