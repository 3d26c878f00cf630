/** The local run's charts and pages on every core (`chunkThreads.ts`), drawn and written on the local file system. */
import { availableParallelism } from 'node:os';
import { chartChunkOnEveryCore } from '#shared/pipeline/chartThreads.ts';
import { startChunkWorkers } from '#shared/pipeline/chunkThreads.ts';
import { pageChunksOnEveryCore, type PageChunksWriter } from '#shared/pipeline/pageThreads.ts';
import type { ChartChunkRenderer } from '#shared/pipeline/runPipeline.ts';
import { localStorage } from './localRun.ts';

const CHART_WORKER = new URL('./chartWorker.ts', import.meta.url);
const PAGE_WORKER = new URL('./pageWorker.ts', import.meta.url);

/** Workers load the sources as they are: only where Node strips the types itself. */
const usableCores = (cores: number): number => (process.features.typescript ? cores : 1);

export function chartChunkInWorkers(cores: number = availableParallelism()): ChartChunkRenderer {
  return chartChunkOnEveryCore(localStorage, CHART_WORKER, usableCores(cores));
}

/** The workers the first chunk will use, started as soon as the run knows its levels. */
export function chartWorkersAhead(cores: number = availableParallelism()): (firstChunkLevels: number) => void {
  return (levels) => startChunkWorkers(CHART_WORKER, usableCores(cores), levels);
}

export function pageChunksInWorkers(cores: number = availableParallelism()): PageChunksWriter {
  return pageChunksOnEveryCore(localStorage, PAGE_WORKER, usableCores(cores));
}
