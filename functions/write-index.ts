/** Stage Pages, last: index.html and correlation.csv, once every chunk's charts and tearsheets are written. */
import { writeIndex } from '../shared/pipeline/writePages.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) => writeIndex(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }));
