/** Once every stage succeeded: the report is copied whole from the work folder to `runs/<runId>/report/`, and checked. */
import { sealReport } from '#shared/pipeline/runFolders.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#shared/pipeline/startRun.ts';

export const handler = handlerFor(runRequestSchema, (run) => sealReport(reportStorage(), run));
