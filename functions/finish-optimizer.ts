/** The optimizer's last stage: optimizer.json and its page (with the path chart), written to the run's staged report. */
import { finishOptimizer } from '../shared/pipeline/finishOptimizer.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) => finishOptimizer(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }));
