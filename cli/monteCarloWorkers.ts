/**
 * The local run's bootstrap chunks on every core (issue 16 item 3): chunk k goes to thread
 * k mod cores, this thread first; each chunk computes its paths from the seed alone and leaves
 * them by key, and the merge reads them in order, so montecarlo.json and the fan CSV are the same
 * whichever thread ran a chunk.
 */
import { availableParallelism } from 'node:os';
import type { MonteCarloChunkItem } from '#shared/model/monteCarloChunks.ts';
import { monteCarloChunksInOrder, type MonteCarloChunkRunner } from '#shared/pipeline/monteCarlo.ts';
import { onEveryCore } from '#shared/pipeline/workerPool.ts';
import { localStorage } from './localRun.ts';

const WORKER = new URL('./monteCarloWorker.ts', import.meta.url);

export function monteCarloChunksInWorkers(cores: number = availableParallelism()): MonteCarloChunkRunner {
  return async (workPrefix, items, progress) => {
    // Workers load the sources as they are: only where Node strips the types itself.
    const threads = process.features.typescript ? Math.min(cores, items.length) : 1;
    const shares = Array.from({ length: threads }, (_, thread) => ({ workPrefix, items: items.filter((_, k) => k % threads === thread) }));
    await onEveryCore<{ workPrefix: string; items: MonteCarloChunkItem[] }, number>(WORKER, shares, async (share) => {
      await monteCarloChunksInOrder(localStorage)(share.workPrefix, share.items, progress);
      return share.items.length;
    });
  };
}
