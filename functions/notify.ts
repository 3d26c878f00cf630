/**
 * The last state of every run: on success the summary and an alert per failed check or wipe-out
 * (after `optimize`, the chosen set and its Sharpe in and out of sample), on failure (the state
 * machine's Catch) a notice with the errors. Published to the SNS topic.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { failureNotification, type Notification, type ReportLocation } from '../shared/report/notifications.js';
import { optimizerRunNotification, runNotifications } from '../shared/pipeline/runNotifications.js';
import { LATEST_PREFIX } from '../shared/pipeline/runId.js';
import { reportStorage, s3Client, snsClient } from './commons/clients.js';
import { reportLink } from './commons/reportLink.js';
import { OPTIMIZER_FILES, reportPaths } from '../shared/report/reportNames.js';
import { requiredEnvironment } from './commons/environment.js';
import { handlerFor } from './commons/handler.js';
import { alignedSchema, caughtErrorSchema, compoundedSchema, optimizerFinishedSchema, runRequestSchema } from './commons/runEvents.js';

export const notifyEventSchema = z.union([
  runRequestSchema.extend({ error: caughtErrorSchema }),
  runRequestSchema.extend({ optimizer: optimizerFinishedSchema }),
  runRequestSchema.extend({ align: alignedSchema, compound: compoundedSchema }),
]);

export const handler = handlerFor(notifyEventSchema, async (event) => {
  const storage = reportStorage();
  const location = async (page: string): Promise<ReportLocation> => ({
    report: `s3://${storage.bucket}/${event.reportPrefix}`,
    latest: `s3://${storage.bucket}/${LATEST_PREFIX}`,
    link: await reportLink(s3Client(), storage.bucket, `${event.reportPrefix}${page}`),
  });
  let notifications: Notification[];
  if ('error' in event) notifications = [failureNotification(event.runId, caughtError(event.error))];
  else if ('optimizer' in event) notifications = [await optimizerRunNotification(storage, event, await location(OPTIMIZER_FILES.page))];
  else notifications = await runNotifications(storage, event, await location(reportPaths.index));
  const topicArn = requiredEnvironment('TOPIC_ARN');
  for (const { subject, message } of notifications) {
    await snsClient().send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
  }
  return { runId: event.runId, sent: notifications.map(({ subject }) => subject) };
});

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
