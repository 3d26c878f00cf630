/** A worker thread's share of the tearsheets' chunks (`pageChunksInWorkers` in `chartWorkers.ts` posts it): written on the local file system. */
import type { ChunkShare } from '#shared/pipeline/chunkThreads.ts';
import { writePageChunks } from '#shared/pipeline/pageThreads.ts';
import { servePieces } from '#shared/pipeline/workerPool.ts';
import type { PagesInput } from '#shared/pipeline/writePages.ts';
import { localStorage } from './localRun.ts';

servePieces(({ inputs, share }: { inputs: PagesInput[]; share: ChunkShare }, progress) => writePageChunks(localStorage, inputs, progress, share));
