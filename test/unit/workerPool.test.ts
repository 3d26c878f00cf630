/**
 * The worker pool (issue 14 item 2): a worker is started once and serves every later call, so a
 * run of many chunks pays its start (Chart.js, Skia, the sources) once; a worker that ended is
 * never handed a piece again.
 */
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { inWorkers, onEveryCore } from '#shared/pipeline/workerPool.ts';

const WORKER = new URL('../support/threadIdWorker.ts', import.meta.url);

describe('the worker pool', () => {
  it('serves a later call on the worker an earlier one started, and the first piece of onEveryCore here', async () => {
    const [first] = await inWorkers<string, number>(WORKER, ['a']);
    const [here, second] = await onEveryCore<string, number>(WORKER, ['mine', 'b'], async () => threadId);
    expect(here).toBe(threadId);
    expect(second).toBe(first);
  });

  it('starts a new worker after an idle one ended, instead of waiting on it', async () => {
    const [ended] = await inWorkers<string, number>(WORKER, ['end']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [after] = await inWorkers<string, number>(WORKER, ['c']);
    expect(after).not.toBe(ended);
  }, 5_000);
});
