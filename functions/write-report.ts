/** Stage 4, Report: the three CSVs and summary.json under the run's report prefix. */
import { reportInputSchema, writeReport } from '#shared/pipeline/writeReport.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(reportInputSchema, (input) => writeReport(reportStorage(), input));
