/** Once every stage succeeded: the report is copied whole from the work folder to `runs/<runId>/report/`, and checked. */
import { sealReport } from '../shared/pipeline/runFolders.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, (run) => sealReport(reportStorage(), run));
