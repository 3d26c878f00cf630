/**
 * Stage Charts, one chunk of levels (a Map item): the PNGs of its strategies and accounts (and the
 * portfolio's), under the run's staged report, on every vCPU the function's memory buys
 * (`chartChunkOnEveryCore`; infra bundles the worker beside the handler).
 */
import { availableParallelism } from 'node:os';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, readJson } from '#shared/pipeline/artifacts.ts';
import { chartChunkOnEveryCore } from '#shared/pipeline/chartThreads.ts';
import { chartsInputSchema } from '#shared/pipeline/renderCharts.ts';
import { chunkLevels } from '#shared/report/reportChunks.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

/** The worker's entry: its source beside this source, its bundle beside this bundle (`index.mjs`; infra's `hasWorker`). */
const WORKER = new URL(`./render-charts-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'mjs'}`, import.meta.url);

export const handler = handlerFor(chartsInputSchema, async (item) => {
  const storage = reportStorage();
  const { config } = await readJson<Validation>(storage, artifactKey(item.workPrefix, 'validation'));
  const { from, to } = chunkLevels(config, item.chunk);
  return chartChunkOnEveryCore(storage, WORKER, availableParallelism())(item, undefined, to - from);
});
