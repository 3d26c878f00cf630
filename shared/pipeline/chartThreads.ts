/**
 * A chunk's charts on every core (issue 14 item 2), locally and in the chart Lambda: a chunk of
 * enough levels is shared among this thread and a worker thread per other core, each taking the
 * next chart from one shared counter (`ChartShare`; the same files as one thread draws, since
 * every chart is drawn alone). A small chunk stays on this thread: a worker's start (loading
 * Chart.js and Skia) costs about what a few charts do, and each worker holds its own copy of the
 * chunk's series. `worker` is a module that serves `{ input, share }` pieces (`servePieces`)
 * with `renderChartChunk` on the same storage.
 */
import type { Storage } from '#shared/storage/storage.ts';
import type { ProgressEvent } from './progress.ts';
import { renderChartChunk, type ChartShare, type ChartsOutput } from './renderCharts.ts';
import type { ChartChunkRenderer } from './runPipeline.ts';
import { onEveryCore, startWorkers } from './workerPool.ts';

/** Levels a worker should have at least for its start to pay. */
const LEVELS_PER_WORKER = 8;

/** Threads for a chunk of `levels` levels: this one and a worker per further `LEVELS_PER_WORKER` levels, at most one per core. */
function threadsFor(levels: number, cores: number): number {
  return Math.max(1, Math.min(cores, Math.floor(levels / LEVELS_PER_WORKER)));
}

/** The workers a chunk of `levels` levels will use, started now: they load Chart.js and Skia while the data stages run. */
export function startChartWorkers(worker: URL, cores: number, levels: number): void {
  startWorkers(worker, threadsFor(levels, cores) - 1);
}

export function chartChunkOnEveryCore(storage: Storage, worker: URL, cores: number): ChartChunkRenderer {
  return async (input, progress, levels) => {
    const parts = threadsFor(levels, cores);
    if (parts <= 1) return renderChartChunk(storage, input, progress);
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
    const outputs = await onEveryCore<(typeof shares)[number], ChartsOutput>(worker, shares, (piece) => renderChartChunk(storage, piece.input, counted, piece.share), counted);
    return { charts: outputs.reduce((sum, output) => sum + output.charts, 0) };
  };
}
