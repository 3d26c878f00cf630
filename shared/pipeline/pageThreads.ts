/**
 * The tearsheets on every core (issue 14 item 2): this thread and a worker per other core each
 * take the next whole chunk of one counter they all see (`ChunkShare`) until none is left; each
 * page is written alone, so the files are the same as one thread writes. Whole chunks, not a
 * chunk's levels as the charts share them: a page costs ~3.5 ms, and a worker per chunk (loading
 * the sources, reading the chunk's series again) made 500x20's pages 3.0 s of CPU and wall against
 * 1.8 s on one thread. `worker` serves `{ inputs, share }` pieces with `writePageChunks`.
 */
import type { Storage } from '#shared/storage/storage.ts';
import { countedProgress, nextTicket, sharedCounter, wholeChunk, type ChunkShare } from './chunkThreads.ts';
import type { ProgressListener } from './progress.ts';
import { onEveryCore } from './workerPool.ts';
import { writePageChunk, type PagesInput, type PagesOutput } from './writePages.ts';

/** Writes the chunks' tearsheets: in this thread by default, or shared among workers (the local run's `pageChunksInWorkers`). */
export type PageChunksWriter = (inputs: readonly PagesInput[], progress: ProgressListener | undefined) => Promise<PagesOutput>;

/** The tearsheets of the chunks whose tickets this thread takes (ticket i is `inputs[i]`). */
export async function writePageChunks(storage: Storage, inputs: readonly PagesInput[], progress?: ProgressListener, share: ChunkShare = wholeChunk()): Promise<PagesOutput> {
  let pages = 0;
  for (let ticket = nextTicket(share); ticket < inputs.length; ticket = nextTicket(share)) pages += (await writePageChunk(storage, inputs[ticket] as PagesInput, progress)).pages;
  return { pages };
}

export function pageChunksOnEveryCore(storage: Storage, worker: URL, cores: number): PageChunksWriter {
  return async (inputs, progress) => {
    const threads = Math.max(1, Math.min(cores, inputs.length));
    if (threads === 1) return writePageChunks(storage, inputs, progress);
    const counted = countedProgress(progress);
    const share = sharedCounter();
    const pieces = Array.from({ length: threads }, () => ({ inputs, share }));
    const outputs = await onEveryCore<(typeof pieces)[number], PagesOutput>(worker, pieces, (piece) => writePageChunks(storage, piece.inputs, counted, piece.share), counted);
    return { pages: outputs.reduce((sum, output) => sum + output.pages, 0) };
  };
}
