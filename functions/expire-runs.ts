/** After each run's notice: run folders older than the retention are deleted, never the one `latest/` points to. */
import { expireRuns } from '../shared/pipeline/runFolders.js';
import { clock } from './commons/clock.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, async () => {
  const { expired, kept } = await expireRuns(reportStorage(), clock.now(), Number(process.env['RUN_RETENTION_DAYS'] ?? '90'));
  return { expired: expired.length, kept };
});
