/**
 * Independent pieces of one stage on worker threads, one worker per piece (issue 14 item 2: every
 * core). The worker module reads its piece from `workerData`, may post `{ progress }` messages
 * as it goes, and ends by posting `{ output }`. Results come back in the pieces' order, so what
 * is written does not depend on which worker finished first.
 * `onEveryCore` keeps the first piece on this thread, whose modules are loaded already.
 */
import { Worker } from 'node:worker_threads';
import type { ProgressEvent } from './progress.ts';

export type WorkerMessage<Output> = { progress: ProgressEvent } | { output: Output };

export function inWorkers<Piece, Output>(module: URL, pieces: readonly Piece[], progress?: (event: ProgressEvent) => void): Promise<Output[]> {
  return Promise.all(
    pieces.map(
      (piece) =>
        new Promise<Output>((resolve, reject) => {
          const worker = new Worker(module, { workerData: piece });
          let output: { value: Output } | null = null;
          worker.on('message', (message: WorkerMessage<Output>) => {
            if ('progress' in message) progress?.(message.progress);
            else output = { value: message.output };
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (output === null ? reject(new Error(`a worker of ${module.pathname} stopped (exit code ${code}) before its result`)) : resolve(output.value)));
        }),
    ),
  );
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
