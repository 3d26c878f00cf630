/** Stage Charts, one chunk of levels (a Map item): the PNGs of its strategies and accounts (and the portfolio's), under the run's staged report. */
import { renderChartChunk } from '../shared/pipeline/renderCharts.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { chunkItemSchema } from './commons/runEvents.js';

export const handler = handlerFor(chunkItemSchema, ({ workPrefix, stagingPrefix, chunk }) =>
  renderChartChunk(reportStorage(), { workPrefix, outputPrefix: stagingPrefix, chunk }),
);

