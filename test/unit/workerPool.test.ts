/**
 * The worker pool (issue 14 item 2): a worker started ahead serves the first piece that comes,
 * having loaded meanwhile; a worker ends with its piece; one that ended while waiting is never
 * handed a piece.
 */
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { inWorkers, onEveryCore, startWorkers } from '#shared/pipeline/workerPool.ts';

const WORKER = new URL('../support/threadIdWorker.ts', import.meta.url);
const EXITING = new URL('../support/exitingWorker.ts', import.meta.url);
type Answer = { threadId: number; startedAt: number };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the worker pool', () => {
  it('serves the first piece on a worker started ahead, the next on a new one, and the first of onEveryCore here', async () => {
    startWorkers(WORKER, 1);
    await pause(300);
    const asked = performance.timeOrigin + performance.now();
    const [ahead] = await inWorkers<string, Answer>(WORKER, ['a']);
    expect(ahead?.startedAt).toBeLessThan(asked);
    const [here, next] = await onEveryCore<string, Answer | number>(WORKER, ['mine', 'b'], async () => threadId);
    expect(here).toBe(threadId);
    expect((next as Answer).threadId).not.toBe(ahead?.threadId);
  });

  it('never hands a piece to a worker started ahead that ended while waiting: the piece fails instead of waiting forever', async () => {
    startWorkers(EXITING, 1);
    await pause(500);
    await expect(inWorkers<string, Answer>(EXITING, ['x'])).rejects.toThrow('before its result');
  }, 5_000);
});
