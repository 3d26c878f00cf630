/** The optimizer's last stage: optimizer.json and its page (with the path chart) in the run's report, copied to latest/. */
import { finishOptimizer } from '../shared/pipeline/finishOptimizer.js';
import { publishOptimizer } from '../shared/pipeline/optimize.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, async ({ workPrefix, reportPrefix }) => {
  const storage = reportStorage();
  const written = await finishOptimizer(storage, { workPrefix, outputPrefix: reportPrefix });
  return { ...written, published: await publishOptimizer(storage, reportPrefix) };
});
