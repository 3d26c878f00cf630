/** Stage 3, Compound+Reconcile: the day loop, every check on every date, the metrics. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { compoundAndReconcile } from '../shared/pipeline/compoundAndReconcile.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { metrics } from './commons/powertools.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, async ({ workPrefix }) => {
  const output = await compoundAndReconcile(reportStorage(), { workPrefix, inlineLimit: Number(process.env['INLINE_MAP_LIMIT'] ?? '40') });
  metrics.addMetric('FailedChecks', MetricUnit.Count, output.failedChecks.length);
  metrics.addMetric('Wipeouts', MetricUnit.Count, output.wipeouts);
  return output;
});
