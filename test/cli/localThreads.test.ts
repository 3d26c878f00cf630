/**
 * The local run on worker threads (issue 14 item 2, issue 16 item 3): a chunk of charts shared
 * among this thread and a worker, the bootstrap's chunks and the tearsheets' chunks spread over
 * two threads, write every chart, page, montecarlo.json and the fan CSV byte for byte as one
 * thread does.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDataset } from '#bench/dataset.ts';
import { chartChunkInWorkers, chartWorkersAhead, pageChunksInWorkers } from '#cli/chartWorkers.ts';
import { keyOf, localStorage } from '#cli/localRun.ts';
import { monteCarloChunksInWorkers } from '#cli/monteCarloWorkers.ts';
import { runPipeline } from '#shared/pipeline/runPipeline.ts';
import { LEVELS_PER_CHUNK } from '#shared/report/reportChunks.ts';
import { scratchFolder } from '#test/support/runCli.ts';

describe('the local run on worker threads', () => {
  it('writes the same charts and bootstrap files, byte for byte, as one thread', async () => {
    const folder = scratchFolder('local-threads');
    // 17 strategies, one account and the portfolio: 19 levels, enough for two threads to share.
    await writeDataset(folder, { strategies: 17, years: 1, partB: true }, 7);
    const configFile = join(folder, 'portfolio.json');
    // 600 paths: three chunks of 250, two on this thread and one on the worker.
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), monteCarlo: { paths: 600, horizonDays: 20, blockDays: 5, seed: 3 } }));
    const run = (label: string, threads: number) =>
      runPipeline(
        localStorage,
        { dataPrefix: keyOf(folder), workPrefix: keyOf(join(folder, `${label}-work`)), stagingPrefix: keyOf(join(folder, label)) },
        {},
        { charts: chartChunkInWorkers(threads), chartsAhead: chartWorkersAhead(threads), monteCarloChunks: monteCarloChunksInWorkers(threads) },
      );
    const one = await run('one', 1);
    const two = await run('two', 2);
    expect(two.charts).toEqual(one.charts);
    expect(two.monteCarlo).toEqual({ ...one.monteCarlo, itemsKey: expect.any(String) });
    expect(one.monteCarlo.chunks).toBe(3);
    const files = readdirSync(join(folder, 'one', 'charts')).sort();
    expect(files.length).toBe(one.charts.charts);
    expect(readdirSync(join(folder, 'two', 'charts')).sort()).toEqual(files);
    for (const file of [...files.map((name) => join('charts', name)), 'montecarlo.json', '7_monte_carlo_fan.csv']) {
      expect(readFileSync(join(folder, 'two', file)).equals(readFileSync(join(folder, 'one', file))), file).toBe(true);
    }
  });

  it('writes the same tearsheets, byte for byte, with two threads taking whole chunks as with one', async () => {
    const folder = scratchFolder('local-threads-pages');
    // Past one chunk of levels, so that each thread has a chunk of tearsheets to write.
    await writeDataset(folder, { strategies: LEVELS_PER_CHUNK + 1, years: 1, partB: false }, 7);
    const input = { dataPrefix: keyOf(folder), workPrefix: keyOf(join(folder, 'work')), stagingPrefix: keyOf(join(folder, 'report')) };
    const one = await runPipeline(localStorage, input, {}, { charts: chartChunkInWorkers(2) });
    const pages = readdirSync(join(folder, 'report'), { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.html') && path !== 'index.html');
    const written = new Map(pages.map((path) => [path, readFileSync(join(folder, 'report', path))]));
    for (const path of pages) rmSync(join(folder, 'report', path));
    const chunks = [0, 1].map((chunk) => ({ workPrefix: input.workPrefix, stagingPrefix: input.stagingPrefix, chunk }));
    const two = await pageChunksInWorkers(2)(chunks, undefined);
    // Every tearsheet but index.html, which the main thread writes after them.
    expect(two.pages).toBe(one.pages.pages - 1);
    expect(pages.length).toBe(two.pages);
    for (const path of pages) expect(readFileSync(join(folder, 'report', path)).equals(written.get(path) as Buffer), path).toBe(true);
  });
});
