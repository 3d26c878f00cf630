/** After every stage succeeded: `latest/` becomes this run's report. */
import { publishLatest } from '../shared/pipeline/publishLatest.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ runId, reportPrefix }) => publishLatest(reportStorage(), runId, reportPrefix));
