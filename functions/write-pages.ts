/** Stage Pages, one chunk of levels (a Map item): their tearsheets, charts inline, under the run's staged report. */
import { pagesInputSchema, writePageChunk } from '#shared/pipeline/writePages.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(pagesInputSchema, (item) => writePageChunk(reportStorage(), item));
