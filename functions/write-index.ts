/** Stage Pages, last: index.html and correlation.csv, once every chunk's charts and tearsheets are written. */
import { indexInputSchema, writeIndex } from '#shared/pipeline/writePages.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(indexInputSchema, (input) => writeIndex(reportStorage(), input));
