/** A worker thread's share of a chunk's tearsheets (`pageChunkInWorkers` in `chartWorkers.ts` posts it): written on the local file system. */
import type { ChunkShare } from '#shared/pipeline/chunkThreads.ts';
import { servePieces } from '#shared/pipeline/workerPool.ts';
import { writePageChunk, type PagesInput } from '#shared/pipeline/writePages.ts';
import { localStorage } from './localRun.ts';

servePieces(({ input, share }: { input: PagesInput; share: ChunkShare }, progress) => writePageChunk(localStorage, input, progress, share));
