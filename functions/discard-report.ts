/** On the way to the failure notice: what a failed run left under `runs/<runId>/report/` is removed (never a published report). */
import { discardReport } from '#shared/pipeline/runFolders.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#shared/pipeline/startRun.ts';

export const handler = handlerFor(runRequestSchema, (run) => discardReport(reportStorage(), run));
