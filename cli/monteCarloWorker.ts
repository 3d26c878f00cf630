/** A worker thread's share of the bootstrap's chunks (`monteCarloWorkers.ts` starts it), each left by key on the local file system. */
import { parentPort, workerData } from 'node:worker_threads';
import type { MonteCarloChunkItem } from '#shared/model/monteCarloChunks.ts';
import { monteCarloChunksInOrder } from '#shared/pipeline/monteCarlo.ts';
import { localStorage } from './localRun.ts';

const { workPrefix, items } = workerData as { workPrefix: string; items: MonteCarloChunkItem[] };
await monteCarloChunksInOrder(localStorage)(workPrefix, items);
parentPort?.postMessage({ output: items.length });
