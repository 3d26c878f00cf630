/** Stage Pages, last: index.html and correlation.csv, once every chunk's charts and tearsheets are written. */
import { writeIndex } from '#shared/pipeline/writePages.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#functions/commons/runEvents.ts';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) => writeIndex(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }));
