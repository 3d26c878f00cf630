/**
 * Independent pieces of one stage on worker threads (issue 14 item 2: every core). A worker
 * module serves pieces (`servePieces`): it may post `{ progress }` messages as it goes and ends
 * each piece by posting `{ output }`. Results come back in the pieces' order, so what is written
 * does not depend on which worker finished first. `onEveryCore` keeps the first piece on this
 * thread, whose modules are loaded already.
 * Workers are kept between calls, by module: starting one (loading Chart.js, Skia and the
 * sources) cost about 0.35 s of CPU, once per chunk of charts; now once per run. An idle worker
 * is unref'd, so it never keeps the process alive.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { ProgressEvent } from './progress.ts';

export type WorkerMessage<Output> = { progress: ProgressEvent } | { output: Output };

const idle = new Map<string, Worker[]>();

/** An idle worker of `module`, or a new one. */
function takeWorker(module: URL): Worker {
  const kept = idle.get(module.href)?.pop();
  if (kept !== undefined) return kept;
  const worker = new Worker(module);
  worker.unref();
  // A worker that ended (a crash while idle) must not be handed a piece it would never answer.
  worker.once('exit', () => idle.set(module.href, (idle.get(module.href) ?? []).filter((kept) => kept !== worker)));
  return worker;
}

function runOn<Piece, Output>(module: URL, worker: Worker, piece: Piece, progress?: (event: ProgressEvent) => void): Promise<Output> {
  return new Promise<Output>((resolve, reject) => {
    const settle = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.unref();
    };
    const onMessage = (message: WorkerMessage<Output>): void => {
      if ('progress' in message) return progress?.(message.progress);
      settle();
      idle.set(module.href, [...(idle.get(module.href) ?? []), worker]);
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
