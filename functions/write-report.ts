/** Stage 4, Report: the three CSVs and summary.json under the run's report prefix. */
import { writeReport } from '../shared/pipeline/writeReport.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) =>
  writeReport(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }),
);
