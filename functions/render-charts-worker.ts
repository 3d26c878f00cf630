/** A worker thread of the chart Lambda (`render-charts.ts` posts it its share of a chunk): charts drawn and written to the report bucket. */
import type { ChunkShare } from '#shared/pipeline/chunkThreads.ts';
import { renderChartChunk, type ChartsInput } from '#shared/pipeline/renderCharts.ts';
import { servePieces } from '#shared/pipeline/workerPool.ts';
import { reportStorage } from '#functions/commons/clients.ts';

servePieces(({ input, share }: { input: ChartsInput; share: ChunkShare }, progress) => renderChartChunk(reportStorage(), input, progress, share));
