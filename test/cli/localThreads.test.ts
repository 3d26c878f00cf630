/**
 * The local run on worker threads (issue 14 item 2, issue 16 item 3): a chunk of charts and one
 * of tearsheets shared among this thread and a worker, and the bootstrap's chunks spread over two
 * threads, write every chart, page, montecarlo.json and the fan CSV byte for byte as one thread does.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDataset } from '#bench/dataset.ts';
import { chartChunkInWorkers, chartWorkersAhead, pageChunkInWorkers } from '#cli/chartWorkers.ts';
import { keyOf, localStorage } from '#cli/localRun.ts';
import { monteCarloChunksInWorkers } from '#cli/monteCarloWorkers.ts';
import { runPipeline } from '#shared/pipeline/runPipeline.ts';
import { scratchFolder } from '#test/support/runCli.ts';

describe('the local run on worker threads', () => {
  it('writes the same charts, pages and bootstrap files, byte for byte, as one thread', async () => {
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
        { charts: chartChunkInWorkers(threads), chartsAhead: chartWorkersAhead(threads), pages: pageChunkInWorkers(threads), monteCarloChunks: monteCarloChunksInWorkers(threads) },
      );
    const one = await run('one', 1);
    const two = await run('two', 2);
    expect(two.charts).toEqual(one.charts);
    expect(two.pages).toEqual(one.pages);
    expect(two.monteCarlo).toEqual({ ...one.monteCarlo, itemsKey: expect.any(String) });
    expect(one.monteCarlo.chunks).toBe(3);
    const files = readdirSync(join(folder, 'one', 'charts')).sort();
    expect(files.length).toBe(one.charts.charts);
    expect(readdirSync(join(folder, 'two', 'charts')).sort()).toEqual(files);
    const pages = readdirSync(join(folder, 'one'), { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.html')).sort();
    // Every level's tearsheet and index.html.
    expect(pages.length).toBe(one.pages.pages);
    for (const file of [...files.map((name) => join('charts', name)), ...pages, 'montecarlo.json', '7_monte_carlo_fan.csv']) {
      expect(readFileSync(join(folder, 'two', file)).equals(readFileSync(join(folder, 'one', file))), file).toBe(true);
    }
  });
});
