/** Stage 3, Compound+Reconcile: the day loop, every check on every date, the metrics. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { compoundAndReconcile, compoundInputSchema } from '#shared/pipeline/compoundAndReconcile.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { metrics } from '#functions/commons/powertools.ts';

export const handler = handlerFor(compoundInputSchema, async (input) => {
  const output = await compoundAndReconcile(reportStorage(), input, Number(process.env['INLINE_MAP_LIMIT'] ?? '40'));
  metrics.addMetric('FailedChecks', MetricUnit.Count, output.failedChecks.length);
  metrics.addMetric('Wipeouts', MetricUnit.Count, output.wipeouts);
  return output;
});
