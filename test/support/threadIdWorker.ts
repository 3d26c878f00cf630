/** A worker module for the pool's tests: answers each piece with its thread's id and when the thread started; on `'end'` its thread ends just after answering. */
import { threadId } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { servePieces } from '#shared/pipeline/workerPool.ts';

servePieces(async (piece: string) => {
  if (piece === 'end') void sleep(10).then(() => process.exit(0));
  return { threadId, startedAt: performance.timeOrigin };
});
