/**
 * The local run's charts on worker threads (issue 14 item 2): a chunk shared among this thread
 * and a worker writes every chart byte for byte as one thread does, and the count it reports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDataset } from '#bench/dataset.ts';
import { chartChunkInWorkers } from '#cli/chartWorkers.ts';
import { keyOf, localStorage } from '#cli/localRun.ts';
import { runPipeline } from '#shared/pipeline/runPipeline.ts';
import { scratchFolder } from '#test/support/runCli.ts';

describe('charts on worker threads', () => {
  it('write the same files, byte for byte, as one thread', async () => {
    const folder = scratchFolder('chart-workers');
    // 17 strategies, one account and the portfolio: 19 levels, enough for two threads to share.
    await writeDataset(folder, { strategies: 17, years: 1, partB: true }, 7);
    const run = (label: string, workers: number) =>
      runPipeline(
        localStorage,
        { dataPrefix: keyOf(folder), workPrefix: keyOf(join(folder, `${label}-work`)), stagingPrefix: keyOf(join(folder, label)) },
        {},
        chartChunkInWorkers(workers),
      );
    const one = await run('one', 1);
    const two = await run('two', 2);
    expect(two.charts).toEqual(one.charts);
    const files = readdirSync(join(folder, 'one', 'charts')).sort();
    expect(files.length).toBe(one.charts.charts);
    expect(readdirSync(join(folder, 'two', 'charts')).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(folder, 'two', 'charts', file)).equals(readFileSync(join(folder, 'one', 'charts', file))), file).toBe(true);
  });
});
