/** Stage Pages, one chunk of levels (a Map item): their tearsheets, charts inline, under the run's staged report. */
import { writePageChunk } from '../shared/pipeline/writePages.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { chunkItemSchema } from './commons/runEvents.js';

export const handler = handlerFor(chunkItemSchema, ({ workPrefix, stagingPrefix, chunk }) =>
  writePageChunk(reportStorage(), { workPrefix, outputPrefix: stagingPrefix, chunk }),
);
