/** Stage Charts: the PNGs of every strategy, account and the portfolio, under the run's report prefix. */
import { renderCharts } from '../shared/pipeline/renderCharts.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ workPrefix, stagingPrefix }) =>
  renderCharts(reportStorage(), { workPrefix, outputPrefix: stagingPrefix }),
);
