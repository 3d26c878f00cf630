/** Stage 4, Report: the three CSVs and summary.json under the run's report prefix. */
import { writeReport } from '#shared/pipeline/writeReport.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#functions/commons/runEvents.ts';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) =>
  writeReport(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }),
);
