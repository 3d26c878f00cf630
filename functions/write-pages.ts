/** Stage Pages, one chunk of levels (a Map item): their tearsheets, charts inline, under the run's staged report. */
import { writePageChunk } from '#shared/pipeline/writePages.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { chunkItemSchema } from '#functions/commons/runEvents.ts';

export const handler = handlerFor(chunkItemSchema, ({ workPrefix, stagingPrefix, chunk }) =>
  writePageChunk(reportStorage(), { workPrefix, outputPrefix: stagingPrefix, chunk }),
);
