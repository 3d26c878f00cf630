/**
 * The parts of an execution's state that no stage takes as its input, for the handlers that read
 * them (the notifier, the publisher): what earlier states left, taken from the schemas of the
 * stages that leave them. The run request and each stage's input schema sit beside the stage in
 * shared/pipeline/.
 */
import { z } from 'zod';
import { publishOutcomeSchema } from '#shared/pipeline/publishLatest.ts';
import { alignOutputSchema, finishOptimizerOutputSchema } from '#shared/pipeline/stageOutputs.ts';

/** The calendar Align+Scale found (`$.align`), for the notice. */
export const alignedSchema = alignOutputSchema.pick({ dates: true, firstDate: true, lastDate: true });

/** What the publish step hands the notifier: whether this run moved `latest/`, and what it shows. */
export const publishedSchema = publishOutcomeSchema;

/** The nightly notice's view of `incoming/`: still arriving since when, and the run of the last upload. */
export const incomingNoteSchema = z.object({ arrivingSince: z.string().nullable(), lastRunId: z.string().nullable() });

/** What the optimizer's last stage hands the notifier (`$.optimizer`). */
export const optimizerFinishedSchema = finishOptimizerOutputSchema;

/** What Step Functions' Catch puts at `$.error`. */
export const caughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });
