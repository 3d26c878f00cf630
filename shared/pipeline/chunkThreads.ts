/**
 * A chunk of levels on every core (issue 14 item 2), for a stage whose levels are each drawn
 * alone (the charts; the pages share whole chunks with the same counter, `pageThreads.ts`): the
 * chunk is shared among this thread and a worker thread per other core, each taking the next
 * ticket of one counter they all see (`ChunkShare`, over a SharedArrayBuffer) until none is left,
 * so a thread that started late takes fewer and no thread waits for another with work left. Each
 * ticket's files are the same whichever thread writes them. A small chunk stays on this thread:
 * a worker's start (loading the sources) costs about what a few levels do, and each worker holds
 * its own copy of the chunk's series. `worker` is a module that serves `{ input, share }` pieces
 * (`servePieces`) with the same `work` on the same storage.
 */
import type { ProgressEvent, ProgressListener } from './progress.ts';
import { onEveryCore, startWorkers } from './workerPool.ts';

/** The counter of tickets (a chunk's levels, or a stage's chunks) that every thread sharing them sees. */
export interface ChunkShare {
  tickets: Int32Array;
}

/** A counter of one thread's own: every ticket is this thread's. */
export const wholeChunk = (): ChunkShare => ({ tickets: new Int32Array(1) });

/** This thread's next ticket. */
export const nextTicket = (share: ChunkShare): number => Atomics.add(share.tickets, 0, 1);

/** Progress of threads sharing levels as one count: each event is one more level started, whichever thread started it. */
export function countedProgress(progress: ProgressListener | undefined): (event: ProgressEvent) => void {
  let started = 0;
  let first = Infinity;
  return (event) => {
    first = Math.min(first, event.done);
    progress?.({ ...event, done: first + started });
    started += 1;
  };
}

/** Levels a worker should have at least for its start to pay. */
const LEVELS_PER_WORKER = 8;

/** Threads for a chunk of `levels` levels: this one and a worker per further `LEVELS_PER_WORKER` levels, at most one per core. */
function threadsFor(levels: number, cores: number): number {
  return Math.max(1, Math.min(cores, Math.floor(levels / LEVELS_PER_WORKER)));
}

/** The workers a chunk of `levels` levels will use, started now, so that they load while this thread works on. */
export function startChunkWorkers(worker: URL, cores: number, levels: number): void {
  startWorkers(worker, threadsFor(levels, cores) - 1);
}

/** A counter every thread it is posted to sees (a SharedArrayBuffer is shared, not copied). */
export const sharedCounter = (): ChunkShare => ({ tickets: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) });

export type ChunkWork<Input, Output> = (input: Input, progress: ProgressListener | undefined, share: ChunkShare) => Promise<Output>;

/** `work` on a chunk of `levels` levels, shared among the threads `threadsFor` gives it; each thread's output in threads' order. */
export async function chunkOnEveryCore<Input, Output>(worker: URL, cores: number, work: ChunkWork<Input, Output>, input: Input, progress: ProgressListener | undefined, levels: number): Promise<Output[]> {
  const parts = threadsFor(levels, cores);
  if (parts <= 1) return [await work(input, progress, wholeChunk())];
  const counted = countedProgress(progress);
  const share = sharedCounter();
  const shares = Array.from({ length: parts }, () => ({ input, share }));
  return onEveryCore<(typeof shares)[number], Output>(worker, shares, (piece) => work(piece.input, counted, piece.share), counted);
}
