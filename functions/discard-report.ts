/** On the way to the failure notice: what a failed run left under `runs/<runId>/report/` is removed (never a published report). */
import { discardReport } from '../shared/pipeline/runFolders.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, (run) => discardReport(reportStorage(), run));
