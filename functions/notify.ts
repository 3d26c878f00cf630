/**
 * The last state of every execution, and its one email: on success the summary with its alerts
 * (after `optimize`, the chosen set and its Sharpe in and out of sample), on failure (the state
 * machine's Catch) a notice with the errors, on a night without new data a short note. Each says
 * what `latest/` shows. A marker beside the run's report keeps a retried Notify from sending twice.
 */
import { PublishCommand, SNSServiceException } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { failureNotification, unchangedNotification, type Notification, type ReportLocation } from '#shared/report/notifications.ts';
import { latestSummary, readLatest } from '#shared/pipeline/publishLatest.ts';
import { optimizerRunNotification, runNotification, sendOnce, sentNotice } from '#shared/pipeline/runNotifications.ts';
import { reportStorage, s3Client, snsClient } from '#functions/commons/clients.ts';
import { clock } from '#functions/commons/clock.ts';
import { reportLink } from '#functions/commons/reportLink.ts';
import { OPTIMIZER_FILES, reportPaths } from '#shared/report/reportNames.ts';
import { requiredEnvironment } from '#functions/commons/environment.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { logger } from '#functions/commons/powertools.ts';
import { runRequestSchema } from '#shared/pipeline/startRun.ts';
import { alignedSchema, caughtErrorSchema, incomingNoteSchema, optimizerFinishedSchema, publishedSchema } from '#functions/commons/runEvents.ts';

export const notifyEventSchema = z.union([
  runRequestSchema.extend({ error: caughtErrorSchema, discardError: caughtErrorSchema.optional() }),
  runRequestSchema.extend({ command: z.literal('unchanged'), incoming: incomingNoteSchema }),
  runRequestSchema.extend({ optimizer: optimizerFinishedSchema, published: publishedSchema }),
  runRequestSchema.extend({ align: alignedSchema, published: publishedSchema }),
]);

/** SNS could not take the message now (throttling, a fault of its own, the network): the state machine retries on this name. */
export class NoticeUnavailable extends Error {
  override name = 'NoticeUnavailable';
}

export const handler = handlerFor(notifyEventSchema, async (event) => {
  const storage = reportStorage();
  const compose = async (): Promise<Notification> => {
    const latest = latestSummary((await readLatest(storage)).pointer);
    const publication = { latest, bucket: storage.bucket };
    if ('error' in event) return failureNotification(event.runId, caughtError(event.error), publication, event.discardError !== undefined);
    if ('incoming' in event) {
      const { arrivingSince, lastRunId } = event.incoming;
      const lastRun = lastRunId === null ? null : { runId: lastRunId, subject: (await sentNotice(storage, lastRunId))?.subject ?? null };
      return unchangedNotification(event.runId, publication, { arrivingSince, lastRun });
    }
    const location = async (page: string): Promise<ReportLocation> => ({
      report: `s3://${storage.bucket}/${event.reportPrefix}`,
      link: await reportLink(s3Client(), storage.bucket, `${event.reportPrefix}${page}`),
    });
    const published = { ...publication, published: event.published.published };
    if ('optimizer' in event) return optimizerRunNotification(storage, event, await location(OPTIMIZER_FILES.page), published);
    return runNotification(storage, event, await location(reportPaths.index), published);
  };
  const send = async ({ subject, message }: Notification): Promise<void> => {
    try {
      await snsClient().send(new PublishCommand({ TopicArn: requiredEnvironment('TOPIC_ARN'), Subject: subject, Message: message }));
    } catch (error) {
      throw transient(error) ? new NoticeUnavailable(`SNS ${(error as Error).name}: ${(error as Error).message}`, { cause: error }) : error;
    }
  };
  const outcome = await sendOnce(storage, event.runId, compose, send, clock.now, (error) =>
    logger.error('the notice was sent but its marker could not be written', { runId: event.runId, error: error as Error }),
  );
  return { runId: event.runId, ...outcome };
});

/** Throttling, SNS's own faults and network faults pass; a message SNS refuses does not, and is reported instead. */
function transient(error: unknown): boolean {
  if (error instanceof SNSServiceException) return error.$retryable !== undefined || (error.$metadata.httpStatusCode ?? 0) >= 500 || /Throttl/.test(error.name);
  const { name, code } = error as { name?: string; code?: string };
  return ['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED'].some((fault) => fault === name || fault === code);
}

/** Step Functions puts the Lambda's error as a JSON `Cause` ({errorType, errorMessage}); other states give plain text. */
function caughtError({ Error: type, Cause: cause }: z.output<typeof caughtErrorSchema>): { type: string; message: string } {
  try {
    const parsed = JSON.parse(cause ?? '') as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return { type: typeof parsed.errorType === 'string' ? parsed.errorType : type, message: parsed.errorMessage };
  } catch {
    // not JSON: the cause is the message itself
  }
  return { type, message: cause ?? type };
}
