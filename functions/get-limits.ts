/**
 * `GET /api/portfolio/limits` behind API Gateway (REST API, Lambda proxy integration, IAM
 * authorization): the latest successful run's limits.json, a 404 saying why there is none, a
 * 405 for any other method, a 502 with a message (never a stack trace) when S3 cannot be read.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { limitsResponse, limitsUnreadable, methodNotAllowed, readLatestLimits } from '#shared/report/limitsResponse.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { logger } from '#functions/commons/powertools.ts';

/** What the handler reads of API Gateway's proxy event; the rest is left alone. */
export const limitsRequestSchema = z.object({
  httpMethod: z.string().min(1),
  path: z.string(),
  requestContext: z.object({
    requestId: z.string().min(1),
    identity: z.object({ userArn: z.string().nullable(), sourceIp: z.string() }),
  }),
});

/** Compile-time: every APIGatewayProxyEvent has what the schema reads, with these types. */
type Accepts<Schema, Value extends Schema> = Value;
export type ProxyEventFitsSchema = Accepts<z.input<typeof limitsRequestSchema>, APIGatewayProxyEvent>;

export const handler = handlerFor(limitsRequestSchema, async (event): Promise<APIGatewayProxyResult> => {
  const { requestId, identity } = event.requestContext;
  if (event.httpMethod !== 'GET') return methodNotAllowed(event.httpMethod);
  try {
    const response = limitsResponse(await readLatestLimits(reportStorage()));
    logger.info('limits requested', { statusCode: response.statusCode, caller: identity.userArn, sourceIp: identity.sourceIp });
    return response;
  } catch (error) {
    logger.error('could not read the latest limits.json', { requestId, caller: identity.userArn, error: error as Error });
    return limitsUnreadable(requestId);
  }
});
