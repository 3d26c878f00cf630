/**
 * A chunk's tearsheets on every core (issue 14 item 2), shared as `chunkThreads.ts` says: every
 * page is written alone, so the files are the same as one thread writes. `worker` serves
 * `{ input, share }` pieces with `writePageChunk` on the same storage.
 */
import type { Storage } from '#shared/storage/storage.ts';
import { chunkOnEveryCore } from './chunkThreads.ts';
import type { PageChunkWriter } from './runPipeline.ts';
import { writePageChunk } from './writePages.ts';

export function pageChunkOnEveryCore(storage: Storage, worker: URL, cores: number): PageChunkWriter {
  return async (input, progress, levels) => {
    const outputs = await chunkOnEveryCore(worker, cores, (piece, listener, share) => writePageChunk(storage, piece, listener, share), input, progress, levels);
    return { pages: outputs.reduce((sum, output) => sum + output.pages, 0) };
  };
}
