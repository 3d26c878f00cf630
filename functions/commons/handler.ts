/**
 * Every handler the same way: middy carries only the cross-cutting concerns (Powertools logger
 * context and metrics), and the event is validated with zod before the stage sees it.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics } from './powertools.ts';

export class InvalidEvent extends Error {
  override name = 'InvalidEvent';
}

export function handlerFor<Schema extends z.ZodType, Result>(
  schema: Schema,
  run: (event: z.output<Schema>, context: Context) => Promise<Result>,
) {
  const validated = async (event: unknown, context: Context): Promise<Result> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidEvent(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; '));
    }
    const result = await run(parsed.data, context);
    metrics.addMetric('Completed', MetricUnit.Count, 1);
    return result;
  };
  return middy(validated)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
