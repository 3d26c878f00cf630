/** The optimizer's last stage: optimizer.json and its page (with the path chart), written to the run's staged report. */
import { finishOptimizer } from '#shared/pipeline/finishOptimizer.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#functions/commons/runEvents.ts';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) => finishOptimizer(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }));
