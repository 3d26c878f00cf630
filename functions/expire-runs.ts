/** After each run's notice: run folders older than the retention are deleted, never the one `latest/` points to. */
import { expireRuns } from '#shared/pipeline/runFolders.ts';
import { clock } from '#functions/commons/clock.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#shared/pipeline/startRun.ts';

export const handler = handlerFor(runRequestSchema, async () => {
  const { expired, kept } = await expireRuns(reportStorage(), clock.now(), Number(process.env['RUN_RETENTION_DAYS'] ?? '90'));
  return { expired: expired.length, kept };
});
