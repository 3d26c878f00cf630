/** The local run's charts on every core (`chartChunkOnEveryCore`), drawn and written on the local file system. */
import { availableParallelism } from 'node:os';
import { chartChunkOnEveryCore } from '#shared/pipeline/chartThreads.ts';
import type { ChartChunkRenderer } from '#shared/pipeline/runPipeline.ts';
import { localStorage } from './localRun.ts';

const WORKER = new URL('./chartWorker.ts', import.meta.url);

export function chartChunkInWorkers(cores: number = availableParallelism()): ChartChunkRenderer {
  // Workers load the sources as they are: only where Node strips the types itself.
  return chartChunkOnEveryCore(localStorage, WORKER, process.features.typescript ? cores : 1);
}
