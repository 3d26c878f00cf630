/** Stage Pages: the tearsheets, index.html and correlation.csv, charts inline. */
import { writePages } from '../shared/pipeline/writePages.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) =>
  writePages(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }),
);
