/** A worker thread's share of a chunk's charts (`chartWorkers.ts` posts it): drawn and written on the local file system. */
import type { ChunkShare } from '#shared/pipeline/chunkThreads.ts';
import { renderChartChunk, type ChartsInput } from '#shared/pipeline/renderCharts.ts';
import { servePieces } from '#shared/pipeline/workerPool.ts';
import { localStorage } from './localRun.ts';

servePieces(({ input, share }: { input: ChartsInput; share: ChunkShare }, progress) => renderChartChunk(localStorage, input, progress, share));
