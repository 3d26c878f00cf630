/** Stage Charts, one chunk of levels (a Map item): the PNGs of its strategies and accounts (and the portfolio's), under the run's staged report. */
import { chartsInputSchema, renderChartChunk } from '#shared/pipeline/renderCharts.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(chartsInputSchema, (item) => renderChartChunk(reportStorage(), item));
