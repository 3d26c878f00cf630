/** The local run's charts on every core (`chartChunkOnEveryCore`), drawn and written on the local file system. */
import { availableParallelism } from 'node:os';
import { chartChunkOnEveryCore, startChartWorkers } from '#shared/pipeline/chartThreads.ts';
import type { ChartChunkRenderer } from '#shared/pipeline/runPipeline.ts';
import { localStorage } from './localRun.ts';

const WORKER = new URL('./chartWorker.ts', import.meta.url);

/** Workers load the sources as they are: only where Node strips the types itself. */
const usableCores = (cores: number): number => (process.features.typescript ? cores : 1);

export function chartChunkInWorkers(cores: number = availableParallelism()): ChartChunkRenderer {
  return chartChunkOnEveryCore(localStorage, WORKER, usableCores(cores));
}

/** The workers the first chunk will use, started as soon as the run knows its levels. */
export function chartWorkersAhead(cores: number = availableParallelism()): (firstChunkLevels: number) => void {
  return (levels) => startChartWorkers(WORKER, usableCores(cores), levels);
}
