/** A worker thread's share of a chunk's charts (`chartWorkers.ts` starts it): drawn and written on the local file system. */
import { parentPort, workerData } from 'node:worker_threads';
import { renderChartChunk, type ChartShare, type ChartsInput } from '#shared/pipeline/renderCharts.ts';
import { localStorage } from './localRun.ts';

const { input, share } = workerData as { input: ChartsInput; share: ChartShare };
const output = await renderChartChunk(localStorage, input, (progress) => parentPort?.postMessage({ progress }), share);
parentPort?.postMessage({ output });
