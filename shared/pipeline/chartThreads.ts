/**
 * A chunk's charts on every core (issue 14 item 2), locally and in the chart Lambda, shared as
 * `chunkThreads.ts` says: every chart is drawn alone, so the files are the same as one thread
 * draws. `worker` serves `{ input, share }` pieces with `renderChartChunk` on the same storage.
 */
import type { Storage } from '#shared/storage/storage.ts';
import { chunkOnEveryCore } from './chunkThreads.ts';
import { renderChartChunk } from './renderCharts.ts';
import type { ChartChunkRenderer } from './runPipeline.ts';

export function chartChunkOnEveryCore(storage: Storage, worker: URL, cores: number): ChartChunkRenderer {
  return async (input, progress, levels) => {
    const outputs = await chunkOnEveryCore(worker, cores, (piece, listener, share) => renderChartChunk(storage, piece, listener, share), input, progress, levels);
    return { charts: outputs.reduce((sum, output) => sum + output.charts, 0) };
  };
}
