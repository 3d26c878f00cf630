/** After the report is sealed: `latest/run.json` points to it, if no run of a later upload got there first. */
import { z } from 'zod';
import { publishLatest } from '#shared/pipeline/publishLatest.ts';
import { clock } from '#functions/commons/clock.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#shared/pipeline/startRun.ts';
import { loadComparisonSchema } from '#shared/pipeline/stageOutputs.ts';

export const publishEventSchema = runRequestSchema.extend({
  command: z.enum(['run', 'optimize']).default('run'),
  /** Load+Validate's output: which published run the inputs were compared with (the run machine only). */
  load: loadComparisonSchema.optional(),
});

export const handler = handlerFor(publishEventSchema, ({ load, ...run }) => publishLatest(reportStorage(), { ...run, comparedWith: load?.comparedWith }, clock.now()));
