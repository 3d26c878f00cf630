/** After the report is sealed: `latest/run.json` points to it, if no run of a later upload got there first. */
import { z } from 'zod';
import { publishLatest } from '#shared/pipeline/publishLatest.ts';
import { clock } from '#functions/commons/clock.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#shared/pipeline/startRun.ts';

export const publishEventSchema = runRequestSchema.extend({ command: z.enum(['run', 'optimize']).default('run') });

export const handler = handlerFor(publishEventSchema, (run) => publishLatest(reportStorage(), run, clock.now()));
