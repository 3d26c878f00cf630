/** The optimizer's last stage: optimizer.json and its page (with the path chart), written to the run's staged report. */
import { finishOptimizer, finishOptimizerInputSchema } from '#shared/pipeline/finishOptimizer.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(finishOptimizerInputSchema, (input) => finishOptimizer(reportStorage(), input));
