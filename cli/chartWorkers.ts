/**
 * The local run's charts on every core (issue 14 item 2): a chunk of enough levels is shared
 * among this thread and a worker thread per other core, each taking the next chart from one
 * shared counter (`ChartShare`; the same files as one thread draws, since every chart is drawn alone). A small chunk stays on this
 * thread: a worker's start (loading Chart.js and Skia) costs about what a few charts do, and each
 * worker holds its own copy of the chunk's series.
 */
import { availableParallelism } from 'node:os';
import type { ChartChunkRenderer } from '#shared/pipeline/runPipeline.ts';
import { renderChartChunk, type ChartShare, type ChartsOutput } from '#shared/pipeline/renderCharts.ts';
import type { ProgressEvent } from '#shared/pipeline/progress.ts';
import { onEveryCore } from '#shared/pipeline/workerPool.ts';
import { localStorage } from './localRun.ts';

/** Levels a worker should have at least for its start to pay. */
const LEVELS_PER_WORKER = 8;
const WORKER = new URL('./chartWorker.ts', import.meta.url);

export function chartChunkInWorkers(cores: number = availableParallelism()): ChartChunkRenderer {
  return async (input, progress, levels) => {
    // Workers load the sources as they are: only where Node strips the types itself.
    const parts = process.features.typescript ? Math.min(cores, Math.floor(levels / LEVELS_PER_WORKER)) : 1;
    if (parts <= 1) return renderChartChunk(localStorage, input, progress);
    let started = 0;
    let first = Infinity;
    const counted = (event: ProgressEvent): void => {
      // Each event is one more level started, whichever thread started it.
      first = Math.min(first, event.done);
      progress?.({ ...event, done: first + started });
      started += 1;
    };
    // One counter for every thread: each takes the next chart ticket until none is left.
    const share: ChartShare = { tickets: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) };
    const shares = Array.from({ length: parts }, () => ({ input, share }));
    const outputs = await onEveryCore<(typeof shares)[number], ChartsOutput>(WORKER, shares, (piece) => renderChartChunk(localStorage, piece.input, counted, piece.share), counted);
    return { charts: outputs.reduce((sum, output) => sum + output.charts, 0) };
  };
}
