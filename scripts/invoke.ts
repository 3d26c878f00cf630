/**
 * Invokes one handler of functions/ in this process with a sample event, the way Lambda would:
 *   AWS_ENDPOINT_URL=http://127.0.0.1:5000 BUCKET_NAME=my-bucket npx tsx scripts/invoke.ts load-validate events/load-validate.json
 * Point AWS_ENDPOINT_URL at moto_server or LocalStack (or leave it unset for real AWS credentials).
 */
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';

/** A Lambda context good enough for middy and Powertools outside Lambda. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env['AWS_REGION'] ?? 'us-east-1'}:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `local-${functionName}-${Date.now()}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 300_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function main(handlerFile: string | undefined, eventFile: string | undefined): Promise<void> {
  if (handlerFile === undefined || eventFile === undefined) {
    process.stderr.write('usage: npx tsx scripts/invoke.ts <handler, e.g. load-validate> <event.json>\n');
    process.exitCode = 2;
    return;
  }
  const { handler } = (await import(`../functions/${handlerFile}.ts`)) as { handler: (event: unknown, context: Context) => Promise<unknown> };
  const result = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), lambdaContext(handlerFile));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv[2], process.argv[3]);
