/** A worker thread's share of the bootstrap's chunks (`monteCarloWorkers.ts` posts it), each left by key on the local file system. */
import type { MonteCarloChunkItem } from '#shared/model/monteCarloChunks.ts';
import { monteCarloChunksInOrder } from '#shared/pipeline/monteCarlo.ts';
import { servePieces } from '#shared/pipeline/workerPool.ts';
import { localStorage } from './localRun.ts';

servePieces(async ({ workPrefix, items }: { workPrefix: string; items: MonteCarloChunkItem[] }) => {
  await monteCarloChunksInOrder(localStorage)(workPrefix, items);
  return items.length;
});
