/**
 * Independent pieces of one stage on worker threads (issue 14 item 2: every core). A worker
 * module serves pieces (`servePieces`): it may post `{ progress }` messages as it goes and ends
 * each piece by posting `{ output }`. Results come back in the pieces' order, so what is written
 * does not depend on which worker finished first. `onEveryCore` keeps the first piece on this
 * thread, whose modules are loaded already.
 * A worker's start (loading Chart.js, Skia and the sources) costs about 0.35 s of CPU: workers
 * can be started ahead (`startWorkers`) to load on a core the stages before leave idle. A worker
 * ends with its piece: kept for the next chunk it saved ~1.5 ms of CPU per chart at 500x20 but
 * held ~100 MB more at the peak, its heap full of the last chunk's series.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { ProgressEvent } from './progress.ts';

export type WorkerMessage<Output> = { progress: ProgressEvent } | { output: Output };

/** Workers started ahead, by module, waiting for their piece. */
const ready = new Map<string, Worker[]>();

/** A worker of `module`, unref'd while it waits: it never keeps the process alive idle. */
function newWorker(module: URL): Worker {
  const worker = new Worker(module);
  worker.unref();
  // A worker that ended while waiting (a crash) must not be handed a piece it would never answer.
  worker.once('exit', () => ready.set(module.href, (ready.get(module.href) ?? []).filter((waiting) => waiting !== worker)));
  return worker;
}

/** A worker of `module` started ahead, or a new one. */
function takeWorker(module: URL): Worker {
  return ready.get(module.href)?.pop() ?? newWorker(module);
}

/** Workers of `module` started now, up to `count` waiting ones, so that they load while this thread works on. */
export function startWorkers(module: URL, count: number): void {
  const waiting = ready.get(module.href) ?? [];
  ready.set(module.href, waiting);
  while (waiting.length < count) waiting.push(newWorker(module));
}

function runOn<Piece, Output>(module: URL, worker: Worker, piece: Piece, progress?: (event: ProgressEvent) => void): Promise<Output> {
  return new Promise<Output>((resolve, reject) => {
    const settle = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: WorkerMessage<Output>): void => {
      if ('progress' in message) return progress?.(message.progress);
      settle();
      void worker.terminate();
      resolve(message.output);
    };
    const onError = (error: Error): void => {
      settle();
      reject(error);
    };
    const onExit = (code: number): void => {
      settle();
      reject(new Error(`a worker of ${module.pathname} stopped (exit code ${code}) before its result`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    // Busy, it keeps the process alive until its result is in.
    worker.ref();
    worker.postMessage({ piece });
  });
}

export function inWorkers<Piece, Output>(module: URL, pieces: readonly Piece[], progress?: (event: ProgressEvent) => void): Promise<Output[]> {
  return Promise.all(pieces.map((piece) => runOn<Piece, Output>(module, takeWorker(module), piece, progress)));
}

/** The first piece here (`here`), each other one on a worker running `module`; outputs in the pieces' order. */
export async function onEveryCore<Piece, Output>(
  module: URL,
  pieces: readonly Piece[],
  here: (piece: Piece) => Promise<Output>,
  progress?: (event: ProgressEvent) => void,
): Promise<Output[]> {
  const [first, ...others] = pieces;
  if (first === undefined) return [];
  const [mine, theirs] = await Promise.all([here(first), inWorkers<Piece, Output>(module, others, progress)]);
  return [mine, ...theirs];
}

/** In a worker module: each piece posted to this worker done by `work`, its progress and then its output posted back. */
export function servePieces<Piece, Output>(work: (piece: Piece, progress: (event: ProgressEvent) => void) => Promise<Output>): void {
  parentPort?.on('message', async ({ piece }: { piece: Piece }) => {
    const output = await work(piece, (event) => parentPort?.postMessage({ progress: event }));
    parentPort?.postMessage({ output });
  });
}
