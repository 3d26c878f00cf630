/** After the report is sealed: `latest/run.json` points to it, if no run of a later upload got there first. */
import { z } from 'zod';
import { publishLatest } from '../shared/pipeline/publishLatest.js';
import { clock } from './commons/clock.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const publishEventSchema = runRequestSchema.extend({ command: z.enum(['run', 'optimize']).default('run') });

export const handler = handlerFor(publishEventSchema, (run) => publishLatest(reportStorage(), run, clock.now()));
